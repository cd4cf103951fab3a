package executor

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// windowInput is partition g, order key x (with a NULL and ties) and a
// value s.
func windowInput() *plan.Values {
	return values(cols("g int4", "x int4", "s text"),
		row("1", "1", "a"), row("1", "2", "b"), row("1", "2", "c"), row("1", "4", "d"), row("1", "NULL", "e"),
		row("2", "10", "f"), row("2", "20", "g"))
}

// overWindow runs one function over windowInput partitioned by g and
// ordered by x, s (or by x alone when byX), and returns "s|result" rows.
func overWindow(t *testing.T, f plan.WindowFunc, byX bool) ([]string, error) {
	t.Helper()
	order := []plan.SortKey{{Expr: col(1, "int4")}}
	if !byX {
		order = append(order, plan.SortKey{Expr: col(2, "text")})
	}
	in := windowInput()
	w := &plan.Window{Input: in, PartitionBy: []plan.Expr{col(0, "int4")}, OrderBy: order, Funcs: []plan.WindowFunc{f},
		Cols: append(append([]plan.Column{}, in.Cols...), plan.Column{Name: f.Name, Type: f.T})}
	p := &plan.Project{Input: w, Exprs: []plan.Expr{col(2, "text"), &plan.ColRef{Index: 3, T: f.T}}, Cols: cols("s text", "r text")}
	return runPlan(t, p, nil)
}

func aggregateCall(fn, resultType string, arg plan.Expr) *plan.AggCall {
	return &plan.AggCall{Func: fn, Arg: arg, T: typ(resultType)}
}

func rowsFrame(start, end plan.FrameBound) plan.Frame {
	return plan.Frame{Mode: plan.RowsFrame, Start: start, End: end}
}

func offset(kind plan.BoundKind, n string) plan.FrameBound {
	return plan.FrameBound{Kind: kind, Offset: lit("int8", n)}
}

func TestWindowFunctions(t *testing.T) {
	unbounded := plan.FrameBound{Kind: plan.UnboundedPreceding}
	current := plan.FrameBound{Kind: plan.CurrentRow}
	following := plan.FrameBound{Kind: plan.UnboundedFollowing}
	sumX := aggregateCall("sum", "int8", col(1, "int4"))
	cases := []struct {
		name string
		f    plan.WindowFunc
		byX  bool
		want []string
	}{
		{"row_number", plan.WindowFunc{Name: "row_number", T: typ("int8"), Frame: plan.DefaultFrame}, false,
			[]string{"a|1", "b|2", "c|3", "d|4", "e|5", "f|1", "g|2"}},
		{"rank over ties", plan.WindowFunc{Name: "rank", T: typ("int8"), Frame: plan.DefaultFrame}, true,
			[]string{"a|1", "b|2", "c|2", "d|4", "e|5", "f|1", "g|2"}},
		{"dense_rank", plan.WindowFunc{Name: "dense_rank", T: typ("int8"), Frame: plan.DefaultFrame}, true,
			[]string{"a|1", "b|2", "c|2", "d|3", "e|4", "f|1", "g|2"}},
		{"percent_rank", plan.WindowFunc{Name: "percent_rank", T: typ("float8"), Frame: plan.DefaultFrame}, true,
			[]string{"a|0", "b|0.25", "c|0.25", "d|0.75", "e|1", "f|0", "g|1"}},
		{"cume_dist", plan.WindowFunc{Name: "cume_dist", T: typ("float8"), Frame: plan.DefaultFrame}, true,
			[]string{"a|0.2", "b|0.6", "c|0.6", "d|0.8", "e|1", "f|0.5", "g|1"}},
		{"ntile", plan.WindowFunc{Name: "ntile", Args: []plan.Expr{lit("int4", "3")}, T: typ("int4"), Frame: plan.DefaultFrame}, false,
			[]string{"a|1", "b|1", "c|2", "d|2", "e|3", "f|1", "g|2"}},
		{"lag with default", plan.WindowFunc{Name: "lag", Args: []plan.Expr{col(2, "text"), lit("int4", "2"), lit("text", "none")}, T: typ("text"), Frame: plan.DefaultFrame}, false,
			[]string{"a|none", "b|none", "c|a", "d|b", "e|c", "f|none", "g|none"}},
		{"lead", plan.WindowFunc{Name: "lead", Args: []plan.Expr{col(2, "text")}, T: typ("text"), Frame: plan.DefaultFrame}, false,
			[]string{"a|b", "b|c", "c|d", "d|e", "e|NULL", "f|g", "g|NULL"}},
		{"running sum counts peers", plan.WindowFunc{Name: "sum", Agg: sumX, T: typ("int8"), Frame: plan.DefaultFrame}, true,
			[]string{"a|1", "b|5", "c|5", "d|9", "e|9", "f|10", "g|30"}},
		{"sum over sliding rows", plan.WindowFunc{Name: "sum", Agg: sumX, T: typ("int8"), Frame: rowsFrame(offset(plan.OffsetPreceding, "1"), offset(plan.OffsetFollowing, "1"))}, false,
			[]string{"a|3", "b|5", "c|8", "d|6", "e|4", "f|30", "g|30"}},
		{"sum to the partition's end", plan.WindowFunc{Name: "sum", Agg: sumX, T: typ("int8"), Frame: rowsFrame(current, following)}, false,
			[]string{"a|9", "b|8", "c|6", "d|4", "e|NULL", "f|30", "g|20"}},
		{"count over groups excluding ties", plan.WindowFunc{Name: "count", Agg: &plan.AggCall{Func: "count", T: typ("int8")}, T: typ("int8"),
			Frame: plan.Frame{Mode: plan.GroupsFrame, Start: offset(plan.OffsetPreceding, "1"), End: current, Exclude: plan.ExcludeTies}}, true,
			[]string{"a|1", "b|2", "c|2", "d|3", "e|2", "f|1", "g|2"}},
		{"string_agg keeps frame order", plan.WindowFunc{Name: "string_agg", Agg: &plan.AggCall{Func: "string_agg", Arg: col(2, "text"), Args: []plan.Expr{col(2, "text"), lit("text", "")}, T: typ("text")},
			T: typ("text"), Frame: rowsFrame(unbounded, following)}, false,
			[]string{"a|abcde", "b|abcde", "c|abcde", "d|abcde", "e|abcde", "f|fg", "g|fg"}},
		{"first_value excluding the row", plan.WindowFunc{Name: "first_value", Args: []plan.Expr{col(2, "text")}, T: typ("text"),
			Frame: plan.Frame{Mode: plan.RowsFrame, Start: unbounded, End: current, Exclude: plan.ExcludeCurrentRow}}, false,
			[]string{"a|NULL", "b|a", "c|a", "d|a", "e|a", "f|NULL", "g|f"}},
		{"last_value over the default frame reads peers", plan.WindowFunc{Name: "last_value", Args: []plan.Expr{col(2, "text")}, T: typ("text"), Frame: plan.DefaultFrame}, true,
			[]string{"a|a", "b|c", "c|c", "d|d", "e|e", "f|f", "g|g"}},
		{"nth_value", plan.WindowFunc{Name: "nth_value", Args: []plan.Expr{col(2, "text"), lit("int4", "3")}, T: typ("text"), Frame: rowsFrame(unbounded, following)}, false,
			[]string{"a|c", "b|c", "c|c", "d|c", "e|c", "f|NULL", "g|NULL"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := overWindow(t, c.f, c.byX)
			if err != nil {
				t.Fatal(err)
			}
			sameRows(t, c.name, got, c.want)
		})
	}
}

// TestWindowRangeOffset measures RANGE bounds on the key: x - 2 to x + 1,
// computed in numeric as the planner sets them up; the NULL row's frame
// is its peers.
func TestWindowRangeOffset(t *testing.T) {
	key := &plan.Cast{Arg: col(1, "int4"), T: typ("numeric")}
	frame := plan.Frame{Mode: plan.RangeFrame, Key: key,
		Start: plan.FrameBound{Kind: plan.OffsetPreceding, Offset: lit("int4", "2"), Value: op(plan.OpSub, "numeric", key, lit("numeric", "2"))},
		End:   plan.FrameBound{Kind: plan.OffsetFollowing, Offset: lit("int4", "1"), Value: op(plan.OpAdd, "numeric", key, lit("numeric", "1"))}}
	f := plan.WindowFunc{Name: "count", Agg: &plan.AggCall{Func: "count", T: typ("int8")}, T: typ("int8"), Frame: frame}
	got, err := overWindow(t, f, true)
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, "range", got, []string{"a|3", "b|3", "c|3", "d|3", "e|1", "f|1", "g|1"})

	frame.Start.Offset = lit("int4", "-1")
	f.Frame = frame
	if _, err := overWindow(t, f, true); pgerr.Code(err) != "22013" {
		t.Errorf("a negative RANGE offset gave %v, want 22013", err)
	}
}

func TestWindowArgumentErrors(t *testing.T) {
	for _, c := range []struct {
		f    plan.WindowFunc
		code string
	}{
		{plan.WindowFunc{Name: "ntile", Args: []plan.Expr{lit("int4", "0")}, T: typ("int4"), Frame: plan.DefaultFrame}, "22014"},
		{plan.WindowFunc{Name: "nth_value", Args: []plan.Expr{col(2, "text"), lit("int4", "0")}, T: typ("text"), Frame: plan.DefaultFrame}, "22016"},
		{plan.WindowFunc{Name: "first_value", Args: []plan.Expr{col(2, "text")}, T: typ("text"),
			Frame: rowsFrame(plan.FrameBound{Kind: plan.OffsetPreceding, Offset: lit("int8", "NULL")}, plan.FrameBound{Kind: plan.CurrentRow})}, "22004"},
		{plan.WindowFunc{Name: "first_value", Args: []plan.Expr{col(2, "text")}, T: typ("text"),
			Frame: rowsFrame(plan.FrameBound{Kind: plan.OffsetPreceding, Offset: lit("int8", "-1")}, plan.FrameBound{Kind: plan.CurrentRow})}, "22013"},
	} {
		if _, err := overWindow(t, c.f, false); pgerr.Code(err) != c.code {
			t.Errorf("%s: got %v, want %s", c.f.Name, err, c.code)
		}
	}
}
