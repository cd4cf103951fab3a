package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Set-returning functions in the select list follow PostgreSQL 10 and
// later: they run after grouping and HAVING and before DISTINCT, ORDER
// BY and LIMIT, those of one select list in lockstep (the shorter results
// padded with NULLs), and a function nested in another's arguments one
// level below it (plan.ProjectSet). Elsewhere, and inside CASE, COALESCE
// or an aggregate's arguments, they are PostgreSQL's 0A000 errors.

// srfContext collects the set-returning calls of one select list.
type srfContext struct {
	calls []srfCall
}

type srfCall struct {
	call  plan.SetCall
	level int // 1 + the deepest level among the calls in its arguments
	// early calls are those of GROUP BY keys, run before grouping.
	early bool
}

// srfRef stands for the current value of set-returning call Index until
// the ProjectSet that runs it is built.
type srfRef struct {
	Index int
	T     types.Type
	Name  string
}

func (s *srfRef) Type() types.Type { return s.T }
func (s *srfRef) String() string   { return s.Name }

// srfLevel is the level of the deepest call e refers to; 0 for none.
func (c *srfContext) srfLevel(e plan.Expr) int {
	level := 0
	plan.Walk(e, func(x plan.Expr) bool {
		if r, ok := x.(*srfRef); ok {
			level = max(level, c.calls[r.Index].level)
		}
		return true
	})
	return level
}

// hasSRF reports whether e holds a set-returning call.
func hasSRF(e plan.Expr) bool {
	return holds(e, func(x plan.Expr) bool {
		_, ok := x.(*srfRef)
		return ok
	})
}

// srfNotAllowed is PostgreSQL's error for a set-returning function where
// the clause (as exprBinder names it) does not allow one.
func srfNotAllowed(clause string) error {
	switch clause {
	case "functions in FROM":
		return pgerr.New(pgerr.FeatureNotSupported, "set-returning functions must appear at top level of FROM")
	case "JOIN/ON":
		clause = "JOIN conditions"
	case "GROUP BY":
		return pgerr.NotSupported("set-returning functions in GROUP BY")
	}
	return pgerr.New(pgerr.FeatureNotSupported, "set-returning functions are not allowed in %s", clause)
}

// srfInside rejects a set-returning call inside a construct that
// evaluates its arguments conditionally (CASE, COALESCE).
func srfInside(e plan.Expr, construct string) error {
	if hasSRF(e) {
		return pgerr.New(pgerr.FeatureNotSupported, "set-returning functions are not allowed in %s", construct).
			WithHint("You might be able to move the set-returning function into a LATERAL FROM item.")
	}
	return nil
}

// setCall binds a set-returning function called in an expression; field
// selects a column of one returning rows.
func (x *exprBinder) setCall(name string, f *pg.FuncCall, field string) (plan.Expr, error) {
	switch {
	case x.agg != nil && x.agg.where != "":
		return nil, pgerr.New(pgerr.FeatureNotSupported, "aggregate function calls cannot contain set-returning function calls").
			WithHint("You might be able to move the set-returning function into a LATERAL FROM item.")
	case x.srf == nil:
		return nil, srfNotAllowed(x.clause)
	}
	scan, err := x.setFunction(f)
	if err != nil {
		return nil, err
	}
	col, display := 0, name+"("+joinExprList(scan.Args)+")"
	switch {
	case field != "":
		col = -1
		for i, c := range scan.Cols {
			if c.Name == field {
				col = i
			}
		}
		if scan.Cols[0].Name == "" {
			return nil, pgerr.New(pgerr.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", field, scan.Cols[0].Type.String())
		}
		if col < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" not found in data type record", field)
		}
		display = "(" + display + ")." + field
	case len(scan.Cols) != 1:
		return x.setCallRecord(name, scan, display), nil
	}
	return x.setCallColumn(name, scan, col, display), nil
}

// setCallColumn adds the call of a set-returning function's column col to
// the select list's calls.
func (x *exprBinder) setCallColumn(name string, scan *plan.FuncScan, col int, display string) *srfRef {
	t := scan.Cols[col].Type
	for i, c := range x.srf.calls {
		// The same call twice (in the select list and GROUP BY) is one.
		if c.call.Name == name && c.call.Col == col && sameExprs(c.call.Args, scan.Args) {
			return &srfRef{Index: i, T: t, Name: display}
		}
	}
	level := 1
	for _, a := range scan.Args {
		level = max(level, x.srf.srfLevel(a)+1)
	}
	x.srf.calls = append(x.srf.calls, srfCall{call: plan.SetCall{Name: name, Args: scan.Args, Col: col, T: t}, level: level})
	return &srfRef{Index: len(x.srf.calls) - 1, T: t, Name: display}
}

// setCallRecord is a set-returning function returning rows used whole,
// as a record of its columns: one call per column, which run in lockstep
// and so produce the same rows.
func (x *exprBinder) setCallRecord(name string, scan *plan.FuncScan, display string) plan.Expr {
	args := make([]plan.Expr, len(scan.Cols))
	fields := make([]types.Field, len(scan.Cols))
	for i, c := range scan.Cols {
		args[i] = x.setCallColumn(name, scan, i, display)
		fields[i] = types.Field{Name: c.Name, Type: c.Type}
	}
	return &plan.Func{Name: "row", Args: args, T: types.RecordOf(fields)}
}

// projectSets puts the select list's set-returning calls under the
// projection of exprs: one ProjectSet per nesting level over node, each
// adding its calls' columns after its input's. fix maps an expression
// bound over the query's input to one over node (overAggregate when the
// query aggregates). It returns the new input and exprs reading it.
func (c *srfContext) projectSets(node plan.Node, exprs []plan.Expr, fix func(plan.Expr) (plan.Expr, error)) (plan.Node, []plan.Expr, error) {
	col := make([]int, len(c.calls))
	byRef := func(e plan.Expr) plan.Expr {
		return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			if r, ok := x.(*srfRef); ok {
				return &plan.ColRef{Index: col[r.Index], T: r.T, Name: r.Name}, true
			}
			return x, false
		})
	}
	for level := 1; ; level++ {
		set := &plan.ProjectSet{Input: node, Cols: append([]plan.Column{}, node.Columns()...)}
		for i, sc := range c.calls {
			if sc.level != level || sc.early {
				continue
			}
			call := sc.call
			call.Args = make([]plan.Expr, len(sc.call.Args))
			for j, a := range sc.call.Args {
				fixed, err := fix(a)
				if err != nil {
					return nil, nil, err
				}
				call.Args[j] = byRef(fixed)
			}
			col[i] = len(set.Cols)
			set.Funcs = append(set.Funcs, call)
			set.Cols = append(set.Cols, plan.Column{Name: sc.call.Name, Type: sc.call.T})
		}
		if len(set.Funcs) == 0 {
			break
		}
		node = set
	}
	out := make([]plan.Expr, len(exprs))
	for i, e := range exprs {
		out[i] = byRef(e)
	}
	return node, out, nil
}

func sameExprs(a, b []plan.Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if exprKey(a[i]) != exprKey(b[i]) || a[i].Type() != b[i].Type() {
			return false
		}
	}
	return true
}

// pending reports whether calls remain to run after grouping.
func (c *srfContext) pending() bool {
	for _, sc := range c.calls {
		if !sc.early {
			return true
		}
	}
	return false
}

// inKeys reports whether a GROUP BY key holds a set-returning call.
func (c *srfContext) inKeys(keys []plan.Expr) bool {
	for _, k := range keys {
		if hasSRF(k) {
			return true
		}
	}
	return false
}

// projectKeySets runs the set-returning calls of the GROUP BY keys, and
// those in their arguments, over the grouped rows (node), as PostgreSQL
// does, marking them early; rewrite replaces their references by the
// columns that hold their values.
func (c *srfContext) projectKeySets(node plan.Node, keys []plan.Expr) (plan.Node, func(plan.Expr) plan.Expr, error) {
	var mark func(e plan.Expr)
	mark = func(e plan.Expr) {
		plan.Walk(e, func(x plan.Expr) bool {
			if r, ok := x.(*srfRef); ok && !c.calls[r.Index].early {
				c.calls[r.Index].early = true
				for _, a := range c.calls[r.Index].call.Args {
					mark(a)
				}
			}
			return true
		})
	}
	for _, k := range keys {
		mark(k)
	}
	col := map[int]int{}
	rewrite := func(e plan.Expr) plan.Expr {
		return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			if r, ok := x.(*srfRef); ok {
				if i, done := col[r.Index]; done {
					return &plan.ColRef{Index: i, T: r.T, Name: r.Name}, true
				}
			}
			return x, false
		})
	}
	for level := 1; ; level++ {
		set := &plan.ProjectSet{Input: node, Cols: append([]plan.Column{}, node.Columns()...)}
		var placed []int
		for i, sc := range c.calls {
			if sc.level != level || !sc.early {
				continue
			}
			call := sc.call
			call.Args = make([]plan.Expr, len(sc.call.Args))
			for j, a := range sc.call.Args {
				call.Args[j] = rewrite(a)
			}
			placed = append(placed, i)
			set.Funcs = append(set.Funcs, call)
			set.Cols = append(set.Cols, plan.Column{Name: sc.call.Name, Type: sc.call.T})
		}
		if len(set.Funcs) == 0 {
			break
		}
		for k, i := range placed {
			col[i] = len(node.Columns()) + k
		}
		node = set
	}
	// Later calls may take an early one's value as an argument.
	for i := range c.calls {
		if !c.calls[i].early {
			args := make([]plan.Expr, len(c.calls[i].call.Args))
			for j, a := range c.calls[i].call.Args {
				args[j] = rewrite(a)
			}
			c.calls[i].call.Args = args
		}
	}
	return node, rewrite, nil
}
