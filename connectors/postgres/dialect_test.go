package postgres

import (
	"fmt"
	"testing"

	"github.com/junction-db/junction/connectors/internal/remotetest"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// TestTextOrdersByCodePoint checks that ordering pushed to a column with a
// linguistic collation still follows code points, as Junction does.
func TestTextOrdersByCodePoint(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t,
		`CREATE TABLE w (id int, s text COLLATE "en-x-icu")`,
		`INSERT INTO w VALUES (1, 'a'), (2, 'B'), (3, 'b'), (4, 'A'), (5, 'é'), (6, NULL)`), nil)
	d := c.Dialect()
	s := d.QuoteIdent("s")
	key, _ := d.OrderKey(s, types.TText, false, false)
	rows := remotetest.QueryText(t, c, "SELECT s FROM w ORDER BY "+key, types.TText)
	if fmt.Sprint(rows) != "[[A] [B] [a] [b] [é] [NULL]]" {
		t.Errorf("ORDER BY %s: %v", key, rows)
	}
	key, _ = d.OrderKey(s, types.TText, true, true)
	rows = remotetest.QueryText(t, c, "SELECT s FROM w ORDER BY "+key, types.TText)
	if fmt.Sprint(rows) != "[[NULL] [é] [b] [a] [B] [A]]" {
		t.Errorf("ORDER BY %s: %v", key, rows)
	}
	lt, _ := d.Op(plan.OpLt, []string{s, "'b'"}, []types.Type{types.TText, types.TText}, types.TBool)
	rows = remotetest.QueryText(t, c, "SELECT s FROM w WHERE "+lt+" ORDER BY id", types.TText)
	if fmt.Sprint(rows) != "[[a] [B] [A]]" {
		t.Errorf("WHERE %s: %v", lt, rows)
	}
	minS, _ := d.Aggregate("min", s, types.TText, false, types.TText)
	maxS, _ := d.Aggregate("max", s, types.TText, false, types.TText)
	rows = remotetest.QueryText(t, c, "SELECT "+minS+", "+maxS+" FROM w", types.TText, types.TText)
	if fmt.Sprint(rows) != "[[A é]]" {
		t.Errorf("min/max: %v", rows)
	}
}

// TestFunctionsRenderRunnableSQL runs the special renderings on the server.
func TestFunctionsRenderRunnableSQL(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), nil)
	d := c.Dialect()
	date := "DATE '2024-02-29'"
	cases := []struct {
		name string
		args []string
		ts   []types.Type
		res  types.Type
		want string
	}{
		{"extract", []string{"'isodow'", date}, []types.Type{types.TText, types.TDate}, types.TNumeric, "4"},
		{"position", []string{"'hello'", "'l'"}, []types.Type{types.TText, types.TText}, types.TInt4, "3"},
		{"substring", []string{"'hello'", "2", "3"}, []types.Type{types.TText, types.TInt4, types.TInt4}, types.TText, "ell"},
		{"left", []string{"'hello'", "-1"}, []types.Type{types.TText, types.TInt4}, types.TText, "hell"},
		{"lower", []string{"'ÉA'"}, []types.Type{types.TText}, types.TText, "éa"},
		{"date_trunc", []string{"'month'", "TIMESTAMPTZ '2024-02-29 23:00:00-05'"}, []types.Type{types.TText, types.TTimestampTZ}, types.TTimestampTZ, "2024-03-01 00:00:00+00"},
		{"concat", []string{"0.1::float8", "'x'"}, []types.Type{types.TFloat8, types.TText}, types.TText, "0.1x"},
		{"like_escape", []string{"'a#%b\\'", "'#'"}, []types.Type{types.TText, types.TText}, types.TText, `a\%b\\`},
	}
	for _, tc := range cases {
		sql, ok := d.Func(tc.name, tc.args, tc.ts, tc.res)
		if !ok {
			t.Errorf("%s not pushed", tc.name)
			continue
		}
		rows := remotetest.QueryText(t, c, "SELECT "+sql, tc.res)
		if fmt.Sprint(rows) != "[["+tc.want+"]]" {
			t.Errorf("%s: got %v, want %s", sql, rows, tc.want)
		}
	}
	for _, name := range []string{"now", "random", "clock_timestamp", "age"} {
		if _, ok := d.Func(name, []string{"x"}, []types.Type{types.TTimestamp}, types.TText); ok {
			t.Errorf("%s(x) is pushed", name)
		}
	}
}

func TestFormattingNeedsCLocales(t *testing.T) {
	args, ts := []string{"x", "'FM9D99'"}, []types.Type{types.TNumeric, types.TText}
	if _, ok := (&Dialect{}).Func("to_char", args, ts, types.TText); ok {
		t.Error("to_char pushed to a database whose LC_NUMERIC may not be C")
	}
	if _, ok := (&Dialect{cFormattingLocale: true}).Func("to_char", args, ts, types.TText); !ok {
		t.Error("to_char not pushed to a database with C locales")
	}
	if _, ok := (&Dialect{}).Func("to_timestamp", []string{"x"}, []types.Type{types.TFloat8}, types.TTimestampTZ); !ok {
		t.Error("to_timestamp(double precision) not pushed")
	}
	if _, ok := (&Dialect{noDateBin: true}).Func("date_bin", []string{"i", "t", "o"}, []types.Type{types.TInterval, types.TTimestamp, types.TTimestamp}, types.TTimestamp); ok {
		t.Error("date_bin pushed to a database before PostgreSQL 14")
	}
	if !cLocale("C.UTF-8") || !cLocale("POSIX") || cLocale("en_US.UTF-8") {
		t.Error("cLocale")
	}
}

func TestCaseMappingNeedsUnicodeCtype(t *testing.T) {
	ascii := &Dialect{asciiCtype: true}
	if _, ok := ascii.Func("upper", []string{"a"}, []types.Type{types.TText}, types.TText); ok {
		t.Error("upper pushed to a C-locale database")
	}
	if _, ok := ascii.Like("a", "'x'", types.TText, true, false); ok {
		t.Error("ILIKE pushed to a C-locale database")
	}
	if _, ok := ascii.Op(plan.OpRegexI, []string{"a", "'x'"}, []types.Type{types.TText, types.TText}, types.TBool); ok {
		t.Error("~* pushed to a C-locale database")
	}
	old := &Dialect{longFloats: true}
	if _, ok := old.Cast("a", types.TFloat8, types.TText); ok {
		t.Error("float to text pushed to a server that prints floats with extra digits")
	}
}

func TestDialectSyntax(t *testing.T) {
	d := &Dialect{}
	key, _ := d.OrderKey(`"n"`, types.TInt4, true, false)
	cast, _ := d.Cast(`"n"`, types.TInt4, types.Type{Kind: types.Numeric, Precision: 10, Scale: 2})
	bpchar, _ := d.Cast(`"s"`, types.TText, types.Type{Kind: types.Bpchar})
	char1, _ := d.Cast(`"s"`, types.TText, types.Type{Kind: types.Bpchar, Length: 1})
	bpcharNull, _ := d.Literal(types.Type{Kind: types.Bpchar}, types.NullDatum)
	like, _ := d.Like(`"s"`, "'a%'", types.TText, true, true)
	in, _ := d.In(`"n"`, []string{"1", "2"}, types.TInt4, true)
	count, _ := d.Aggregate("count", `"n"`, types.TInt4, true, types.TInt8)
	star, _ := d.Aggregate("count", "", types.TUnknown, false, types.TInt8)
	cases := []struct{ got, want string }{
		{d.QuoteIdent(`We"ird`), `"We""ird"`},
		{d.Limit(10, 0), "LIMIT 10"},
		{d.Limit(-1, 5), "OFFSET 5"},
		{d.Limit(10, 5), "LIMIT 10 OFFSET 5"},
		{key, `"n" DESC NULLS LAST`},
		{cast, `("n")::numeric(10,2)`},
		{bpchar, `("s")::bpchar`},
		{char1, `("s")::character(1)`},
		{bpcharNull, `NULL::bpchar`},
		{types.Literal(types.Type{Kind: types.Bpchar}, types.StrDatum("foo")), `'foo'::bpchar`},
		{like, `("s" NOT ILIKE 'a%')`},
		{in, `("n" NOT IN (1, 2))`},
		{count, `count(DISTINCT "n")`},
		{star, "count(*)"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
	if _, ok := d.Literal(types.Type{Kind: types.RegClass}, types.IntDatum(1259)); ok {
		t.Error("a regclass literal (a Junction OID) is pushed")
	}
	if d.Groupable(types.TJSON) {
		t.Error("json, which has no equality, is groupable")
	}
}

func TestRegexpFunctionsNeedTheServerVersion(t *testing.T) {
	text, i4 := types.TText, types.TInt4
	v14, v15 := &Dialect{version: 140000}, &Dialect{version: 150000}
	for _, c := range []struct {
		name   string
		args   []types.Type
		on14   bool
		result types.Type
	}{
		{"regexp_replace", []types.Type{text, text, text, text}, true, text},
		{"regexp_replace", []types.Type{text, text, text, i4, i4}, false, text},
		{"regexp_count", []types.Type{text, text}, false, i4},
		{"regexp_substr", []types.Type{text, text}, false, text},
	} {
		args := make([]string, len(c.args))
		for i := range args {
			args[i] = "a"
		}
		if _, ok := v14.Func(c.name, args, c.args, c.result); ok != c.on14 {
			t.Errorf("%s%v pushed to PostgreSQL 14: %v, want %v", c.name, c.args, ok, c.on14)
		}
		if _, ok := v15.Func(c.name, args, c.args, c.result); !ok {
			t.Errorf("%s%v not pushed to PostgreSQL 15", c.name, c.args)
		}
		ascii := &Dialect{version: 150000, asciiCtype: true}
		if _, ok := ascii.Func(c.name, args, c.args, c.result); ok {
			t.Errorf("%s pushed to a C-locale database", c.name)
		}
	}
}
