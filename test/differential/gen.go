package differential

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Features switches on constructs whose support is still being built;
// with one off, the generator writes no query that uses it, so that the
// suite passes on what Junction answers today. Turn one on once the
// construct is supported and the suite passes with it.
type Features struct {
	Windows      bool // window functions with PARTITION BY, ORDER BY and default frames
	DistinctOn   bool // SELECT DISTINCT ON
	GroupingSets bool // GROUPING SETS, ROLLUP, CUBE
	Recursive    bool // WITH RECURSIVE
	Lateral      bool // LATERAL subqueries
}

// enabledFeatures is what the suite generates by default. Grouping sets
// stay off: the generator groups by constants and by one expression
// under two select-list names, which Junction refuses (0A000) for now.
var enabledFeatures = Features{Windows: true, DistinctOn: true, Recursive: true, Lateral: true}

// generated is one query of the generator: its SQL with tables written
// as {t1} ... {t4}, and whether ORDER BY fixes the order of its rows.
type generated struct {
	sql     string
	ordered bool
}

// generator writes random, well-typed queries over the fixed schema. The
// same seed always gives the same sequence of queries.
type generator struct {
	r        *rand.Rand
	features Features
	// aliases numbers table aliases so that nested queries never reuse
	// an outer one.
	aliases int
}

func newGenerator(seed uint64, f Features) *generator {
	return &generator{r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), features: f}
}

// colRef is a column reachable in a scope.
type colRef struct {
	sql     string
	kind    kind
	extreme bool
	// padded marks char(n) columns.
	padded bool
}

// scope is what expressions may refer to: the columns of the FROM clause
// and, for a correlated subquery, those of the enclosing query.
type scope struct {
	cols  []colRef
	outer *scope
	// subqueries allows EXISTS, IN and scalar subqueries in conditions.
	subqueries bool
}

func (s *scope) ofKind(k kind, arithmetic bool) []colRef {
	var out []colRef
	for _, c := range s.cols {
		if c.kind == k && !(arithmetic && c.extreme) {
			out = append(out, c)
		}
	}
	return out
}

func (g *generator) intn(n int) int { return g.r.IntN(n) }

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](g *generator, xs []T) T { return xs[g.r.IntN(len(xs))] }

func (g *generator) alias() string {
	g.aliases++
	return fmt.Sprintf("a%d", g.aliases)
}

// bind adds a table's columns under alias to a scope.
func (s *scope) bind(t *table, alias string) {
	for _, c := range t.columns {
		s.cols = append(s.cols, colRef{sql: alias + "." + c.name, kind: c.kind, extreme: c.extreme, padded: strings.HasPrefix(c.pgType, "char(")})
	}
}

// joinKeys are the column pairs that relate two tables, the way a
// schema's foreign keys would; any other pair joins on id.
var joinKeys = map[[2]string][][2]string{
	{"t1", "t2"}: {{"id", "t1_id"}, {"i", "i"}},
	{"t1", "t3"}: {{"i", "id"}, {"id", "id"}},
	{"t2", "t3"}: {{"i", "id"}, {"t1_id", "id"}},
	{"t1", "t4"}: {{"i", "i"}, {"id", "id"}, {"d", "d"}},
	{"t2", "t4"}: {{"t1_id", "id"}, {"i", "i"}},
	{"t3", "t4"}: {{"id", "i"}},
}

func (g *generator) joinCondition(left *table, leftAlias string, right *table, rightAlias string) string {
	if keys, ok := joinKeys[[2]string{left.name, right.name}]; ok {
		k := pick(g, keys)
		return fmt.Sprintf("%s.%s = %s.%s", leftAlias, k[0], rightAlias, k[1])
	}
	if keys, ok := joinKeys[[2]string{right.name, left.name}]; ok {
		k := pick(g, keys)
		return fmt.Sprintf("%s.%s = %s.%s", leftAlias, k[1], rightAlias, k[0])
	}
	return fmt.Sprintf("%s.id = %s.id", leftAlias, rightAlias)
}

// crossJoinRows bounds the rows a cross join may make, to keep the suite
// fast.
const crossJoinRows = 4000

// from writes a FROM clause of up to maxTables tables joined in every
// way, binding their columns into s.
func (g *generator) from(s *scope, maxTables int) string {
	n := 1
	if maxTables > 1 && g.chance(0.55) {
		n = 2
		if maxTables > 2 && g.chance(0.3) {
			n = 3
		}
	}
	first := pick(g, schema)
	a := g.alias()
	s.bind(first, a)
	var b strings.Builder
	fmt.Fprintf(&b, "{%s} %s", first.name, a)
	prev, prevAlias := first, a
	rows := first.rows
	for range n - 1 {
		t := pick(g, schema)
		ta := g.alias()
		join := pick(g, []string{"JOIN", "JOIN", "LEFT JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN"})
		rows *= t.rows
		if join == "CROSS JOIN" && rows > crossJoinRows {
			join = "JOIN"
		}
		if join == "CROSS JOIN" {
			fmt.Fprintf(&b, " CROSS JOIN {%s} %s", t.name, ta)
			s.bind(t, ta)
			prev, prevAlias = t, ta
			continue
		}
		on := g.joinCondition(prev, prevAlias, t, ta)
		s.bind(t, ta)
		// A FULL JOIN needs hash- or merge-joinable conditions; the
		// others may carry any further condition.
		if join != "FULL JOIN" && g.chance(0.3) {
			on += " AND " + g.boolExpr(&scope{cols: s.cols}, 1)
		}
		fmt.Fprintf(&b, " %s {%s} %s ON %s", join, t.name, ta, on)
		prev, prevAlias = t, ta
	}
	return b.String()
}
