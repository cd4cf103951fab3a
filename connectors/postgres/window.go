package postgres

import (
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// windowFunctions are the window functions PostgreSQL sources run as
// Junction does.
var windowFunctions = map[string]bool{
	"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true,
	"ntile": true, "lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true,
}

// WindowFunc renders a ranking or value window function call.
func (*Dialect) WindowFunc(name string, args []string, argTypes []types.Type, result types.Type) (string, bool) {
	if !windowFunctions[name] || !allPushable(argTypes) || !pushable(result) {
		return "", false
	}
	return name + "(" + strings.Join(args, ", ") + ")", true
}

// WindowFrame accepts every frame: PostgreSQL defines them.
func (*Dialect) WindowFrame(plan.Frame) bool { return true }
