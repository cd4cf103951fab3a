package executor

import (
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func TestVariadicArrayArguments(t *testing.T) {
	txt := func(s string) plan.Expr { return lit("text", s) }
	arr := func(s string) plan.Expr { return litT(types.Type{Kind: types.TextArray}, s) }
	spread := func(name string, args ...plan.Expr) plan.Expr {
		return &plan.Func{Name: name, Args: args, T: types.TText, Variadic: true}
	}
	runExprCases(t, []exprCase{
		{"format with positions", spread("format", txt("%2$s, %1$s"), arr("{first,second}")), "second, first", ""},
		{"format with a NULL array has no arguments", spread("format", txt("Hello"), arr("NULL")), "Hello", ""},
		{"format missing an argument", spread("format", txt("%s %s"), arr("{a}")), "", "22023"},
		{"concat of the elements", spread("concat", arr("{a,NULL,c}")), "ac", ""},
		{"concat of no elements", spread("concat", arr("{}")), "", ""},
		{"concat of a NULL array", spread("concat", arr("NULL")), "NULL", ""},
		{"concat_ws", spread("concat_ws", txt(","), arr("{a,b}")), "a,b", ""},
		{"concat_ws of a NULL array", spread("concat_ws", txt(","), arr("NULL")), "NULL", ""},
	})
}
