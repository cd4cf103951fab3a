package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// windowingError is PostgreSQL's SQLSTATE for misplaced or malformed
// window functions and window definitions.
const windowingError = "42P20"

// windowContext collects the window function calls of a query level while
// its select list and ORDER BY are bound; WINDOW clause definitions are
// looked up by name.
type windowContext struct {
	calls []windowCall
	named map[string]*pg.WindowDef
	// nested is set while a window function's arguments and window are
	// bound, where window functions may not appear.
	nested bool
}

// windowCall is one bound window function with its window.
type windowCall struct {
	fn        plan.WindowFunc
	partition []plan.Expr
	order     []plan.SortKey
}

// windowRef stands for window call Index until the window operators'
// output layout is known.
type windowRef struct {
	Index int
	T     types.Type
	Name  string
}

func (w *windowRef) Type() types.Type { return w.T }
func (w *windowRef) String() string   { return w.Name }

// windowFunctions are PostgreSQL's built-in window functions, which need
// OVER; aggregates take OVER too.
var windowFunctions = map[string]bool{
	"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true,
	"ntile": true, "lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true,
}

// newWindowContext checks a query level's WINDOW clause, whose windows
// may build on the ones defined before them.
func newWindowContext(defs []*pg.Node) (*windowContext, error) {
	w := &windowContext{named: map[string]*pg.WindowDef{}}
	for _, n := range defs {
		def := n.GetWindowDef()
		if _, dup := w.named[def.Name]; dup {
			return nil, pgerr.New(windowingError, "window \"%s\" is already defined", def.Name)
		}
		if def.Refname != "" {
			merged, err := w.resolve(def)
			if err != nil {
				return nil, err
			}
			merged.Name = def.Name
			def = merged
		}
		w.named[def.Name] = def
	}
	return w, nil
}

// resolve gives the window an OVER clause names: a named window as it is
// (OVER w), or one built on a named window (OVER (w ORDER BY ...)), which
// may add an ORDER BY and a frame but not change what it has.
func (w *windowContext) resolve(over *pg.WindowDef) (*pg.WindowDef, error) {
	if over.Refname == "" && over.Name != "" && over.PartitionClause == nil && over.OrderClause == nil && over.FrameOptions&frameNonDefault == 0 {
		def, ok := w.named[over.Name]
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "window \"%s\" does not exist", over.Name)
		}
		return def, nil
	}
	if over.Refname == "" {
		return over, nil
	}
	base, ok := w.named[over.Refname]
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "window \"%s\" does not exist", over.Refname)
	}
	if len(over.PartitionClause) > 0 {
		return nil, pgerr.New(windowingError, "cannot override PARTITION BY clause of window \"%s\"", over.Refname)
	}
	out := &pg.WindowDef{PartitionClause: base.PartitionClause, OrderClause: base.OrderClause,
		FrameOptions: over.FrameOptions, StartOffset: over.StartOffset, EndOffset: over.EndOffset}
	if len(over.OrderClause) > 0 {
		if len(base.OrderClause) > 0 {
			return nil, pgerr.New(windowingError, "cannot override ORDER BY clause of window \"%s\"", over.Refname)
		}
		out.OrderClause = over.OrderClause
	}
	if base.FrameOptions&frameNonDefault != 0 {
		return nil, pgerr.New(windowingError, "cannot copy window \"%s\" because it has a frame clause", over.Refname).
			WithHint("Omit the parentheses in this OVER clause.")
	}
	return out, nil
}

// windowCall binds f(...) OVER (...).
func (x *exprBinder) windowCall(name string, f *pg.FuncCall) (plan.Expr, error) {
	isAgg := aggregateNames[name]
	if !isAgg && !windowFunctions[name] {
		// A function that does not exist is reported as such first.
		args, err := (&exprBinder{binder: x.binder, sc: x.sc, clause: x.clause}).exprs(f.Args)
		if err == nil {
			_, err = x.callFunction(name, args)
		}
		if err != nil {
			return nil, err
		}
		return nil, pgerr.New(pgerr.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name)
	}
	switch {
	case f.Over == nil:
		return nil, pgerr.New(pgerr.WrongObjectType, "window function %s requires an OVER clause", name)
	case x.win == nil:
		return nil, pgerr.New(windowingError, "window functions are not allowed in %s", x.clause)
	case x.win.nested:
		return nil, pgerr.New(windowingError, "window function calls cannot be nested")
	case x.agg != nil && x.agg.where != "":
		return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot contain window function calls")
	case f.AggDistinct:
		return nil, pgerr.NotSupported("DISTINCT for window functions")
	case len(f.AggOrder) > 0 || f.AggWithinGroup:
		return nil, pgerr.NotSupported("ORDER BY inside a window aggregate's arguments")
	case f.AggFilter != nil && !isAgg:
		return nil, pgerr.NotSupported("FILTER for non-aggregate window functions")
	case f.FuncVariadic:
		return nil, pgerr.NotSupported("VARIADIC arguments")
	}
	def, err := x.win.resolve(f.Over)
	if err != nil {
		return nil, err
	}
	x.win.nested = true
	defer func() { x.win.nested = false }()
	call := windowCall{}
	if isAgg {
		call.fn, err = x.windowAggregate(name, f)
	} else {
		call.fn, err = x.windowFunction(name, f)
	}
	if err != nil {
		return nil, err
	}
	if call.partition, err = x.windowPartition(def.PartitionClause); err != nil {
		return nil, err
	}
	if call.order, err = x.windowOrder(def.OrderClause); err != nil {
		return nil, err
	}
	if call.fn.Frame, err = x.windowFrame(def, call.order); err != nil {
		return nil, err
	}
	x.win.calls = append(x.win.calls, call)
	spec := (&plan.Window{PartitionBy: call.partition, OrderBy: call.order}).SpecString()
	if call.fn.Frame != plan.DefaultFrame {
		spec += " " + call.fn.Frame.String()
	}
	return &windowRef{Index: len(x.win.calls) - 1, T: call.fn.T, Name: call.fn.String() + " OVER (" + spec + ")"}, nil
}

// windowAggregate binds an aggregate used as a window function. Plain
// aggregates in its arguments still aggregate the query level: sum(sum(x))
// OVER () sums the groups' sums.
func (x *exprBinder) windowAggregate(name string, f *pg.FuncCall) (plan.WindowFunc, error) {
	own := &aggContext{outer: x.agg}
	xa := *x
	xa.agg = own
	if _, err := xa.aggregate(name, f); err != nil {
		return plan.WindowFunc{}, err
	}
	call := own.calls[0]
	return plan.WindowFunc{Name: call.Func, Agg: &call, T: call.T}, nil
}

// windowFunction binds a built-in window function's arguments and result
// type.
func (x *exprBinder) windowFunction(name string, f *pg.FuncCall) (plan.WindowFunc, error) {
	fn := plan.WindowFunc{Name: name}
	if f.AggStar {
		return fn, pgerr.New(pgerr.SyntaxError, "%s(*) is not allowed; only count(*) takes *", name)
	}
	args, err := x.exprs(f.Args)
	if err != nil {
		return fn, err
	}
	if len(args) > 0 && isUnknown(args[0]) && name != "ntile" && name != "lag" && name != "lead" {
		if args[0], err = x.coerce(args[0], types.TText); err != nil {
			return fn, err
		}
	}
	arity := func(lo, hi int) bool { return len(args) >= lo && len(args) <= hi }
	ok := true
	switch name {
	case "row_number", "rank", "dense_rank":
		ok, fn.T = arity(0, 0), types.TInt8
	case "percent_rank", "cume_dist":
		ok, fn.T = arity(0, 0), types.TFloat8
	case "ntile":
		ok, fn.T = arity(1, 1), types.TInt4
	case "first_value", "last_value":
		ok = arity(1, 1)
	case "nth_value":
		ok = arity(2, 2)
	case "lag", "lead":
		ok = arity(1, 3)
		if ok && len(args) == 3 {
			both, _, err := x.coerceAll([]plan.Expr{args[0], args[2]}, name)
			if err != nil {
				return fn, err
			}
			args[0], args[2] = both[0], both[1]
		}
		if ok && isUnknown(args[0]) {
			if args[0], err = x.coerce(args[0], types.TText); err != nil {
				return fn, err
			}
		}
	}
	if !ok {
		return fn, undefinedFunction(name, args)
	}
	// The count arguments are integers.
	for i := range args {
		if name == "ntile" || (name == "nth_value" || name == "lag" || name == "lead") && i == 1 {
			if !isInteger(args[i].Type()) && !isUnknown(args[i]) {
				return fn, undefinedFunction(name, args)
			}
			if args[i], err = x.coerce(args[i], types.TInt4); err != nil {
				return fn, err
			}
		}
	}
	if fn.T.Kind == types.Unknown {
		fn.T = args[0].Type()
	}
	fn.Args = args
	return fn, nil
}

func isInteger(t types.Type) bool {
	return t.Kind == types.Int2 || t.Kind == types.Int4 || t.Kind == types.Int8
}

// windowPartition binds PARTITION BY: expressions over the query level's
// input (no output-column names or positions, as in SQL:1999).
func (x *exprBinder) windowPartition(items []*pg.Node) ([]plan.Expr, error) {
	out := make([]plan.Expr, 0, len(items))
	for _, item := range items {
		e, err := x.windowKey(item)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (x *exprBinder) windowKey(n *pg.Node) (plan.Expr, error) {
	e, err := x.expr(n)
	if err != nil {
		return nil, err
	}
	if isUnknown(e) {
		if e, err = x.coerce(e, types.TText); err != nil {
			return nil, err
		}
	}
	if !sortable(e.Type()) {
		return nil, pgerr.New(pgerr.UndefinedFunction, "could not identify an ordering operator for type %s", e.Type().BaseName())
	}
	return e, nil
}

// windowOrder binds a window's ORDER BY.
func (x *exprBinder) windowOrder(items []*pg.Node) ([]plan.SortKey, error) {
	var out []plan.SortKey
	for _, item := range items {
		sb := item.GetSortBy()
		if sb.SortbyDir == pg.SortByDir_SORTBY_USING {
			return nil, pgerr.NotSupported("ORDER BY ... USING")
		}
		e, err := x.windowKey(sb.Node)
		if err != nil {
			return nil, err
		}
		desc := sb.SortbyDir == pg.SortByDir_SORTBY_DESC
		k := plan.SortKey{Expr: e, Desc: desc, NullsFirst: desc}
		switch sb.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			k.NullsFirst = true
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			k.NullsFirst = false
		}
		out = append(out, k)
	}
	return out, nil
}
