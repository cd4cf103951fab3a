package planner

import (
	"github.com/junction-db/junction/plan"
)

// pushTopN copies a LIMIT (with the ORDER BY below it, if any) into the
// Remotes that alone decide which rows reach it, where that is exact: the
// preserved side of a left or right join whose ORDER BY keys all come
// from that side (every one of its rows yields at least one output row,
// so the first n output rows come from its first n rows), and every
// branch of a UNION ALL. The LIMIT and ORDER BY stay above, to cut the
// combined rows.
func pushTopN(env *Env, n plan.Node) plan.Node {
	n = mapInputs(n, func(c plan.Node) plan.Node { return pushTopN(env, c) })
	l, ok := n.(*plan.Limit)
	if !ok || l.Count < 0 {
		return n
	}
	limit := l.Count + max(l.Offset, 0)
	var keys []plan.SortKey
	below := l.Input
	if s, ok := below.(*plan.Sort); ok {
		keys = append(keys, s.Keys...)
		below = s.Input
	}
	// Projections keep the row count; map the keys through them.
	var chain []*plan.Project
	for {
		p, ok := below.(*plan.Project)
		if !ok {
			break
		}
		for i, k := range keys {
			keys[i].Expr = plan.MapCols(k.Expr, func(c *plan.ColRef) plan.Expr { return p.Exprs[c.Index] })
		}
		chain, below = append(chain, p), p.Input
	}
	var replaced plan.Node
	switch x := below.(type) {
	case *plan.Join:
		replaced = topNIntoPreservedSide(env, x, keys, limit)
	case *plan.SetOp:
		if x.Kind == plan.Union && x.All && sameTypes(x.Cols, x.Left.Columns()) && sameTypes(x.Cols, x.Right.Columns()) {
			l, lok := topNRemote(env, x.Left, keys, limit)
			r, rok := topNRemote(env, x.Right, keys, limit)
			if lok || rok {
				replaced = withInputs(x, []plan.Node{l, r})
			}
		}
	}
	if replaced == nil {
		return n
	}
	for i := len(chain) - 1; i >= 0; i-- {
		replaced = withInputs(chain[i], []plan.Node{replaced})
	}
	if s, ok := l.Input.(*plan.Sort); ok {
		replaced = withInputs(s, []plan.Node{replaced})
	}
	return withInputs(l, []plan.Node{replaced})
}

// topNIntoPreservedSide limits the preserved side of a left or right join
// whose sort keys all read that side; nil when it does not apply.
func topNIntoPreservedSide(env *Env, j *plan.Join, keys []plan.SortKey, limit int64) plan.Node {
	nl, nr := len(j.Left.Columns()), len(j.Right.Columns())
	side := make([]plan.SortKey, len(keys))
	switch j.Kind {
	case plan.Left:
		for i, k := range keys {
			if !within(k.Expr, 0, nl) {
				return nil
			}
			side[i] = k
		}
		l, ok := topNRemote(env, j.Left, side, limit)
		if !ok {
			return nil
		}
		return withInputs(j, []plan.Node{l, j.Right})
	case plan.Right:
		for i, k := range keys {
			if !within(k.Expr, nl, nl+nr) {
				return nil
			}
			side[i] = k
			side[i].Expr = shift(k.Expr, -nl)
		}
		r, ok := topNRemote(env, j.Right, side, limit)
		if !ok {
			return nil
		}
		return withInputs(j, []plan.Node{j.Left, r})
	}
	return nil
}

// topNRemote merges ORDER BY keys and LIMIT n into a Remote, if n is a
// Remote whose source can run them exactly.
func topNRemote(env *Env, n plan.Node, keys []plan.SortKey, limit int64) (plan.Node, bool) {
	r, ok := n.(*plan.Remote)
	if !ok {
		return n, false
	}
	q := r.Query
	if len(keys) > 0 {
		q = &plan.Sort{Input: q, Keys: keys}
	}
	merged, ok := tryMerge(env, r.Source, &plan.Limit{Input: q, Count: limit}, nil).(*plan.Remote)
	if !ok {
		return n, false
	}
	return merged, true
}

// sameTypes reports whether a branch's columns have the set operation's
// types, so that its ORDER BY means the same in the branch.
func sameTypes(cols, branch []plan.Column) bool {
	for i, c := range cols {
		if c.Type != branch[i].Type {
			return false
		}
	}
	return true
}
