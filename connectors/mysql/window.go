package mysql

import (
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// rankingFunctions are the window functions MariaDB and MySQL compute as
// PostgreSQL does: they read only positions and peer groups, and the keys
// that form those are rendered by bytes (GroupKey, OrderKey).
var rankingFunctions = map[string]bool{"row_number": true, "rank": true, "dense_rank": true}

// WindowFunc renders row_number, rank and dense_rank.
func (Dialect) WindowFunc(name string, args []string, _ []types.Type, _ types.Type) (string, bool) {
	return strings.ToUpper(name) + "()", rankingFunctions[name] && len(args) == 0
}

// WindowFrame accepts ROWS frames and RANGE frames bounded by the
// partition's ends and the current row's peers: OrderKey puts a NULL
// marker key before each ORDER BY key, which leaves peers as they are
// but is not the one key RANGE offsets need, and the sources have no
// GROUPS frames nor exclusions.
func (Dialect) WindowFrame(f plan.Frame) bool {
	if f.Exclude != plan.ExcludeNoOthers || f.Mode == plan.GroupsFrame {
		return false
	}
	offset := func(b plan.FrameBound) bool { return b.Kind == plan.OffsetPreceding || b.Kind == plan.OffsetFollowing }
	return f.Mode == plan.RowsFrame || !offset(f.Start) && !offset(f.End)
}
