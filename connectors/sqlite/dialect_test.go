package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"

	"github.com/junction-db/junction/connectors/internal/remotetest"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func TestDialectRendering(t *testing.T) {
	d := Dialect{}
	dec := func(s string) types.Datum { v, _ := decimal.NewFromString(s); return types.DecDatum(v) }
	lit := func(typ types.Type, v types.Datum) string {
		s, ok := d.Literal(typ, v)
		if !ok {
			return "<declined>"
		}
		return s
	}
	for _, c := range []struct{ got, want string }{
		{d.QuoteIdent(`we"ird`), `"we""ird"`},
		{lit(types.TInt8, types.IntDatum(-5)), "(-5)"},
		{lit(types.TInt8, types.IntDatum(math.MinInt64)), "(-9223372036854775808)"},
		{lit(types.TText, types.StrDatum("it's")), "'it''s'"},
		{lit(types.TFloat8, types.FloatDatum(1.5)), "1.5e+00"},
		{lit(types.TFloat8, types.FloatDatum(math.Inf(-1))), "(-9e999)"},
		{lit(types.TFloat8, types.FloatDatum(math.NaN())), "<declined>"},
		{lit(types.TNumeric, dec("12.50")), "12.5"},
		{lit(types.TNumeric, dec("-15")), "(-15)"},
		{lit(types.TNumeric, dec("0.1")), "0.1"},
		{lit(types.TNumeric, dec("0.10000000000000000001")), "<declined>"},
		{lit(types.TNumeric, dec("123456789012345678901")), "<declined>"},
		{lit(types.TNumeric, dec("1e20")), "100000000000000000000"},
		{lit(types.TBytea, types.Datum{Bytes: []byte{0, 255}}), "X'00ff'"},
		{lit(types.TDate, types.IntDatum(types.DateToDays(2024, 1, 31))), "'2024-01-31'"},
		{lit(types.TDate, types.IntDatum(types.DateToDays(0, 1, 31))), "<declined>"},
		{lit(types.TTimestamp, types.IntDatum(0)), "'1970-01-01 00:00:00'"},
		{lit(types.TTimestamp, types.IntDatum(1)), "<declined>"},
		{lit(types.TBool, types.BoolDatum(true)), "<declined>"},
		{lit(types.TInt8, types.NullDatum), "NULL"},
		{d.Limit(10, 0), "LIMIT 10"},
		{d.Limit(10, 5), "LIMIT 10 OFFSET 5"},
		{d.Limit(-1, 5), "LIMIT -1 OFFSET 5"},
		{d.Limit(-1, 0), ""},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}

	i8 := []types.Type{types.TInt8, types.TInt8}
	price := types.Type{Kind: types.Numeric, Precision: 10, Scale: 2}
	sum, _ := d.Op(plan.OpAdd, []string{"a", "b"}, i8, types.TInt8)
	nested, _ := d.Op(plan.OpMul, []string{sum, "c"}, i8, types.TInt8)
	want := "(CASE typeof(((a + b) * c)) WHEN 'real' THEN abs(-9223372036854775807 - 1) ELSE ((a + b) * c) END)"
	if nested != want {
		t.Errorf("nested arithmetic has one guard:\n got %s\nwant %s", nested, want)
	}
	for _, c := range []struct {
		op     string
		ts     []types.Type
		result types.Type
	}{
		{plan.OpAdd, []types.Type{types.TInt4, types.TInt4}, types.TInt4},
		{plan.OpDiv, i8, types.TInt8},
		{plan.OpMod, i8, types.TInt8},
		{plan.OpAdd, []types.Type{types.TFloat8, types.TFloat8}, types.TFloat8},
		{plan.OpEq, []types.Type{types.TBool, types.TBool}, types.TBool},
		{plan.OpEq, []types.Type{types.TText, types.TInt8}, types.TBool},
		{plan.OpLt, []types.Type{types.TDate, types.TTimestamp}, types.TBool},
		{plan.OpEq, []types.Type{types.TUUID, types.TUUID}, types.TBool},
		{plan.OpLt, []types.Type{price, price}, types.TBool},
	} {
		if s, ok := d.Op(c.op, []string{"x", "y"}, c.ts, c.result); ok {
			t.Errorf("%s on %v must not be pushed, got %s", c.op, c.ts, s)
		}
	}
	if s, ok := d.Like("x", "'a%'", types.TText, false, false); ok {
		t.Errorf("LIKE must not be pushed (SQLite ignores case), got %s", s)
	}
	if s, ok := d.Aggregate("avg", "x", types.TInt8, false, types.TNumeric); ok {
		t.Errorf("avg must not be pushed, got %s", s)
	}
	if s, ok := d.Aggregate("sum", "x", types.TFloat8, false, types.TFloat8); ok {
		t.Errorf("sum of reals must not be pushed, got %s", s)
	}
	if _, ok := d.OrderKey("x", price, false, false); !ok {
		t.Error("numeric(p,s) keeps its order when read rounded; ORDER BY may be pushed")
	}
	if s, _ := d.OrderKey("x", types.TText, true, false); s != "x DESC NULLS LAST" {
		t.Errorf("order key %s", s)
	}
	if !d.Groupable(types.TText) || d.Groupable(types.TFloat8) || d.Groupable(types.TDate) || d.Groupable(types.TNumeric) {
		t.Error("Groupable must hold for text and integers only")
	}

	nocase := Dialect{otherCollations: true}
	if s, _ := nocase.Op(plan.OpEq, []string{"s", "'a'"}, []types.Type{types.TText, types.TText}, types.TBool); s != "(s COLLATE BINARY = 'a')" {
		t.Errorf("text comparison under other collations: %s", s)
	}
	if nocase.Groupable(types.TText) {
		t.Error("text must not be grouped remotely when the schema declares other collations")
	}
	if _, ok := nocase.Aggregate("max", "s", types.TText, false, types.TText); ok {
		t.Error("max of text follows the column collation and must not be pushed then")
	}
}

func TestConnectorDialectSeesCollations(t *testing.T) {
	plain := open(t, map[string]string{"path": newDatabase(t, "CREATE TABLE t (s TEXT COLLATE BINARY)")})
	if plain.Dialect().(Dialect).otherCollations {
		t.Error("COLLATE BINARY is the default collation")
	}
	nocase := open(t, map[string]string{"path": newDatabase(t, "CREATE TABLE t (s TEXT COLLATE NOCASE)")})
	if !nocase.Dialect().(Dialect).otherCollations {
		t.Error("a NOCASE column must be noticed")
	}
}

// expr is an expression rendered for SQLite with its type.
type expr struct {
	sql string
	t   types.Type
}

// builder renders expressions with a dialect, failing the test when the
// dialect declines something the differential test expects to push.
type builder struct {
	t *testing.T
	d Dialect
}

func (b builder) must(s string, ok bool, what string) string {
	b.t.Helper()
	if !ok {
		b.t.Fatalf("dialect declined %s", what)
	}
	return s
}

func (b builder) lit(t types.Type, text string) expr {
	b.t.Helper()
	v, err := types.ParseText(t, text)
	if err != nil {
		b.t.Fatal(err)
	}
	s, ok := b.d.Literal(t, v)
	return expr{b.must(s, ok, "literal "+text), t}
}

func (b builder) op(op string, result types.Type, args ...expr) expr {
	b.t.Helper()
	sqls, ts := split(args)
	s, ok := b.d.Op(op, sqls, ts, result)
	return expr{b.must(s, ok, op), result}
}

func (b builder) fn(name string, result types.Type, args ...expr) expr {
	b.t.Helper()
	sqls, ts := split(args)
	s, ok := b.d.Func(name, sqls, ts, result)
	return expr{b.must(s, ok, name), result}
}

func (b builder) in(arg expr, negated bool, list ...expr) expr {
	b.t.Helper()
	sqls, _ := split(list)
	s, ok := b.d.In(arg.sql, sqls, arg.t, negated)
	return expr{b.must(s, ok, "IN"), types.TBool}
}

func (b builder) order(e expr, desc, nullsFirst bool) string {
	b.t.Helper()
	s, ok := b.d.OrderKey(e.sql, e.t, desc, nullsFirst)
	return b.must(s, ok, "ORDER BY")
}

func (b builder) agg(fn string, arg expr, distinct bool, result types.Type) expr {
	b.t.Helper()
	s, ok := b.d.Aggregate(fn, arg.sql, arg.t, distinct, result)
	return expr{b.must(s, ok, fn), result}
}

func split(es []expr) ([]string, []types.Type) {
	sqls := make([]string, len(es))
	ts := make([]types.Type, len(es))
	for i, e := range es {
		sqls[i], ts[i] = e.sql, e.t
	}
	return sqls, ts
}

// The rows of the differential test, as SQL values both databases read the
// same way. SQLite stores the dates and timestamps as canonical ISO text.
const diffRows = `
	(1, 1, 2, 'abc', 'ABC', 1.5, 12.50, '2024-01-31', '2024-01-31 12:00:00', x'00'),
	(2, -5, 3, 'ABC', 'abc', -0.0, 0.10, '1999-12-31', '2024-01-31 11:59:59', x'ff'),
	(3, NULL, 0, NULL, '', NULL, NULL, NULL, NULL, NULL),
	(4, 7, NULL, 'a ', 'a', 1e300, -3.33, '2024-02-01', '2000-01-01 00:00:00', x''),
	(5, 0, -7, 'é', 'z', 0.1, 99999999.99, '0099-01-01', '1970-01-01 00:00:01', x'0001'),
	(6, 4611686018427387904, 2, '', 'é', -1e-300, 0.00, '2024-01-31', '2024-01-31 12:00:00', x'00'),
	(7, 4, 4, 'ABC', 'Abc', 0.30000000000000004, 0.30, '2024-01-30', '2024-01-31 12:00:00', x'00ff')`

// TestPushdownMatchesPostgres runs every construct the dialect pushes on
// the same rows in SQLite (as rendered) and in PostgreSQL, and compares
// the answers, errors included.
func TestPushdownMatchesPostgres(t *testing.T) {
	for _, nocase := range []bool{false, true} {
		t.Run(fmt.Sprintf("nocase=%v", nocase), func(t *testing.T) { comparePushdown(t, nocase) })
	}
}

func comparePushdown(t *testing.T, nocase bool) {
	collate := ""
	if nocase {
		collate = " COLLATE NOCASE"
	}
	path := newDatabase(t,
		"CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, s TEXT"+collate+", u TEXT"+collate+
			", f REAL, n DECIMAL(10,2), d DATE, ts DATETIME, bl BLOB, r NUMERIC)",
		"INSERT INTO t (id, a, b, s, u, f, n, d, ts, bl) VALUES "+diffRows, "UPDATE t SET r = n")
	pgDB := remotetest.PostgresDB(t,
		`CREATE TABLE t (id bigint, a bigint, b bigint, s text COLLATE "C", u text COLLATE "C", f float8,
			n numeric(10,2), d date, ts timestamp, bl bytea, r numeric)`,
		"INSERT INTO t VALUES "+strings.ReplaceAll(diffRows, `x'`, `'\x`), "UPDATE t SET r = n")
	ctx := context.Background()
	pg, err := pgx.Connect(ctx, "host=127.0.0.1 port=5432 user=root sslmode=disable dbname="+pgDB)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	c := open(t, map[string]string{"path": path})
	b := builder{t: t, d: c.Dialect().(Dialect)}
	if b.d.otherCollations != nocase {
		t.Fatalf("collation detection: %v", b.d.otherCollations)
	}

	col := func(name string, typ types.Type) expr { return expr{b.d.QuoteIdent(name), typ} }
	i8, text, f8, num, date, ts, bytea := types.TInt8, types.TText, types.TFloat8,
		types.Type{Kind: types.Numeric, Precision: 10, Scale: 2}, types.TDate, types.TTimestamp, types.TBytea
	a, bb, s, u, f, n, d, tsc, bl := col("a", i8), col("b", i8), col("s", text), col("u", text), col("f", f8),
		col("n", num), col("d", date), col("ts", ts), col("bl", bytea)
	r := col("r", types.TNumeric)
	boolean := types.TBool

	// Predicates: compare the ids of the rows each one keeps.
	preds := []struct {
		pg  string
		lit expr
	}{
		{"a = b", b.op(plan.OpEq, boolean, a, bb)},
		{"a < b", b.op(plan.OpLt, boolean, a, bb)},
		{"a <> b", b.op(plan.OpNe, boolean, a, bb)},
		{"a IS DISTINCT FROM b", b.op(plan.OpDistinct, boolean, a, bb)},
		{"a IS NOT DISTINCT FROM b", b.op(plan.OpNotDist, boolean, a, bb)},
		{"s = 'abc'", b.op(plan.OpEq, boolean, s, b.lit(text, "abc"))},
		{"'ABC' = s", b.op(plan.OpEq, boolean, b.lit(text, "ABC"), s)},
		{"s < u", b.op(plan.OpLt, boolean, s, u)},
		{"s >= 'a'", b.op(plan.OpGe, boolean, s, b.lit(text, "a"))},
		{"s <> u", b.op(plan.OpNe, boolean, s, u)},
		{"s IS DISTINCT FROM u", b.op(plan.OpDistinct, boolean, s, u)},
		{"f > 0.1", b.op(plan.OpGt, boolean, f, b.lit(f8, "0.1"))},
		{"f = 0", b.op(plan.OpEq, boolean, f, b.lit(f8, "-0"))},
		{"f < 'Infinity'", b.op(plan.OpLt, boolean, f, b.lit(f8, "Infinity"))},
		{"r > 0.1", b.op(plan.OpGt, boolean, r, b.lit(types.TNumeric, "0.1"))},
		{"r = 12.5", b.op(plan.OpEq, boolean, r, b.lit(types.TNumeric, "12.5"))},
		{"r = 0.3", b.op(plan.OpEq, boolean, r, b.lit(types.TNumeric, "0.3"))},
		{"r < -3.3", b.op(plan.OpLt, boolean, r, b.lit(types.TNumeric, "-3.3"))},
		{"r >= 100", b.op(plan.OpGe, boolean, r, b.lit(types.TNumeric, "100"))},
		{"d < DATE '2024-01-31'", b.op(plan.OpLt, boolean, d, b.lit(date, "2024-01-31"))},
		{"d = '2024-01-31'", b.op(plan.OpEq, boolean, d, b.lit(date, "2024-01-31"))},
		{"d >= '0099-01-01'", b.op(plan.OpGe, boolean, d, b.lit(date, "0099-01-01"))},
		{"ts > '2024-01-31 11:59:59'", b.op(plan.OpGt, boolean, tsc, b.lit(ts, "2024-01-31 11:59:59"))},
		{"ts <= '2000-01-01'", b.op(plan.OpLe, boolean, tsc, b.lit(ts, "2000-01-01"))},
		{`bl < '\x01'`, b.op(plan.OpLt, boolean, bl, b.lit(bytea, `\x01`))},
		{"a IN (1, 7, NULL)", b.in(a, false, b.lit(i8, "1"), b.lit(i8, "7"), expr{"NULL", i8})},
		{"a NOT IN (1, 2)", b.in(a, true, b.lit(i8, "1"), b.lit(i8, "2"))},
		{"s IN ('abc', 'é')", b.in(s, false, b.lit(text, "abc"), b.lit(text, "é"))},
		{"d IN ('2024-01-31', '1999-12-31')", b.in(d, false, b.lit(date, "2024-01-31"), b.lit(date, "1999-12-31"))},
		{"a + b > 0", b.op(plan.OpGt, boolean, b.op(plan.OpAdd, i8, a, bb), b.lit(i8, "0"))},
		{"- a < 0", b.op(plan.OpLt, boolean, b.op(plan.OpNeg, i8, a), b.lit(i8, "0"))},
		{"a - b * 2 > -5", b.op(plan.OpGt, boolean, b.op(plan.OpSub, i8, a, b.op(plan.OpMul, i8, bb, b.lit(i8, "2"))), b.lit(i8, "-5"))},
		{"s || u = 'abcABC'", b.op(plan.OpEq, boolean, b.op(plan.OpConcat, text, s, u), b.lit(text, "abcABC"))},
		{"NOT (a = 1) AND b > 0 OR s IS NULL", b.op(plan.OpOr, boolean,
			b.op(plan.OpAnd, boolean, b.op(plan.OpNot, boolean, b.op(plan.OpEq, boolean, a, b.lit(i8, "1"))), b.op(plan.OpGt, boolean, bb, b.lit(i8, "0"))),
			expr{"(" + s.sql + " IS NULL)", boolean})},
		{"coalesce(s, 'x') = 'x'", b.op(plan.OpEq, boolean, b.fn("coalesce", text, s, b.lit(text, "x")), b.lit(text, "x"))},
		{"length(s) = 3", b.op(plan.OpEq, boolean, b.fn("length", i8, s), b.lit(i8, "3"))},
		{"octet_length(s) = 2", b.op(plan.OpEq, boolean, b.fn("octet_length", i8, s), b.lit(i8, "2"))},
		{"substr(s, 2) = 'bc'", b.op(plan.OpEq, boolean, b.fn("substr", text, s, b.lit(i8, "2")), b.lit(text, "bc"))},
		{"btrim(s) = 'a'", b.op(plan.OpEq, boolean, b.fn("btrim", text, s), b.lit(text, "a"))},
		{"rtrim(u, 'cC') = 'ab'", b.op(plan.OpEq, boolean, b.fn("rtrim", text, u, b.lit(text, "cC")), b.lit(text, "ab"))},
		{"replace(s, 'B', 'b') = 'abc'", b.op(plan.OpEq, boolean, b.fn("replace", text, s, b.lit(text, "B"), b.lit(text, "b")), b.lit(text, "abc"))},
		{"concat(s, u) = 'ABCabc'", b.op(plan.OpEq, boolean, b.fn("concat", text, s, u), b.lit(text, "ABCabc"))},
		{"nullif(a, 1) IS NULL", expr{"(" + b.fn("nullif", i8, a, b.lit(i8, "1")).sql + " IS NULL)", boolean}},
		{"abs(a) > 4", b.op(plan.OpGt, boolean, b.fn("abs", i8, a), b.lit(i8, "4"))},
		{"a::float8 > 1.5", b.op(plan.OpGt, boolean, castTo(t, b, a, f8), b.lit(f8, "1.5"))},
	}
	if !nocase {
		preds = append(preds, struct {
			pg  string
			lit expr
		}{"nullif(s, 'abc') IS NULL", expr{"(" + b.fn("nullif", text, s, b.lit(text, "abc")).sql + " IS NULL)", boolean}})
	}
	for _, p := range preds {
		compareResult(t, pg, c, "SELECT id FROM t WHERE "+p.pg+" ORDER BY id", "SELECT id FROM t WHERE "+p.lit.sql+" ORDER BY id", i8)
	}

	// Values, including the errors of overflowing arithmetic.
	for _, v := range []struct {
		pg  string
		lit expr
	}{
		{"a + b", b.op(plan.OpAdd, i8, a, bb)},
		{"a - b", b.op(plan.OpSub, i8, a, bb)},
		{"a * b", b.op(plan.OpMul, i8, a, bb)},
		{"a * b - a", b.op(plan.OpSub, i8, b.op(plan.OpMul, i8, a, bb), a)},
		{"(a + a) + (a + a)", b.op(plan.OpAdd, i8, b.op(plan.OpAdd, i8, a, a), b.op(plan.OpAdd, i8, a, a))},
		{"- a", b.op(plan.OpNeg, i8, a)},
		{"s || u", b.op(plan.OpConcat, text, s, u)},
		{"coalesce(s, u)", b.fn("coalesce", text, s, u)},
		{"substr(u, 1, 2)", b.fn("substr", text, u, b.lit(i8, "1"), b.lit(i8, "2"))},
		{"concat(s, '-', u)", b.fn("concat", text, s, b.lit(text, "-"), u)},
		{"replace(u, 'a', 'xy')", b.fn("replace", text, u, b.lit(text, "a"), b.lit(text, "xy"))},
		{"abs(b)", b.fn("abs", i8, bb)},
		{"CASE WHEN a > b THEN s ELSE u END", expr{"CASE WHEN " + b.op(plan.OpGt, boolean, a, bb).sql + " THEN " + s.sql + " ELSE " + u.sql + " END", text}},
		{"f", f}, {"n", n}, {"d", d}, {"ts", tsc}, {"bl", bl},
	} {
		compareResult(t, pg, c, "SELECT "+v.pg+" FROM t ORDER BY id", "SELECT "+v.lit.sql+" FROM t ORDER BY id", v.lit.t)
	}

	// Orderings, with the id as a tie-breaker.
	for _, o := range []struct {
		pg   string
		e    expr
		desc bool
		nf   bool
	}{
		{"a ASC NULLS FIRST", a, false, true}, {"a DESC NULLS LAST", a, true, false},
		{"s ASC NULLS LAST", s, false, false}, {"s DESC NULLS FIRST", s, true, true},
		{"u ASC NULLS LAST", u, false, false}, {"f ASC NULLS LAST", f, false, false},
		{"n DESC NULLS FIRST", n, true, true}, {"d ASC NULLS LAST", d, false, false},
		{"ts DESC NULLS LAST", tsc, true, false}, {"bl ASC NULLS FIRST", bl, false, true},
	} {
		compareResult(t, pg, c, "SELECT id FROM t ORDER BY "+o.pg+", id",
			"SELECT id FROM t ORDER BY "+b.order(o.e, o.desc, o.nf)+", "+b.order(col("id", i8), false, false), i8)
	}

	// Groups and aggregates.
	if b.d.Groupable(text) {
		compareResult(t, pg, c, "SELECT s, count(*) FROM t GROUP BY s ORDER BY s NULLS LAST",
			"SELECT s, count(*) FROM t GROUP BY s ORDER BY "+b.order(s, false, false), text, i8)
		compareResult(t, pg, c, "SELECT DISTINCT u FROM t ORDER BY u", "SELECT DISTINCT u FROM t ORDER BY "+b.order(u, false, false), text)
		compareResult(t, pg, c, "SELECT count(DISTINCT s), min(s), max(u) FROM t",
			"SELECT "+b.agg("count", s, true, i8).sql+", "+b.agg("min", s, false, text).sql+", "+b.agg("max", u, false, text).sql+" FROM t",
			i8, text, text)
	}
	compareResult(t, pg, c, "SELECT b, count(a), sum(a) FROM t GROUP BY b ORDER BY b NULLS FIRST",
		"SELECT b, "+b.agg("count", a, false, i8).sql+", "+b.agg("sum", a, false, types.TNumeric).sql+
			" FROM t GROUP BY b ORDER BY "+b.order(bb, false, true), i8, i8, types.TNumeric)
	compareResult(t, pg, c, "SELECT count(*), count(f), min(a), max(a), sum(b), sum(DISTINCT b), min(f), max(f), min(n), max(n), min(d), max(ts) FROM t",
		"SELECT count(*), "+strings.Join([]string{
			b.agg("count", f, false, i8).sql, b.agg("min", a, false, i8).sql, b.agg("max", a, false, i8).sql,
			b.agg("sum", bb, false, types.TNumeric).sql, b.agg("sum", bb, true, types.TNumeric).sql,
			b.agg("min", f, false, f8).sql, b.agg("max", f, false, f8).sql, b.agg("min", n, false, num).sql,
			b.agg("max", n, false, num).sql, b.agg("min", d, false, date).sql, b.agg("max", tsc, false, ts).sql}, ", ")+" FROM t",
		i8, i8, i8, i8, types.TNumeric, types.TNumeric, f8, f8, num, num, date, ts)
	if _, ok := b.d.Aggregate("min", bl.sql, bytea, false, bytea); ok {
		t.Error("PostgreSQL has no min(bytea); it must not be rendered")
	}
	compareResult(t, pg, c, "SELECT a FROM t ORDER BY id LIMIT 2 OFFSET 3", "SELECT a FROM t ORDER BY id "+b.d.Limit(2, 3), i8)
	compareResult(t, pg, c, "SELECT a FROM t ORDER BY id OFFSET 5", "SELECT a FROM t ORDER BY id "+b.d.Limit(-1, 5), i8)
	compareResult(t, pg, c, "SELECT x.id, y.id FROM t x FULL JOIN t y ON x.a = y.b + 3 ORDER BY 1, 2",
		"SELECT x.id, y.id FROM t x FULL JOIN t y ON x.a = y.b + 3 ORDER BY 1 NULLS LAST, 2 NULLS LAST", i8, i8)
}

func castTo(t *testing.T, b builder, e expr, to types.Type) expr {
	t.Helper()
	s, ok := b.d.Cast(e.sql, e.t, to)
	return expr{b.must(s, ok, "cast"), to}
}

// compareResult runs a query in PostgreSQL and its rendering in SQLite and
// compares the rows as text, or the SQLSTATEs when PostgreSQL fails.
func compareResult(t *testing.T, pg *pgx.Conn, c *Connector, pgSQL, sqliteSQL string, cols ...types.Type) {
	t.Helper()
	want, wantErr := pgRows(pg, pgSQL, len(cols))
	got, gotErr := remotetest.TryQueryText(c, sqliteSQL, cols...)
	switch {
	case wantErr != nil && gotErr == nil:
		t.Errorf("%s\nPostgreSQL fails with %v, SQLite returns %q for\n%s", pgSQL, wantErr, got, sqliteSQL)
	case wantErr != nil:
		var pe *pgconn.PgError
		if errors.As(wantErr, &pe) && pe.Code != pgerr.Code(gotErr) {
			t.Errorf("%s\nPostgreSQL fails with %s (%v), SQLite with %s (%v)", pgSQL, pe.Code, wantErr, pgerr.Code(gotErr), gotErr)
		}
	case gotErr != nil:
		t.Errorf("%s\nSQLite fails: %v\n%s", pgSQL, gotErr, sqliteSQL)
	case fmt.Sprint(got) != fmt.Sprint(want):
		t.Errorf("%s\nPostgreSQL: %q\nSQLite:     %q\n%s", pgSQL, want, got, sqliteSQL)
	}
}

// pgRows runs sql and returns each row as the text PostgreSQL prints.
func pgRows(pg *pgx.Conn, sql string, ncols int) ([][]string, error) {
	rows, err := pg.Query(context.Background(), sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		raw := rows.RawValues()
		row := make([]string, ncols)
		for i := range row {
			row[i] = "NULL"
			if raw[i] != nil {
				row[i] = string(raw[i])
			}
		}
		out = append(out, row)
	}
	return out, rows.Err()
}
