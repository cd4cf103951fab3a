package planner

import (
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func TestDateBounds(t *testing.T) {
	day := col(0, "d", types.TDate)
	asTimestamp := &plan.Cast{Arg: day, T: types.TTimestamp}
	ts := func(s string) *plan.Const {
		v, err := types.ParseText(types.TTimestamp, s)
		if err != nil {
			t.Fatal(err)
		}
		return &plan.Const{Value: v, T: types.TTimestamp}
	}
	cases := []struct {
		op   string
		left bool // the constant is the left operand
		ts   string
		want string // "" for unchanged
	}{
		{op: plan.OpLt, ts: "1996-01-01", want: "(d < DATE '1996-01-01')"},
		{op: plan.OpLt, ts: "1996-01-01 00:00:01", want: "(d <= DATE '1996-01-01')"},
		{op: plan.OpLe, ts: "1996-01-01", want: "(d <= DATE '1996-01-01')"},
		{op: plan.OpLe, ts: "1996-01-01 23:59:59.999999", want: "(d <= DATE '1996-01-01')"},
		{op: plan.OpGt, ts: "1996-01-01", want: "(d > DATE '1996-01-01')"},
		{op: plan.OpGt, ts: "1996-01-01 12:00", want: "(d > DATE '1996-01-01')"},
		{op: plan.OpGe, ts: "1996-01-01", want: "(d >= DATE '1996-01-01')"},
		{op: plan.OpGe, ts: "1996-01-01 12:00", want: "(d > DATE '1996-01-01')"},
		{op: plan.OpEq, ts: "1996-01-01", want: "(d = DATE '1996-01-01')"},
		{op: plan.OpEq, ts: "1996-01-01 12:00"},
		{op: plan.OpNe, ts: "1996-01-01", want: "(d <> DATE '1996-01-01')"},
		{op: plan.OpNe, ts: "1996-01-01 12:00"},
		// Before 1970 the day of a timestamp rounds down, not towards zero.
		{op: plan.OpLt, ts: "1969-12-31 23:59:59", want: "(d <= DATE '1969-12-31')"},
		{op: plan.OpGe, ts: "1969-12-31 23:59:59", want: "(d > DATE '1969-12-31')"},
		// ts > d is d < ts.
		{op: plan.OpGt, left: true, ts: "1996-01-01 06:00", want: "(d <= DATE '1996-01-01')"},
		{op: plan.OpLe, left: true, ts: "1996-01-01", want: "(d >= DATE '1996-01-01')"},
	}
	for _, c := range cases {
		args := []plan.Expr{asTimestamp, ts(c.ts)}
		if c.left {
			args[0], args[1] = args[1], args[0]
		}
		e := &plan.Op{Op: c.op, Args: args, T: types.TBool}
		got, ok := asDateBound(e)
		switch {
		case c.want == "" && ok:
			t.Errorf("%s rewritten to %s; it has no date equivalent", e, got)
		case c.want != "" && !ok:
			t.Errorf("%s not rewritten, want %s", e, c.want)
		case ok && got.String() != c.want:
			t.Errorf("%s rewritten to %s, want %s", e, got, c.want)
		}
	}
}
