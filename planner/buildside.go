package planner

import (
	"github.com/junction-db/junction/plan"
)

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
	if !ok || j.Kind != plan.Inner || (j.Cond != nil && !movable(j.Cond)) || env.estimator().EstimateRows(j.Right) <= env.estimator().EstimateRows(j.Left) {
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
