package planner

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// splitAverages rewrites avg over integers and numerics as sum / count, the
// way PostgreSQL's own avg finishes (numeric division of the sum by the
// count), so that sources which compute sums and counts exactly but
// averages with another scale (MySQL) can still take the aggregation. A
// projection above the aggregation divides, keeping the column layout.
func splitAverages(n plan.Node) plan.Node {
	in := n.Inputs()
	if len(in) > 0 {
		out := make([]plan.Node, len(in))
		for i, c := range in {
			out[i] = splitAverages(c)
		}
		n = withInputs(n, out)
	}
	a, ok := n.(*plan.Aggregate)
	if !ok || !hasExactAvg(a) {
		return n
	}
	nk := len(a.GroupBy)
	split := &plan.Aggregate{Input: a.Input, GroupBy: a.GroupBy, Cols: append([]plan.Column{}, a.Cols[:nk]...), Sets: a.Sets}
	exprs := make([]plan.Expr, 0, len(a.Cols))
	for i := 0; i < nk; i++ {
		exprs = append(exprs, &plan.ColRef{Index: i, T: a.Cols[i].Type, Name: a.Cols[i].Name})
	}
	type avgAt struct {
		out, sum int
		call     plan.AggCall
	}
	var avgs []avgAt
	for i, call := range a.Aggs {
		if !exactAvg(call) {
			exprs = append(exprs, &plan.ColRef{Index: len(split.Cols), T: call.T, Name: aggDisplay(call)})
			split.Aggs = append(split.Aggs, call)
			split.Cols = append(split.Cols, a.Cols[nk+i])
			continue
		}
		sum := plan.AggCall{Func: "sum", Arg: call.Arg, Args: call.Args, Distinct: call.Distinct}
		sum.T, _ = aggResultType("sum", call.Arg.Type())
		avgs = append(avgs, avgAt{out: len(exprs), sum: len(split.Cols), call: call})
		exprs = append(exprs, nil)
		split.Aggs = append(split.Aggs, sum)
		split.Cols = append(split.Cols, plan.Column{Name: "sum", Type: sum.T})
	}
	// The counts go last, one per average.
	for _, av := range avgs {
		count := plan.AggCall{Func: "count", Arg: av.call.Arg, Args: av.call.Args, Distinct: av.call.Distinct, T: types.TInt8}
		countAt := len(split.Cols)
		split.Aggs = append(split.Aggs, count)
		split.Cols = append(split.Cols, plan.Column{Name: "count", Type: types.TInt8})
		sumRef := &plan.ColRef{Index: av.sum, T: split.Cols[av.sum].Type, Name: "sum"}
		countRef := &plan.ColRef{Index: countAt, T: types.TInt8, Name: "count"}
		exprs[av.out] = &plan.Case{
			T: types.TNumeric,
			Whens: []plan.When{{
				Cond:   &plan.Op{Op: plan.OpEq, Args: []plan.Expr{countRef, &plan.Const{Value: types.IntDatum(0), T: types.TInt8}}, T: types.TBool},
				Result: &plan.Const{Value: types.NullDatum, T: types.TNumeric},
			}},
			Else: &plan.Op{Op: plan.OpDiv, T: types.TNumeric, Args: []plan.Expr{
				asNumeric(sumRef), &plan.Cast{Arg: countRef, T: types.TNumeric},
			}},
		}
	}
	return &plan.Project{Input: split, Exprs: exprs, Cols: a.Cols}
}

func hasExactAvg(a *plan.Aggregate) bool {
	for _, c := range a.Aggs {
		if exactAvg(c) {
			return true
		}
	}
	return false
}

// exactAvg reports whether an aggregate is an average that sum / count
// reproduces exactly: over integers and numerics. Float averages keep
// PostgreSQL's own accumulation.
func exactAvg(c plan.AggCall) bool {
	if c.Func != "avg" || c.Arg == nil {
		return false
	}
	switch c.Arg.Type().Kind {
	case types.Int2, types.Int4, types.Int8, types.Numeric:
		return true
	}
	return false
}

func asNumeric(e plan.Expr) plan.Expr {
	if e.Type().Kind == types.Numeric {
		return e
	}
	return &plan.Cast{Arg: e, T: types.TNumeric}
}
