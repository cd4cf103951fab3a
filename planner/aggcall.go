package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// withinGroupAggregates are the ordered-set and hypothetical-set
// aggregates, called as f(direct args) WITHIN GROUP (ORDER BY keys).
var withinGroupAggregates = map[string]bool{
	"percentile_cont": true, "percentile_disc": true, "mode": true,
	"rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true,
}

// regressionAggregates take (Y, X) as double precision.
var regressionAggregates = map[string]bool{
	"corr": true, "covar_pop": true, "covar_samp": true, "regr_count": true, "regr_sxx": true, "regr_syy": true,
	"regr_sxy": true, "regr_avgx": true, "regr_avgy": true, "regr_r2": true, "regr_slope": true, "regr_intercept": true,
}

// orderSensitive are the aggregates whose result depends on the order of
// their rows; ORDER BY inside any other aggregate changes nothing and is
// dropped.
var orderSensitive = map[string]bool{"string_agg": true, "array_agg": true}

// arrayAggType is array_agg's result over t: the array type of t, for
// the element types whose array type Junction has.
func arrayAggType(t types.Type) (types.Type, error) {
	if t.Kind == types.Unknown {
		t = types.TText
	}
	arr, ok := functions.ArrayOf(t)
	if elem, _ := functions.ArrayElement(arr); !ok || elem.Kind != t.Kind {
		return types.Type{}, pgerr.NotSupported("array_agg over type " + t.BaseName())
	}
	return arr, nil
}

// aggCallText shows a call with its ORDER BY, WITHIN GROUP and FILTER
// parts in SQL's words.
func aggCallText(a plan.AggCall) string {
	args := aggArgs(a)
	nv := a.Values()
	values, direct, keys := args[:nv], args[nv:nv+a.Direct], args[nv+a.Direct:nv+a.Direct+len(a.Order)]
	order := make([]string, len(keys))
	for i, k := range keys {
		order[i] = k.String()
		if a.Order[i].Desc {
			order[i] += " DESC"
		}
	}
	var s string
	if withinGroupAggregates[a.Func] {
		s = a.Func + "(" + joinExprList(direct) + ") WITHIN GROUP (ORDER BY " + strings.Join(order, ", ") + ")"
	} else {
		s = joinExprList(values)
		if a.Distinct {
			s = "DISTINCT " + s
		}
		if len(order) > 0 {
			s += " ORDER BY " + strings.Join(order, ", ")
		}
		s = a.Func + "(" + s + ")"
	}
	if a.Filter {
		s += " FILTER (WHERE " + args[len(args)-1].String() + ")"
	}
	return s
}

// filterCond binds the condition of FILTER (WHERE cond).
func (x *exprBinder) filterCond(filter *pg.Node) (plan.Expr, error) {
	x.agg.where = "FILTER"
	cond, err := x.expr(filter)
	x.agg.where = ""
	if err != nil {
		return nil, err
	}
	return x.requireBool(cond, "FILTER")
}

// carriedFilter binds FILTER (WHERE cond) of an aggregate that keeps NULL
// values, where agg(CASE WHEN cond THEN x END) would add NULLs: cond goes
// at the end of the call's arguments.
func (x *exprBinder) carriedFilter(call *plan.AggCall, filter *pg.Node) error {
	cond, err := x.filterCond(filter)
	if err != nil {
		return err
	}
	if len(call.Args) == 0 {
		call.Args = []plan.Expr{call.Arg}
	}
	call.Args = append(call.Args, cond)
	call.Filter = true
	return nil
}

// regressionArgs casts both arguments of a regression aggregate to double
// precision, the only argument types PostgreSQL defines them for.
func (x *exprBinder) regressionArgs(name string, args []plan.Expr) ([]plan.Expr, error) {
	out := make([]plan.Expr, len(args))
	for i, a := range args {
		c, err := x.coerce(a, types.TFloat8)
		if err != nil {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function %s(%s, %s) does not exist", name, typeName(args[0]), typeName(args[1])).
				WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
		}
		out[i] = c
	}
	return out, nil
}

// aggOrder binds ORDER BY inside an aggregate call: its keys go at the end
// of the call's arguments.
func (x *exprBinder) aggOrder(call *plan.AggCall, items []*pg.Node) error {
	if !orderSensitive[call.Func] {
		return nil
	}
	keys, order, err := x.sortKeys(items)
	if err != nil {
		return err
	}
	if call.Distinct {
		arg := call.Arg
		if c, ok := arg.(*plan.Cast); ok {
			arg = c.Arg // string_agg's value, cast to text
		}
		for _, k := range keys {
			if exprKey(k) != exprKey(call.Arg) && exprKey(k) != exprKey(arg) {
				return pgerr.New(pgerr.InvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list")
			}
		}
	}
	if len(call.Args) == 0 {
		call.Args = []plan.Expr{call.Arg}
	}
	call.Args = append(call.Args, keys...)
	call.Order = order
	return nil
}

// sortKeys binds the keys of an aggregate's ORDER BY or WITHIN GROUP in
// the aggregate's input scope.
func (x *exprBinder) sortKeys(items []*pg.Node) ([]plan.Expr, []plan.SortOrder, error) {
	var keys []plan.Expr
	var order []plan.SortOrder
	x.agg.where = "argument"
	defer func() { x.agg.where = "" }()
	for _, item := range items {
		sb := item.GetSortBy()
		if sb.SortbyDir == pg.SortByDir_SORTBY_USING {
			return nil, nil, pgerr.NotSupported("ORDER BY ... USING inside an aggregate")
		}
		e, err := x.expr(sb.Node)
		if err != nil {
			return nil, nil, err
		}
		if isUnknown(e) {
			if e, err = x.coerce(e, types.TText); err != nil {
				return nil, nil, err
			}
		}
		desc := sb.SortbyDir == pg.SortByDir_SORTBY_DESC
		o := plan.SortOrder{Desc: desc, NullsFirst: desc}
		switch sb.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			o.NullsFirst = true
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			o.NullsFirst = false
		}
		keys = append(keys, e)
		order = append(order, o)
	}
	return keys, order, nil
}

// withinGroup binds an ordered-set aggregate (percentile_cont,
// percentile_disc, mode) or a hypothetical-set one (rank, dense_rank,
// percent_rank, cume_dist). The arguments are laid out as plan.AggCall
// says: the aggregated value (the sort key of an ordered-set aggregate),
// the direct arguments, then the sort keys.
func (x *exprBinder) withinGroup(name string, f *pg.FuncCall) (plan.Expr, error) {
	x, err := x.aggBinder()
	if err != nil {
		return nil, err
	}
	if !f.AggWithinGroup {
		return nil, pgerr.New(pgerr.WrongObjectType, "WITHIN GROUP is required for ordered-set aggregate %s", name)
	}
	if f.AggDistinct {
		return nil, pgerr.New(pgerr.WrongObjectType, "cannot use DISTINCT with WITHIN GROUP")
	}
	x.agg.where = "argument"
	direct, err := x.exprs(f.Args)
	x.agg.where = ""
	if err != nil {
		return nil, err
	}
	keys, order, err := x.sortKeys(f.AggOrder)
	if err != nil {
		return nil, err
	}
	call := plan.AggCall{Func: name, Order: order, Direct: len(direct)}
	switch name {
	case "rank", "dense_rank", "percent_rank", "cume_dist":
		if len(direct) != len(keys) {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function %s must have the same number of direct arguments as ordering expressions", name)
		}
		for i := range direct {
			both, _, err := x.coerceAll([]plan.Expr{direct[i], keys[i]}, "WITHIN GROUP")
			if err != nil {
				return nil, err
			}
			direct[i], keys[i] = both[0], both[1]
		}
		call.T = types.TInt8
		if name == "percent_rank" || name == "cume_dist" {
			call.T = types.TFloat8
		}
		call.Args = append(direct, keys...)
	default:
		if len(keys) != 1 || (name == "mode") != (len(direct) == 0) || len(direct) > 1 {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function %s with %d direct and %d ordering arguments does not exist", name, len(direct), len(keys))
		}
		key := keys[0]
		if name == "percentile_cont" {
			if !key.Type().IsNumeric() {
				return nil, pgerr.NotSupported("percentile_cont over type " + key.Type().BaseName())
			}
			if key, err = x.coerce(key, types.TFloat8); err != nil {
				return nil, err
			}
		}
		call.T = key.Type()
		call.Args = []plan.Expr{key}
		if len(direct) == 1 {
			fracType := types.TFloat8
			if isArrayKind(direct[0].Type().Kind) {
				// An array of fractions gives an array of percentiles.
				fracType = types.Type{Kind: types.Float8Array}
				arr, ok := functions.ArrayOf(call.T)
				if elem, _ := functions.ArrayElement(arr); !ok || elem.Kind != call.T.Kind {
					return nil, pgerr.NotSupported(name + " with an array of fractions over type " + call.T.String())
				}
				call.T = arr
			}
			frac, err := x.coerce(direct[0], fracType)
			if err != nil {
				return nil, pgerr.NotSupported(name + " with an array of fractions")
			}
			call.Args = append(call.Args, frac)
		}
		call.Args = append(call.Args, key)
	}
	call.Arg = call.Args[0]
	if f.AggFilter != nil {
		if err := x.carriedFilter(&call, f.AggFilter); err != nil {
			return nil, err
		}
	}
	return x.addAggregate(call)
}

// aggBinder returns the binder to bind an aggregate call with: x, or
// where x's clause allows no aggregate of its own level, a copy that
// collects the call so that addAggregate can tell whether it belongs to
// the enclosing query.
func (x *exprBinder) aggBinder() (*exprBinder, error) {
	if x.agg == nil {
		c := *x
		c.agg = &aggContext{disallowed: x.clause}
		return &c, nil
	}
	if x.agg.where != "" {
		if x.agg.outer == nil {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested")
		}
		// An aggregate in a window aggregate's arguments is the query's.
		inner := *x
		inner.agg = x.agg.outer
		return inner.aggBinder()
	}
	return x, nil
}

// addAggregate adds a bound call to its query level. As in SQL, an
// aggregate whose arguments read only the enclosing query's columns is
// that query's: it is computed over the enclosing query's rows, and the
// subquery reads its result as an outer column.
func (x *exprBinder) addAggregate(call plan.AggCall) (plan.Expr, error) {
	if plan.OuterOnly(aggArgs(call)...) {
		var outer *aggContext
		if x.sc != nil && x.sc.parent != nil {
			outer = x.sc.parent.agg
		}
		if outer == nil {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed here: the enclosing query cannot aggregate at this point")
		}
		if outer.where != "" {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested")
		}
		outer.calls = append(outer.calls, mapAggArgs(call, outerToLocal))
		return &aggRef{Index: len(outer.calls) - 1, T: call.T, Name: aggDisplay(call), Outer: true}, nil
	}
	if x.agg.disallowed != "" {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in %s", x.agg.disallowed)
	}
	x.agg.calls = append(x.agg.calls, call)
	return &aggRef{Index: len(x.agg.calls) - 1, T: call.T, Name: aggDisplay(call)}, nil
}

// outerToLocal rebinds an expression over the enclosing query's row as
// one over that query's own input.
func outerToLocal(e plan.Expr) plan.Expr {
	return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
		if o, ok := x.(*plan.OuterRef); ok {
			return &plan.ColRef{Index: o.Index, T: o.T, Name: o.Name}, true
		}
		return x, false
	})
}

// subqueryOverAggregate rebinds a subquery of an aggregated query's select
// list, HAVING or ORDER BY: the outer row it reads is the aggregate's
// output, where a group key is column i and an aggregate of this query
// the column after the keys.
func subqueryOverAggregate(sq *plan.Subquery, keys []plan.Expr) (plan.Expr, error) {
	var err error
	remap := func(e plan.Expr) plan.Expr {
		return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			switch v := x.(type) {
			case *aggRef:
				if v.Outer {
					return &plan.OuterRef{Index: len(keys) + v.Index, T: v.T, Name: v.Name}, true
				}
			case *plan.OuterRef:
				for i, k := range keys {
					if c, ok := k.(*plan.ColRef); ok && c.Index == v.Index {
						return &plan.OuterRef{Index: i, T: v.T, Name: v.Name}, true
					}
				}
				if err == nil {
					err = pgerr.New(pgerr.GroupingError, "subquery uses ungrouped column %q from outer query", v.Name)
				}
			}
			return x, false
		})
	}
	c := *sq
	c.Plan = mapPlanExprs(sq.Plan, remap, false)
	c.Correlated = usesOuter(c.Plan)
	if sq.Arg != nil {
		arg, aerr := overAggregate(sq.Arg, keys)
		if aerr != nil {
			return nil, aerr
		}
		c.Arg = arg
	}
	return &c, err
}

// checkDirectArgsConstant refuses, under grouping sets, an ordered-set or
// hypothetical-set aggregate whose direct argument is not a constant: such
// an argument may name a grouping column, which PostgreSQL reads as NULL
// in the sets without it, while Junction reads it from the input rows.
func checkDirectArgsConstant(calls []plan.AggCall) error {
	for _, a := range calls {
		if a.Direct == 0 {
			continue
		}
		nv := a.Values()
		for _, d := range a.Args[nv : nv+a.Direct] {
			if _, ok := d.(*plan.Const); !ok {
				return pgerr.NotSupported("a direct argument of " + a.Func + " that is not a constant, with grouping sets")
			}
		}
	}
	return nil
}
