package planner

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// maxViewDepth bounds view expansion; deeper nesting means a view refers to
// itself through others.
const maxViewDepth = 32

// fromClause binds the FROM list; several items form a cross join whose
// conditions the optimizer later pulls out of WHERE.
func (b *binder) fromClause(items []*pg.Node, outer *scope) (plan.Node, *scope, error) {
	if len(items) == 0 {
		// SELECT without FROM reads one empty row.
		return &plan.Values{Rows: [][]plan.Expr{{}}}, &scope{parent: outer}, nil
	}
	var node plan.Node
	var sc *scope
	for _, item := range items {
		itemOuter := outer
		if node != nil && isLateralItem(item) {
			itemOuter = &scope{cols: sc.cols, parent: outer}
		}
		n, s, err := b.fromItem(item, itemOuter)
		if err != nil {
			return nil, nil, lateralInJoin(b, item, node, sc, outer, err)
		}
		if node == nil {
			node, sc = n, s
			continue
		}
		if err := checkDuplicateAliases(sc, s); err != nil {
			return nil, nil, err
		}
		if itemOuter != outer {
			node = lateralOrJoin(&plan.Join{Kind: plan.Cross, Left: node, Right: n})
		} else {
			node = &plan.Join{Kind: plan.Cross, Left: node, Right: n}
		}
		sc = &scope{cols: append(append([]scopeCol{}, sc.cols...), s.cols...), parent: outer}
	}
	sc.parent = outer
	return node, sc, nil
}

func checkDuplicateAliases(left, right *scope) error {
	seen := map[string]bool{}
	for _, c := range left.cols {
		seen[c.table] = true
	}
	done := map[string]bool{}
	for _, c := range right.cols {
		if c.table != "" && seen[c.table] && !done[c.table] {
			return pgerr.New("42712", "table name %q specified more than once", c.table)
		}
		done[c.table] = true
	}
	return nil
}

func (b *binder) fromItem(item *pg.Node, outer *scope) (plan.Node, *scope, error) {
	switch {
	case item.GetRangeVar() != nil:
		return b.rangeVar(item.GetRangeVar())
	case item.GetJoinExpr() != nil:
		return b.joinExpr(item.GetJoinExpr(), outer)
	case item.GetRangeSubselect() != nil:
		rs := item.GetRangeSubselect()
		sel := rs.Subquery.GetSelectStmt()
		if sel == nil {
			return nil, nil, pgerr.NotSupported("this kind of subquery in FROM")
		}
		// outer is the enclosing query's scope, or for a LATERAL item
		// the items to its left: a derived table may read either.
		n, err := b.selectStmt(sel, outer)
		if err != nil {
			return nil, nil, err
		}
		alias := ""
		var colNames []string
		if rs.Alias != nil {
			alias = rs.Alias.Aliasname
			colNames = stringList(rs.Alias.Colnames)
		}
		return b.aliased(n, alias, colNames)
	case item.GetRangeFunction() != nil:
		return b.rangeFunction(item.GetRangeFunction(), outer)
	}
	return nil, nil, pgerr.NotSupported(fmt.Sprintf("FROM item %T", item.Node))
}

// aliased gives a derived table its alias and optional column names.
func (b *binder) aliased(n plan.Node, alias string, colNames []string) (plan.Node, *scope, error) {
	cols := n.Columns()
	if len(colNames) > len(cols) {
		return nil, nil, pgerr.New(pgerr.InvalidColumnReference, "table %q has %d columns available but %d columns specified", alias, len(cols), len(colNames))
	}
	s := &scope{cols: make([]scopeCol, len(cols))}
	for i, c := range cols {
		name := c.Name
		if i < len(colNames) {
			name = colNames[i]
		}
		s.cols[i] = scopeCol{table: alias, name: name, typ: c.Type}
	}
	return n, s, nil
}

func (b *binder) rangeVar(rv *pg.RangeVar) (plan.Node, *scope, error) {
	alias := rv.Relname
	var colNames []string
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
		colNames = stringList(rv.Alias.Colnames)
	}
	if rv.Catalogname == "" && rv.Schemaname == "" {
		if c := b.lookupCTE(rv.Relname); c != nil {
			selfReference := c.binding
			n, err := b.bindCTE(rv.Relname, c)
			if err != nil {
				return nil, nil, err
			}
			n, sc, err := b.aliased(n, alias, colNames)
			if err == nil && selfReference {
				// The columns SEARCH or CYCLE adds are not the
				// item's own to its recursive term: * leaves them out.
				for i := c.workVisible; i < len(sc.cols); i++ {
					sc.cols[i].unstarred = true
				}
			}
			return n, sc, err
		}
	}
	n, err := b.resolveTable(rv)
	if err != nil {
		return nil, nil, err
	}
	sc := scopeOf(n.Columns(), alias)
	if len(colNames) > 0 || rv.Alias != nil {
		if _, sc, err = b.aliased(n, alias, colNames); err != nil {
			return nil, nil, err
		}
	}
	switch n.(type) {
	case *plan.Scan, *plan.Rows:
		// A table's columns keep their origin under an alias, and its
		// rows have a tableoid.
		for i, c := range n.Columns() {
			sc.cols[i].tableOID, sc.cols[i].attnum, sc.cols[i].relation = c.TableOID, c.Attnum, c.TableOID
		}
	}
	if scan, ok := n.(*plan.Scan); ok {
		if n, err = b.rowSecurity(scan); err != nil {
			return nil, nil, err
		}
		b.accelerate(scan)
	}
	return n, sc, nil
}

// resolveTable finds a table, view or system table by its one-, two- or
// three-part name.
func (b *binder) resolveTable(rv *pg.RangeVar) (plan.Node, error) {
	snap := b.env.Snapshot
	name := rv.Relname
	switch {
	case rv.Catalogname != "":
		// source.remote_schema.table
		src, t, ok := snap.FindTable(rv.Catalogname, rv.Schemaname, name)
		if src == nil {
			return nil, undefinedTable(rv).
				WithHint("Three-part names are source.remote_schema.table; the sources are listed by \\dn.")
		}
		if !ok {
			return nil, undefinedTable(rv)
		}
		return b.scanOf(src, t)
	case rv.Schemaname != "":
		return b.resolveInSchema(rv.Schemaname, name, rv)
	}
	for _, schema := range b.searchPath() {
		n, err := b.resolveInSchema(schema, name, rv)
		if err == nil {
			return n, nil
		}
		if pgerr.Code(err) != pgerr.UndefinedTable {
			return nil, err
		}
	}
	return nil, undefinedTable(rv)
}

// searchPath is where unqualified names are looked up: pg_catalog, the
// session's search_path, then the sources, the same order the catalog's
// pg_table_is_visible uses, so psql lists exactly what resolves.
func (b *binder) searchPath() []string {
	if b.env.System == nil {
		return []string{"pg_catalog"}
	}
	return b.usableSchemas(system.SearchPath(b.env.System))
}

func (b *binder) resolveInSchema(schema, name string, rv *pg.RangeVar) (plan.Node, error) {
	snap := b.env.Snapshot
	if v, ok := snap.Views[catalog.ViewKey(schema, name)]; ok {
		return b.bindView(v)
	}
	if m, ok := snap.MatViews[catalog.ViewKey(schema, name)]; ok {
		return b.matviewScan(m)
	}
	if isSystemSchema(schema) {
		if rows, ok := system.Lookup(b.env.System, schema, name); ok {
			return rows, nil
		}
		return nil, undefinedTable(rv)
	}
	if src, ok := snap.Sources[schema]; ok {
		_, t, found := snap.FindTable(schema, "", name)
		if !found {
			return nil, undefinedTable(rv)
		}
		return b.scanOf(src, t)
	}
	// "source.remote_schema" namespaces, as the system catalog lists them.
	for _, srcName := range snap.SourceNames() {
		src := snap.Sources[srcName]
		if len(schema) > len(srcName)+1 && schema[:len(srcName)+1] == srcName+"." {
			if _, t, ok := snap.FindTable(srcName, schema[len(srcName)+1:], name); ok {
				return b.scanOf(src, t)
			}
		}
	}
	// PostgreSQL reports a missing schema in a table name as a missing
	// relation.
	return nil, undefinedTable(rv).WithHint("Each registered source is a schema; \\dn lists them.")
}

func isSystemSchema(schema string) bool {
	for _, s := range system.Schemas() {
		if s == schema {
			return true
		}
	}
	return false
}

func undefinedTable(rv *pg.RangeVar) *pgerr.Error {
	name := rv.Relname
	if rv.Schemaname != "" {
		name = rv.Schemaname + "." + name
	}
	if rv.Catalogname != "" {
		name = rv.Catalogname + "." + name
	}
	return pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", name)
}

// scanOf builds the scan of a discovered table.
func (b *binder) scanOf(src *catalog.Source, t *connectors.Table) (plan.Node, error) {
	if err := b.checkRead(catalog.TableSchema(src, t), t.Name, "table"); err != nil {
		return nil, err
	}
	if b.viewDepth == 0 {
		if b.sources == nil {
			b.sources = map[string]bool{}
		}
		b.sources[src.Name] = true
	}
	oid := tableOID(src, t)
	scan := &plan.Scan{
		Table: plan.TableRef{Source: src.Name, Name: t.Name, RemoteSchema: t.Schema, RemoteName: t.Name, OID: oid},
		Alias: t.Name,
	}
	for i, c := range t.Columns {
		scan.ColIdx = append(scan.ColIdx, i)
		scan.RemoteCols = append(scan.RemoteCols, c.Name)
		scan.Cols = append(scan.Cols, plan.Column{Name: c.Name, Type: c.Type, Table: t.Name, TableOID: oid, Attnum: int16(i + 1)})
		if native, _, _ := strings.Cut(c.NativeType, "("); builtinTypesNotSupported[native] {
			if b.unmodelled == nil {
				b.unmodelled = map[[2]uint32]string{}
			}
			b.unmodelled[[2]uint32{oid, uint32(i + 1)}] = native
		}
	}
	return scan, nil
}

func (b *binder) bindView(v *catalog.View) (plan.Node, error) {
	if b.viewDepth >= maxViewDepth {
		return nil, pgerr.New("42P17", "infinite recursion detected in view %q", v.Name)
	}
	stmts, err := Parse(v.SQL)
	if err != nil || len(stmts) != 1 || stmts[0].Stmt.GetSelectStmt() == nil {
		return nil, pgerr.New(pgerr.InternalError, "view %s.%s has an invalid definition", v.Schema, v.Name)
	}
	if err := b.checkRead(catalog.ViewSchema(v), v.Name, "view"); err != nil {
		return nil, err
	}
	if b.viewDepth == 0 {
		b.views = append(b.views, catalog.ViewKey(v.Schema, v.Name))
	}
	defer b.asOwnerOf(v)()
	b.viewDepth++
	saved := b.ctes
	b.ctes = nil
	n, err := b.selectStmt(stmts[0].Stmt.GetSelectStmt(), nil)
	b.ctes = saved
	b.viewDepth--
	if err != nil {
		return nil, err
	}
	cols := n.Columns()
	out := make([]plan.Column, len(cols))
	for i, c := range cols {
		name := c.Name
		if i < len(v.Columns) {
			name = v.Columns[i]
		}
		out[i] = plan.Column{Name: name, Type: c.Type, Table: v.Name, TableOID: v.OID, Attnum: int16(i + 1)}
	}
	exprs := make([]plan.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &plan.ColRef{Index: i, T: c.Type, Name: c.Name}
	}
	return &plan.Project{Input: n, Exprs: exprs, Cols: out}, nil
}

// lookupCTE finds the WITH item a table name refers to. A non-recursive
// item's own query does not see the item itself, as in PostgreSQL.
func (b *binder) lookupCTE(name string) *cte {
	for i := len(b.ctes) - 1; i >= 0; i-- {
		if c, ok := b.ctes[i][name]; ok && (!c.binding || c.recursive) {
			return c
		}
	}
	return nil
}

func (b *binder) withClause(w *pg.WithClause, outer *scope) error {
	if w == nil {
		return nil
	}
	frame := map[string]*cte{}
	b.ctes = append(b.ctes, frame)
	for _, n := range w.Ctes {
		c := n.GetCommonTableExpr()
		if c.Ctequery.GetSelectStmt() == nil {
			return pgerr.NotSupported("a data-modifying statement in WITH")
		}
		if _, dup := frame[c.Ctename]; dup {
			return pgerr.New("42712", "WITH query name %q specified more than once", c.Ctename)
		}
		if (c.SearchClause != nil || c.CycleClause != nil) && !w.Recursive {
			return pgerr.New(pgerr.SyntaxError, "WITH query is not recursive")
		}
		frame[c.Ctename] = &cte{query: c.Ctequery, colName: stringList(c.Aliascolnames), recursive: w.Recursive, list: frame, outer: outer,
			searchCycle: searchCycle{search: c.SearchClause, cycle: c.CycleClause}}
	}
	return nil
}

// bindCTE inlines a common table expression where it is referenced, so
// each use can be pushed down on its own. PostgreSQL computes an item
// referenced more than once a single time, which only an item calling a
// volatile function (random()) could tell apart; such an item is refused.
func (b *binder) bindCTE(name string, c *cte) (plan.Node, error) {
	selfReference := c.binding
	n, err := b.cteQuery(name, c)
	if err != nil {
		return nil, err
	}
	if !selfReference {
		if c.uses++; c.uses > 1 && callsVolatile(n) {
			return nil, pgerr.NotSupported(fmt.Sprintf("WITH query %q calling a volatile function and referenced more than once", name))
		}
	}
	if len(c.colName) == 0 {
		return n, nil
	}
	node, _, err := b.aliased(n, name, c.colName)
	if err != nil {
		return nil, err
	}
	cols := node.Columns()
	exprs := make([]plan.Expr, len(cols))
	out := make([]plan.Column, len(cols))
	for i, col := range cols {
		exprs[i] = &plan.ColRef{Index: i, T: col.Type, Name: col.Name}
		out[i] = col
		if i < len(c.colName) {
			out[i].Name = c.colName[i]
		}
	}
	return &plan.Project{Input: node, Exprs: exprs, Cols: out}, nil
}

func (b *binder) joinExpr(j *pg.JoinExpr, outer *scope) (plan.Node, *scope, error) {
	left, ls, err := b.fromItem(j.Larg, outer)
	if err != nil {
		return nil, nil, err
	}
	rightOuter := outer
	if isLateralItem(j.Rarg) {
		rightOuter = &scope{cols: ls.cols, parent: outer}
	}
	right, rs, err := b.fromItem(j.Rarg, rightOuter)
	if err != nil {
		return nil, nil, err
	}
	if err := checkDuplicateAliases(ls, rs); err != nil {
		return nil, nil, err
	}
	var kind plan.JoinKind
	switch j.Jointype {
	case pg.JoinType_JOIN_INNER:
		kind = plan.Inner
		if j.Quals == nil && len(j.UsingClause) == 0 && !j.IsNatural {
			kind = plan.Cross
		}
	case pg.JoinType_JOIN_LEFT:
		kind = plan.Left
	case pg.JoinType_JOIN_RIGHT:
		kind = plan.Right
	case pg.JoinType_JOIN_FULL:
		kind = plan.Full
	default:
		return nil, nil, pgerr.NotSupported("join type " + j.Jointype.String())
	}
	ls, rs = nullableSide(ls, kind == plan.Right || kind == plan.Full), nullableSide(rs, kind == plan.Left || kind == plan.Full)
	sc := &scope{cols: append(append([]scopeCol{}, ls.cols...), rs.cols...), parent: outer}
	join := &plan.Join{Kind: kind, Left: left, Right: right}
	using := stringList(j.UsingClause)
	if j.IsNatural {
		using = naturalColumns(ls, rs)
		if len(using) == 0 && kind == plan.Inner {
			join.Kind = plan.Cross
		}
	}
	lateral := usesOuter(right) && rightOuter != outer
	if lateral {
		if err := lateralJoinKind(join.Kind, ls); err != nil {
			return nil, nil, err
		}
	}
	if len(using) > 0 {
		if lateral {
			return nil, nil, pgerr.NotSupported("USING or NATURAL with a LATERAL join")
		}
		return b.usingJoin(join, ls, rs, using, j.Alias, j.JoinUsingAlias, outer)
	}
	if j.Quals != nil {
		cond, err := b.boolExpr(j.Quals, sc, "JOIN/ON")
		if err != nil {
			return nil, nil, err
		}
		join.Cond = cond
		markWitnesses(sc, cond, len(ls.cols), kind)
	}
	var n plan.Node = join
	if lateral {
		n = lateralOrJoin(join)
	}
	if j.Alias != nil {
		return b.aliased(n, j.Alias.Aliasname, joinAliasNames(stringList(j.Alias.Colnames), sc, n))
	}
	return n, sc, nil
}

// joinAliasNames are the column names an aliased join shows: the alias's
// column list, then the names the joined items gave their columns (a
// column renamed by an alias inside keeps its new name).
func joinAliasNames(given []string, sc *scope, n plan.Node) []string {
	if len(sc.cols) != len(n.Columns()) || len(given) > len(sc.cols) {
		return given
	}
	names := append([]string{}, given...)
	for _, c := range sc.cols[len(given):] {
		names = append(names, c.name)
	}
	return names
}

// nullableSide marks the columns of one side of an outer join nullable
// when the join fills that side with NULLs.
func nullableSide(s *scope, nullable bool) *scope {
	if !nullable {
		return s
	}
	out := &scope{cols: make([]scopeCol, len(s.cols)), parent: s.parent}
	for i, c := range s.cols {
		c.nullable = true
		out.cols[i] = c
	}
	return out
}

func naturalColumns(ls, rs *scope) []string {
	var out []string
	for _, l := range ls.cols {
		if l.hidden {
			continue
		}
		for _, r := range rs.cols {
			if !r.hidden && r.name == l.name {
				out = append(out, l.name)
				break
			}
		}
	}
	return out
}

// usingJoin binds JOIN ... USING (cols): the join condition is equality of
// the named columns, and the output puts one merged column per name first,
// as PostgreSQL does; the originals stay reachable through their tables,
// and the merged ones through the USING clause's alias (USING (i) AS x).
func (b *binder) usingJoin(join *plan.Join, ls, rs *scope, using []string, alias, usingAlias *pg.Alias, outer *scope) (plan.Node, *scope, error) {
	nl := len(ls.cols)
	var conds []plan.Expr
	var merged []plan.Expr
	var mergedCols []scopeCol
	hidden := map[int]bool{}
	for _, name := range using {
		li, lc, _, err := (&scope{cols: ls.cols}).resolve(nil, name)
		if err != nil {
			return nil, nil, err
		}
		ri, rc, _, err := (&scope{cols: rs.cols}).resolve(nil, name)
		if err != nil {
			return nil, nil, err
		}
		if li < 0 || ri < 0 {
			return nil, nil, pgerr.New(pgerr.UndefinedColumn, "column %q specified in USING clause does not exist in %s table", name, map[bool]string{true: "left", false: "right"}[li < 0])
		}
		l := plan.Expr(&plan.ColRef{Index: li, T: lc.typ, Name: name})
		r := plan.Expr(&plan.ColRef{Index: nl + ri, T: rc.typ, Name: name})
		eq, err := b.binaryOp("=", l, r)
		if err != nil {
			return nil, nil, err
		}
		conds = append(conds, eq)
		var m plan.Expr
		switch join.Kind {
		case plan.Right:
			m = r
		case plan.Full:
			t, err := commonType([]plan.Expr{l, r}, "JOIN/USING")
			if err != nil {
				return nil, nil, err
			}
			lc, _ := b.coerce(l, t)
			rc, _ := b.coerce(r, t)
			m = &plan.Func{Name: "coalesce", Args: []plan.Expr{lc, rc}, T: t}
		default:
			m = l
		}
		merged = append(merged, m)
		mc := scopeCol{name: name, typ: m.Type()}
		if usingAlias != nil {
			mc.table = usingAlias.Aliasname
		}
		mergedCols = append(mergedCols, mc)
		hidden[li] = true
		hidden[nl+ri] = true
	}
	join.Cond = plan.And(conds)
	all := append(append([]scopeCol{}, ls.cols...), rs.cols...)
	exprs := append([]plan.Expr{}, merged...)
	cols := append([]scopeCol{}, mergedCols...)
	for i, c := range all {
		exprs = append(exprs, &plan.ColRef{Index: i, T: c.typ, Name: c.name})
		if hidden[i] {
			c.hidden = true
		}
		cols = append(cols, c)
	}
	sc := &scope{cols: cols, parent: outer}
	proj := &plan.Project{Input: join, Exprs: exprs, Cols: sc.columns()}
	if alias != nil {
		// An alias on a USING join hides the inner table names.
		return b.aliased(proj, alias.Aliasname, stringList(alias.Colnames))
	}
	return proj, sc, nil
}

// tableOID finds the OID of a discovered table of src.
func tableOID(src *catalog.Source, t *connectors.Table) uint32 {
	for i := range src.Tables {
		if &src.Tables[i] == t {
			return catalog.TableOID(src, i)
		}
	}
	return 0
}
