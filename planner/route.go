package planner

import (
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// route turns scans into Remotes and merges operators into the Remotes
// below them where the source can run them exactly.
func route(env *Env, n plan.Node) (plan.Node, error) {
	switch x := n.(type) {
	case *plan.Scan:
		if !sourceExists(env, x.Table.Source) {
			return nil, pgerr.New(pgerr.UndefinedSchema, "source %q no longer exists", x.Table.Source)
		}
		return &plan.Remote{Source: x.Table.Source, Query: x, Cols: x.Cols}, nil
	case *plan.Filter:
		in, err := route(env, x.Input)
		if err != nil {
			return nil, err
		}
		r, ok := in.(*plan.Remote)
		if !ok {
			return &plan.Filter{Input: in, Pred: x.Pred}, nil
		}
		d, ok := env.Dialect(r.Source)
		if !ok {
			return &plan.Filter{Input: in, Pred: x.Pred}, nil
		}
		var pushed, kept, subqueries []plan.Expr
		for _, p := range plan.SplitAnd(x.Pred) {
			switch {
			case hasSubquery(p):
				subqueries = append(subqueries, p)
			case sqlgen.ExprRenderable(d, p):
				pushed = append(pushed, p)
			default:
				kept = append(kept, p)
			}
		}
		// A subquery goes with its conjunct to the source when its tables
		// are there too, but only if no other conjunct stays behind: the
		// source would otherwise run it for rows Junction then discards,
		// where PostgreSQL might have filtered them out first (a scalar
		// subquery may raise an error for those rows).
		if len(subqueries) > 0 {
			if _, err := sqlgen.Render(d, &plan.Filter{Input: r.Query, Pred: plan.And(subqueries)}); err != nil || len(kept) > 0 {
				kept = append(kept, subqueries...)
			} else {
				pushed = append(pushed, subqueries...)
			}
		}
		if len(pushed) > 0 {
			in = &plan.Remote{Source: r.Source, Query: &plan.Filter{Input: r.Query, Pred: plan.And(pushed)}, Cols: r.Cols}
		}
		return withFilter(in, kept), nil
	case *plan.Join:
		l, err := route(env, x.Left)
		if err != nil {
			return nil, err
		}
		r, err := route(env, x.Right)
		if err != nil {
			return nil, err
		}
		j := &plan.Join{Kind: x.Kind, Left: l, Right: r, Cond: x.Cond}
		lr, lok := l.(*plan.Remote)
		rr, rok := r.(*plan.Remote)
		if lok && rok && lr.Source == rr.Source {
			merged := &plan.Join{Kind: x.Kind, Left: lr.Query, Right: rr.Query, Cond: x.Cond}
			return tryMerge(env, lr.Source, merged, j), nil
		}
		return j, nil
	case *plan.RecursiveUnion, *plan.Apply:
		if r := pushWhole(env, n); r != nil {
			return r, nil
		}
	}
	// Single-input operators merge into a Remote input as a whole.
	inputs := n.Inputs()
	routed := make([]plan.Node, len(inputs))
	for i, in := range inputs {
		r, err := route(env, in)
		if err != nil {
			return nil, err
		}
		routed[i] = r
	}
	local := withInputs(n, routed)
	if len(routed) == 1 {
		if r, ok := routed[0].(*plan.Remote); ok {
			return tryMerge(env, r.Source, withInputs(n, []plan.Node{r.Query}), local), nil
		}
	}
	if len(routed) == 2 {
		l, lok := routed[0].(*plan.Remote)
		r, rok := routed[1].(*plan.Remote)
		if lok && rok && l.Source == r.Source {
			return tryMerge(env, l.Source, withInputs(n, []plan.Node{l.Query, r.Query}), local), nil
		}
	}
	return local, nil
}

// hasSubquery reports whether e holds a subquery.
func hasSubquery(e plan.Expr) bool {
	return holds(e, func(x plan.Expr) bool {
		_, ok := x.(*plan.Subquery)
		return ok
	})
}

// tryMerge returns a Remote running query at source when the source's
// dialect can express all of it, and the local plan otherwise.
func tryMerge(env *Env, source string, query, local plan.Node) plan.Node {
	d, ok := env.Dialect(source)
	if !ok {
		return local
	}
	if _, err := sqlgen.Render(d, query); err != nil {
		return local
	}
	return &plan.Remote{Source: source, Query: query, Cols: query.Columns()}
}

// withInputs copies a node with new inputs.
func withInputs(n plan.Node, in []plan.Node) plan.Node {
	switch x := n.(type) {
	case *plan.Filter:
		return &plan.Filter{Input: in[0], Pred: x.Pred}
	case *plan.Project:
		return &plan.Project{Input: in[0], Exprs: x.Exprs, Cols: x.Cols}
	case *plan.ProjectSet:
		return x.WithFuncArgs(in[0], func(e plan.Expr) plan.Expr { return e })
	case *plan.Aggregate:
		return &plan.Aggregate{Input: in[0], GroupBy: x.GroupBy, Aggs: x.Aggs, Cols: x.Cols, Sets: x.Sets}
	case *plan.Sort:
		return &plan.Sort{Input: in[0], Keys: x.Keys}
	case *plan.Limit:
		return &plan.Limit{Input: in[0], Count: x.Count, Offset: x.Offset}
	case *plan.Distinct:
		return &plan.Distinct{Input: in[0]}
	case *plan.Window:
		return x.MapExprs(in[0], func(e plan.Expr) plan.Expr { return e })
	case *plan.SetOp:
		return &plan.SetOp{Kind: x.Kind, All: x.All, Left: in[0], Right: in[1], Cols: x.Cols}
	case *plan.Join:
		return &plan.Join{Kind: x.Kind, Left: in[0], Right: in[1], Cond: x.Cond}
	case *plan.BindJoin:
		c := *x
		c.Outer, c.Inner = in[0], in[1]
		return &c
	case *plan.RecursiveUnion:
		c := *x
		c.Init, c.Recur = in[0], in[1]
		return &c
	case *plan.Apply:
		return &plan.Apply{Kind: x.Kind, Left: in[0], Right: in[1], Cond: x.Cond}
	case *plan.DistinctOn:
		return &plan.DistinctOn{Input: in[0], Keys: x.Keys}
	case *plan.LimitTies:
		c := *x
		c.Input = in[0]
		return &c
	}
	return n
}

// mapInputs copies n with f applied to each of its inputs.
func mapInputs(n plan.Node, f func(plan.Node) plan.Node) plan.Node {
	in := n.Inputs()
	if len(in) == 0 {
		return n
	}
	out := make([]plan.Node, len(in))
	for i, c := range in {
		out[i] = f(c)
	}
	return withInputs(n, out)
}

// renderRemotes fills in the SQL of every Remote, including those inside
// subquery plans.
func renderRemotes(env *Env, n plan.Node) (plan.Node, error) {
	var err error
	var walk func(n plan.Node) plan.Node
	walk = func(n plan.Node) plan.Node {
		if r, ok := n.(*plan.Remote); ok {
			d, ok := env.Dialect(r.Source)
			if !ok {
				err = pgerr.New(pgerr.FDWUnableToConnect, "source %q is not connected", r.Source)
				return n
			}
			sql, params, e := sqlgen.RenderParams(d, r.Query)
			if e != nil {
				err = e
				return n
			}
			rendered := *r
			rendered.SQL, rendered.Params = sql, params
			rendered.PointLookup = len(params) > 0 && pointLookup(env, r.Query)
			return &rendered
		}
		return mapInputs(n, walk)
	}
	n = walk(n)
	if err != nil {
		return nil, err
	}
	// Subquery plans go through the same phases as the main plan; each
	// plans its own nested subqueries.
	var planSubqueries func(e plan.Expr) plan.Expr
	planSubqueries = func(e plan.Expr) plan.Expr {
		return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			sq, ok := x.(*plan.Subquery)
			if !ok || err != nil {
				return nil, false
			}
			c := *sq
			if sq.Arg != nil {
				c.Arg = planSubqueries(sq.Arg)
			}
			c.Plan, err = optimizePlan(env, sq.Plan)
			if err != nil {
				return x, true
			}
			return &c, true
		})
	}
	n = mapOwnExprs(n, planSubqueries)
	return n, err
}
