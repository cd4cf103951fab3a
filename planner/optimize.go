package planner

import (
	"context"

	"github.com/junction-db/junction/plan"
)

// Optimize turns a bound plan (parameters already bound) into the plan
// that runs, in named phases:
//
//  1. fold constants, so computed literals can be pushed as literals,
//     take the conjuncts every branch of an OR shares out of it, turn
//     EXISTS and IN subqueries in WHERE into semi and anti joins, and
//     averages into sum / count so more sources can aggregate;
//  2. state at each join input what the join's equalities and ORs imply
//     for it, and push filters down: through projections, into join
//     inputs, into join conditions (turning cross joins with WHERE
//     equalities into inner joins) and below aggregations on their group
//     keys; a scalar subquery aggregating the rows its filter reads
//     becomes a window aggregate over them;
//  3. reorder inner joins so that tables of one source that the query
//     joins to each other are joined first, prune columns, so every
//     scan reads only what the query uses, and pre-aggregate a join
//     input at its source where an aggregation above the join splits;
//  4. route: every scan becomes a Remote for its source, and operators
//     above Remotes of one source merge into them while the source's
//     dialect can express them exactly (same-source joins, filters,
//     aggregations, sorts and limits); what is left runs in Junction;
//  5. ask the source of a semi or anti join's inner side for distinct
//     rows where many repeat, and choose join build sides: the smaller
//     estimated input of an inner join goes where the executor builds its
//     hash table;
//  6. copy ORDER BY ... LIMIT into the preserved side of outer joins and
//     the branches of UNION ALL, and turn it over an inner join into a
//     bind join that streams the sorted side and stops early;
//  7. attach dynamic filters: the probe-side query of a join whose build
//     side is small waits for the build side's keys and sends them along
//     (or the right side's query of a semi, anti or left join waits for
//     the keys of a small left side, read first);
//  8. render each Remote's SQL, and plan each subquery left in an
//     expression through the same phases (constant folding has already
//     reached into it).
func Optimize(ctx context.Context, env *Env, n plan.Node) (plan.Node, error) {
	n, err := foldConstants(ctx, n)
	if err != nil {
		return nil, err
	}
	if err := limitErrors(n); err != nil {
		return nil, err
	}
	return optimizePlan(env, dateBounds(n))
}

// optimizePlan runs the phases after constant folding, which already
// reaches into subquery plans, on one plan. A correlated subquery's plan
// goes through them unchanged in meaning: its OuterRefs name columns of
// the operator that evaluates it, which prune keeps in place
// (markOuterRefs), and inside the subquery they are constants.
func optimizePlan(env *Env, n plan.Node) (plan.Node, error) {
	var err error
	n = factorOrs(n)
	n = decorrelate(env, n)
	n = splitAverages(n)
	n = transferPredicates(n)
	n = pushFilters(n, nil)
	n = aggregateSubqueriesAsWindows(n)
	n = groupSameSourceJoins(env, n)
	n, _ = prune(n, allNeeded(len(n.Columns())))
	n = aggregateBelowJoins(env, n)
	n, err = route(env, n)
	if err != nil {
		return nil, err
	}
	// Routing can leave columns inside a Remote that only its pushed
	// filters read; pruning again stops them being fetched.
	n, _ = prune(n, allNeeded(len(n.Columns())))
	n = distinctSemiJoinInputs(env, n)
	n = chooseBuildSides(env, n)
	n = pushTopN(env, n)
	n = topNBindJoins(env, n)
	n = attachDynamicFilters(env, n)
	return renderRemotes(env, n)
}

func allNeeded(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = true
	}
	return out
}

func withFilter(n plan.Node, preds []plan.Expr) plan.Node {
	if len(preds) == 0 {
		return n
	}
	return &plan.Filter{Input: n, Pred: plan.And(preds)}
}

// movable reports whether a predicate may be moved to another operator: a
// predicate holding a correlated subquery keeps its place, because the
// subquery's outer references are positions in this operator's input.
func movable(e plan.Expr) bool {
	ok := true
	plan.Walk(e, func(x plan.Expr) bool {
		if sq, sub := x.(*plan.Subquery); sub && sq.Correlated {
			ok = false
		}
		if f, isF := x.(*plan.Func); isF && volatileFuncs[f.Name] {
			ok = false
		}
		return ok
	})
	return ok
}

func colsOf(e plan.Expr) map[int]bool {
	m := map[int]bool{}
	plan.ColsUsed(e, m)
	return m
}

// shift renumbers column references by delta.
func shift(e plan.Expr, delta int) plan.Expr {
	return plan.MapCols(e, func(c *plan.ColRef) plan.Expr {
		return &plan.ColRef{Index: c.Index + delta, T: c.T, Name: c.Name}
	})
}

// pushFilters moves the conjuncts preds (over n's output) as far down n as
// they can go without changing the result.
func pushFilters(n plan.Node, preds []plan.Expr) plan.Node {
	var above, below []plan.Expr
	for _, p := range preds {
		if movable(p) {
			below = append(below, p)
		} else {
			above = append(above, p)
		}
	}
	switch x := n.(type) {
	case *plan.Filter:
		own := plan.SplitAnd(x.Pred)
		var keep []plan.Expr
		for _, p := range own {
			if movable(p) {
				below = append(below, p)
			} else {
				keep = append(keep, p)
			}
		}
		return withFilter(pushFilters(x.Input, below), append(keep, above...))
	case *plan.Project:
		var through []plan.Expr
		for _, p := range below {
			through = append(through, plan.MapCols(p, func(c *plan.ColRef) plan.Expr { return x.Exprs[c.Index] }))
		}
		var stay []plan.Expr
		var pushed []plan.Expr
		for i, p := range through {
			if movable(p) {
				pushed = append(pushed, p)
			} else {
				stay = append(stay, below[i])
			}
		}
		return withFilter(&plan.Project{Input: pushFilters(x.Input, pushed), Exprs: x.Exprs, Cols: x.Cols}, append(stay, above...))
	case *plan.Join:
		return withFilter(pushIntoJoin(x, below), above)
	case *plan.Apply:
		return withFilter(pushIntoApply(x, below), above)
	case *plan.Aggregate:
		nk := len(x.GroupBy)
		var pushed, stay []plan.Expr
		for _, p := range below {
			onlyKeys := true
			for c := range colsOf(p) {
				if c >= nk || !x.InEverySet(c) {
					onlyKeys = false
				}
			}
			if onlyKeys && nk > 0 {
				pushed = append(pushed, plan.MapCols(p, func(c *plan.ColRef) plan.Expr { return x.GroupBy[c.Index] }))
			} else {
				stay = append(stay, p)
			}
		}
		agg := &plan.Aggregate{Input: pushFilters(x.Input, pushed), GroupBy: x.GroupBy, Aggs: x.Aggs, Cols: x.Cols, Sets: x.Sets}
		return withFilter(agg, append(stay, above...))
	case *plan.Window:
		return pushBelowWindow(x, below, above)
	case *plan.Sort:
		return withFilter(&plan.Sort{Input: pushFilters(x.Input, below), Keys: x.Keys}, above)
	case *plan.Distinct:
		return withFilter(&plan.Distinct{Input: pushFilters(x.Input, below)}, above)
	case *plan.Limit:
		return withFilter(&plan.Limit{Input: pushFilters(x.Input, nil), Count: x.Count, Offset: x.Offset}, preds)
	case *plan.ProjectSet:
		// A filter over its rows may read a function's values; the
		// input's own filters stay with the input.
		return withFilter(withInputs(x, []plan.Node{pushFilters(x.Input, nil)}), preds)
	case *plan.SetOp:
		return withFilter(&plan.SetOp{Kind: x.Kind, All: x.All, Left: pushFilters(x.Left, nil), Right: pushFilters(x.Right, nil), Cols: x.Cols}, preds)
	}
	return withFilter(n, preds)
}

// pushIntoJoin distributes filter conjuncts over a join, and the join's
// own condition conjuncts over its inputs, where the join kind allows.
func pushIntoJoin(j *plan.Join, preds []plan.Expr) plan.Node {
	nl := len(j.Left.Columns())
	side := func(e plan.Expr) (left, right bool) {
		for c := range colsOf(e) {
			if c < nl {
				left = true
			} else {
				right = true
			}
		}
		return
	}
	kind := j.Kind
	var toLeft, toRight, cond, above []plan.Expr
	if j.Cond != nil {
		for _, c := range plan.SplitAnd(j.Cond) {
			l, r := side(c)
			switch {
			case !movable(c):
				cond = append(cond, c)
			case l && !r && (kind == plan.Inner || kind == plan.Right || kind == plan.Semi):
				toLeft = append(toLeft, c)
			case r && !l && (kind == plan.Inner || kind == plan.Left || kind == plan.Semi || kind == plan.Anti):
				toRight = append(toRight, shift(c, -nl))
			default:
				cond = append(cond, c)
			}
		}
	}
	for _, p := range preds {
		l, r := side(p)
		switch {
		case l && !r && kind != plan.Right && kind != plan.Full:
			toLeft = append(toLeft, p)
		case r && !l && (kind == plan.Inner || kind == plan.Cross):
			toRight = append(toRight, shift(p, -nl))
		case l && r && (kind == plan.Inner || kind == plan.Cross):
			cond = append(cond, p)
		default:
			above = append(above, p)
		}
	}
	if kind == plan.Cross && len(cond) > 0 {
		kind = plan.Inner
	}
	out := &plan.Join{Kind: kind, Left: pushFilters(j.Left, toLeft), Right: pushFilters(j.Right, toRight), Cond: plan.And(cond)}
	return withFilter(out, above)
}

// prune rebuilds n so that it produces at least the needed columns, and
// returns where each old output column went (-1: dropped).
func prune(n plan.Node, need []bool) (plan.Node, []int) {
	switch x := n.(type) {
	case *plan.Scan:
		s := &plan.Scan{Table: x.Table, Alias: x.Alias, Security: x.Security, Acceleration: x.Acceleration}
		mapping := make([]int, len(x.Cols))
		for i := range x.Cols {
			mapping[i] = -1
			if need[i] {
				mapping[i] = len(s.Cols)
				s.ColIdx = append(s.ColIdx, x.ColIdx[i])
				s.RemoteCols = append(s.RemoteCols, x.RemoteCols[i])
				s.Cols = append(s.Cols, x.Cols[i])
			}
		}
		if len(s.Cols) == 0 && len(x.Cols) > 0 {
			// Row counts still need rows: read the first column.
			s.ColIdx, s.RemoteCols, s.Cols = x.ColIdx[:1], x.RemoteCols[:1], x.Cols[:1]
			mapping[0] = 0
		}
		return s, mapping
	case *plan.Filter:
		childNeed := append([]bool{}, need...)
		for c := range colsOf(x.Pred) {
			childNeed[c] = true
		}
		markOuterRefs([]plan.Expr{x.Pred}, childNeed)
		child, m := prune(x.Input, childNeed)
		return &plan.Filter{Input: child, Pred: remap(x.Pred, m)}, m
	case *plan.Project:
		p := &plan.Project{}
		mapping := make([]int, len(x.Exprs))
		childNeed := make([]bool, len(x.Input.Columns()))
		for i, e := range x.Exprs {
			mapping[i] = -1
			if need[i] {
				mapping[i] = len(p.Exprs)
				p.Exprs = append(p.Exprs, e)
				p.Cols = append(p.Cols, x.Cols[i])
				for c := range colsOf(e) {
					childNeed[c] = true
				}
			}
		}
		markOuterRefs(p.Exprs, childNeed)
		child, m := prune(x.Input, childNeed)
		p.Input = child
		for i, e := range p.Exprs {
			p.Exprs[i] = remap(e, m)
		}
		return p, mapping
	case *plan.Join:
		nl := len(x.Left.Columns())
		nr := len(x.Right.Columns())
		ln, rn := make([]bool, nl), make([]bool, nr)
		for i, nd := range need {
			if nd {
				if i < nl {
					ln[i] = true
				} else {
					rn[i-nl] = true
				}
			}
		}
		if x.Cond != nil {
			for c := range colsOf(x.Cond) {
				if c < nl {
					ln[c] = true
				} else {
					rn[c-nl] = true
				}
			}
			markOuterRefsSplit(x.Cond, ln, rn)
		}
		left, lm := prune(x.Left, ln)
		right, rm := prune(x.Right, rn)
		newNL := len(left.Columns())
		m := make([]int, 0, nl+nr)
		m = append(m, lm...)
		for _, v := range rm {
			if v >= 0 {
				v += newNL
			}
			m = append(m, v)
		}
		j := &plan.Join{Kind: x.Kind, Left: left, Right: right}
		if x.Cond != nil {
			j.Cond = remap(x.Cond, m)
		}
		if x.Kind == plan.Semi || x.Kind == plan.Anti {
			return j, lm
		}
		return j, m
	case *plan.Aggregate:
		nk := len(x.GroupBy)
		a := &plan.Aggregate{GroupBy: x.GroupBy, Cols: append([]plan.Column{}, x.Cols[:nk]...), Sets: x.Sets}
		mapping := make([]int, len(x.Cols))
		for i := 0; i < nk; i++ {
			mapping[i] = i
		}
		for i, call := range x.Aggs {
			mapping[nk+i] = -1
			if need[nk+i] {
				mapping[nk+i] = nk + len(a.Aggs)
				a.Aggs = append(a.Aggs, call)
				a.Cols = append(a.Cols, x.Cols[nk+i])
			}
		}
		childNeed := make([]bool, len(x.Input.Columns()))
		for _, k := range a.GroupBy {
			for c := range colsOf(k) {
				childNeed[c] = true
			}
		}
		for _, call := range a.Aggs {
			for _, arg := range aggArgs(call) {
				for c := range colsOf(arg) {
					childNeed[c] = true
				}
			}
		}
		// A subquery in a key or an argument reads the input row whole.
		markOuterRefs(a.GroupBy, childNeed)
		for _, call := range a.Aggs {
			markOuterRefs(aggArgs(call), childNeed)
		}
		child, m := prune(x.Input, childNeed)
		a.Input = child
		keys := make([]plan.Expr, nk)
		for i, k := range a.GroupBy {
			keys[i] = remap(k, m)
		}
		a.GroupBy = keys
		for i := range a.Aggs {
			a.Aggs[i] = mapAggArgs(a.Aggs[i], func(e plan.Expr) plan.Expr { return remap(e, m) })
		}
		return a, mapping
	case *plan.Sort:
		childNeed := append([]bool{}, need...)
		for _, k := range x.Keys {
			for c := range colsOf(k.Expr) {
				childNeed[c] = true
			}
			markOuterRefs([]plan.Expr{k.Expr}, childNeed)
		}
		child, m := prune(x.Input, childNeed)
		s := &plan.Sort{Input: child, Keys: make([]plan.SortKey, len(x.Keys))}
		for i, k := range x.Keys {
			k.Expr = remap(k.Expr, m)
			s.Keys[i] = k
		}
		return s, m
	case *plan.Limit:
		child, m := prune(x.Input, need)
		return &plan.Limit{Input: child, Count: x.Count, Offset: x.Offset}, m
	case *plan.Window:
		return pruneWindow(x, need)
	case *plan.ProjectSet:
		// The input's columns are passed through at their positions, so
		// all of them stay.
		child, _ := prune(x.Input, allNeeded(len(x.Input.Columns())))
		return withInputs(x, []plan.Node{child}), identity(len(x.Cols))
	case *plan.Distinct:
		child, m := prune(x.Input, allNeeded(len(x.Input.Columns())))
		return &plan.Distinct{Input: child}, m
	case *plan.Remote:
		return pruneRemote(x, need)
	case *plan.SetOp:
		l, _ := prune(x.Left, allNeeded(len(x.Left.Columns())))
		r, _ := prune(x.Right, allNeeded(len(x.Right.Columns())))
		return &plan.SetOp{Kind: x.Kind, All: x.All, Left: l, Right: r, Cols: x.Cols}, identity(len(x.Cols))
	}
	return n, identity(len(n.Columns()))
}

// pruneRemote narrows a Remote's select list to the needed columns.
func pruneRemote(r *plan.Remote, need []bool) (plan.Node, []int) {
	mapping := make([]int, len(r.Cols))
	var exprs []plan.Expr
	var cols []plan.Column
	for i, c := range r.Cols {
		mapping[i] = -1
		if need[i] {
			mapping[i] = len(exprs)
			exprs = append(exprs, &plan.ColRef{Index: i, T: c.Type, Name: c.Name})
			cols = append(cols, c)
		}
	}
	if len(exprs) == len(r.Cols) || len(exprs) == 0 {
		return r, identity(len(r.Cols))
	}
	if inner, ok := r.Query.(*plan.Project); ok {
		// Narrow an existing projection rather than stacking another.
		p := &plan.Project{Input: inner.Input}
		for i, e := range inner.Exprs {
			if need[i] {
				p.Exprs = append(p.Exprs, e)
				p.Cols = append(p.Cols, inner.Cols[i])
			}
		}
		return &plan.Remote{Source: r.Source, Query: p, Cols: cols}, mapping
	}
	if scan, ok := r.Query.(*plan.Scan); ok {
		s, m := prune(scan, need)
		return &plan.Remote{Source: r.Source, Query: s, Cols: s.Columns()}, m
	}
	q := &plan.Project{Input: r.Query, Exprs: exprs, Cols: cols}
	return &plan.Remote{Source: r.Source, Query: q, Cols: cols}, mapping
}

// markOuterRefs keeps the columns that correlated subqueries in exprs read
// from this input: their OuterRefs are positions the subquery cannot see
// being renumbered, so pruning must not move them. Marking every column
// keeps positions stable.
func markOuterRefs(exprs []plan.Expr, need []bool) {
	for _, e := range exprs {
		if !movable(e) {
			for i := range need {
				need[i] = true
			}
			return
		}
	}
}

func markOuterRefsSplit(cond plan.Expr, ln, rn []bool) {
	if !movable(cond) {
		for i := range ln {
			ln[i] = true
		}
		for i := range rn {
			rn[i] = true
		}
	}
}

func identity(n int) []int {
	m := make([]int, n)
	for i := range m {
		m[i] = i
	}
	return m
}

func remap(e plan.Expr, m []int) plan.Expr {
	return plan.MapCols(e, func(c *plan.ColRef) plan.Expr {
		return &plan.ColRef{Index: m[c.Index], T: c.T, Name: c.Name}
	})
}
