package sqlgen

import (
	"fmt"
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Explainer is implemented by dialects that can say why they decline a
// construct: what names it (a function or aggregate name, an operator,
// "ILIKE", "GROUP BY", "ORDER BY", "DISTINCT", "cast"), types are its
// argument types. The answer is a few words on what the source does
// differently ("collation", "integer division semantics"), or "".
type Explainer interface {
	Declined(what string, types []types.Type) string
}

// ExprReason is ExprRenderable that also says, when d cannot express e,
// which part of e it declines and why, as EXPLAIN shows it.
func ExprReason(d Dialect, e plan.Expr) (string, bool) {
	if ExprRenderable(d, e) {
		return "", true
	}
	// The innermost part that does not render is the one to name.
	for _, c := range plan.Children(e) {
		if !ExprRenderable(d, c) {
			return ExprReason(d, c)
		}
	}
	return declinedExpr(d, e), false
}

func declinedExpr(d Dialect, e plan.Expr) string {
	switch x := e.(type) {
	case *plan.Func:
		return computedIn(d, x.Name+"()", x.Name, argTypes(x.Args))
	case *plan.Op:
		what := "operator " + x.Op
		switch x.Op {
		case plan.OpDiv:
			what = "division"
		case plan.OpMod:
			what = "modulo"
		case plan.OpAdd, plan.OpSub, plan.OpMul, plan.OpNeg:
			what = "arithmetic"
		}
		ts := argTypes(x.Args)
		return computedIn(d, fmt.Sprintf("%s on %s", what, typeList(ts)), x.Op, ts)
	case *plan.Cast:
		return computedIn(d, fmt.Sprintf("cast from %s to %s", x.Arg.Type(), x.T), "cast", []types.Type{x.Arg.Type(), x.T})
	case *plan.Const:
		return fmt.Sprintf("%s has no %s literal", x.String(), d.Name())
	case *plan.Like:
		what := "LIKE"
		if x.CaseInsensitive {
			what = "ILIKE"
		}
		return computedIn(d, what+" on "+x.Arg.Type().String(), what, []types.Type{x.Arg.Type(), x.Pattern.Type()})
	case *plan.InList:
		return computedIn(d, "IN on "+x.Arg.Type().String(), "IN", []types.Type{x.Arg.Type()})
	case *plan.IsBool:
		return computedIn(d, "IS "+x.Value, "IS", []types.Type{x.Arg.Type()})
	case *plan.Subquery:
		return "subqueries are evaluated in Junction"
	case *plan.OuterRef:
		return "it reads the enclosing query's row"
	}
	return fmt.Sprintf("%s cannot be written for %s sources", e.String(), d.Name())
}

// computedIn phrases a declined construct, with the dialect's cause when
// it gives one.
func computedIn(d Dialect, shown, what string, ts []types.Type) string {
	out := fmt.Sprintf("%s is computed in Junction for %s sources", shown, d.Name())
	if ex, ok := d.(Explainer); ok {
		if why := ex.Declined(what, ts); why != "" {
			out += " (" + why + ")"
		}
	}
	return out
}

func argTypes(es []plan.Expr) []types.Type {
	out := make([]types.Type, len(es))
	for i, e := range es {
		out[i] = e.Type()
	}
	return out
}

func typeList(ts []types.Type) string {
	var b strings.Builder
	for i, t := range ts {
		if i > 0 {
			b.WriteString(" and ")
		}
		b.WriteString(t.String())
	}
	return b.String()
}

// Why says why d cannot run q, an operator over inputs the source runs,
// as one statement: the first of q's own constructs that does not render.
// It is "" when q renders.
func Why(d Dialect, q plan.Node) string {
	if _, err := Render(d, q); err == nil {
		return ""
	}
	renders := func(n plan.Node) bool { _, err := Render(d, n); return err == nil }
	exprs := func(es ...plan.Expr) string {
		for _, e := range es {
			if why, ok := ExprReason(d, e); !ok {
				return why
			}
		}
		return ""
	}
	switch x := q.(type) {
	case *plan.Filter:
		if why := exprs(plan.SplitAnd(x.Pred)...); why != "" {
			return why
		}
	case *plan.Project:
		if why := exprs(x.Exprs...); why != "" {
			return why
		}
	case *plan.Join:
		if !renders(&plan.Join{Kind: x.Kind, Left: x.Left, Right: x.Right}) {
			if lim, ok := d.(JoinLimiter); ok && countTables(x) > lim.MaxJoinTables() {
				return fmt.Sprintf("%s sources join at most %d tables in one statement", d.Name(), lim.MaxJoinTables())
			}
			return fmt.Sprintf("%s joins are not sent to %s sources", strings.ToLower(x.Kind.String()), d.Name())
		}
		if x.Cond != nil {
			if why := exprs(plan.SplitAnd(x.Cond)...); why != "" {
				return why
			}
		}
	case *plan.Aggregate:
		if gs, ok := d.(GroupingSetser); x.Sets != nil && (!ok || !gs.GroupingSets()) {
			return computedIn(d, "GROUPING SETS", "GROUPING SETS", nil)
		}
		for _, k := range x.GroupBy {
			if why := exprs(k); why != "" {
				return why
			}
			if !renders(&plan.Aggregate{Input: x.Input, GroupBy: []plan.Expr{k}}) {
				return computedIn(d, "GROUP BY on "+k.Type().String(), "GROUP BY", []types.Type{k.Type()})
			}
		}
		for _, a := range x.Aggs {
			args := a.Args
			if len(args) == 0 && a.Arg != nil {
				args = []plan.Expr{a.Arg}
			}
			if why := exprs(args...); why != "" {
				return why
			}
			if !renders(&plan.Aggregate{Input: x.Input, Aggs: []plan.AggCall{a}}) {
				name := a.Func + "()"
				if a.Distinct {
					name = a.Func + "(DISTINCT)"
				}
				return computedIn(d, name, a.Func, argTypes(args))
			}
		}
	case *plan.Sort:
		for _, k := range x.Keys {
			if why := exprs(k.Expr); why != "" {
				return why
			}
			if !renders(&plan.Sort{Input: x.Input, Keys: []plan.SortKey{k}}) {
				return computedIn(d, "ORDER BY on "+k.Expr.Type().String(), "ORDER BY", []types.Type{k.Expr.Type()})
			}
		}
	case *plan.Distinct:
		return computedIn(d, "DISTINCT on "+typeList(plan.ColumnTypes(x.Input)), "DISTINCT", plan.ColumnTypes(x.Input))
	case *plan.SetOp:
		return fmt.Sprintf("set operations are not sent to %s sources", d.Name())
	case *plan.Window:
		return windowReason(d, x, exprs)
	}
	return fmt.Sprintf("%s sources cannot run it as one statement", d.Name())
}
