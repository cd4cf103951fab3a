package planner

import (
	"context"
	"strings"

	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/executor"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// rewriteExpr rebuilds e top-down: fn returns a replacement and true to
// stop descending, or false to keep the node and rewrite its children.
func rewriteExpr(e plan.Expr, fn func(plan.Expr) (plan.Expr, bool)) plan.Expr {
	if e == nil {
		return nil
	}
	if r, done := fn(e); done {
		return r
	}
	rw := func(x plan.Expr) plan.Expr { return rewriteExpr(x, fn) }
	list := func(xs []plan.Expr) []plan.Expr {
		out := make([]plan.Expr, len(xs))
		for i, x := range xs {
			out[i] = rw(x)
		}
		return out
	}
	switch x := e.(type) {
	case *plan.Op:
		return &plan.Op{Op: x.Op, Args: list(x.Args), T: x.T}
	case *plan.Cast:
		return &plan.Cast{Arg: rw(x.Arg), T: x.T}
	case *plan.Func:
		return &plan.Func{Name: x.Name, Args: list(x.Args), T: x.T, Impl: x.Impl, Variadic: x.Variadic}
	case *plan.Case:
		c := &plan.Case{T: x.T, Whens: make([]plan.When, len(x.Whens))}
		for i, w := range x.Whens {
			c.Whens[i] = plan.When{Cond: rw(w.Cond), Result: rw(w.Result)}
		}
		c.Else = rw(x.Else)
		return c
	case *plan.InList:
		return &plan.InList{Arg: rw(x.Arg), List: list(x.List), Negated: x.Negated}
	case *plan.Like:
		return &plan.Like{Arg: rw(x.Arg), Pattern: rw(x.Pattern), CaseInsensitive: x.CaseInsensitive, Negated: x.Negated}
	case *plan.IsNull:
		return &plan.IsNull{Arg: rw(x.Arg), Negated: x.Negated}
	case *plan.IsBool:
		return &plan.IsBool{Arg: rw(x.Arg), Value: x.Value, Negated: x.Negated}
	case *plan.Subquery:
		c := *x
		c.Arg = rw(x.Arg)
		return &c
	}
	return e
}

// nodeExprs lists the expressions a node holds (not those of its inputs).
func nodeExprs(n plan.Node) []plan.Expr {
	switch x := n.(type) {
	case *plan.Filter:
		return []plan.Expr{x.Pred}
	case *plan.Project:
		return x.Exprs
	case *plan.Join:
		if x.Cond != nil {
			return []plan.Expr{x.Cond}
		}
	case *plan.Apply:
		if x.Cond != nil {
			return []plan.Expr{x.Cond}
		}
	case *plan.Aggregate:
		out := append([]plan.Expr{}, x.GroupBy...)
		for _, a := range x.Aggs {
			out = append(out, aggArgs(a)...)
		}
		return out
	case *plan.FuncScan:
		return x.Args
	case *plan.Window:
		return x.Exprs()
	case *plan.ProjectSet:
		return x.FuncArgs()
	case *plan.Sort:
		out := make([]plan.Expr, len(x.Keys))
		for i, k := range x.Keys {
			out[i] = k.Expr
		}
		return out
	case *plan.Values:
		var out []plan.Expr
		for _, r := range x.Rows {
			out = append(out, r...)
		}
		return out
	}
	return nil
}

// aggArgs lists the arguments of an aggregate call (none for count(*)).
func aggArgs(a plan.AggCall) []plan.Expr {
	if len(a.Args) > 0 {
		return a.Args
	}
	if a.Arg != nil {
		return []plan.Expr{a.Arg}
	}
	return nil
}

// mapAggArgs returns the call with fn applied to each argument, keeping
// Arg the first of Args.
func mapAggArgs(a plan.AggCall, fn func(plan.Expr) plan.Expr) plan.AggCall {
	if len(a.Args) > 0 {
		args := make([]plan.Expr, len(a.Args))
		for i, e := range a.Args {
			args[i] = fn(e)
		}
		a.Args, a.Arg = args, args[0]
	} else if a.Arg != nil {
		a.Arg = fn(a.Arg)
	}
	return a
}

// joinExprList prints expressions separated by commas, as in a call.
func joinExprList(es []plan.Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

// walkPlanExprs calls fn for every expression of every node of n, not
// descending into subquery plans.
func walkPlanExprs(n plan.Node, fn func(plan.Expr)) {
	for _, e := range nodeExprs(n) {
		fn(e)
	}
	for _, in := range n.Inputs() {
		walkPlanExprs(in, fn)
	}
}

// mapPlan rebuilds a plan bottom-up, mapping every expression with fn,
// including those inside subquery plans. It is how parameter values and
// constant folding reach every corner of a plan.
func mapPlan(n plan.Node, fn func(plan.Expr) plan.Expr) plan.Node {
	return mapPlanExprs(n, fn, true)
}

// mapOwnExprs is mapPlan without entering subquery plans: fn sees each
// subquery expression of n itself, not those nested in its plan.
func mapOwnExprs(n plan.Node, fn func(plan.Expr) plan.Expr) plan.Node {
	return mapPlanExprs(n, fn, false)
}

func mapPlanExprs(n plan.Node, fn func(plan.Expr) plan.Expr, intoSubqueries bool) plan.Node {
	var subqueries func(e plan.Expr) plan.Expr
	subqueries = func(e plan.Expr) plan.Expr {
		if !intoSubqueries {
			return e
		}
		return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			if sq, ok := x.(*plan.Subquery); ok {
				c := *sq
				c.Plan = mapPlanExprs(sq.Plan, fn, intoSubqueries)
				if sq.Arg != nil {
					c.Arg = subqueries(sq.Arg)
				}
				return &c, true
			}
			return nil, false
		})
	}
	deep := func(e plan.Expr) plan.Expr {
		if e == nil {
			return nil
		}
		return fn(subqueries(e))
	}
	list := func(xs []plan.Expr) []plan.Expr {
		out := make([]plan.Expr, len(xs))
		for i, x := range xs {
			out[i] = deep(x)
		}
		return out
	}
	switch x := n.(type) {
	case *plan.Filter:
		return &plan.Filter{Input: mapPlanExprs(x.Input, fn, intoSubqueries), Pred: deep(x.Pred)}
	case *plan.Project:
		return &plan.Project{Input: mapPlanExprs(x.Input, fn, intoSubqueries), Exprs: list(x.Exprs), Cols: x.Cols}
	case *plan.Join:
		return &plan.Join{Kind: x.Kind, Left: mapPlanExprs(x.Left, fn, intoSubqueries), Right: mapPlanExprs(x.Right, fn, intoSubqueries), Cond: deep(x.Cond)}
	case *plan.Aggregate:
		a := &plan.Aggregate{Input: mapPlanExprs(x.Input, fn, intoSubqueries), GroupBy: list(x.GroupBy), Cols: x.Cols, Aggs: make([]plan.AggCall, len(x.Aggs)), Sets: x.Sets}
		for i, c := range x.Aggs {
			a.Aggs[i] = mapAggArgs(c, deep)
		}
		return a
	case *plan.FuncScan:
		return &plan.FuncScan{Name: x.Name, Args: list(x.Args), Ordinality: x.Ordinality, Cols: x.Cols}
	case *plan.Window:
		return x.MapExprs(mapPlanExprs(x.Input, fn, intoSubqueries), deep)
	case *plan.ProjectSet:
		return x.WithFuncArgs(mapPlanExprs(x.Input, fn, intoSubqueries), deep)
	case *plan.Sort:
		s := &plan.Sort{Input: mapPlanExprs(x.Input, fn, intoSubqueries), Keys: make([]plan.SortKey, len(x.Keys))}
		for i, k := range x.Keys {
			k.Expr = deep(k.Expr)
			s.Keys[i] = k
		}
		return s
	case *plan.Limit:
		return boundLimit(&plan.Limit{Input: mapPlanExprs(x.Input, fn, intoSubqueries), Count: x.Count, Offset: x.Offset,
			CountExpr: deep(x.CountExpr), OffsetExpr: deep(x.OffsetExpr)})
	case *plan.Distinct:
		return &plan.Distinct{Input: mapPlanExprs(x.Input, fn, intoSubqueries)}
	case *plan.SetOp:
		return &plan.SetOp{Kind: x.Kind, All: x.All, Left: mapPlanExprs(x.Left, fn, intoSubqueries), Right: mapPlanExprs(x.Right, fn, intoSubqueries), Cols: x.Cols}
	case *plan.BindJoin:
		// A copy keeps every setting of the join (its first batch, say).
		c := *x
		c.Outer, c.Inner = mapPlanExprs(x.Outer, fn, intoSubqueries), mapPlanExprs(x.Inner, fn, intoSubqueries)
		c.OuterKeys, c.InnerKeys = list(x.OuterKeys), list(x.InnerKeys)
		return &c
	case *plan.Values:
		v := &plan.Values{Cols: x.Cols, Rows: make([][]plan.Expr, len(x.Rows))}
		for i, r := range x.Rows {
			v.Rows[i] = list(r)
		}
		return v
	case *plan.Apply:
		return &plan.Apply{Kind: x.Kind, Left: mapPlanExprs(x.Left, fn, intoSubqueries), Right: mapPlanExprs(x.Right, fn, intoSubqueries), Cond: deep(x.Cond)}
	}
	// Nodes without expressions of their own (a recursive union, DISTINCT
	// ON) pass the mapping to their inputs.
	return mapInputs(n, func(in plan.Node) plan.Node { return mapPlanExprs(in, fn, intoSubqueries) })
}

// substituteParamTypes gives every Param its final inferred type.
func substituteParamTypes(n plan.Node, params []types.Type) plan.Node {
	return mapPlan(n, func(e plan.Expr) plan.Expr {
		return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			if p, ok := x.(*plan.Param); ok {
				return &plan.Param{Index: p.Index, T: params[p.Index]}, true
			}
			return nil, false
		})
	})
}

// BindParams replaces parameters by their values, so that the values can
// be pushed into remote SQL as literals.
func BindParams(n plan.Node, values []types.Datum) plan.Node {
	if len(values) == 0 {
		return n
	}
	return mapPlan(n, func(e plan.Expr) plan.Expr {
		return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			if p, ok := x.(*plan.Param); ok && p.Index < len(values) {
				return &plan.Const{Value: values[p.Index], T: p.T}, true
			}
			return nil, false
		})
	})
}

// isConstant reports whether e can be computed without a row.
func isConstant(e plan.Expr) bool {
	ok := true
	plan.Walk(e, func(x plan.Expr) bool {
		switch v := x.(type) {
		case *plan.ColRef, *plan.OuterRef, *plan.Param, *plan.Subquery, *aggRef, *srfRef:
			ok = false
		case *plan.Func:
			if volatileFuncs[v.Name] || system.Volatile(v.Name) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// volatileFuncs change value between rows or executions and are never
// folded.
var volatileFuncs = map[string]bool{"random": true, "setseed": true, "clock_timestamp": true, "timeofday": true}

// clockFuncs give the moment the statement starts. They are folded like
// constants, so a plan holding one is good for one execution only.
var clockFuncs = map[string]bool{"now": true, "current_timestamp": true, "transaction_timestamp": true, "statement_timestamp": true, "current_date": true}

// ReadsClock reports whether the bound plan n calls a function whose value
// is the moment the statement starts (now(), current_date, ...), in its
// subqueries too: its optimized plan then holds that moment.
func ReadsClock(n plan.Node) bool {
	reads := false
	mapPlan(n, func(e plan.Expr) plan.Expr {
		plan.Walk(e, func(x plan.Expr) bool {
			if f, ok := x.(*plan.Func); ok && clockFuncs[f.Name] {
				reads = true
			}
			return !reads
		})
		return e
	})
	return reads
}

// callsVolatile reports whether the bound plan n calls a volatile
// function, in its subqueries too.
func callsVolatile(n plan.Node) bool {
	calls := false
	mapPlan(n, func(e plan.Expr) plan.Expr {
		plan.Walk(e, func(x plan.Expr) bool {
			if f, ok := x.(*plan.Func); ok && (volatileFuncs[f.Name] || system.Volatile(f.Name)) {
				calls = true
			}
			return !calls
		})
		return e
	})
	return calls
}

// constValue computes a constant expression.
func (b *binder) constValue(e plan.Expr) (types.Datum, error) {
	if c, ok := e.(*plan.Const); ok {
		return c.Value, nil
	}
	if !isConstant(e) {
		return types.Datum{}, pgerr.New(pgerr.SyntaxError, "argument must be a constant expression: %s", e.String())
	}
	return evalConst(b.ctx, e)
}

func evalConst(ctx context.Context, e plan.Expr) (types.Datum, error) {
	one := &vector.Batch{Len: 1}
	v, err := executor.Eval(ctx, e, one, &executor.Env{})
	if err != nil {
		return types.Datum{}, err
	}
	return v.Datum(0), nil
}

// foldConstants replaces constant subexpressions by their values, so that
// date '1998-12-01' - interval '90' day reaches a source as one literal.
func foldConstants(ctx context.Context, n plan.Node) (plan.Node, error) {
	var err error
	out := mapPlan(n, func(e plan.Expr) plan.Expr {
		return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			if err != nil {
				return x, true
			}
			switch x.(type) {
			case *plan.Const, *plan.ColRef, *plan.OuterRef, *plan.Param:
				return x, true
			}
			if !isConstant(x) {
				return nil, false
			}
			d, e2 := evalConst(ctx, x)
			if e2 != nil {
				err = e2
				return x, true
			}
			return &plan.Const{Value: d, T: x.Type()}, true
		})
	})
	return out, err
}
