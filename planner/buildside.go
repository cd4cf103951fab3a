package planner

import (
	"github.com/junction-db/junction/plan"
)

// unknownRows is the row estimate for a table whose source gave none.
const unknownRows = 1000

// estimateRows is a rough row count for a plan, from the sources' own
// statistics; it only has to rank the two inputs of a join.
func estimateRows(env *Env, n plan.Node) float64 {
	switch x := n.(type) {
	case *plan.Remote:
		return estimateRows(env, x.Query)
	case *plan.Scan:
		if _, t, ok := env.Snapshot.FindTable(x.Table.Source, x.Table.RemoteSchema, x.Table.RemoteName); ok && t.RowEstimate >= 0 {
			return float64(t.RowEstimate)
		}
		return unknownRows
	case *plan.Filter:
		est := estimateRows(env, x.Input)
		for _, c := range plan.SplitAnd(x.Pred) {
			est *= selectivity(env, x.Input, c)
		}
		return est
	case *plan.Join:
		l, r := estimateRows(env, x.Left), estimateRows(env, x.Right)
		if x.Kind == plan.Cross {
			return l * r
		}
		if x.Kind == plan.Inner {
			if est, ok := equiJoinRows(env, x, l, r); ok {
				return est
			}
		}
		return max(l, r)
	case *plan.Aggregate:
		if len(x.GroupBy) == 0 {
			return 1
		}
		in := estimateRows(env, x.Input)
		if groups, ok := groupCount(env, x.Input, groupColumns(x), in); ok {
			return groups
		}
		return in / 10
	case *plan.Limit:
		est := estimateRows(env, x.Input)
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
		total += estimateRows(env, c)
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

// chooseBuildSides puts the smaller estimated input of every local inner
// join on the right, where the executor builds its hash table, and
// restores the column order with a projection.
func chooseBuildSides(env *Env, n plan.Node) plan.Node {
	in := n.Inputs()
	if len(in) == 0 {
		return n
	}
	out := make([]plan.Node, len(in))
	for i, c := range in {
		out[i] = chooseBuildSides(env, c)
	}
	n = withInputs(n, out)
	j, ok := n.(*plan.Join)
	if !ok || j.Kind != plan.Inner || (j.Cond != nil && !movable(j.Cond)) || estimateRows(env, j.Right) <= estimateRows(env, j.Left) {
		return n
	}
	lcols, rcols := j.Left.Columns(), j.Right.Columns()
	nl, nr := len(lcols), len(rcols)
	// In the swapped join, old left column i is at nr+i and old right
	// column i is at i.
	swapped := make([]int, nl+nr)
	for i := 0; i < nl; i++ {
		swapped[i] = nr + i
	}
	for i := 0; i < nr; i++ {
		swapped[nl+i] = i
	}
	sj := &plan.Join{Kind: plan.Inner, Left: j.Right, Right: j.Left}
	if j.Cond != nil {
		sj.Cond = remap(j.Cond, swapped)
	}
	cols := append(append([]plan.Column{}, lcols...), rcols...)
	exprs := make([]plan.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &plan.ColRef{Index: swapped[i], T: c.Type, Name: c.Name}
	}
	return &plan.Project{Input: sj, Exprs: exprs, Cols: cols}
}
