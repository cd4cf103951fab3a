package planner

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// decorrelate turns WHERE conjuncts of the form [NOT] EXISTS (correlated
// subquery) and x IN (uncorrelated subquery) into semi and anti joins, so
// that the subquery's table is read once and joined instead of being
// queried again for every outer row. Only shapes whose meaning a join keeps
// exactly are rewritten: the subquery must be a plain filtered scan or join
// (no aggregation, LIMIT or DISTINCT that the join would change), and NOT
// IN is left alone because of its NULL semantics. Correlated scalar
// aggregates become joins too (decorrelateScalars).
func decorrelate(env *Env, n plan.Node) plan.Node {
	in := n.Inputs()
	if len(in) > 0 {
		out := make([]plan.Node, len(in))
		for i, c := range in {
			out[i] = decorrelate(env, c)
		}
		n = withInputs(n, out)
	}
	if a, ok := n.(*plan.Apply); ok {
		return decorrelateApply(a)
	}
	f, ok := n.(*plan.Filter)
	if !ok {
		return decorrelateScalars(env, n)
	}
	input := f.Input
	var keep []plan.Expr
	for _, c := range plan.SplitAnd(f.Pred) {
		if j := semiJoinFor(env, input, c); j != nil {
			input = j
			continue
		}
		keep = append(keep, c)
	}
	return decorrelateScalars(env, withFilter(input, keep))
}

// semiJoinFor returns the join that computes conjunct c over input, or nil.
// The subquery's plan, now the join's right input, is decorrelated in
// turn: the walk over the plan has passed it (TPC-H's Q20 compares, inside
// an IN subquery, with a correlated sum over lineitem).
func semiJoinFor(env *Env, input plan.Node, c plan.Expr) plan.Node {
	negated := false
	if op, ok := c.(*plan.Op); ok && op.Op == plan.OpNot && len(op.Args) == 1 {
		c, negated = op.Args[0], true
	}
	sq, ok := c.(*plan.Subquery)
	if !ok {
		return nil
	}
	nl := len(input.Columns())
	switch sq.Kind {
	case plan.ExistsSubquery:
		body, corr, ok := splitCorrelated(sq.Plan)
		if !ok || len(corr) == 0 {
			return nil
		}
		kind := plan.Semi
		if negated != sq.Negated {
			kind = plan.Anti
		}
		cond := make([]plan.Expr, len(corr))
		for i, e := range corr {
			cond[i] = toJoinSides(e, nl)
		}
		return sinkSemiJoin(kind, input, decorrelate(env, body), plan.And(cond))
	case plan.InSubquery:
		if negated || sq.Negated || sq.Correlated || !movable(sq.Arg) {
			return nil
		}
		cols := sq.Plan.Columns()
		eq := &plan.Op{Op: plan.OpEq, T: types.TBool, Args: []plan.Expr{
			sq.Arg, &plan.ColRef{Index: nl, T: cols[0].Type, Name: cols[0].Name},
		}}
		return sinkSemiJoin(plan.Semi, input, decorrelate(env, sq.Plan), eq)
	}
	return nil
}

// sinkSemiJoin builds the semi or anti join of left and right on cond,
// placed on the input of the inner joins under left that holds every left
// column cond reads: (a JOIN b) SEMI JOIN c ON p(b, c) keeps the same rows
// as a JOIN (b SEMI JOIN c ON p), and there a filter on b's source can
// take the semi join in with it (TPC-H Q21's EXISTS and NOT EXISTS on
// lineitem, joined to suppliers of another source).
func sinkSemiJoin(kind plan.JoinKind, left, right plan.Node, cond plan.Expr) plan.Node {
	j, ok := left.(*plan.Join)
	if !ok || !innerJoin(j) || !movable(cond) {
		return &plan.Join{Kind: kind, Left: left, Right: right, Cond: cond}
	}
	total, nl := len(left.Columns()), len(j.Left.Columns())
	lo, hi := total, -1
	for c := range colsOf(cond) {
		if c < total {
			lo, hi = min(lo, c), max(hi, c)
		}
	}
	into := func(offset, width int) plan.Expr {
		return plan.MapCols(cond, func(c *plan.ColRef) plan.Expr {
			i := c.Index - offset
			if c.Index >= total {
				i = c.Index - total + width
			}
			return &plan.ColRef{Index: i, T: c.T, Name: c.Name}
		})
	}
	switch {
	case hi >= 0 && hi < nl:
		return &plan.Join{Kind: j.Kind, Left: sinkSemiJoin(kind, j.Left, right, into(0, nl)), Right: j.Right, Cond: j.Cond}
	case hi >= 0 && lo >= nl:
		nr := total - nl
		return &plan.Join{Kind: j.Kind, Left: j.Left, Right: sinkSemiJoin(kind, j.Right, right, into(nl, nr)), Cond: j.Cond}
	}
	return &plan.Join{Kind: kind, Left: left, Right: right, Cond: cond}
}

// splitCorrelated takes an EXISTS subquery plan apart into a body that no
// longer reads the outer row and the conjuncts that do. EXISTS ignores the
// select list, so projections are dropped.
func splitCorrelated(n plan.Node) (plan.Node, []plan.Expr, bool) {
	for {
		p, ok := n.(*plan.Project)
		if !ok {
			break
		}
		n = p.Input
	}
	f, ok := n.(*plan.Filter)
	if !ok {
		return nil, nil, false
	}
	var corr, local []plan.Expr
	for _, c := range plan.SplitAnd(f.Pred) {
		if !readsOuter(c) {
			local = append(local, c)
			continue
		}
		if !movable(c) {
			return nil, nil, false
		}
		corr = append(corr, c)
	}
	body := withFilter(f.Input, local)
	if usesOuter(body) || !plainInput(body) {
		return nil, nil, false
	}
	return body, corr, true
}

// plainInput reports whether a subquery body is only scans, filters,
// projections and joins, so that joining it keeps EXISTS's meaning.
func plainInput(n plan.Node) bool {
	switch n.(type) {
	case *plan.Scan, *plan.Filter, *plan.Project, *plan.Join, *plan.Rows, *plan.Values:
	default:
		return false
	}
	for _, in := range n.Inputs() {
		if !plainInput(in) {
			return false
		}
	}
	return true
}

func readsOuter(e plan.Expr) bool {
	return holds(e, func(x plan.Expr) bool {
		_, ok := x.(*plan.OuterRef)
		return ok
	})
}

// holds reports whether e or an expression below it (not inside a
// subquery's plan) matches.
func holds(e plan.Expr, match func(plan.Expr) bool) bool {
	found := false
	plan.Walk(e, func(x plan.Expr) bool {
		found = found || match(x)
		return !found
	})
	return found
}

// toJoinSides rewrites a correlated conjunct for a join whose left input
// is the outer query: outer references become left columns and the
// subquery's own columns move to the right.
func toJoinSides(e plan.Expr, nl int) plan.Expr {
	return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
		switch v := x.(type) {
		case *plan.OuterRef:
			return &plan.ColRef{Index: v.Index, T: v.T, Name: v.Name}, true
		case *plan.ColRef:
			return &plan.ColRef{Index: nl + v.Index, T: v.T, Name: v.Name}, true
		}
		return nil, false
	})
}
