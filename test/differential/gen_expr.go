package differential

import (
	"fmt"
	"strings"
)

// expr writes an expression of kind k over s. depth bounds nesting.
func (g *generator) expr(s *scope, k kind, depth int) string {
	switch k {
	case kInt:
		return g.intExpr(s, depth)
	case kNum:
		return g.numExpr(s, depth)
	case kFloat:
		return g.floatExpr(s, depth)
	case kText:
		return g.textExpr(s, depth)
	case kDate:
		return g.dateExpr(s, depth)
	case kTimestamp:
		return g.timestampExpr(s, depth)
	}
	return g.boolExpr(s, depth)
}

// leaf is a column of kind k (any column when extremes are allowed,
// else one safe for arithmetic) or, failing that, a literal.
func (g *generator) leaf(s *scope, k kind, arithmetic bool) string {
	cols := s.ofKind(k, arithmetic)
	if s.outer != nil && g.chance(0.15) {
		cols = append(cols, s.outer.ofKind(k, arithmetic)...)
	}
	if len(cols) > 0 && g.chance(0.75) {
		c := pick(g, cols)
		if c.padded {
			// Known failure: a char column mixed with other string types
			// in UNION, CASE, COALESCE or NULLIF keeps char in
			// PostgreSQL and becomes text in Junction.
			return "CAST(" + c.sql + " AS text)"
		}
		return c.sql
	}
	return g.literal(k)
}

func (g *generator) literal(k kind) string {
	switch k {
	case kInt:
		return pick(g, []string{"0", "1", "2", "3", "-1", "7", "10", "100", "42"})
	case kNum:
		return pick(g, []string{"0.5", "1.25", "-2.5", "100.001", "3.0", "0.001", "1.5"})
	case kFloat:
		return pick(g, []string{"1.5::float8", "0.1::float8", "(-2.25)::float8", "1e10::float8", "3::double precision"})
	case kText:
		return pick(g, []string{"'alpha'", "'b'", "''", "'x '", "'É'", "'ab'", "'Alpha'", "'日本'"})
	case kDate:
		return pick(g, []string{"date '2000-01-01'", "date '2024-02-29'", "date '1999-12-31'", "date '2024-03-01'"})
	case kTimestamp:
		return pick(g, []string{"timestamp '2000-01-01 00:00:00'", "timestamp '2024-02-29 12:00:00'", "timestamp '1999-12-31 23:59:59.999999'"})
	}
	return pick(g, []string{"true", "false"})
}

// common writes the constructs every kind has: CASE, COALESCE, NULLIF.
// It returns "" when it chose none of them.
func (g *generator) common(s *scope, k kind, depth int) string {
	if k == kNum {
		// MariaDB gives a CASE or COALESCE of numerics the largest
		// scale of its arguments, where PostgreSQL keeps each value's
		// own; the MySQL dialect keeps such ones in Junction. Left out
		// still: with them, seed 1 reaches the known failure "NOT IN
		// over numerics with a NULL at MariaDB".
		return ""
	}
	switch g.intn(8) {
	case 0:
		if g.chance(0.5) {
			return fmt.Sprintf("CASE WHEN %s THEN %s ELSE %s END", g.boolExpr(s, depth-1), g.expr(s, k, depth-1), g.expr(s, k, depth-1))
		}
		return fmt.Sprintf("CASE WHEN %s THEN %s WHEN %s THEN %s END", g.boolExpr(s, depth-1), g.expr(s, k, depth-1), g.boolExpr(s, depth-1), g.expr(s, k, depth-1))
	case 1:
		return fmt.Sprintf("coalesce(%s, %s)", g.expr(s, k, depth-1), g.expr(s, k, depth-1))
	case 2:
		return fmt.Sprintf("nullif(%s, %s)", g.expr(s, k, depth-1), g.expr(s, k, depth-1))
	}
	return ""
}

func (g *generator) intExpr(s *scope, depth int) string {
	if depth <= 0 || g.chance(0.4) {
		return g.leaf(s, kInt, depth > 0 || g.chance(0.5))
	}
	if e := g.common(s, kInt, depth); e != "" {
		return e
	}
	a := func() string { return g.intExpr(s, depth-1) }
	switch g.intn(12) {
	case 0:
		return fmt.Sprintf("(%s + %s)", a(), a())
	case 1:
		return fmt.Sprintf("(%s - %s)", a(), a())
	case 2:
		return fmt.Sprintf("(%s * %s)", a(), a())
	case 3:
		return fmt.Sprintf("(%s / nullif(%s, 0))", a(), a())
	case 4:
		return fmt.Sprintf("(%s %% nullif(%s, 0))", a(), a())
	case 5:
		return fmt.Sprintf("abs(%s)", a())
	case 6:
		return fmt.Sprintf("(-%s)", a())
	case 7:
		return fmt.Sprintf("%s(%s)", pick(g, []string{"length", "char_length", "octet_length"}), g.textExpr(s, depth-1))
	case 8:
		return fmt.Sprintf("CAST(%s AS integer)", g.numExpr(s, depth-1))
	case 9:
		return fmt.Sprintf("(%s - %s)", g.dateExpr(s, depth-1), g.dateExpr(s, depth-1))
	case 10:
		return fmt.Sprintf("%s(%s, %s)", pick(g, []string{"greatest", "least"}), a(), a())
	}
	return fmt.Sprintf("position(%s in %s)", g.literal(kText), g.textExpr(s, depth-1))
}

func (g *generator) numExpr(s *scope, depth int) string {
	if depth <= 0 || g.chance(0.35) {
		return g.leaf(s, kNum, true)
	}
	if e := g.common(s, kNum, depth); e != "" {
		return e
	}
	a := func() string { return g.numExpr(s, depth-1) }
	switch g.intn(11) {
	case 0:
		return fmt.Sprintf("(%s + %s)", a(), g.pickNumeric(s, depth-1))
	case 1:
		return fmt.Sprintf("(%s - %s)", g.pickNumeric(s, depth-1), a())
	case 2:
		return fmt.Sprintf("(%s * %s)", a(), g.pickNumeric(s, depth-1))
	case 3:
		return fmt.Sprintf("(%s / nullif(%s, 0))", a(), g.pickNumeric(s, depth-1))
	case 4:
		return fmt.Sprintf("round(%s, %s)", a(), pick(g, []string{"0", "1", "2", "-1"}))
	case 5:
		return fmt.Sprintf("%s(%s)", pick(g, []string{"round", "trunc", "floor", "ceil", "abs", "-"}), a())
	case 6:
		return fmt.Sprintf("CAST(%s AS numeric)", g.intExpr(s, depth-1))
	case 7:
		return fmt.Sprintf("CAST(%s AS numeric(%s))", a(), pick(g, []string{"10,1", "12,4", "20,0"}))
	case 8:
		return fmt.Sprintf("mod(%s, nullif(%s, 0))", a(), a())
	case 9:
		return fmt.Sprintf("trunc(%s, %s)", a(), pick(g, []string{"1", "2", "-1"}))
	}
	return fmt.Sprintf("abs(%s)", a())
}

// pickNumeric is an integer or numeric operand.
func (g *generator) pickNumeric(s *scope, depth int) string {
	if g.chance(0.4) {
		return g.intExpr(s, depth)
	}
	return g.numExpr(s, depth)
}

func (g *generator) floatExpr(s *scope, depth int) string {
	if depth <= 0 || g.chance(0.4) {
		return g.leaf(s, kFloat, true)
	}
	if e := g.common(s, kFloat, depth); e != "" {
		return e
	}
	// No operation here makes -0 from 0 (a negation, a negative factor
	// or divisor): MariaDB has no -0, and the MySQL dialect keeps them in
	// Junction, which "float zeros keep their sign" checks.
	a := func() string { return g.floatExpr(s, depth-1) }
	switch g.intn(6) {
	case 0:
		return fmt.Sprintf("(%s + %s)", a(), a())
	case 1:
		return fmt.Sprintf("(%s * %s)", a(), pick(g, []string{"2", "3", "10"}))
	case 2:
		return fmt.Sprintf("(%s / nullif(abs(%s), 0))", a(), a())
	case 3:
		return fmt.Sprintf("CAST(%s AS double precision)", g.pickNumeric(s, depth-1))
	case 4:
		return fmt.Sprintf("abs(%s)", a())
	}
	return fmt.Sprintf("(%s - %s)", a(), g.pickNumeric(s, depth-1))
}

func (g *generator) textExpr(s *scope, depth int) string {
	if depth <= 0 || g.chance(0.4) {
		return g.leaf(s, kText, false)
	}
	if e := g.common(s, kText, depth); e != "" {
		return e
	}
	a := func() string { return g.textExpr(s, depth-1) }
	switch g.intn(13) {
	case 0:
		return fmt.Sprintf("(%s || %s)", a(), a())
	case 1:
		return fmt.Sprintf("%s(%s)", pick(g, []string{"lower", "upper", "initcap", "trim", "rtrim", "ltrim", "reverse"}), a())
	case 2:
		return fmt.Sprintf("substr(%s, %s, %s)", a(), pick(g, []string{"1", "2", "0", "-1"}), pick(g, []string{"1", "2", "3"}))
	case 3:
		return fmt.Sprintf("substr(%s, %s)", a(), pick(g, []string{"1", "2", "3"}))
	case 4:
		return fmt.Sprintf("replace(%s, %s, %s)", a(), pick(g, []string{"'a'", "'l'", "' '"}), pick(g, []string{"'x'", "''", "'AA'"}))
	case 5:
		return fmt.Sprintf("%s(%s, %s)", pick(g, []string{"left", "right"}), a(), pick(g, []string{"1", "2", "-1"}))
	case 6:
		return fmt.Sprintf("CAST(%s AS text)", g.expr(s, pick(g, []kind{kInt, kNum, kDate, kTimestamp, kBool, kFloat}), depth-1))
	case 7:
		return fmt.Sprintf("concat(%s, %s)", a(), g.expr(s, pick(g, []kind{kInt, kText, kNum}), depth-1))
	case 8:
		return fmt.Sprintf("%s(%s, %s, %s)", pick(g, []string{"lpad", "rpad"}), a(), pick(g, []string{"3", "6"}), pick(g, []string{"'*'", "'ab'"}))
	case 9:
		return fmt.Sprintf("(%s || %s)", a(), g.expr(s, pick(g, []kind{kInt, kNum, kDate}), depth-1))
	case 10:
		return fmt.Sprintf("CAST(%s AS varchar(3))", a())
	case 11:
		return fmt.Sprintf("repeat(%s, 2)", a())
	}
	return fmt.Sprintf("btrim(%s, %s)", a(), pick(g, []string{"'a'", "' x'"}))
}

func (g *generator) dateExpr(s *scope, depth int) string {
	if depth <= 0 || g.chance(0.5) {
		return g.leaf(s, kDate, false)
	}
	if e := g.common(s, kDate, depth); e != "" {
		return e
	}
	switch g.intn(3) {
	case 0:
		return fmt.Sprintf("(%s + %s)", g.dateExpr(s, depth-1), pick(g, []string{"1", "30", "-1", "365"}))
	case 1:
		return fmt.Sprintf("(%s - %s)", g.dateExpr(s, depth-1), pick(g, []string{"1", "31", "366"}))
	}
	return fmt.Sprintf("CAST(%s AS date)", g.timestampExpr(s, depth-1))
}

func (g *generator) timestampExpr(s *scope, depth int) string {
	if depth <= 0 || g.chance(0.5) {
		return g.leaf(s, kTimestamp, false)
	}
	if e := g.common(s, kTimestamp, depth); e != "" {
		return e
	}
	switch g.intn(4) {
	case 0:
		return fmt.Sprintf("(%s %s interval '%s')", g.timestampExpr(s, depth-1), pick(g, []string{"+", "-"}), pick(g, []string{"1 day", "2 hours", "1 month", "1 year", "90 minutes", "1 day 00:00:01"}))
	case 1:
		return fmt.Sprintf("date_trunc('%s', %s)", pick(g, []string{"year", "month", "day", "hour"}), g.timestampExpr(s, depth-1))
	case 2:
		return fmt.Sprintf("CAST(%s AS timestamp)", g.dateExpr(s, depth-1))
	}
	return fmt.Sprintf("(%s + interval '%s')", g.dateExpr(s, depth-1), pick(g, []string{"1 day", "12 hours", "1 month"}))
}

// comparable kinds: a comparison's two sides are of one of these groups.
var comparableKinds = [][]kind{{kInt, kNum, kFloat}, {kText}, {kDate, kTimestamp}, {kBool}}

// anyKind is a kind to compare, weighted toward the common ones.
func (g *generator) anyKind() kind {
	return pick(g, []kind{kInt, kInt, kInt, kNum, kNum, kFloat, kText, kText, kText, kDate, kTimestamp, kBool})
}

func (g *generator) partner(k kind) kind {
	for _, group := range comparableKinds {
		for _, x := range group {
			if x == k && g.chance(0.3) {
				return pick(g, group)
			}
		}
	}
	return k
}

var likePatterns = []string{"'a%'", "'%a'", "'_'", "'%b%'", "'A%'", "'a\\_b'", "'%'", "''", "'%É%'", "'x _'", "'alpha'", "'%a%%'"}

func (g *generator) boolExpr(s *scope, depth int) string {
	if depth <= 0 {
		return g.comparison(s, 0)
	}
	switch g.intn(16) {
	case 0, 1, 2, 3:
		return g.comparison(s, depth-1)
	case 4:
		return fmt.Sprintf("(%s AND %s)", g.boolExpr(s, depth-1), g.boolExpr(s, depth-1))
	case 5:
		return fmt.Sprintf("(%s OR %s)", g.boolExpr(s, depth-1), g.boolExpr(s, depth-1))
	case 6:
		return fmt.Sprintf("NOT (%s)", g.boolExpr(s, depth-1))
	case 7:
		return fmt.Sprintf("%s IS %sNULL", g.expr(s, g.anyKind(), depth-1), pick(g, []string{"", "NOT "}))
	case 8:
		k := g.anyKind()
		return fmt.Sprintf("%s IS %sDISTINCT FROM %s", g.expr(s, k, depth-1), pick(g, []string{"", "NOT "}), g.expr(s, g.partner(k), depth-1))
	case 9:
		k := pick(g, []kind{kInt, kNum, kText, kDate, kFloat})
		return fmt.Sprintf("%s %sBETWEEN %s AND %s", g.expr(s, k, depth-1), pick(g, []string{"", "NOT "}), g.expr(s, k, 0), g.expr(s, k, 0))
	case 10:
		k := pick(g, []kind{kInt, kNum, kText, kDate})
		items := []string{}
		for range 1 + g.intn(4) {
			items = append(items, g.expr(s, k, 0))
		}
		if g.chance(0.25) {
			items = append(items, "NULL")
		}
		return fmt.Sprintf("%s %sIN (%s)", g.expr(s, k, depth-1), pick(g, []string{"", "NOT "}), strings.Join(items, ", "))
	case 11:
		return fmt.Sprintf("%s %s %s", g.textExpr(s, depth-1), pick(g, []string{"LIKE", "NOT LIKE", "ILIKE", "NOT ILIKE", "LIKE"}), pick(g, likePatterns))
	case 12:
		if b := s.ofKind(kBool, false); len(b) > 0 {
			return pick(g, b).sql
		}
		return g.comparison(s, depth-1)
	case 13:
		return fmt.Sprintf("(%s) IS %s", g.boolExpr(s, depth-1), pick(g, []string{"TRUE", "NOT TRUE", "FALSE", "NOT FALSE", "UNKNOWN"}))
	}
	if s.subqueries {
		return g.subqueryCondition(s)
	}
	return g.comparison(s, depth-1)
}

func (g *generator) comparison(s *scope, depth int) string {
	k := g.anyKind()
	op := pick(g, []string{"=", "<>", "<", "<=", ">", ">="})
	return fmt.Sprintf("%s %s %s", g.expr(s, k, depth), op, g.expr(s, g.partner(k), depth))
}
