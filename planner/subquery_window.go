package planner

import (
	"reflect"

	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// aggregateSubqueriesAsWindows computes an uncorrelated scalar subquery
// that aggregates the very rows a filter reads, over the whole of them,
// as a window aggregate over the filter's input instead: TPC-H Q15's
// total_revenue = (SELECT max(total_revenue) FROM revenue0), over
// revenue0 itself, becomes max(total_revenue) OVER () beside each
// revenue0 row. The rows are then computed once, where the subquery
// computed them a second time (PostgreSQL materializes the WITH query
// that both read; a remote query holding both has no such sharing).
//
// It is exact: an aggregate without GROUP BY over every row of the
// input is the value a window aggregate without PARTITION BY or ORDER
// BY gives every one of those rows, and with no input row the filter
// has no row to test. It is made only where the rows cost work to
// compute, an aggregation or a join: over a plain scan the source reads
// the subquery's aggregate cheaply (an index may give a maximum), where
// a window would hold every row. Only min, max and count, and sums of
// exact types (a float sum could round differently in another order),
// are moved; the subquery's input must be the filter's, node for node,
// after the same filter pushdown.
func aggregateSubqueriesAsWindows(n plan.Node) plan.Node {
	n = mapInputs(n, aggregateSubqueriesAsWindows)
	f, ok := n.(*plan.Filter)
	if !ok {
		return n
	}
	nIn := len(f.Input.Columns())
	var funcs []plan.WindowFunc
	pred := rewriteExpr(f.Pred, func(x plan.Expr) (plan.Expr, bool) {
		sq, ok := x.(*plan.Subquery)
		if !ok || sq.Kind != plan.ScalarSubquery || sq.Correlated {
			return nil, false
		}
		value, aggs, ok := aggregateOver(sq.Plan, f.Input)
		if !ok {
			return nil, false
		}
		at := nIn + len(funcs)
		for _, a := range aggs {
			funcs = append(funcs, plan.WindowFunc{Agg: a, T: a.T, Frame: plan.DefaultFrame})
		}
		return plan.MapCols(value, func(c *plan.ColRef) plan.Expr {
			return &plan.ColRef{Index: at + c.Index, T: c.T, Name: c.Name}
		}), true
	})
	if len(funcs) == 0 {
		return n
	}
	cols := f.Input.Columns()
	wcols := append([]plan.Column{}, cols...)
	for _, fn := range funcs {
		wcols = append(wcols, plan.Column{Name: fn.Agg.Func, Type: fn.T})
	}
	w := &plan.Window{Input: f.Input, Funcs: funcs, Cols: wcols}
	exprs := make([]plan.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &plan.ColRef{Index: i, T: c.Type, Name: c.Name}
	}
	return &plan.Project{Input: &plan.Filter{Input: w, Pred: pred}, Exprs: exprs, Cols: cols}
}

// aggregateOver matches a scalar subquery's plan, projections over an
// aggregation without grouping, against the rows in: the aggregation's
// input must be in, seen through projections, once its filters are
// pushed down as in's were. It returns the subquery's value as an
// expression over the aggregates' results (column i is aggs[i]) and the
// aggregates with their arguments over in's columns.
func aggregateOver(sub plan.Node, in plan.Node) (plan.Expr, []*plan.AggCall, bool) {
	if len(sub.Columns()) != 1 {
		return nil, nil, false
	}
	var value plan.Expr = &plan.ColRef{Index: 0, T: sub.Columns()[0].Type}
	for {
		p, ok := sub.(*plan.Project)
		if !ok {
			break
		}
		value = plan.MapCols(value, func(c *plan.ColRef) plan.Expr { return p.Exprs[c.Index] })
		sub = p.Input
	}
	a, ok := sub.(*plan.Aggregate)
	if !ok || len(a.GroupBy) > 0 || a.Sets != nil || len(a.Aggs) == 0 || hasSubquery(value) {
		return nil, nil, false
	}
	// The aggregation's input reaches in's columns through projections.
	toIn := func(e plan.Expr) plan.Expr { return e }
	body := a.Input
	for !reflect.DeepEqual(pushFilters(body, nil), in) {
		p, ok := body.(*plan.Project)
		if !ok {
			return nil, nil, false
		}
		outer := toIn
		toIn = func(e plan.Expr) plan.Expr {
			return outer(plan.MapCols(e, func(c *plan.ColRef) plan.Expr { return p.Exprs[c.Index] }))
		}
		body = p.Input
	}
	if !recomputedAtCost(in) || computesVolatile(in) {
		// The subquery's rows would be other rows than the filter's.
		return nil, nil, false
	}
	aggs := make([]*plan.AggCall, len(a.Aggs))
	for i, call := range a.Aggs {
		if !windowable(call) {
			return nil, nil, false
		}
		moved := mapAggArgs(call, toIn)
		for _, arg := range aggArgs(moved) {
			if hasSubquery(arg) || !movable(arg) {
				return nil, nil, false
			}
		}
		aggs[i] = &moved
	}
	return value, aggs, true
}

// windowable reports whether an aggregate gives the same value as a
// window aggregate over the same rows, in whatever order they come.
func windowable(a plan.AggCall) bool {
	if a.Distinct || len(a.Args) > 1 {
		return false
	}
	switch a.Func {
	case "min", "max", "count":
		return true
	case "sum":
		return a.T.Kind != types.Float4 && a.T.Kind != types.Float8
	}
	return false
}

// computesVolatile reports whether a plan calls a function whose value
// changes between calls (random()), so that computing it twice gives
// other rows.
func computesVolatile(n plan.Node) bool {
	found := false
	mapPlan(n, func(e plan.Expr) plan.Expr {
		found = found || holds(e, func(x plan.Expr) bool {
			f, ok := x.(*plan.Func)
			return ok && (volatileFuncs[f.Name] || system.Volatile(f.Name))
		})
		return e
	})
	return found
}

// recomputedAtCost reports whether computing a plan's rows a second time
// repeats an aggregation or a join.
func recomputedAtCost(n plan.Node) bool {
	switch n.(type) {
	case *plan.Aggregate, *plan.Join:
		return true
	}
	for _, in := range n.Inputs() {
		if recomputedAtCost(in) {
			return true
		}
	}
	return false
}
