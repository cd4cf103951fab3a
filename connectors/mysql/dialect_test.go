package mysql

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remotetest"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"

	// The differential test compares with a PostgreSQL source.
	_ "github.com/junction-db/junction/connectors/postgres"
)

// wordStrings are the text values of the differential test: case and
// accent variants, leading and trailing spaces, LIKE wildcards, a
// backslash, a quote and characters outside the BMP.
var wordStrings = []any{"a", "A", "a ", " a", "ab", "B", "b", "é", "É", "e", "abc", "", nil, "a_c", "a%c",
	`x\y`, "it's", "😀", "Zebra", "zebra", "ß", "ss", "abc  ", "É ", "aB"}

var wordDates = []string{"2020-12-31", "2021-01-01", "2021-01-03", "2021-01-04", "2024-02-29", "2024-12-29", "2024-12-30", "1999-07-15"}

// wordRows renders the rows of the differential table; quote renders a
// string literal for the target, bytes a binary string given in hex, and
// truth a boolean stored as 0, 1 or 2.
func wordRows(quote, bytes func(string) string, truth func(int) string) string {
	var rows []string
	for i, s := range wordStrings {
		id := i + 1
		sv, tv := "NULL", "NULL"
		if s != nil {
			sv = quote(s.(string))
			switch id % 3 {
			case 0:
				tv = quote(strings.ToUpper(s.(string)))
			case 1:
				tv = sv
			default:
				tv = quote(s.(string) + " ")
			}
		}
		n := "NULL"
		if id%5 != 0 {
			n = fmt.Sprint(id*7%11 - 5)
		}
		dec := "NULL"
		if id%4 != 0 {
			dec = fmt.Sprintf("%d.%03d", id*37%100-50, id*13%1000)
		}
		b := "NULL"
		if id%4 != 3 {
			b = truth(id % 4)
		}
		date := wordDates[id%len(wordDates)]
		ts := fmt.Sprintf("%s %02d:%02d:00.%06d", date, id%24, id*7%60, id*12345)
		bb := "NULL"
		if id%6 != 0 {
			bb = bytes(fmt.Sprintf("%02x%02x", id%3, id*5%256))
		}
		rows = append(rows, fmt.Sprintf("(%d, %s, %s, %s, %s, %g, %s, '%s', '%s', %d, %d, %s, %g, %s)",
			id, sv, tv, n, dec, float64(id)*0.25-2, b, date, ts, id*3, uint64(18446744073709551590)+uint64(id), bb, float64(id)/7, sv))
	}
	return "INSERT INTO words VALUES " + strings.Join(rows, ", ")
}

// differentialSources opens a MariaDB and a PostgreSQL source holding the
// same words table.
func differentialSources(t *testing.T) (my, pg connectors.Connector) {
	myDB := remotetest.MySQLDB(t,
		`SET sql_mode = 'NO_BACKSLASH_ESCAPES'`,
		`CREATE TABLE words (id int PRIMARY KEY, s varchar(20), t varchar(20), n bigint, d3 decimal(10,3),
			f double, b tinyint(1), d date, ts datetime(6), u int unsigned, ub bigint unsigned,
			bb varbinary(4), r float, c char(8))`,
		wordRows(types.QuoteLiteral, func(h string) string { return "X'" + h + "'" }, func(v int) string { return fmt.Sprint(v) }))
	pgDB := remotetest.PostgresDB(t,
		`CREATE TABLE words (id int PRIMARY KEY, s text, t text, n bigint, d3 numeric(10,3),
			f float8, b boolean, d date, ts timestamp, u bigint, ub numeric(20,0), bb bytea, r real, c character(8))`,
		wordRows(types.QuoteLiteral, func(h string) string { return `'\x` + h + "'" }, func(v int) string { return fmt.Sprint(v != 0) }))
	my = openSource(t, myDB, nil)
	pg, err := connectors.Open(context.Background(), "postgres", map[string]string{"host": "127.0.0.1", "user": "root", "dbname": pgDB})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	return my, pg
}

// render builds SQL through a dialect, remembering whether it declined
// any part.
type render struct {
	d        sqlgen.Dialect
	declined []string
}

func (r *render) check(sql string, ok bool, what string) string {
	if !ok {
		r.declined = append(r.declined, what)
	}
	return sql
}

func (r *render) col(name string) string { return r.d.QuoteIdent(name) }

func (r *render) lit(t types.Type, d types.Datum) string {
	s, ok := r.d.Literal(t, d)
	return r.check(s, ok, "literal "+t.String())
}

func (r *render) str(s string) string { return r.lit(types.TText, types.StrDatum(s)) }
func (r *render) i8(n int64) string   { return r.lit(types.TInt8, types.IntDatum(n)) }

func (r *render) op(op string, ts []types.Type, result types.Type, args ...string) string {
	s, ok := r.d.Op(op, args, ts, result)
	return r.check(s, ok, "operator "+op)
}

func (r *render) cmp(op string, t types.Type, a, b string) string {
	return r.op(op, []types.Type{t, t}, types.TBool, a, b)
}

func (r *render) fn(name string, ts []types.Type, result types.Type, args ...string) string {
	s, ok := r.d.Func(name, args, ts, result)
	return r.check(s, ok, "function "+name)
}

func (r *render) like(arg, pattern string, ci, negated bool) string {
	s, ok := r.d.Like(arg, pattern, types.TText, ci, negated)
	return r.check(s, ok, "LIKE")
}

func (r *render) in(arg string, t types.Type, negated bool, list ...string) string {
	s, ok := r.d.In(arg, list, t, negated)
	return r.check(s, ok, "IN")
}

func (r *render) order(expr string, t types.Type, desc, nullsFirst bool) string {
	s, ok := r.d.OrderKey(expr, t, desc, nullsFirst)
	return r.check(s, ok, "ORDER BY "+t.String())
}

func (r *render) agg(fn, arg string, t types.Type, distinct bool, result types.Type) string {
	s, ok := r.d.Aggregate(fn, arg, t, distinct, result)
	return r.check(s, ok, "aggregate "+fn)
}

var (
	text    = types.TText
	int8T   = types.TInt8
	numeric = types.Type{Kind: types.Numeric, Precision: 10, Scale: 3}
	boolT   = types.TBool
	date    = types.TDate
)

// A differential case is one query whose result must be the same from
// both sources. Its SQL is built through the source's dialect; cols are
// the result's types.
type differentialCase struct {
	name string
	sql  func(r *render) string
	cols []types.Type
	// sorted compares the rows as a set (GROUP BY results).
	sorted bool
}

func where(name string, pred func(r *render) string) differentialCase {
	return differentialCase{name: name, cols: []types.Type{types.TInt4}, sql: func(r *render) string {
		return "SELECT id FROM words WHERE " + pred(r) + " ORDER BY id"
	}}
}

func orderBy(name string, col string, t types.Type, desc, nullsFirst bool) differentialCase {
	return differentialCase{name: name, cols: []types.Type{types.TInt4}, sql: func(r *render) string {
		return "SELECT id FROM words ORDER BY " + r.order(r.col(col), t, desc, nullsFirst) + ", id"
	}}
}

func project(name string, t types.Type, expr func(r *render) string) differentialCase {
	return differentialCase{name: name, cols: []types.Type{types.TInt4, t}, sql: func(r *render) string {
		return "SELECT id, " + expr(r) + " FROM words ORDER BY id"
	}}
}

func aggregate(name string, cols []types.Type, exprs func(r *render) []string) differentialCase {
	return differentialCase{name: name, cols: cols, sql: func(r *render) string {
		return "SELECT " + strings.Join(exprs(r), ", ") + " FROM words"
	}}
}

func groupBy(name, col string, t types.Type) differentialCase {
	return differentialCase{name: name, cols: []types.Type{t, types.TInt8}, sorted: true, sql: func(r *render) string {
		key := r.col(col)
		if !r.d.Groupable(t) {
			k, ok := r.d.(sqlgen.GroupKeyer).GroupKey(key, t)
			if !ok {
				r.declined = append(r.declined, "GROUP BY "+t.String())
			}
			key = k
		}
		return "SELECT " + r.col(col) + ", " + r.agg("count", "", types.TUnknown, false, types.TInt8) + " FROM words GROUP BY " + key
	}}
}

// bpchar8 is character(8), CHAR(8) in MariaDB.
var bpchar8 = types.Type{Kind: types.Bpchar, Length: 8}

var differentialCases = []differentialCase{
	where("text = lower-case literal", func(r *render) string { return r.cmp(plan.OpEq, text, r.col("s"), r.str("a")) }),
	where("text = upper-case literal", func(r *render) string { return r.cmp(plan.OpEq, text, r.col("s"), r.str("A")) }),
	where("text = literal with trailing space", func(r *render) string { return r.cmp(plan.OpEq, text, r.col("s"), r.str("a ")) }),
	where("text = accented literal", func(r *render) string { return r.cmp(plan.OpEq, text, r.col("s"), r.str("É")) }),
	where("text = sharp s", func(r *render) string { return r.cmp(plan.OpEq, text, r.col("s"), r.str("ss")) }),
	where("text = quote and backslash", func(r *render) string {
		return r.op(plan.OpOr, []types.Type{boolT, boolT}, boolT, r.cmp(plan.OpEq, text, r.col("s"), r.str("it's")), r.cmp(plan.OpEq, text, r.col("s"), r.str(`x\y`)))
	}),
	where("text <> literal", func(r *render) string { return r.cmp(plan.OpNe, text, r.col("s"), r.str("a")) }),
	where("text < literal", func(r *render) string { return r.cmp(plan.OpLt, text, r.col("s"), r.str("b")) }),
	where("text <= literal with space", func(r *render) string { return r.cmp(plan.OpLe, text, r.col("s"), r.str("a ")) }),
	where("text > upper-case literal", func(r *render) string { return r.cmp(plan.OpGt, text, r.col("s"), r.str("Z")) }),
	where("text >= accented literal", func(r *render) string { return r.cmp(plan.OpGe, text, r.col("s"), r.str("é")) }),
	where("text = text column", func(r *render) string { return r.cmp(plan.OpEq, text, r.col("s"), r.col("t")) }),
	where("text < text column", func(r *render) string { return r.cmp(plan.OpLt, text, r.col("s"), r.col("t")) }),
	where("text IS DISTINCT FROM literal", func(r *render) string { return r.cmp(plan.OpDistinct, text, r.col("s"), r.str("a")) }),
	where("text IS NOT DISTINCT FROM column", func(r *render) string { return r.cmp(plan.OpNotDist, text, r.col("s"), r.col("t")) }),
	where("character(n) = literal with trailing spaces", func(r *render) string {
		return r.cmp(plan.OpEq, bpchar8, r.col("c"), r.lit(bpchar8, types.StrDatum("a   ")))
	}),
	where("character(n) = upper-case literal", func(r *render) string {
		return r.cmp(plan.OpEq, bpchar8, r.col("c"), r.lit(bpchar8, types.StrDatum("A")))
	}),
	where("character(n) < literal", func(r *render) string {
		return r.cmp(plan.OpLt, bpchar8, r.col("c"), r.lit(bpchar8, types.StrDatum("ab ")))
	}),
	where("character(n) >= accented literal", func(r *render) string {
		return r.cmp(plan.OpGe, bpchar8, r.col("c"), r.lit(bpchar8, types.StrDatum("é")))
	}),
	where("character(n) IN literals", func(r *render) string {
		return r.in(r.col("c"), bpchar8, false, r.lit(bpchar8, types.StrDatum("abc")), r.lit(bpchar8, types.StrDatum("É  ")), "NULL")
	}),
	where("text IN literals", func(r *render) string { return r.in(r.col("s"), text, false, r.str("a"), r.str("é"), r.str("zebra")) }),
	where("text NOT IN literals", func(r *render) string { return r.in(r.col("s"), text, true, r.str("a"), r.str("B")) }),
	where("text NOT IN with NULL", func(r *render) string { return r.in(r.col("s"), text, true, r.str("a"), "NULL") }),
	where("text IN column", func(r *render) string { return r.in(r.col("s"), text, false, r.col("t"), r.str("b")) }),
	where("LIKE prefix", func(r *render) string { return r.like(r.col("s"), r.str("a%"), false, false) }),
	where("LIKE upper-case prefix", func(r *render) string { return r.like(r.col("s"), r.str("A%"), false, false) }),
	where("LIKE one character", func(r *render) string { return r.like(r.col("s"), r.str("_"), false, false) }),
	where("LIKE suffix", func(r *render) string { return r.like(r.col("s"), r.str("%c"), false, false) }),
	where("LIKE escaped underscore", func(r *render) string { return r.like(r.col("s"), r.str(`a\_c`), false, false) }),
	where("LIKE escaped percent", func(r *render) string { return r.like(r.col("s"), r.str(`a\%c`), false, false) }),
	where("LIKE escaped backslash", func(r *render) string { return r.like(r.col("s"), r.str(`x\\y`), false, false) }),
	where("LIKE trailing space", func(r *render) string { return r.like(r.col("s"), r.str("a"), false, false) }),
	where("NOT LIKE", func(r *render) string { return r.like(r.col("s"), r.str("a%"), false, true) }),
	where("LIKE inner wildcard", func(r *render) string { return r.like(r.col("s"), r.str("_b%"), false, false) }),
	where("concat operator", func(r *render) string {
		return r.cmp(plan.OpEq, text, r.op(plan.OpConcat, []types.Type{text, text}, text, r.col("s"), r.str("x")), r.str("ax"))
	}),
	where("concat function skips NULL", func(r *render) string {
		return r.cmp(plan.OpEq, text, r.fn("concat", []types.Type{text, text}, text, r.col("s"), r.str("x")), r.str("x"))
	}),
	where("length counts characters", func(r *render) string {
		return r.cmp(plan.OpEq, int8T, r.fn("length", []types.Type{text}, int8T, r.col("s")), r.i8(1))
	}),
	where("substring", func(r *render) string {
		return r.cmp(plan.OpEq, text, r.fn("substring", []types.Type{text, types.TInt4, types.TInt4}, text, r.col("s"), "2", "2"), r.str("b"))
	}),
	where("left", func(r *render) string {
		return r.cmp(plan.OpEq, text, r.fn("left", []types.Type{text, types.TInt4}, text, r.col("s"), "1"), r.str("a"))
	}),
	where("btrim", func(r *render) string {
		return r.cmp(plan.OpEq, text, r.fn("btrim", []types.Type{text}, text, r.col("s")), r.str("a"))
	}),
	where("replace is case-sensitive", func(r *render) string {
		return r.cmp(plan.OpEq, text, r.fn("replace", []types.Type{text, text, text}, text, r.col("s"), r.str("a"), r.str("X")), r.str("XB"))
	}),
	where("boolean = true", func(r *render) string {
		return r.cmp(plan.OpEq, boolT, r.col("b"), r.lit(boolT, types.BoolDatum(true)))
	}),
	where("boolean <> false", func(r *render) string {
		return r.cmp(plan.OpNe, boolT, r.col("b"), r.lit(boolT, types.BoolDatum(false)))
	}),
	where("boolean IS DISTINCT FROM true", func(r *render) string {
		return r.cmp(plan.OpDistinct, boolT, r.col("b"), r.lit(boolT, types.BoolDatum(true)))
	}),
	where("bigint arithmetic", func(r *render) string {
		return r.cmp(plan.OpGt, int8T, r.op(plan.OpAdd, []types.Type{int8T, int8T}, int8T, r.col("n"), r.i8(1)), r.i8(2))
	}),
	where("unsigned int below zero", func(r *render) string {
		return r.cmp(plan.OpLt, int8T, r.op(plan.OpSub, []types.Type{int8T, int8T}, int8T, r.col("u"), r.i8(50)), r.op(plan.OpAdd, []types.Type{int8T, int8T}, int8T, r.col("u"), r.i8(-60)))
	}),
	where("unsigned bigint past 2^64", func(r *render) string {
		ub := types.Type{Kind: types.Numeric, Precision: 20}
		hundred := r.lit(types.TNumeric, types.DecDatum(decimal.NewFromInt(100)))
		sum := r.op(plan.OpAdd, []types.Type{ub, types.TNumeric}, types.TNumeric, r.col("ub"), hundred)
		return r.cmp(plan.OpGt, types.TNumeric, sum, r.lit(types.TNumeric, types.DecDatum(decimal.RequireFromString("18446744073709551700"))))
	}),
	where("negated bigint", func(r *render) string {
		return r.cmp(plan.OpLt, int8T, r.op(plan.OpNeg, []types.Type{int8T}, int8T, r.col("n")), r.i8(-1))
	}),
	where("numeric product", func(r *render) string {
		prod := types.Type{Kind: types.Numeric, Precision: 21, Scale: 6}
		return r.cmp(plan.OpGt, prod, r.op(plan.OpMul, []types.Type{numeric, numeric}, prod, r.col("d3"), r.col("d3")), r.lit(types.TNumeric, types.DecDatum(decimal.RequireFromString("100.5"))))
	}),
	where("double comparison", func(r *render) string {
		return r.cmp(plan.OpGe, types.TFloat8, r.col("f"), r.lit(types.TFloat8, types.FloatDatum(0.25)))
	}),
	where("date comparison", func(r *render) string {
		d, _ := types.ParseText(date, "2021-01-03")
		return r.cmp(plan.OpLe, date, r.col("d"), r.lit(date, d))
	}),
	where("timestamp comparison", func(r *render) string {
		ts, _ := types.ParseText(types.TTimestamp, "2021-01-01 05:35:00.061725")
		return r.cmp(plan.OpGt, types.TTimestamp, r.col("ts"), r.lit(types.TTimestamp, ts))
	}),
	where("bigint IN with NULL", func(r *render) string { return r.in(r.col("n"), int8T, true, r.i8(1), r.i8(-3), "NULL") }),
	where("nullif", func(r *render) string {
		return r.cmp(plan.OpEq, int8T, r.fn("coalesce", []types.Type{int8T, int8T}, int8T, r.fn("nullif", []types.Type{int8T, int8T}, int8T, r.col("n"), r.i8(2)), r.i8(-100)), r.i8(-100))
	}),
	where("bytea comparison", func(r *render) string {
		return r.cmp(plan.OpLt, types.TBytea, r.col("bb"), r.lit(types.TBytea, types.Datum{Bytes: []byte{1, 5}}))
	}),
	where("bytea IN", func(r *render) string {
		return r.in(r.col("bb"), types.TBytea, false, r.lit(types.TBytea, types.Datum{Bytes: []byte{0, 0}}), r.lit(types.TBytea, types.Datum{Bytes: []byte{2, 10}}))
	}),
	where("real comparison", func(r *render) string {
		return r.cmp(plan.OpGt, types.TFloat4, r.col("r"), r.lit(types.TFloat4, types.FloatDatum(float64(float32(1.4285715)))))
	}),
	orderBy("bytea descending", "bb", types.TBytea, true, false),
	orderBy("text ascending", "s", text, false, false),
	orderBy("text descending", "s", text, true, true),
	orderBy("text ascending, NULLs first", "s", text, false, true),
	orderBy("text descending, NULLs last", "s", text, true, false),
	orderBy("bigint ascending", "n", int8T, false, false),
	orderBy("bigint descending", "n", int8T, true, true),
	orderBy("boolean ascending", "b", boolT, false, false),
	orderBy("numeric descending", "d3", numeric, true, false),
	orderBy("timestamp ascending", "ts", types.TTimestamp, false, false),
	project("extract fields", types.TText, func(r *render) string {
		var parts []string
		for _, f := range []string{"year", "quarter", "month", "day", "dow", "isodow", "doy", "week"} {
			parts = append(parts, r.fn("extract", []types.Type{text, date}, types.TNumeric, r.str(f), r.col("d")))
		}
		for _, f := range []string{"hour", "minute"} {
			parts = append(parts, r.fn("extract", []types.Type{text, types.TTimestamp}, types.TNumeric, r.str(f), r.col("ts")))
		}
		return r.fn("concat", []types.Type{text, text}, text, parts...)
	}),
	project("numeric functions", types.TNumeric, func(r *render) string {
		round := r.fn("round", []types.Type{numeric, types.TInt4}, types.TNumeric, r.col("d3"), "1")
		trunc := r.fn("trunc", []types.Type{numeric}, types.TNumeric, r.col("d3"))
		floor := r.fn("floor", []types.Type{numeric}, types.TNumeric, r.col("d3"))
		ceil := r.fn("ceil", []types.Type{numeric}, types.TNumeric, r.col("d3"))
		abs := r.fn("abs", []types.Type{numeric}, types.TNumeric, r.col("d3"))
		ts := []types.Type{types.TNumeric, types.TNumeric}
		sum := r.op(plan.OpAdd, ts, types.TNumeric, r.op(plan.OpAdd, ts, types.TNumeric, round, trunc), r.op(plan.OpSub, ts, types.TNumeric, floor, ceil))
		return r.op(plan.OpSub, ts, types.TNumeric, sum, abs)
	}),
	project("date to timestamp", types.TTimestamp, func(r *render) string {
		s, ok := r.d.Cast(r.col("d"), date, types.TTimestamp)
		return r.check(s, ok, "cast")
	}),
	project("real read as double", types.TFloat8, func(r *render) string {
		s, ok := r.d.Cast(r.col("r"), types.TFloat4, types.TFloat8)
		return r.check(s, ok, "cast")
	}),
	project("integers read as numeric", types.TNumeric, func(r *render) string {
		n, ok := r.d.Cast(r.col("ub"), int8T, types.TNumeric)
		r.check(n, ok, "cast")
		u, ok := r.d.Cast(r.col("n"), int8T, types.TNumeric)
		r.check(u, ok, "cast")
		return r.op(plan.OpAdd, []types.Type{types.TNumeric, types.TNumeric}, types.TNumeric, n, u)
	}),
	project("character(n) read as text", text, func(r *render) string {
		s, ok := r.d.Cast(r.col("c"), bpchar8, text)
		r.check(s, ok, "cast")
		return r.fn("concat", []types.Type{text, text}, text, s, r.str("|"))
	}),
	where("substring of character(n) IN literals", func(r *render) string {
		s, ok := r.d.Cast(r.col("c"), bpchar8, text)
		r.check(s, ok, "cast")
		sub := r.fn("substr", []types.Type{text, types.TInt4, types.TInt4}, text, s, "1", "2")
		return r.in(sub, text, false, r.str("ab"), r.str("a"), r.str("É"))
	}),
	project("right and trims", text, func(r *render) string {
		return r.fn("concat", []types.Type{text, text, text}, text,
			r.fn("right", []types.Type{text, types.TInt4}, text, r.col("s"), "2"),
			r.fn("ltrim", []types.Type{text}, text, r.col("s")),
			r.fn("rtrim", []types.Type{text}, text, r.col("s")))
	}),
	project("octet length", types.TInt4, func(r *render) string {
		return r.fn("octet_length", []types.Type{text}, types.TInt4, r.col("s"))
	}),
	project("substring of multibyte text", text, func(r *render) string {
		return r.fn("substr", []types.Type{text, types.TInt4}, text, r.col("s"), "2")
	}),
	aggregate("aggregates", []types.Type{types.TInt8, types.TInt8, types.TInt8, types.TNumeric, types.TNumeric, types.TFloat8, date, types.TTimestamp, types.TInt8},
		func(r *render) []string {
			return []string{
				r.agg("count", "", types.TUnknown, false, types.TInt8),
				r.agg("count", r.col("s"), text, false, types.TInt8),
				r.agg("count", r.col("n"), int8T, true, types.TInt8),
				r.agg("sum", r.col("n"), int8T, false, types.TNumeric),
				r.agg("sum", r.col("d3"), numeric, false, types.TNumeric),
				r.agg("sum", r.col("f"), types.TFloat8, false, types.TFloat8),
				r.agg("min", r.col("d"), date, false, date),
				r.agg("max", r.col("ts"), types.TTimestamp, false, types.TTimestamp),
				r.agg("sum", r.col("n"), int8T, true, types.TNumeric),
			}
		}),
	groupBy("group by text, by its bytes", "s", text),
	groupBy("group by bigint", "n", int8T),
	groupBy("group by date", "d", date),
}

func TestDialectMatchesPostgreSQL(t *testing.T) {
	my, pg := differentialSources(t)
	for _, tc := range differentialCases {
		t.Run(tc.name, func(t *testing.T) {
			myR, pgR := &render{d: my.Dialect()}, &render{d: pg.Dialect()}
			mySQL, pgSQL := tc.sql(myR), tc.sql(pgR)
			if len(myR.declined)+len(pgR.declined) > 0 {
				t.Fatalf("declined: mysql %v, postgres %v", myR.declined, pgR.declined)
			}
			want := remotetest.QueryText(t, pg, pgSQL, tc.cols...)
			got, err := remotetest.TryQueryText(my, mySQL, tc.cols...)
			if err != nil {
				t.Fatalf("%s: %v", mySQL, err)
			}
			if tc.sorted {
				sortRows(want)
				sortRows(got)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("MariaDB and PostgreSQL differ\nmysql:    %s\n  %v\npostgres: %s\n  %v", mySQL, got, pgSQL, want)
			}
		})
	}
}

func sortRows(rows [][]string) {
	sort.Slice(rows, func(i, j int) bool { return fmt.Sprint(rows[i]) < fmt.Sprint(rows[j]) })
}

// TestDialectDeclines lists what MySQL would compute differently from
// PostgreSQL; the planner must keep these in Junction.
func TestDialectDeclines(t *testing.T) {
	d := Dialect{}
	int4 := types.TInt4
	bpchar := types.Type{Kind: types.Bpchar, Length: 5}
	declined := map[string]bool{}
	note := func(name string, _ string, ok bool) { declined[name] = !ok }
	s, ok := d.Op(plan.OpAdd, []string{"a", "b"}, []types.Type{int4, int4}, int4)
	note("int4 + int4 (no overflow error)", s, ok)
	s, ok = d.Op(plan.OpDiv, []string{"a", "b"}, []types.Type{int8T, int8T}, int8T)
	note("integer division", s, ok)
	s, ok = d.Op(plan.OpMod, []string{"a", "b"}, []types.Type{int8T, int8T}, int8T)
	note("modulo", s, ok)
	s, ok = d.Op(plan.OpMul, []string{"a", "b"}, []types.Type{types.TNumeric, types.TNumeric}, types.TNumeric)
	note("numeric product of unknown scale", s, ok)
	f8 := types.TFloat8
	s, ok = d.Op(plan.OpMul, []string{"a", "b"}, []types.Type{f8, f8}, f8)
	note("float product (a signed zero)", s, ok)
	s, ok = d.Op(plan.OpNeg, []string{"a"}, []types.Type{f8}, f8)
	note("float negation (a signed zero)", s, ok)
	s, ok = d.Func("ceil", []string{"a"}, []types.Type{f8}, f8)
	note("ceil of a float (a signed zero)", s, ok)
	n52 := types.Type{Kind: types.Numeric, Precision: 5, Scale: 2}
	n51 := types.Type{Kind: types.Numeric, Precision: 5, Scale: 1}
	s, ok = d.Func("coalesce", []string{"a", "b"}, []types.Type{n52, n51}, types.TNumeric)
	note("coalesce of numerics of unlike scales", s, ok)
	note("CASE of numerics of unlike scales", "", d.CaseRenderable(types.TNumeric, []types.Type{n52, n51}))
	s, ok = d.Literal(types.TNumeric, types.DecDatum(types.NumericNaN))
	note("numeric NaN literal", s, ok)
	s, ok = d.Op(plan.OpAdd, []string{"a", "b"}, []types.Type{date, int4}, date)
	note("date + integer", s, ok)
	s, ok = d.Op(plan.OpEq, []string{"a", "b"}, []types.Type{bpchar, text}, boolT)
	note("character(n) compared with text", s, ok)
	s, ok = d.Op(plan.OpRegex, []string{"a", "b"}, []types.Type{text, text}, boolT)
	note("regular expression", s, ok)
	s, ok = d.Like("a", "'x'", text, true, false)
	note("ILIKE", s, ok)
	s, ok = d.Like("a", "b", text, false, false)
	note("LIKE with a column pattern", s, ok)
	s, ok = d.Like("a", `'x\'`, text, false, false)
	note("LIKE pattern ending in an escape", s, ok)
	s, ok = d.Func("lower", []string{"a"}, []types.Type{text}, text)
	note("lower", s, ok)
	s, ok = d.Func("greatest", []string{"a", "b"}, []types.Type{int8T, int8T}, int8T)
	note("greatest (NULL handling)", s, ok)
	s, ok = d.Func("substr", []string{"a", "0", "2"}, []types.Type{text, int4, int4}, text)
	note("substr from position 0", s, ok)
	s, ok = d.Func("btrim", []string{"a", "'xy'"}, []types.Type{text, text}, text)
	note("btrim with characters", s, ok)
	s, ok = d.Func("coalesce", []string{"a", "b"}, []types.Type{types.TBytea, types.TBytea}, types.TBytea)
	note("coalesce of bytea", s, ok)
	s, ok = d.Func("coalesce", []string{"a", "b"}, []types.Type{bpchar, types.Type{Kind: types.Bpchar}}, types.Type{Kind: types.Bpchar})
	note("coalesce to character (padding)", s, ok)
	s, ok = d.Cast("a", int8T, int4)
	note("bigint to integer", s, ok)
	s, ok = d.Aggregate("avg", "a", int8T, false, types.TNumeric)
	note("avg", s, ok)
	s, ok = d.Aggregate("min", "a", text, false, text)
	note("min of text", s, ok)
	s, ok = d.Aggregate("sum", "a", types.TFloat4, false, types.TFloat4)
	note("sum of real", s, ok)
	s, ok = d.Aggregate("count", "a", text, true, int8T)
	note("count(DISTINCT text)", s, ok)
	s, ok = d.Aggregate("bool_and", "a", boolT, false, boolT)
	note("bool_and", s, ok)
	s, ok = d.Literal(types.TInterval, types.Datum{Iv: types.IntervalValue{Days: 1}})
	note("interval literal", s, ok)
	for _, v := range []string{"10000-01-01", "0044-03-15 BC"} {
		beyond, err := types.ParseText(date, v)
		if err != nil {
			t.Fatal(err)
		}
		s, ok = d.Literal(date, beyond)
		note("date "+v, s, ok)
	}
	note("GROUP BY text", "", d.Groupable(text))
	note("GROUP BY boolean", "", d.Groupable(boolT))
	note("FULL JOIN", "", d.SupportsFullJoin())
	for name, wasDeclined := range declined {
		if !wasDeclined {
			t.Errorf("%s is pushed to MySQL", name)
		}
	}
}

func TestDialectSyntax(t *testing.T) {
	d := Dialect{}
	cases := []struct{ got, want string }{
		{d.QuoteIdent("we`ird"), "`we``ird`"},
		{d.Limit(10, 0), "LIMIT 10"},
		{d.Limit(10, 5), "LIMIT 10 OFFSET 5"},
		{d.Limit(-1, 5), "LIMIT 18446744073709551615 OFFSET 5"},
		{d.Limit(-1, 0), ""},
	}
	lit := func(t types.Type, v string) string {
		dat, err := types.ParseText(t, v)
		if err != nil {
			panic(err)
		}
		s, _ := d.Literal(t, dat)
		return s
	}
	cases = append(cases, []struct{ got, want string }{
		{lit(text, `it's \n`), `'it''s \n'`},
		{lit(int8T, "-5"), "(-5)"},
		{lit(types.TNumeric, "-1.50"), "(-1.50)"},
		{lit(types.TFloat8, "0.1"), "1e-01"},
		{lit(date, "2024-02-29"), "DATE'2024-02-29'"},
		{lit(types.TTimestampTZ, "2024-01-01 02:00:00+02"), "TIMESTAMP'2024-01-01 00:00:00'"},
		{lit(types.TBytea, `\x00ff`), "X'00ff'"},
		{lit(boolT, "t"), "TRUE"},
	}...)
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}

// TestLiteralsReadBack checks that rendered literals mean, to the server,
// the value they render.
func TestLiteralsReadBack(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t), nil)
	d := c.Dialect()
	values := []struct {
		t    types.Type
		text string
	}{
		{text, `it's a \ backslash`}, {text, "😀 ü"}, {int8T, "-9223372036854775808"},
		{types.TNumeric, "-12345678901234567890.123456789"}, {types.TFloat8, "0.1"}, {types.TFloat8, "-1.7976931348623157e+308"},
		{date, "0001-01-01"}, {types.TTimestamp, "2024-02-29 23:59:59.999999"}, {types.TTime, "24:00:00"},
		{types.TBytea, `\x00ff27`}, {boolT, "t"},
	}
	for _, v := range values {
		dat, err := types.ParseText(v.t, v.text)
		if err != nil {
			t.Fatal(err)
		}
		lit, ok := d.Literal(v.t, dat)
		if !ok {
			t.Errorf("%s %q not rendered", v.t, v.text)
			continue
		}
		got := remotetest.QueryText(t, c, "SELECT "+lit, v.t)
		if want := types.FormatText(v.t, dat); len(got) != 1 || got[0][0] != want {
			t.Errorf("SELECT %s: got %v, want %s", lit, got, want)
		}
	}
}
