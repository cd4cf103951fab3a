package planner

import (
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// decorrelateScalars turns correlated scalar aggregate subqueries in a
// filter or projection into a left join with the aggregate grouped by the
// correlation keys, as PostgreSQL's and DataFusion's planners do:
//
//	x > (SELECT sum(y) FROM t WHERE t.k = outer.k AND p)
//
// becomes x > g.s over input LEFT JOIN (SELECT k, sum(y) s FROM t WHERE p
// GROUP BY k) g ON outer.k = g.k. The subquery's tables are then read once
// and joined, instead of being queried again for every outer row. An
// outer row without a group gets the aggregate of no rows: NULL, or 0 for
// count.
//
// A subquery whose tables and the outer query's are all in one source that
// can run it is left alone: the source runs it as written, with its own
// plan.
func decorrelateScalars(env *Env, n plan.Node) plan.Node {
	switch x := n.(type) {
	case *plan.Filter:
		input, exprs, joins := joinScalars(env, x.Input, []plan.Expr{x.Pred})
		if len(joins) == 0 {
			return n
		}
		innerWhereRejected(exprs[0], joins, len(x.Input.Columns()))
		cols := x.Input.Columns()
		keep := make([]plan.Expr, len(cols))
		for i, c := range cols {
			keep[i] = &plan.ColRef{Index: i, T: c.Type, Name: c.Name}
		}
		return &plan.Project{Input: &plan.Filter{Input: input, Pred: exprs[0]}, Exprs: keep, Cols: cols}
	case *plan.Project:
		input, exprs, joins := joinScalars(env, x.Input, x.Exprs)
		if len(joins) == 0 {
			return n
		}
		return &plan.Project{Input: input, Exprs: exprs, Cols: x.Cols}
	}
	return n
}

// joinScalars joins input with the aggregate of every scalar subquery in
// exprs that can be decorrelated, and returns the expressions reading the
// joined columns instead, and each join built with the value replacing its
// subquery.
func joinScalars(env *Env, input plan.Node, exprs []plan.Expr) (plan.Node, []plan.Expr, map[plan.Expr]*plan.Join) {
	joins := map[plan.Expr]*plan.Join{}
	out := make([]plan.Expr, len(exprs))
	for i, e := range exprs {
		out[i] = rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			sq, ok := x.(*plan.Subquery)
			if !ok {
				return nil, false
			}
			if sq.Kind != plan.ScalarSubquery || !sq.Correlated || sourceRuns(env, input, sq) {
				return x, true
			}
			j, value, ok := scalarJoin(input, sq)
			if !ok {
				return x, true
			}
			input, joins[value] = j, j
			return value, true
		})
	}
	return input, out, joins
}

// comparisonOperands returns the two operands of a comparison (=, <>,
// <, <=, >, >=), which is NULL when either is; nil for anything else.
func comparisonOperands(e plan.Expr) []plan.Expr {
	op, ok := e.(*plan.Op)
	if !ok || len(op.Args) != 2 {
		return nil
	}
	switch op.Op {
	case plan.OpEq, plan.OpNe, plan.OpLt, plan.OpLe, plan.OpGt, plan.OpGe:
		return op.Args
	}
	return nil
}

// innerWhereRejected makes a join an inner join where a top-level
// comparison of the filter pred rejects the rows it would add for outer
// rows without a group: its value is then NULL, and so is the comparison.
// An inner join lets the comparison and the join keys move like any join
// condition.
func innerWhereRejected(pred plan.Expr, joins map[plan.Expr]*plan.Join, nl int) {
	for _, c := range plan.SplitAnd(pred) {
		for _, a := range comparisonOperands(c) {
			if j, ok := joins[a]; ok && nullWithoutGroup(a, nl) {
				j.Kind = plan.Inner
			}
		}
	}
}

// nullWithoutGroup reports whether a decorrelated value is NULL whenever
// the aggregate columns (those from nl on) are: arithmetic and casts of
// them and constants.
func nullWithoutGroup(v plan.Expr, nl int) bool {
	strict, grouped := true, false
	plan.Walk(v, func(x plan.Expr) bool {
		switch e := x.(type) {
		case *plan.ColRef:
			grouped = grouped || e.Index >= nl
		case *plan.Op:
			switch e.Op {
			case plan.OpAdd, plan.OpSub, plan.OpMul, plan.OpDiv, plan.OpNeg:
			default:
				strict = false
			}
		case *plan.Const, *plan.Cast:
		default:
			strict = false
		}
		return strict
	})
	return strict && grouped
}

// scalarJoin builds input LEFT JOIN the grouped aggregate of sq, and the
// expression over the join's output that replaces sq. The subquery must be
// an aggregate without GROUP BY (exactly one row for every outer row),
// possibly under a projection, over a filter whose conjuncts that read the
// outer row are equalities between an outer and an inner expression.
func scalarJoin(input plan.Node, sq *plan.Subquery) (*plan.Join, plan.Expr, bool) {
	body := sq.Plan
	var proj *plan.Project
	if p, ok := body.(*plan.Project); ok {
		proj, body = p, p.Input
	}
	agg, ok := body.(*plan.Aggregate)
	if !ok || len(agg.GroupBy) > 0 || agg.Sets != nil || len(agg.Aggs) == 0 || (proj == nil && len(agg.Aggs) != 1) {
		return nil, nil, false
	}
	for _, a := range agg.Aggs {
		for _, arg := range aggArgs(a) {
			if readsOuter(arg) || !cannotFail(arg) {
				return nil, nil, false
			}
		}
	}
	f, ok := agg.Input.(*plan.Filter)
	if !ok {
		return nil, nil, false
	}
	var local, inner, outer []plan.Expr
	for _, c := range plan.SplitAnd(f.Pred) {
		if !readsOuter(c) {
			local = append(local, c)
			continue
		}
		in, out, ok := correlationKey(c)
		if !ok {
			return nil, nil, false
		}
		inner, outer = append(inner, in), append(outer, out)
	}
	filtered := withFilter(f.Input, local)
	if len(inner) == 0 || usesOuter(filtered) {
		return nil, nil, false
	}
	nl, nk := len(input.Columns()), len(inner)
	grouped := &plan.Aggregate{Input: filtered, GroupBy: inner, Aggs: agg.Aggs}
	cond := make([]plan.Expr, nk)
	for i, k := range inner {
		grouped.Cols = append(grouped.Cols, plan.Column{Name: colRefName(k), Type: k.Type()})
		cond[i] = &plan.Op{Op: plan.OpEq, T: types.TBool, Args: []plan.Expr{outer[i], &plan.ColRef{Index: nl + i, T: k.Type(), Name: colRefName(k)}}}
	}
	grouped.Cols = append(grouped.Cols, agg.Cols...)
	join := &plan.Join{Kind: plan.Left, Left: input, Right: grouped, Cond: plan.And(cond)}

	aggValue := func(i int) plan.Expr {
		a := agg.Aggs[i]
		v := plan.Expr(&plan.ColRef{Index: nl + nk + i, T: a.T, Name: agg.Cols[i].Name})
		if a.Func == "count" {
			// count over no rows is 0, not the NULL an unmatched row gets.
			v = &plan.Func{Name: "coalesce", Args: []plan.Expr{v, &plan.Const{Value: types.IntDatum(0), T: a.T}}, T: a.T}
		}
		return v
	}
	if proj == nil {
		return join, aggValue(0), true
	}
	nested := false
	value := rewriteExpr(proj.Exprs[0], func(x plan.Expr) (plan.Expr, bool) {
		switch v := x.(type) {
		case *plan.ColRef:
			return aggValue(v.Index), true
		case *plan.OuterRef:
			return &plan.ColRef{Index: v.Index, T: v.T, Name: v.Name}, true
		case *plan.Subquery:
			// Its outer references are positions in the aggregate's
			// output, which the join does not have.
			nested = true
			return x, true
		}
		return nil, false
	})
	if nested || !movable(value) {
		return nil, nil, false
	}
	return join, value, true
}

// correlationKey splits a correlated conjunct inner = outer into the
// subquery's expression (a group key) and the outer query's (rewritten to
// read the outer input's columns). Only key types whose grouping is their
// equality qualify, so every outer row matches at most one group.
func correlationKey(c plan.Expr) (inner, outer plan.Expr, ok bool) {
	op, isOp := c.(*plan.Op)
	if !isOp || op.Op != plan.OpEq || len(op.Args) != 2 || !movable(c) || !exactKey(op.Args[0].Type()) {
		return nil, nil, false
	}
	a, b := op.Args[0], op.Args[1]
	if readsOuter(a) {
		a, b = b, a
	}
	if readsOuter(a) || !readsOuter(b) || len(colsOf(b)) > 0 || len(colsOf(a)) == 0 || !cannotFail(a) {
		return nil, nil, false
	}
	return a, toJoinSides(b, 0), true
}

// cannotFail reports whether e raises no error for any row: the grouped
// aggregate computes its arguments and keys for every row of the table,
// where the subquery computed them only for the rows of outer keys.
func cannotFail(e plan.Expr) bool {
	ok := true
	plan.Walk(e, func(x plan.Expr) bool {
		switch v := x.(type) {
		case *plan.ColRef, *plan.Const:
		case *plan.Cast:
			from, to := v.Arg.Type().Kind, v.T
			ok = (from == to.Kind && to.Kind != types.Numeric) ||
				(integer(from) && (to.Kind == types.Int8 || to.Kind == types.Float8 || to.Kind == types.Numeric && to.Precision == 0))
		case *plan.Op:
			// numeric + - * have no overflow that matters here.
			ok = v.T.Kind == types.Numeric && (v.Op == plan.OpAdd || v.Op == plan.OpSub || v.Op == plan.OpMul || v.Op == plan.OpNeg)
		default:
			ok = false
		}
		return ok
	})
	return ok
}

func integer(k types.Kind) bool {
	return k == types.Int2 || k == types.Int4 || k == types.Int8
}

// exactKey reports whether values of t that are equal are also identical,
// so that grouping by them forms exactly the classes = compares.
func exactKey(t types.Type) bool {
	switch t.Kind {
	case types.Int2, types.Int4, types.Int8, types.Date, types.Text, types.Varchar, types.Bool:
		return true
	}
	return false
}

// sourceRuns reports whether one source holds every table of input and
// of sq and would run sq over input.
func sourceRuns(env *Env, input plan.Node, sq *plan.Subquery) bool {
	source, ok := oneSource(input, sq.Plan)
	if !ok {
		return false
	}
	d, ok := env.Dialect(source)
	if !ok {
		return false
	}
	_, err := sqlgen.Render(d, &plan.Filter{Input: input, Pred: &plan.IsNull{Arg: sq}})
	return err == nil
}

// oneSource returns the source of every table the nodes read, subqueries
// included, when that is one and the same source.
func oneSource(nodes ...plan.Node) (string, bool) {
	sources := map[string]bool{}
	source, other := "", false
	var visit func(plan.Node)
	visit = func(n plan.Node) {
		switch x := n.(type) {
		case *plan.Scan:
			sources[x.Table.Source], source = true, x.Table.Source
		case *plan.Rows, *plan.Values, *plan.FuncScan, *plan.Remote:
			other = true
		}
		for _, sub := range subqueries(n) {
			visit(sub)
		}
		for _, in := range n.Inputs() {
			visit(in)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	return source, len(sources) == 1 && !other
}
