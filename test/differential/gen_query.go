package differential

import (
	"fmt"
	"strings"
)

// query writes one random query.
func (g *generator) query() generated {
	g.aliases = 0
	shapes := []func() generated{
		g.selectQuery, g.selectQuery, g.selectQuery, g.selectQuery,
		g.aggregateQuery, g.aggregateQuery, g.aggregateQuery,
		g.setOperation, g.setOperation,
		g.derivedTable,
		g.scalarSubqueryQuery,
	}
	shapes = append(shapes, g.featureShapes()...)
	return pick(g, shapes)()
}

// item is one output column of a select list.
type item struct {
	sql  string
	kind kind
}

// selectList writes n expressions over s, aliased c1, c2, ... except
// that plain columns keep their names, and now and then an expression is
// left unnamed so that PostgreSQL's own naming is compared too.
func (g *generator) selectList(s *scope, n int) (string, []item) {
	var parts []string
	var items []item
	for i := range n {
		k := g.anyKind()
		e := g.expr(s, k, 1+g.intn(2))
		items = append(items, item{e, k})
		if g.chance(0.15) {
			parts = append(parts, e)
		} else {
			parts = append(parts, fmt.Sprintf("%s AS c%d", e, i+1))
		}
	}
	return strings.Join(parts, ", "), items
}

// orderBy orders by every output column, which leaves no ties among
// rows that differ, so LIMIT and OFFSET cut at a well-defined place and
// the rows can be compared in order.
func (g *generator) orderBy(n int) string {
	var keys []string
	for i := 1; i <= n; i++ {
		k := fmt.Sprint(i)
		k += pick(g, []string{"", "", " ASC", " DESC"})
		k += pick(g, []string{"", "", " NULLS FIRST", " NULLS LAST"})
		keys = append(keys, k)
	}
	s := " ORDER BY " + strings.Join(keys, ", ")
	if g.chance(0.6) {
		s += fmt.Sprintf(" LIMIT %d", 1+g.intn(12))
	}
	if g.chance(0.3) {
		s += fmt.Sprintf(" OFFSET %d", g.intn(8))
	}
	return s
}

// finish adds, at random, an ORDER BY over all n output columns.
func (g *generator) finish(sql string, n int) generated {
	if g.chance(0.3) {
		return generated{sql + g.orderBy(n), true}
	}
	return generated{sql, false}
}

func (g *generator) where(s *scope) string {
	if g.chance(0.7) {
		return " WHERE " + g.boolExpr(s, 2)
	}
	return ""
}

func (g *generator) selectQuery() generated {
	s := &scope{subqueries: true}
	from := g.from(s, 3)
	n := 1 + g.intn(4)
	list, _ := g.selectList(s, n)
	distinct := ""
	if g.chance(0.1) {
		distinct = "DISTINCT "
	}
	return g.finish(fmt.Sprintf("SELECT %s%s FROM %s%s", distinct, list, from, g.where(s)), n)
}

// aggregates are the aggregate calls for an argument of each kind;
// float sums and averages are left out because their last digits depend
// on the order rows are added in.
func (g *generator) aggregate(s *scope) string {
	// Known failure: a correlated subquery inside an aggregate's
	// argument is answered wrongly, so arguments have none.
	s = &scope{cols: s.cols, outer: s.outer}
	k := g.anyKind()
	arg := func() string { return g.expr(s, k, g.intn(2)) }
	switch {
	case g.chance(0.15):
		return "count(*)"
	case g.chance(0.15):
		return fmt.Sprintf("count(%s)", arg())
	case g.chance(0.1):
		return fmt.Sprintf("count(DISTINCT %s)", arg())
	case k == kInt || k == kNum:
		return fmt.Sprintf("%s(%s%s)", pick(g, []string{"sum", "avg", "min", "max", "sum"}), pick(g, []string{"", "", "", "DISTINCT "}), arg())
	case k == kBool:
		return fmt.Sprintf("count(%s)", arg())
	}
	return fmt.Sprintf("%s(%s)", pick(g, []string{"min", "max"}), arg())
}

func (g *generator) aggregateQuery() generated {
	// Known failure: a correlated subquery in a grouped query's keys
	// is bound to the wrong columns, so only WHERE may have one.
	s := &scope{}
	from := g.from(s, 3)
	filter := &scope{cols: s.cols, subqueries: g.chance(0.3)}
	var list, groups []string
	nGroups := g.intn(3)
	for i := range nGroups {
		e := g.expr(s, g.anyKind(), g.intn(2))
		list = append(list, fmt.Sprintf("%s AS g%d", e, i+1))
		groups = append(groups, fmt.Sprint(i+1))
	}
	for i := range 1 + g.intn(3) {
		list = append(list, fmt.Sprintf("%s AS x%d", g.aggregate(s), i+1))
	}
	sql := fmt.Sprintf("SELECT %s FROM %s%s", strings.Join(list, ", "), from, g.where(filter))
	if len(groups) > 0 {
		sql += " GROUP BY " + strings.Join(groups, ", ")
	}
	if g.chance(0.3) {
		sql += fmt.Sprintf(" HAVING %s %s %s", g.aggregate(&scope{cols: s.cols}), pick(g, []string{">", "<", ">=", "<>"}), g.literal(kInt))
	}
	return g.finish(sql, len(list))
}

// setOperation combines two selects of the same column kinds.
func (g *generator) setOperation() generated {
	n := 1 + g.intn(2)
	kinds := make([]kind, n)
	for i := range kinds {
		// Numerics are left out: of two equal values with different
		// scales (0.5 and 0.50) INTERSECT and EXCEPT may return either.
		for kinds[i] = g.anyKind(); kinds[i] == kNum; kinds[i] = g.anyKind() {
		}
	}
	side := func() string {
		s := &scope{}
		from := g.from(s, 2)
		var list []string
		for i, k := range kinds {
			list = append(list, fmt.Sprintf("%s AS c%d", g.expr(s, k, g.intn(2)), i+1))
		}
		return fmt.Sprintf("SELECT %s FROM %s%s", strings.Join(list, ", "), from, g.where(s))
	}
	op := pick(g, []string{"UNION", "UNION ALL", "INTERSECT", "EXCEPT", "INTERSECT ALL", "EXCEPT ALL", "UNION"})
	sql := fmt.Sprintf("%s %s %s", side(), op, side())
	if g.chance(0.2) {
		sql = fmt.Sprintf("SELECT %s FROM (%s) u WHERE c1 IS NOT NULL", strings.Join(columnNames("c", n), ", "), sql)
	}
	return g.finish(sql, n)
}

func columnNames(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i+1)
	}
	return out
}

// derivedTable selects from a subquery in FROM, grouped or not.
func (g *generator) derivedTable() generated {
	inner := &scope{}
	from := g.from(inner, 2)
	n := 1 + g.intn(3)
	var list []string
	outer := &scope{subqueries: true}
	for i := range n {
		k := g.anyKind()
		list = append(list, fmt.Sprintf("%s AS c%d", g.expr(inner, k, 1), i+1))
		outer.cols = append(outer.cols, colRef{sql: fmt.Sprintf("d.c%d", i+1), kind: k})
	}
	sub := fmt.Sprintf("SELECT %s FROM %s%s", strings.Join(list, ", "), from, g.where(inner))
	if g.chance(0.3) {
		sub += " ORDER BY " + strings.Join(columnNames("", n), ", ") + fmt.Sprintf(" LIMIT %d", 1+g.intn(10))
	}
	outerList, items := g.selectList(outer, 1+g.intn(2))
	return g.finish(fmt.Sprintf("SELECT %s FROM (%s) d%s", outerList, sub, g.where(outer)), len(items))
}

// scalarSubqueryQuery puts a correlated or plain scalar subquery in the
// select list.
func (g *generator) scalarSubqueryQuery() generated {
	s := &scope{}
	from := g.from(s, 2)
	list, items := g.selectList(s, 1+g.intn(2))
	sub := g.scalarSubquery(s)
	return g.finish(fmt.Sprintf("SELECT %s, %s AS sq FROM %s%s", list, sub, from, g.where(s)), len(items)+1)
}

// scalarSubquery is an aggregate over a table, correlated with s when
// s has columns.
func (g *generator) scalarSubquery(s *scope) string {
	inner := &scope{outer: s}
	t := pick(g, schema)
	a := g.alias()
	inner.bind(t, a)
	cond := g.correlation(inner, s, t, a)
	return fmt.Sprintf("(SELECT %s FROM {%s} %s%s)", g.aggregate(inner), t.name, a, cond)
}

// correlation is a WHERE clause tying a subquery over table t (alias a)
// to the enclosing scope, or a plain filter.
func (g *generator) correlation(inner, outer *scope, t *table, a string) string {
	var conds []string
	if len(outer.cols) > 0 && g.chance(0.75) {
		c := pick(g, t.columns)
		var same []colRef
		for _, o := range outer.cols {
			if o.kind == c.kind {
				same = append(same, o)
			}
		}
		if len(same) > 0 {
			op := pick(g, []string{"=", "=", "=", "<", "<>"})
			conds = append(conds, fmt.Sprintf("%s.%s %s %s", a, c.name, op, pick(g, same).sql))
		}
	}
	if g.chance(0.4) {
		conds = append(conds, g.boolExpr(&scope{cols: inner.cols}, 1))
	}
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// subqueryCondition is a semi- or anti-join condition or a comparison
// with a scalar subquery.
func (g *generator) subqueryCondition(s *scope) string {
	inner := &scope{outer: s}
	t := pick(g, schema)
	a := g.alias()
	inner.bind(t, a)
	switch g.intn(3) {
	case 0:
		return fmt.Sprintf("%sEXISTS (SELECT 1 FROM {%s} %s%s)", pick(g, []string{"", "NOT "}), t.name, a, g.correlation(inner, s, t, a))
	case 1:
		c := pick(g, t.columns)
		if c.kind == kBool {
			c = t.columns[0]
		}
		left := g.expr(s, c.kind, 0)
		return fmt.Sprintf("%s %sIN (SELECT %s.%s FROM {%s} %s%s)", left, pick(g, []string{"", "NOT "}), a, c.name, t.name, a, g.correlation(inner, s, t, a))
	}
	k := pick(g, []kind{kInt, kNum, kText, kDate})
	sub := fmt.Sprintf("(SELECT %s(%s) FROM {%s} %s%s)", pick(g, []string{"min", "max"}), g.expr(inner, k, 0), t.name, a, g.correlation(inner, s, t, a))
	return fmt.Sprintf("%s %s %s", g.expr(s, k, 0), pick(g, []string{"=", "<", ">=", "<>"}), sub)
}
