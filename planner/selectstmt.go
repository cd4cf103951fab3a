package planner

import (
	"strconv"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// selectStmt binds one query level. outer is the enclosing query's scope
// when this is a subquery that may refer to it.
func (b *binder) selectStmt(sel *pg.SelectStmt, outer *scope) (plan.Node, error) {
	setOpLeaf := b.setOpLeaf
	b.setOpLeaf = false
	if sel.WithClause != nil {
		depth := len(b.ctes)
		defer func() { b.ctes = b.ctes[:depth] }()
		if err := b.withClause(sel.WithClause, outer); err != nil {
			return nil, err
		}
	}
	if sel.IntoClause != nil {
		return nil, readOnly("SELECT INTO")
	}
	if len(sel.LockingClause) > 0 {
		return nil, readOnly("SELECT FOR UPDATE/SHARE")
	}
	if sel.Op != pg.SetOperation_SETOP_NONE {
		return b.setOperation(sel, outer)
	}
	if len(sel.ValuesLists) > 0 {
		n, err := b.values(sel.ValuesLists, outer)
		if err != nil {
			return nil, err
		}
		return b.orderAndLimit(n, sel, outer)
	}
	node, sc, err := b.fromClause(sel.FromClause, outer)
	if err != nil {
		return nil, err
	}
	if sel.WhereClause != nil {
		pred, err := b.boolExpr(sel.WhereClause, sc, "WHERE")
		if err != nil {
			return nil, err
		}
		node = &plan.Filter{Input: node, Pred: pred}
	}

	// Bind the select list, collecting aggregates.
	agg := &aggContext{}
	win, err := newWindowContext(sel.WindowClause)
	if err != nil {
		return nil, err
	}
	srf := &srfContext{}
	xb := &exprBinder{binder: b, sc: sc, agg: agg, win: win, srf: srf, clause: "SELECT"}
	sc.agg = agg
	targets, err := b.targetList(xb, sel.TargetList, len(sel.FromClause) > 0, setOpLeaf, setOpLeaf && plainLeaf(sel))
	if err != nil {
		return nil, err
	}
	sc.agg = nil // GROUP BY holds no aggregate, not even in a subquery
	group, err := b.groupBy(sel.GroupClause, sc, targets, sel.GroupDistinct, srf)
	if err != nil {
		return nil, err
	}
	sc.agg = agg
	groupKeys := group.keys
	var having plan.Expr
	if sel.HavingClause != nil {
		xh := &exprBinder{binder: b, sc: sc, agg: agg, clause: "HAVING"}
		h, err := xh.expr(sel.HavingClause)
		if err != nil {
			return nil, err
		}
		if having, err = b.requireBool(h, "HAVING"); err != nil {
			return nil, err
		}
	}
	// ORDER BY items that are not output columns are bound now, in the
	// same context as the select list, and carried as hidden columns.
	distinctOn := len(sel.DistinctClause) > 0 && sel.DistinctClause[0].GetNode() != nil
	sortKeys, extra, err := b.sortItems(sel.SortClause, xb, targets, sel.DistinctClause != nil && !distinctOn)
	if err != nil {
		return nil, err
	}
	var onKeys []int
	if distinctOn {
		if sortKeys, extra, onKeys, err = b.distinctOnKeys(sel.DistinctClause, xb, targets, sortKeys, extra); err != nil {
			return nil, err
		}
	}

	if err := resolveGrouping(agg.calls, groupKeys); err != nil {
		return nil, err
	}
	if group.sets != nil {
		if err := checkDirectArgsConstant(agg.calls); err != nil {
			return nil, err
		}
	}
	aggregated := len(agg.calls) > 0 || group.any || having != nil
	exprs := make([]plan.Expr, 0, len(targets)+len(extra))
	for _, t := range targets {
		exprs = append(exprs, t.expr)
	}
	exprs = append(exprs, extra...)
	if srf.inKeys(groupKeys) {
		// Set-returning functions in GROUP BY run before grouping.
		var rewrite func(plan.Expr) plan.Expr
		if node, rewrite, err = srf.projectKeySets(node, groupKeys); err != nil {
			return nil, err
		}
		for i := range groupKeys {
			groupKeys[i] = rewrite(groupKeys[i])
		}
		for i := range exprs {
			exprs[i] = rewrite(exprs[i])
		}
		for i := range sortKeys {
			sortKeys[i].Expr = rewrite(sortKeys[i].Expr)
		}
	}
	if aggregated {
		aggNode := &plan.Aggregate{Input: node, GroupBy: groupKeys, Aggs: agg.calls, Sets: group.sets}
		for i, k := range groupKeys {
			aggNode.Cols = append(aggNode.Cols, plan.Column{Name: groupColName(k, i), Type: k.Type()})
		}
		for _, a := range agg.calls {
			aggNode.Cols = append(aggNode.Cols, plan.Column{Name: a.Func, Type: a.T})
		}
		node = aggNode
		for i, e := range exprs {
			if k := keyOutput(e, groupKeys); k != nil && group.sets != nil {
				exprs[i] = k
				continue
			}
			if exprs[i], err = overAggregate(e, groupKeys); err != nil {
				return nil, err
			}
		}
		if having != nil {
			if having, err = overAggregate(having, groupKeys); err != nil {
				return nil, err
			}
			node = &plan.Filter{Input: node, Pred: having}
		}
	}
	if node, exprs, err = b.planWindows(node, exprs, win, groupKeys, aggregated); err != nil {
		return nil, err
	}

	if srf.pending() {
		if distinctOn {
			// PostgreSQL keeps one row per key before it expands the
			// set-returning functions; Junction expands them first.
			return nil, pgerr.NotSupported("DISTINCT ON with a set-returning function in the select list")
		}
		fix := func(e plan.Expr) (plan.Expr, error) { return e, nil }
		if aggregated {
			fix = func(e plan.Expr) (plan.Expr, error) { return overAggregate(e, groupKeys) }
		}
		if node, exprs, err = srf.projectSets(node, exprs, fix); err != nil {
			return nil, err
		}
	}
	cols := make([]plan.Column, 0, len(exprs))
	for _, t := range targets {
		cols = append(cols, t.column())
	}
	for i, e := range extra {
		cols = append(cols, plan.Column{Name: "?sort" + itoa(i), Type: e.Type()})
	}
	node = &plan.Project{Input: node, Exprs: exprs, Cols: cols}

	if distinctOn {
		node = &plan.DistinctOn{Input: &plan.Sort{Input: node, Keys: sortKeys}, Keys: onKeys}
		return b.finishLimit(node, sel, sortKeys, len(targets), outer)
	}
	if sel.DistinctClause != nil {
		node = &plan.Distinct{Input: node}
	}
	return b.finishOrderLimit(node, sel, sortKeys, len(targets), outer)
}

func readOnly(what string) error {
	return pgerr.New(pgerr.ReadOnlyTransaction, "cannot execute %s: Junction is read-only; sources are changed through their own databases", what)
}

func itoa(i int) string { return strconv.Itoa(i) }

// target is one bound select-list item.
type target struct {
	expr plan.Expr
	name string
	src  *scopeCol // the column it names directly, for RowDescription
}

func (t target) column() plan.Column {
	c := plan.Column{Name: t.name, Type: t.expr.Type()}
	if t.src != nil {
		c.Table, c.TableOID, c.Attnum = t.src.table, t.src.tableOID, t.src.attnum
	}
	return c
}

// plainLeaf reports whether a set operation's operand is a plain select
// list over its FROM and WHERE, whose untyped literals PostgreSQL types
// from the other operands (SELECT x ... UNION ALL SELECT NULL).
func plainLeaf(sel *pg.SelectStmt) bool {
	return len(sel.DistinctClause) == 0 && len(sel.GroupClause) == 0 && sel.HavingClause == nil &&
		len(sel.WindowClause) == 0 && len(sel.SortClause) == 0 && sel.LimitCount == nil && sel.LimitOffset == nil
}

// targetList binds a select list; hasFrom tells whether the query has a
// FROM clause for * to expand (its tables may have no columns).
// keepParams and keepLiterals leave untyped parameters and literals
// untyped, for the set operation the query is an operand of to type them.
func (b *binder) targetList(xb *exprBinder, list []*pg.Node, hasFrom, keepParams, keepLiterals bool) ([]target, error) {
	var out []target
	for _, item := range list {
		rt := item.GetResTarget()
		if rt == nil {
			return nil, pgerr.NotSupported("this select-list item")
		}
		if cr := rt.Val.GetColumnRef(); cr != nil {
			if star := cr.Fields[len(cr.Fields)-1].GetAStar(); star != nil {
				expanded, err := expandStar(xb.sc, stringList(cr.Fields[:len(cr.Fields)-1]), hasFrom)
				if err != nil {
					return nil, err
				}
				out = append(out, expanded...)
				continue
			}
		}
		e, err := xb.expr(rt.Val)
		if err != nil {
			return nil, err
		}
		_, param := e.(*plan.Param)
		_, literal := e.(*plan.Const)
		if isUnknown(e) && !(keepParams && param) && !(keepLiterals && literal) {
			// An untyped literal in the select list is text; an untyped
			// parameter or literal in an operand of a set operation takes
			// the type the set operation resolves.
			if e, err = b.coerce(e, types.TText); err != nil {
				return nil, err
			}
		}
		t := target{expr: e, name: rt.Name}
		if t.name == "" {
			t.name = columnName(rt.Val)
		}
		if cr, ok := e.(*plan.ColRef); ok && rt.Val.GetColumnRef() != nil {
			c := xb.sc.cols[cr.Index]
			t.src = &c
		}
		out = append(out, t)
	}
	return out, nil
}

func expandStar(sc *scope, qual []string, hasFrom bool) ([]target, error) {
	var out []target
	for i := range sc.cols {
		c := sc.cols[i]
		if len(qual) == 0 && c.hidden || c.unstarred {
			continue
		}
		if len(qual) > 0 && c.table != qual[len(qual)-1] {
			continue
		}
		out = append(out, target{expr: &plan.ColRef{Index: i, T: c.typ, Name: qualified(c)}, name: c.name, src: &c})
	}
	if len(qual) > 0 && len(out) == 0 && !sc.hasTable(qual[len(qual)-1]) {
		return expandOuterStar(sc, qual[len(qual)-1])
	}
	if len(qual) == 0 && !hasFrom {
		return nil, pgerr.New(pgerr.SyntaxError, "SELECT * with no tables specified is not valid")
	}
	return out, nil
}

// expandOuterStar expands t.* where t is a table of the enclosing query
// (a correlated or LATERAL subquery's select list).
func expandOuterStar(sc *scope, table string) ([]target, error) {
	if sc.parent == nil || !sc.parent.hasTable(table) {
		for up := sc.parent; up != nil; up = up.parent {
			if up.hasTable(table) {
				return nil, pgerr.NotSupported("a reference to a column two or more query levels up")
			}
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "missing FROM-clause entry for table %q", table)
	}
	var out []target
	for i, c := range sc.parent.cols {
		if c.table != table || c.unstarred {
			continue
		}
		out = append(out, target{expr: &plan.OuterRef{Index: i, T: c.typ, Name: qualified(c)}, name: c.name})
	}
	sc.correlated = true
	return out, nil
}

// columnName is the name PostgreSQL gives an unaliased select-list item.
func columnName(n *pg.Node) string {
	name, _ := figureColumnName(n)
	return name
}

// Strengths of a figured column name, as PostgreSQL ranks them: a CAST
// or CASE takes the name of its argument or ELSE result only when that
// is a real name, and is named for its type or "case" otherwise.
const (
	noName = iota
	weakName
	strongName
)

func figureColumnName(n *pg.Node) (string, int) {
	switch {
	case n.GetTypeCast() != nil:
		tc := n.GetTypeCast()
		if name, strength := figureColumnName(tc.Arg); strength == strongName {
			return name, strongName
		}
		names := stringList(tc.TypeName.Names)
		return names[len(names)-1], weakName
	case n.GetCaseExpr() != nil:
		if d := n.GetCaseExpr().Defresult; d != nil {
			if name, strength := figureColumnName(d); strength == strongName {
				return name, strongName
			}
		}
		return "case", weakName
	}
	if name := namedItem(n); name != "?column?" {
		return name, strongName
	}
	return "?column?", noName
}

// namedItem is the name of the items PostgreSQL names after themselves.
func namedItem(n *pg.Node) string {
	switch {
	case n.GetColumnRef() != nil:
		f := n.GetColumnRef().Fields
		if s := f[len(f)-1].GetString_(); s != nil {
			return s.Sval
		}
	case n.GetFuncCall() != nil:
		parts := stringList(n.GetFuncCall().Funcname)
		return parts[len(parts)-1]
	case n.GetGroupingFunc() != nil:
		return "grouping"
	case n.GetAArrayExpr() != nil:
		return "array"
	case n.GetRowExpr() != nil:
		return "row"
	case n.GetAIndirection() != nil:
		ind := n.GetAIndirection()
		if s := ind.Indirection[len(ind.Indirection)-1].GetString_(); s != nil {
			return s.Sval
		}
		return columnName(ind.Arg)
	case n.GetCoalesceExpr() != nil:
		return "coalesce"
	case n.GetMinMaxExpr() != nil:
		if n.GetMinMaxExpr().Op == pg.MinMaxOp_IS_LEAST {
			return "least"
		}
		return "greatest"
	case n.GetAExpr() != nil && n.GetAExpr().Kind == pg.A_Expr_Kind_AEXPR_NULLIF:
		return "nullif"
	case n.GetSubLink() != nil:
		sl := n.GetSubLink()
		switch sl.SubLinkType {
		case pg.SubLinkType_EXISTS_SUBLINK:
			return "exists"
		case pg.SubLinkType_ARRAY_SUBLINK:
			return "array"
		case pg.SubLinkType_EXPR_SUBLINK:
			if s := sl.Subselect.GetSelectStmt(); s != nil && len(s.TargetList) == 1 {
				rt := s.TargetList[0].GetResTarget()
				if rt.Name != "" {
					return rt.Name
				}
				return columnName(rt.Val)
			}
		}
	case n.GetSqlvalueFunction() != nil:
		switch n.GetSqlvalueFunction().Op {
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
			return "current_date"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
			return "current_timestamp"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
			return "current_time"
		case pg.SQLValueFunctionOp_SVFOP_LOCALTIME, pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
			return "localtime"
		case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
			return "localtimestamp"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER:
			return "current_user"
		case pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
			return "session_user"
		case pg.SQLValueFunctionOp_SVFOP_USER:
			return "user"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
			return "current_schema"
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
			return "current_catalog"
		}
	case n.GetBooleanTest() != nil, n.GetNullTest() != nil:
		return "?column?"
	}
	return "?column?"
}

func groupColName(e plan.Expr, i int) string {
	if c, ok := e.(*plan.ColRef); ok {
		return c.Name
	}
	return "group" + itoa(i)
}

func positionRef(n *pg.Node) (int, bool) {
	if c := n.GetAConst(); c != nil && c.GetIval() != nil {
		return int(c.GetIval().Ival), true
	}
	return 0, false
}

func containsAgg(e plan.Expr) bool {
	found := false
	plan.Walk(e, func(x plan.Expr) bool {
		if _, ok := x.(*aggRef); ok {
			found = true
		}
		return !found
	})
	return found
}

// overAggregate rewrites an expression bound over the aggregate's input
// into one over its output: group keys become their output columns and
// aggregate placeholders their result columns. A leftover input column is
// PostgreSQL's grouping error.
func overAggregate(e plan.Expr, keys []plan.Expr) (plan.Expr, error) {
	var err error
	out := rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
		if err != nil {
			return x, true
		}
		if _, isConst := x.(*plan.Const); !isConst {
			s := exprKey(x)
			for i, k := range keys {
				if exprKey(k) == s && k.Type() == x.Type() {
					return &plan.ColRef{Index: i, T: k.Type(), Name: colRefName(k)}, true
				}
			}
		}
		switch v := x.(type) {
		case *aggRef:
			if v.Outer {
				return x, true // the enclosing query's, rebound with it
			}
			return &plan.ColRef{Index: len(keys) + v.Index, T: v.T, Name: v.Name}, true
		case *plan.ColRef:
			err = pgerr.New(pgerr.GroupingError, "column %q must appear in the GROUP BY clause or be used in an aggregate function", v.Name)
			return x, true
		case *plan.Subquery:
			sq, serr := subqueryOverAggregate(v, keys)
			if serr != nil {
				err = serr
				return x, true
			}
			return sq, true
		}
		return x, false
	})
	return out, err
}

func colRefName(e plan.Expr) string {
	if c, ok := e.(*plan.ColRef); ok {
		return c.Name
	}
	return e.String()
}

// sortItems binds ORDER BY. Each key refers to a select-list position, to
// an output column by name, or to an expression that becomes a hidden extra
// column. Keys are returned as expressions over the projected columns.
func (b *binder) sortItems(items []*pg.Node, xb *exprBinder, targets []target, distinct bool) ([]plan.SortKey, []plan.Expr, error) {
	var keys []plan.SortKey
	var extra []plan.Expr
	for _, item := range items {
		sb := item.GetSortBy()
		desc := sb.SortbyDir == pg.SortByDir_SORTBY_DESC
		if sb.SortbyDir == pg.SortByDir_SORTBY_USING {
			// USING < and USING > are ASC and DESC; other operators name
			// orderings Junction does not have.
			switch opName(sb.UseOp) {
			case "<":
			case ">":
				desc = true
			default:
				return nil, nil, pgerr.NotSupported("ORDER BY ... USING " + opName(sb.UseOp))
			}
		}
		nullsFirst := desc
		switch sb.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			nullsFirst = true
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			nullsFirst = false
		}
		idx := -1
		if pos, ok := positionRef(sb.Node); ok {
			if pos < 1 || pos > len(targets) {
				return nil, nil, pgerr.New(pgerr.InvalidColumnReference, "ORDER BY position %d is not in select list", pos)
			}
			idx = pos - 1
		} else if cr := sb.Node.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
			name := cr.Fields[0].GetString_().Sval
			matches := 0
			for i, t := range targets {
				if t.name == name {
					if matches == 0 {
						idx = i
					}
					matches++
				}
			}
			if matches > 1 {
				// Several outputs share the name: fine if they are the same expression.
				for _, t := range targets {
					if t.name == name && exprKey(t.expr) != exprKey(targets[idx].expr) {
						return nil, nil, pgerr.New(pgerr.AmbiguousColumn, "ORDER BY %q is ambiguous", name)
					}
				}
			}
		}
		if idx < 0 {
			e, err := xb.expr(sb.Node)
			if err != nil {
				return nil, nil, err
			}
			if isUnknown(e) {
				if e, err = b.coerce(e, types.TText); err != nil {
					return nil, nil, err
				}
			}
			for i, t := range targets {
				if exprKey(t.expr) == exprKey(e) && t.expr.Type() == e.Type() {
					idx = i
					break
				}
			}
			if idx < 0 {
				if distinct {
					return nil, nil, pgerr.New(pgerr.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
				}
				extra = append(extra, e)
				idx = len(targets) + len(extra) - 1
			}
		}
		var typ types.Type
		var name string
		if idx < len(targets) {
			typ, name = targets[idx].expr.Type(), colRefName(targets[idx].expr)
		} else {
			typ, name = extra[idx-len(targets)].Type(), colRefName(extra[idx-len(targets)])
		}
		if !sortable(typ) {
			return nil, nil, pgerr.New(pgerr.UndefinedFunction, "could not identify an ordering operator for type %s", typ.BaseName())
		}
		keys = append(keys, plan.SortKey{Expr: &plan.ColRef{Index: idx, T: typ, Name: name}, Desc: desc, NullsFirst: nullsFirst})
	}
	return keys, extra, nil
}

func sortable(t types.Type) bool {
	switch t.Kind {
	case types.JSON:
		return false
	}
	return true
}

// finishOrderLimit adds ORDER BY and LIMIT over the projected node and
// drops hidden sort columns beyond the first visible ones.
func (b *binder) finishOrderLimit(node plan.Node, sel *pg.SelectStmt, keys []plan.SortKey, visible int, outer *scope) (plan.Node, error) {
	if len(keys) > 0 {
		node = &plan.Sort{Input: node, Keys: keys}
	}
	return b.finishLimit(node, sel, keys, visible, outer)
}

// finishLimit adds LIMIT over node, sorted on keys, and drops hidden sort
// columns.
func (b *binder) finishLimit(node plan.Node, sel *pg.SelectStmt, keys []plan.SortKey, visible int, outer *scope) (plan.Node, error) {
	node, err := b.limit(node, sel, keys, outer)
	if err != nil {
		return nil, err
	}
	cols := node.Columns()
	if len(cols) > visible {
		exprs := make([]plan.Expr, visible)
		for i := 0; i < visible; i++ {
			exprs[i] = &plan.ColRef{Index: i, T: cols[i].Type, Name: cols[i].Name}
		}
		node = &plan.Project{Input: node, Exprs: exprs, Cols: cols[:visible]}
	}
	return node, nil
}

// orderAndLimit handles ORDER BY and LIMIT for VALUES and set operations,
// whose ORDER BY can only name output columns.
func (b *binder) orderAndLimit(node plan.Node, sel *pg.SelectStmt, outer *scope) (plan.Node, error) {
	cols := node.Columns()
	targets := make([]target, len(cols))
	for i, c := range cols {
		targets[i] = target{expr: &plan.ColRef{Index: i, T: c.Type, Name: c.Name}, name: c.Name}
	}
	sc := scopeOf(cols, "")
	xb := &exprBinder{binder: b, sc: sc, clause: "ORDER BY"}
	keys, extra, err := b.sortItems(sel.SortClause, xb, targets, false)
	if err != nil {
		return nil, err
	}
	if len(extra) > 0 {
		exprs := make([]plan.Expr, 0, len(cols)+len(extra))
		out := append([]plan.Column{}, cols...)
		for _, t := range targets {
			exprs = append(exprs, t.expr)
		}
		for i, e := range extra {
			exprs = append(exprs, e)
			out = append(out, plan.Column{Name: "?sort" + itoa(i), Type: e.Type()})
		}
		node = &plan.Project{Input: node, Exprs: exprs, Cols: out}
	}
	return b.finishOrderLimit(node, sel, keys, len(cols), outer)
}

func (b *binder) limit(node plan.Node, sel *pg.SelectStmt, keys []plan.SortKey, outer *scope) (plan.Node, error) {
	if sel.LimitCount == nil && sel.LimitOffset == nil {
		return node, nil
	}
	count, countExpr, err := b.limitValue(sel.LimitCount, "LIMIT", -1, outer)
	if err != nil {
		return nil, err
	}
	offset, offsetExpr, err := b.limitValue(sel.LimitOffset, "OFFSET", 0, outer)
	if err != nil {
		return nil, err
	}
	if sel.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES {
		if countExpr != nil || offsetExpr != nil {
			return nil, pgerr.NotSupported("FETCH ... WITH TIES with a parameter as its count or offset")
		}
		return withTies(node, keys, count, offset)
	}
	return &plan.Limit{Input: node, Count: count, Offset: offset, CountExpr: countExpr, OffsetExpr: offsetExpr}, nil
}

// limitValue evaluates a LIMIT/OFFSET expression, which must be constant
// or read parameters; one that reads parameters is returned as an
// expression (of type bigint, as PostgreSQL infers for LIMIT $1). outer
// is the enclosing query's scope, whose columns PostgreSQL lets a
// subquery's LIMIT read.
func (b *binder) limitValue(n *pg.Node, clause string, none int64, outer *scope) (int64, plan.Expr, error) {
	if n == nil {
		return none, nil, nil
	}
	if c := n.GetAConst(); c != nil && c.Isnull {
		return none, nil, nil // LIMIT NULL / LIMIT ALL
	}
	xb := &exprBinder{binder: b, sc: &scope{parent: outer}, clause: clause}
	e, err := xb.expr(n)
	if err != nil {
		return 0, nil, err
	}
	if e, err = b.coerce(e, types.TInt8); err != nil {
		return 0, nil, err
	}
	if readsOnlyParams(e) {
		return none, e, nil
	}
	if readsOuter(e) {
		return 0, nil, pgerr.NotSupported(clause + " reading a column of an outer query")
	}
	if !isConstant(e) {
		return 0, nil, pgerr.NotSupported("a non-constant " + clause)
	}
	d, err := b.constValue(e)
	if err != nil {
		return 0, nil, err
	}
	if d.Null {
		return none, nil, nil
	}
	if d.Int < 0 {
		code := "2201W"
		if clause == "OFFSET" {
			code = "2201X"
		}
		return 0, nil, pgerr.New(code, "%s must not be negative", clause)
	}
	return d.Int, nil, nil
}

func (b *binder) values(lists []*pg.Node, outer *scope) (plan.Node, error) {
	xb := &exprBinder{binder: b, sc: &scope{parent: outer}, clause: "VALUES"}
	var rows [][]plan.Expr
	for _, l := range lists {
		row, err := xb.exprs(l.GetList().Items)
		if err != nil {
			return nil, err
		}
		if len(rows) > 0 && len(row) != len(rows[0]) {
			return nil, pgerr.New(pgerr.SyntaxError, "VALUES lists must all be the same length")
		}
		rows = append(rows, row)
	}
	n := &plan.Values{Rows: rows}
	for c := range rows[0] {
		col := make([]plan.Expr, len(rows))
		for r := range rows {
			col[r] = rows[r][c]
		}
		col, t, err := b.coerceAll(col, "VALUES")
		if err != nil {
			return nil, err
		}
		for r := range rows {
			rows[r][c] = col[r]
		}
		n.Cols = append(n.Cols, plan.Column{Name: "column" + itoa(c+1), Type: t})
	}
	return n, nil
}

func (b *binder) setOperation(sel *pg.SelectStmt, outer *scope) (plan.Node, error) {
	b.setOpLeaf = true
	left, err := b.selectStmt(sel.Larg, outer)
	if err != nil {
		return nil, err
	}
	b.setOpLeaf = true
	right, err := b.selectStmt(sel.Rarg, outer)
	if err != nil {
		return nil, err
	}
	var kind plan.SetOpKind
	name := "UNION"
	switch sel.Op {
	case pg.SetOperation_SETOP_INTERSECT:
		kind, name = plan.Intersect, "INTERSECT"
	case pg.SetOperation_SETOP_EXCEPT:
		kind, name = plan.Except, "EXCEPT"
	}
	lc, rc := left.Columns(), right.Columns()
	if len(lc) != len(rc) {
		return nil, pgerr.New(pgerr.SyntaxError, "each %s query must have the same number of columns", name)
	}
	lexprs := make([]plan.Expr, len(lc))
	rexprs := make([]plan.Expr, len(rc))
	cols := make([]plan.Column, len(lc))
	for i := range lc {
		l := plan.Expr(&plan.ColRef{Index: i, T: lc[i].Type, Name: lc[i].Name})
		r := plan.Expr(&plan.ColRef{Index: i, T: rc[i].Type, Name: rc[i].Name})
		both, t, err := b.coerceAll([]plan.Expr{l, r}, name)
		if err != nil {
			return nil, err
		}
		if t.Kind == types.Unknown {
			t = types.TText
		}
		lexprs[i], rexprs[i] = both[0], both[1]
		cols[i] = plan.Column{Name: lc[i].Name, Type: t}
		if left, err = b.typeLeafColumn(left, lc[i].Type, i, t, lexprs); err != nil {
			return nil, err
		}
		if right, err = b.typeLeafColumn(right, rc[i].Type, i, t, rexprs); err != nil {
			return nil, err
		}
	}
	op := &plan.SetOp{Kind: kind, All: sel.All, Left: castColumns(left, lexprs, cols), Right: castColumns(right, rexprs, cols), Cols: cols}
	return b.orderAndLimit(op, sel, outer)
}

// typeLeafColumn gives an operand's untyped column i (a parameter or
// literal its select list left untyped) type t where it is written, so
// that it takes the type the set operation resolves, as in PostgreSQL;
// exprs[i] then reads the column as it is.
func (b *binder) typeLeafColumn(n plan.Node, was types.Type, i int, t types.Type, exprs []plan.Expr) (plan.Node, error) {
	p, ok := n.(*plan.Project)
	if was.Kind != types.Unknown || !ok {
		return n, nil
	}
	_, param := p.Exprs[i].(*plan.Param)
	_, literal := p.Exprs[i].(*plan.Const)
	if !param && !literal {
		return n, nil
	}
	e, err := b.coerce(p.Exprs[i], t)
	if err != nil {
		return nil, err
	}
	out := &plan.Project{Input: p.Input, Exprs: append([]plan.Expr{}, p.Exprs...), Cols: append([]plan.Column{}, p.Cols...)}
	out.Exprs[i] = e
	out.Cols[i].Type = t
	exprs[i] = &plan.ColRef{Index: i, T: t, Name: p.Cols[i].Name}
	return out, nil
}

// castColumns projects n to exprs when any of them converts a column.
func castColumns(n plan.Node, exprs []plan.Expr, cols []plan.Column) plan.Node {
	for _, e := range exprs {
		if _, plain := e.(*plan.ColRef); !plain {
			return &plan.Project{Input: n, Exprs: exprs, Cols: cols}
		}
	}
	return n
}

// subLink binds a subquery used as an expression.
func (x *exprBinder) subLink(sl *pg.SubLink) (plan.Expr, error) {
	sel := sl.Subselect.GetSelectStmt()
	if sel == nil {
		return nil, pgerr.NotSupported("this subquery")
	}
	sub, err := x.selectStmt(sel, x.sc)
	if err != nil {
		return nil, err
	}
	correlated := usesOuter(sub)
	cols := sub.Columns()
	switch sl.SubLinkType {
	case pg.SubLinkType_EXISTS_SUBLINK:
		return &plan.Subquery{Kind: plan.ExistsSubquery, Plan: sub, Correlated: correlated, T: types.TBool}, nil
	case pg.SubLinkType_EXPR_SUBLINK:
		if len(cols) != 1 {
			return nil, pgerr.New(pgerr.SyntaxError, "subquery must return only one column")
		}
		return &plan.Subquery{Kind: plan.ScalarSubquery, Plan: sub, Correlated: correlated, T: cols[0].Type}, nil
	case pg.SubLinkType_ARRAY_SUBLINK:
		if len(cols) != 1 {
			return nil, pgerr.New(pgerr.SyntaxError, "subquery must return only one column")
		}
		return &plan.Subquery{Kind: plan.ArraySubquery, Plan: sub, Correlated: correlated, T: arraySubqueryType(cols[0].Type)}, nil
	case pg.SubLinkType_ANY_SUBLINK, pg.SubLinkType_ALL_SUBLINK:
		if row := sl.Testexpr.GetRowExpr(); row != nil && len(row.Args) > 1 {
			return x.quantifiedComparison(sl, row.Args, sub)
		}
		if len(cols) != 1 {
			return nil, pgerr.New(pgerr.SyntaxError, "subquery has too many columns")
		}
		op := "="
		if len(sl.OperName) > 0 {
			op = opName(sl.OperName)
		}
		test := sl.Testexpr
		if row := test.GetRowExpr(); row != nil && len(row.Args) == 1 {
			// ROW(a) = ANY (SELECT b) compares a with b, as PostgreSQL
			// reads a row on the left as the subquery's columns.
			test = row.Args[0]
		}
		arg, err := x.expr(test)
		if err != nil {
			return nil, err
		}
		negated := false
		if sl.SubLinkType == pg.SubLinkType_ALL_SUBLINK && op == "<>" {
			negated = true // x <> ALL (s) is NOT (x = ANY (s))
		} else if sl.SubLinkType != pg.SubLinkType_ANY_SUBLINK || op != "=" {
			return x.quantifiedComparison(sl, []*pg.Node{test}, sub)
		}
		probe := &plan.ColRef{Index: 0, T: cols[0].Type}
		both, t, err := x.coerceAll([]plan.Expr{arg, probe}, "IN")
		if err != nil {
			return nil, err
		}
		if t != cols[0].Type {
			sub = &plan.Project{Input: sub, Exprs: []plan.Expr{both[1]}, Cols: []plan.Column{{Name: cols[0].Name, Type: t}}}
		}
		return &plan.Subquery{Kind: plan.InSubquery, Plan: sub, Arg: both[0], Negated: negated, Correlated: correlated, T: types.TBool}, nil
	}
	return nil, pgerr.NotSupported("this kind of subquery")
}

// usesOuter reports whether a subquery plan reads the enclosing row.
func usesOuter(n plan.Node) bool {
	found := false
	walkPlanExprs(n, func(e plan.Expr) {
		plan.Walk(e, func(x plan.Expr) bool {
			if _, ok := x.(*plan.OuterRef); ok {
				found = true
			}
			return !found
		})
	})
	return found
}

// exprKey identifies an expression structurally: equal keys mean the same
// computation over the same input columns.
func exprKey(e plan.Expr) string {
	return plan.MapCols(e, func(c *plan.ColRef) plan.Expr {
		return &plan.ColRef{Index: c.Index, T: c.T}
	}).String()
}
