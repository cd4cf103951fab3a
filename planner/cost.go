package planner

import (
	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/plan"
)

// Estimator gives the number of rows the planner expects a plan node to
// produce. Rules that choose by size ask it, and EXPLAIN ANALYZE shows it
// next to the actual count.
type Estimator interface {
	EstimateRows(n plan.Node) float64
}

// unknownRows is the row estimate for a table whose source gave none.
const unknownRows = 1000

// estimator is the Env's Estimator, by default the sources' row counts
// with a fixed selectivity per operator.
func (env *Env) estimator() Estimator {
	if env.Estimates != nil {
		return env.Estimates
	}
	return rowCounts{env.Snapshot}
}

// rowCounts estimates from the row counts the sources reported for their
// tables: an equality filter conjunct keeps a tenth of the rows and any
// other a third, a join as many as its larger input, a grouping a tenth
// of its input. It only has to rank alternatives.
type rowCounts struct{ snap *catalog.Snapshot }

func (e rowCounts) EstimateRows(n plan.Node) float64 {
	switch x := n.(type) {
	case *plan.Remote:
		return e.EstimateRows(x.Query)
	case *plan.Scan:
		if _, t, ok := e.snap.FindTable(x.Table.Source, x.Table.RemoteSchema, x.Table.RemoteName); ok && t.RowEstimate >= 0 {
			return float64(t.RowEstimate)
		}
		return unknownRows
	case *plan.Filter:
		est := e.EstimateRows(x.Input)
		for _, p := range plan.SplitAnd(x.Pred) {
			if op, ok := p.(*plan.Op); ok && op.Op == plan.OpEq {
				est /= 10
			} else {
				est /= 3
			}
		}
		return est
	case *plan.Join:
		l, r := e.EstimateRows(x.Left), e.EstimateRows(x.Right)
		switch x.Kind {
		case plan.Cross:
			return l * r
		case plan.Semi, plan.Anti:
			return l
		}
		return max(l, r)
	case *plan.Aggregate:
		if len(x.GroupBy) == 0 {
			return 1
		}
		return e.EstimateRows(x.Input) / 10
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
