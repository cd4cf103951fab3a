package planner

import (
	"github.com/junction-db/junction/plan"
)

// bindJoinMaxRows is the largest LIMIT + OFFSET turned into a bind join:
// beyond it, reading the other side once costs less than the lookups.
const bindJoinMaxRows = 10000

// topNBindJoins turns ORDER BY ... LIMIT over an inner join between a
// Remote that can sort by every ORDER BY key and another Remote that can
// take a dynamic filter into a bind join: the sorted side streams in
// order (ORDER BY pushed, no LIMIT, since some of its rows may have no
// match), the other side is read for a batch of its keys at a time, and
// the Limit stops both once it has its rows. The bind join keeps the
// sorted side's order, so the Sort goes.
func topNBindJoins(env *Env, n plan.Node) plan.Node {
	if l, ok := n.(*plan.Limit); ok && l.Count >= 0 && l.Count+max(l.Offset, 0) <= bindJoinMaxRows {
		if s, ok := l.Input.(*plan.Sort); ok {
			if in, ok := bindJoinSorted(env, s, firstBindBatch(l.Count+max(l.Offset, 0))); ok {
				return &plan.Limit{Input: in, Count: l.Count, Offset: l.Offset}
			}
		}
	}
	return mapInputs(n, func(c plan.Node) plan.Node { return topNBindJoins(env, c) })
}

// firstBindBatch is the first lookup's outer rows for a limit that needs
// need rows: those and a margin for outer rows without a match, since a
// few more keys in the first lookup cost less than a second round trip
// to both sources.
func firstBindBatch(need int64) int {
	return int(need + need/2 + 16)
}

// bindJoinSorted returns the input of s, with the inner join below its
// filters and projections made a bind join that yields s's order, its
// first lookup taking first outer rows.
func bindJoinSorted(env *Env, s *plan.Sort, first int) (plan.Node, bool) {
	// Follow the sort keys down to the join's columns.
	keys := make([]plan.SortKey, len(s.Keys))
	copy(keys, s.Keys)
	var chain []plan.Node
	n := s.Input
	for {
		switch x := n.(type) {
		case *plan.Filter:
			chain, n = append(chain, x), x.Input
			continue
		case *plan.Project:
			for i, k := range keys {
				keys[i].Expr = plan.MapCols(k.Expr, func(c *plan.ColRef) plan.Expr { return x.Exprs[c.Index] })
			}
			chain, n = append(chain, x), x.Input
			continue
		}
		break
	}
	j, ok := n.(*plan.Join)
	if !ok || j.Kind != plan.Inner || j.Cond == nil {
		return nil, false
	}
	nl, nr := len(j.Left.Columns()), len(j.Right.Columns())
	// The sorted side is the one input every sort key reads.
	var onLeft, onRight bool
	for _, k := range keys {
		l, r := within(k.Expr, 0, nl), within(k.Expr, nl, nl+nr)
		if !l && !r {
			return nil, false
		}
		onLeft, onRight = onLeft || l, onRight || r
	}
	if onLeft == onRight {
		return nil, false
	}
	outerRight := onRight
	outer, inner, outerAt, innerAt := j.Left, j.Right, 0, nl
	if outerRight {
		outer, inner, outerAt, innerAt = j.Right, j.Left, nl, 0
		for i, k := range keys {
			keys[i].Expr = shift(k.Expr, -nl)
		}
	}
	or, ok := outer.(*plan.Remote)
	if !ok {
		return nil, false
	}
	ir, ok := inner.(*plan.Remote)
	if !ok {
		return nil, false
	}
	sorted, ok := tryMerge(env, or.Source, &plan.Sort{Input: or.Query, Keys: keys}, nil).(*plan.Remote)
	if !ok {
		return nil, false
	}
	r, dkeys, innerCols, rest := equiKeys(j.Cond, inner, innerAt, outerAt, len(outer.Columns()))
	if r != ir || len(dkeys) == 0 {
		return nil, false
	}
	// A bind join sends its keys batch by batch: the base limit bounds
	// a batch whatever the inner side's size.
	f := dynamicFilterFor(env, ir.Source, dkeys, 0)
	if f == nil || len(f.Keys) != len(dkeys) {
		return nil, false
	}
	f.Bind = true
	filtered := *ir
	filtered.Dynamic = f
	bj := &plan.BindJoin{Outer: sorted, Inner: &filtered, OuterRight: outerRight, FirstBatch: first}
	for i, k := range dkeys {
		bj.OuterKeys = append(bj.OuterKeys, k.Build)
		bj.InnerKeys = append(bj.InnerKeys, &plan.ColRef{Index: innerCols[i], T: k.T, Name: k.Name})
	}
	// The join's other conjuncts hold for the pairs it outputs: a filter
	// above an inner join means the same.
	var out plan.Node = withFilter(bj, rest)
	for i := len(chain) - 1; i >= 0; i-- {
		out = withInputs(chain[i], []plan.Node{out})
	}
	return out, true
}
