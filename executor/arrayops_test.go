package executor

import (
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func TestArrayOperators(t *testing.T) {
	i4 := func(text string) plan.Expr { return arrayLit(types.Type{Kind: types.Int4Array}, text) }
	num := func(text string) plan.Expr { return arrayLit(types.Type{Kind: types.NumericArray}, text) }
	txt := func(text string) plan.Expr { return arrayLit(textArray, text) }
	cases := []struct {
		e    plan.Expr
		want string
	}{
		{call("arraycontains", i4(`{1,2,3}`), i4(`{3,1}`)), "t"},
		{call("arraycontains", i4(`{{1,2},{3,4}}`), i4(`{4,4}`)), "t"},
		{call("arraycontains", i4(`{1,2}`), i4(`{}`)), "t"},
		{call("arraycontains", i4(`{1,NULL}`), i4(`{NULL}`)), "f"},
		{call("arraycontains", i4(`{1,2}`), i4(`{5}`)), "f"},
		{call("arraycontained", i4(`{1}`), i4(`{1,2}`)), "t"},
		{call("arraycontained", i4(`{1,7}`), i4(`{1,2}`)), "f"},
		{call("arrayoverlap", i4(`{1,7}`), i4(`{7,8}`)), "t"},
		{call("arrayoverlap", i4(`{1,NULL}`), i4(`{NULL}`)), "f"},
		{call("arrayoverlap", num(`{1.0}`), num(`{1.00}`)), "t"},
		{call("arrayoverlap", txt(`{a,b}`), txt(`{c}`)), "f"},
		{boolOp(plan.OpLt, i4(`{10}`), i4(`{9}`)), "f"},
		{boolOp(plan.OpLt, i4(`{1}`), i4(`{1,2}`)), "t"},
		{boolOp(plan.OpLt, txt(`{a}`), txt(`{a,b}`)), "t"},
		{boolOp(plan.OpGt, i4(`{1,NULL}`), i4(`{1,2}`)), "t"},
		{boolOp(plan.OpEq, num(`{1.0,2}`), num(`{1,2.00}`)), "t"},
		{boolOp(plan.OpEq, i4(`[0:1]={1,2}`), i4(`{1,2}`)), "f"},
		{boolOp(plan.OpEq, i4(`{{1,2}}`), i4(`{1,2}`)), "f"},
	}
	for _, c := range cases {
		got, err := evalText(t, c.e)
		if err != nil {
			t.Errorf("%s: %v", c.e, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %s, want %s", c.e, got, c.want)
		}
	}
}
