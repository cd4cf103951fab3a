package differential

import (
	"fmt"
	"strings"
)

// featureShapes are the query shapes of the constructs Features
// switches on.
func (g *generator) featureShapes() []func() generated {
	var out []func() generated
	if g.features.Windows {
		out = append(out, g.windowQuery, g.windowQuery)
	}
	if g.features.DistinctOn {
		out = append(out, g.distinctOnQuery)
	}
	if g.features.GroupingSets {
		out = append(out, g.groupingSetsQuery)
	}
	if g.features.Recursive {
		out = append(out, g.recursiveQuery)
	}
	if g.features.Lateral {
		out = append(out, g.lateralQuery)
	}
	return out
}

// windowQuery uses only window functions whose result does not depend on
// how ties in the window's ORDER BY are broken: ranks, and aggregates
// over whole partitions or the default RANGE frame (which includes
// peers).
func (g *generator) windowQuery() generated {
	s := &scope{}
	from := g.from(s, 2)
	list, items := g.selectList(s, 1+g.intn(2))
	var windows []string
	for i := range 1 + g.intn(2) {
		over := ""
		if g.chance(0.7) {
			over = "PARTITION BY " + g.expr(s, g.anyKind(), 0)
		}
		ordered := g.chance(0.7)
		if ordered {
			over += " ORDER BY " + g.expr(s, pick(g, []kind{kInt, kNum, kText, kDate}), 0) + pick(g, []string{"", " DESC", " NULLS FIRST"})
		}
		var fn string
		switch {
		case ordered && g.chance(0.4):
			fn = pick(g, []string{"rank()", "dense_rank()", "percent_rank()", "cume_dist()"})
		default:
			agg := g.aggregate(&scope{cols: s.cols})
			if strings.Contains(agg, "DISTINCT") {
				agg = "count(*)"
			}
			fn = agg
		}
		windows = append(windows, fmt.Sprintf("%s OVER (%s) AS w%d", fn, strings.TrimSpace(over), i+1))
	}
	return g.finish(fmt.Sprintf("SELECT %s, %s FROM %s%s", list, strings.Join(windows, ", "), from, g.where(s)), len(items)+len(windows))
}

// distinctOnQuery orders each DISTINCT ON group by all output columns,
// so the row kept is well defined.
func (g *generator) distinctOnQuery() generated {
	s := &scope{}
	from := g.from(s, 2)
	key := g.expr(s, g.anyKind(), 0)
	list, items := g.selectList(s, 1+g.intn(2))
	order := []string{key}
	for i := range items {
		order = append(order, fmt.Sprint(i+2))
	}
	sql := fmt.Sprintf("SELECT DISTINCT ON (%s) %s AS k, %s FROM %s%s ORDER BY %s", key, key, list, from, g.where(s), strings.Join(order, ", "))
	return generated{sql, true}
}

func (g *generator) groupingSetsQuery() generated {
	s := &scope{}
	from := g.from(s, 2)
	a, b := g.expr(s, g.anyKind(), 0), g.expr(s, g.anyKind(), 0)
	sets := pick(g, []string{"ROLLUP (1, 2)", "CUBE (1, 2)", "GROUPING SETS ((1), (2), ())", "GROUPING SETS ((1, 2), (1))"})
	sql := fmt.Sprintf("SELECT %s AS g1, %s AS g2, %s AS x1, grouping(%s, %s) AS gr FROM %s%s GROUP BY %s", a, b, g.aggregate(s), a, b, from, g.where(s), sets)
	return g.finish(sql, 4)
}

func (g *generator) recursiveQuery() generated {
	s := &scope{}
	from := g.from(s, 1)
	s.cols = append(s.cols, colRef{sql: "r.n", kind: kInt})
	limit := 1 + g.intn(12)
	op := pick(g, []string{"UNION ALL", "UNION"})
	list, items := g.selectList(s, 1+g.intn(2))
	cond := g.joinColumn(s, kInt)
	sql := fmt.Sprintf("WITH RECURSIVE r(n) AS (SELECT 1 %s SELECT n + 1 FROM r WHERE n < %d) SELECT r.n, %s FROM r JOIN %s ON %s = r.n", op, limit, list, from, cond)
	return g.finish(sql, len(items)+1)
}

func (g *generator) lateralQuery() generated {
	s := &scope{}
	from := g.from(s, 1)
	inner := &scope{outer: s}
	t := pick(g, schema)
	a := g.alias()
	inner.bind(t, a)
	cond := g.correlation(inner, s, t, a)
	list, items := g.selectList(s, 1+g.intn(2))
	join := pick(g, []string{"CROSS JOIN", "LEFT JOIN"})
	on := ""
	if join == "LEFT JOIN" {
		on = " ON true"
	}
	sql := fmt.Sprintf("SELECT %s, l.x FROM %s %s LATERAL (SELECT %s AS x FROM {%s} %s%s) l%s", list, from, join, g.aggregate(inner), t.name, a, cond, on)
	return g.finish(sql, len(items)+1)
}

// joinColumn is a column of kind k from s other than the recursive one.
func (g *generator) joinColumn(s *scope, k kind) string {
	var cols []colRef
	for _, c := range s.ofKind(k, false) {
		if c.sql != "r.n" {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return "r.n"
	}
	return pick(g, cols).sql
}
