package planner

import (
	"github.com/junction-db/junction/plan"
)

// unknownRows is the row estimate for a table whose source gave none.
const unknownRows = 1000

// estimator gives the number of rows the planner expects a plan node to
// produce, from the sources' row counts and column statistics. Rules that
// choose by size ask it, and EXPLAIN ANALYZE shows it next to the actual
// count.
func (env *Env) estimator() rowCounts { return rowCounts{env} }

// rowCounts estimates from the row counts and column statistics the
// sources reported for their tables (planner/stats.go): an equality with
// a constant keeps one distinct value's share of the rows, an equi-join
// and a grouping follow the columns' distinct counts; without statistics
// an equality keeps a tenth of the rows and any other condition a third,
// a join as many rows as its larger input, a grouping a tenth of its
// input. It only has to rank alternatives.
type rowCounts struct{ env *Env }

func (e rowCounts) EstimateRows(n plan.Node) float64 {
	switch x := n.(type) {
	case *plan.Remote:
		return e.EstimateRows(x.Query)
	case *plan.Scan:
		if rows, ok := e.env.TableRows(x.Table); ok {
			return rows
		}
		return unknownRows
	case *plan.Filter:
		est := e.EstimateRows(x.Input)
		for _, p := range plan.SplitAnd(x.Pred) {
			est *= selectivity(e.env, x.Input, p)
		}
		return est
	case *plan.Join:
		l, r := e.EstimateRows(x.Left), e.EstimateRows(x.Right)
		switch x.Kind {
		case plan.Cross:
			return l * r
		case plan.Semi, plan.Anti:
			return l
		case plan.Inner:
			if est, ok := equiJoinRows(e.env, x, l, r); ok {
				return est
			}
		}
		return max(l, r)
	case *plan.Aggregate:
		if len(x.GroupBy) == 0 {
			return 1
		}
		in := e.EstimateRows(x.Input)
		if groups, ok := groupCount(e.env, x.Input, groupColumns(x), in); ok {
			return groups
		}
		return in / 10
	case *plan.Limit:
		est := e.EstimateRows(x.Input)
		if x.Count >= 0 && float64(x.Count) < est {
			return float64(x.Count)
		}
		return est
	case *plan.Values:
		return float64(len(x.Rows))
	case *plan.Rows:
		return unknownRows / 10
	}
	in := n.Inputs()
	if len(in) == 0 {
		return unknownRows
	}
	total := 0.0
	for _, c := range in {
		total += e.EstimateRows(c)
	}
	return total
}

// groupColumns lists the input columns an aggregation groups by, or nil
// when a key is an expression.
func groupColumns(a *plan.Aggregate) []int {
	out := make([]int, len(a.GroupBy))
	for i, k := range a.GroupBy {
		c, ok := k.(*plan.ColRef)
		if !ok {
			return nil
		}
		out[i] = c.Index
	}
	return out
}
