package planner

import (
	"strconv"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// WITH RECURSIVE binds the way PostgreSQL's parse_cte.c checks it: an item
// that names itself must be "non-recursive term UNION [ALL] recursive
// term", the recursive term reads the working table once, and not from
// inside a subquery, an outer join's nullable side, INTERSECT ALL or
// EXCEPT, or under an aggregate. The item's column types are those of the
// non-recursive term.

// The settings that bound a recursive query, and their defaults: a
// runaway recursion fails with 54000 instead of running forever.
const (
	maxIterationsSetting = "junction.max_recursive_iterations"
	maxRowsSetting       = "junction.max_recursive_rows"
	defaultMaxIterations = 100000
	defaultMaxRows       = 10000000
)

// invalidRecursion is SQLSTATE 42P19.
const invalidRecursion = "42P19"

// cteQuery binds the query of a WITH item where it is referenced.
func (b *binder) cteQuery(name string, c *cte) (plan.Node, error) {
	if c.binding {
		return b.workTableRef(name, c)
	}
	c.binding = true
	b.binding = append(b.binding, c)
	defer func() {
		c.binding = false
		b.binding = b.binding[:len(b.binding)-1]
	}()
	sel := c.query.GetSelectStmt()
	if c.recursive && sel.Op == pg.SetOperation_SETOP_UNION && mentionsRelation(sel, name) > 0 {
		return b.recursiveCTE(name, c, sel)
	}
	if c.searchCycle.search != nil || c.searchCycle.cycle != nil {
		return nil, pgerr.New(pgerr.SyntaxError, "with a SEARCH or CYCLE clause, the query of WITH item %q must be non-recursive-term UNION [ALL] recursive-term", name)
	}
	// The item's query sees the columns of the queries around the WITH,
	// which an inlined item cannot carry to where it is referenced.
	n, err := b.selectStmt(sel, c.outer)
	if err == nil && usesOuter(n) {
		return nil, outerWithQuery()
	}
	return n, err
}

func outerWithQuery() error {
	return pgerr.NotSupported("a WITH query reading a column of an outer query")
}

// mutualRecursion reports whether the reference to c being bound passes
// through another item of c's WITH list, which PostgreSQL does not run.
func (b *binder) mutualRecursion(c *cte) bool {
	for i := len(b.binding) - 1; i >= 0 && b.binding[i] != c; i-- {
		if b.binding[i].list != nil && sameList(b.binding[i].list, c.list) {
			return true
		}
	}
	return false
}

func sameList(a, b map[string]*cte) bool {
	for name, c := range a {
		return b[name] == c
	}
	return false
}

// workTableRef is a recursive item's reference to itself.
func (b *binder) workTableRef(name string, c *cte) (plan.Node, error) {
	switch {
	case b.mutualRecursion(c):
		return nil, pgerr.NotSupported("mutual recursion between WITH items")
	case c.inInit:
		return nil, pgerr.New(invalidRecursion, "recursive reference to query %q must not appear within its non-recursive term", name)
	case c.work == nil:
		return nil, pgerr.New(invalidRecursion, "recursive query %q does not have the form non-recursive-term UNION [ALL] recursive-term", name)
	}
	w := *c.work
	return &w, nil
}

func (b *binder) recursiveCTE(name string, c *cte, sel *pg.SelectStmt) (plan.Node, error) {
	if sel.Op != pg.SetOperation_SETOP_UNION {
		return nil, pgerr.New(invalidRecursion, "recursive query %q does not have the form non-recursive-term UNION [ALL] recursive-term", name)
	}
	for _, clause := range []struct {
		present bool
		name    string
	}{
		{len(sel.SortClause) > 0, "ORDER BY"},
		{sel.LimitOffset != nil, "OFFSET"},
		{sel.LimitCount != nil, "LIMIT"},
		{len(sel.LockingClause) > 0, "FOR UPDATE/SHARE"},
	} {
		if clause.present {
			return nil, pgerr.NotSupported(clause.name + " in a recursive query")
		}
	}
	if sel.WithClause != nil {
		depth := len(b.ctes)
		defer func() { b.ctes = b.ctes[:depth] }()
		if err := b.withClause(sel.WithClause, nil); err != nil {
			return nil, err
		}
	}
	c.inInit = true
	init, err := b.selectStmt(sel.Larg, c.outer)
	c.inInit = false
	if err != nil {
		return nil, err
	}
	if usesOuter(init) {
		return nil, outerWithQuery()
	}
	init, cols, err := b.recursiveColumns(name, c, init)
	if err != nil {
		return nil, err
	}
	rarg := sel.Rarg
	var added []addedColumn
	var keep plan.Expr
	if c.searchCycle.search != nil || c.searchCycle.cycle != nil {
		if added, keep, err = b.searchCycleColumns(c.searchCycle, cols); err != nil {
			return nil, err
		}
		if rarg, err = withPreviousColumns(sel.Rarg, name, added); err != nil {
			return nil, err
		}
		init, cols = addColumns(init, cols, added, name)
	}
	c.workVisible = len(cols) - len(added)
	b.nextWorkTable++
	id := b.nextWorkTable
	c.work = &plan.WorkTable{Name: name, ID: id, Cols: cols}
	recur, err := b.selectStmt(rarg, c.outer)
	c.work = nil
	if err != nil {
		return nil, err
	}
	if usesOuter(recur) {
		return nil, outerWithQuery()
	}
	refs, err := checkRecursiveTerm(name, id, recur)
	if err != nil {
		return nil, err
	}
	if mentionsRelation(sel.Rarg, name) > 1 {
		// Counted in the text, as PostgreSQL does: a WITH item of the
		// recursive term that reads the working table may be used twice.
		return nil, pgerr.New(invalidRecursion, "recursive reference to query %q must not appear more than once", name)
	}
	rc := recur.Columns()
	if len(rc) != len(cols) {
		return nil, pgerr.New(pgerr.SyntaxError, "each UNION query must have the same number of columns")
	}
	exprs := make([]plan.Expr, len(rc))
	for i := range rc {
		l := &plan.ColRef{Index: i, T: cols[i].Type, Name: cols[i].Name}
		r := &plan.ColRef{Index: i, T: rc[i].Type, Name: rc[i].Name}
		both, t, err := b.coerceAll([]plan.Expr{l, r}, "UNION")
		if err != nil {
			return nil, err
		}
		if t != cols[i].Type {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "recursive query %q column %d has type %s in non-recursive term but type %s overall", name, i+1, cols[i].Type, t).
				WithHint("Cast the output of the non-recursive term to the correct type.")
		}
		exprs[i] = both[1]
	}
	recur = castColumns(recur, exprs, cols)
	if added != nil {
		recur = extendRecursiveRows(recur, keep, cols, added)
	}
	if refs == 0 {
		// The name it mentions is another query's (a nested WITH item of
		// the same name): a plain union.
		return &plan.SetOp{Kind: plan.Union, All: sel.All, Left: init, Right: recur, Cols: cols}, nil
	}
	return &plan.RecursiveUnion{
		Name:          name,
		ID:            id,
		Init:          init,
		Recur:         recur,
		All:           sel.All,
		Cols:          cols,
		MaxIterations: b.intSetting(maxIterationsSetting, defaultMaxIterations),
		MaxRows:       b.intSetting(maxRowsSetting, defaultMaxRows),
	}, nil
}

// recursiveColumns names the columns of a recursive item and fixes their
// types from the non-recursive term, resolving untyped literals as text.
func (b *binder) recursiveColumns(name string, c *cte, init plan.Node) (plan.Node, []plan.Column, error) {
	ic := init.Columns()
	if len(c.colName) > len(ic) {
		return nil, nil, pgerr.New(pgerr.InvalidColumnReference, "WITH query %q has %d columns available but %d columns specified", name, len(ic), len(c.colName))
	}
	cols := make([]plan.Column, len(ic))
	exprs := make([]plan.Expr, len(ic))
	for i, col := range ic {
		cols[i] = plan.Column{Name: col.Name, Type: col.Type, Table: name}
		if i < len(c.colName) {
			cols[i].Name = c.colName[i]
		}
		exprs[i] = &plan.ColRef{Index: i, T: col.Type, Name: col.Name}
		if col.Type.Kind == types.Unknown {
			cols[i].Type = types.TText
			exprs[i] = &plan.Cast{Arg: exprs[i], T: types.TText}
		}
	}
	return castColumns(init, exprs, cols), cols, nil
}

// checkRecursiveTerm applies PostgreSQL's restrictions on where the
// recursive term may read the working table id, and counts the reads.
func checkRecursiveTerm(name string, id int, recur plan.Node) (int, error) {
	refs := 0
	var visit func(n plan.Node, where string, aggregated bool) error
	visitExprs := func(n plan.Node) error {
		var err error
		for _, e := range nodeExprs(n) {
			plan.Walk(e, func(x plan.Expr) bool {
				if sq, ok := x.(*plan.Subquery); ok && err == nil {
					err = visit(sq.Plan, "a subquery", false)
				}
				return err == nil
			})
		}
		return err
	}
	visit = func(n plan.Node, where string, aggregated bool) error {
		if w, ok := n.(*plan.WorkTable); ok && w.ID == id {
			refs++
			switch {
			case where != "":
				return pgerr.New(invalidRecursion, "recursive reference to query %q must not appear within %s", name, where)
			case aggregated:
				return pgerr.New(invalidRecursion, "aggregate functions are not allowed in a recursive query's recursive term")
			}
		}
		if err := visitExprs(n); err != nil {
			return err
		}
		in := n.Inputs()
		sides := make([]string, len(in))
		for i := range sides {
			sides[i] = where
		}
		switch x := n.(type) {
		case *plan.Aggregate:
			aggregated = true
		case *plan.Join:
			switch x.Kind {
			case plan.Left:
				sides[1] = "an outer join"
			case plan.Right:
				sides[0] = "an outer join"
			case plan.Full:
				sides[0], sides[1] = "an outer join", "an outer join"
			}
		case *plan.SetOp:
			switch {
			case x.Kind == plan.Intersect && x.All:
				sides[0], sides[1] = "INTERSECT", "INTERSECT"
			case x.Kind == plan.Except:
				sides[1] = "EXCEPT"
				if x.All {
					sides[0] = "EXCEPT"
				}
			}
		}
		for i, c := range in {
			if err := visit(c, sides[i], aggregated); err != nil {
				return err
			}
		}
		return nil
	}
	err := visit(recur, "", false)
	return refs, err
}

// intSetting reads a positive integer session setting.
func (b *binder) intSetting(name string, def int64) int64 {
	if b.env.System == nil {
		return def
	}
	v, ok := b.env.System.Settings[name]
	if !ok {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return def
	}
	return n
}

// mentionsRelation counts the places a parse tree names the unqualified
// relation name (in FROM, in a subquery, in a nested WITH).
func mentionsRelation(sel *pg.SelectStmt, name string) int {
	count := 0
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		if rv, ok := m.Interface().(*pg.RangeVar); ok {
			if rv.Schemaname == "" && rv.Catalogname == "" && rv.Relname == name {
				count++
			}
			return
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.Message() == nil || fd.IsMap():
			case fd.IsList():
				for i := 0; i < v.List().Len(); i++ {
					walk(v.List().Get(i).Message())
				}
			default:
				walk(v.Message())
			}
			return true
		})
	}
	walk(sel.ProtoReflect())
	return count
}
