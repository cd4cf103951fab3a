package executor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// exprCase is an expression with the text PostgreSQL prints for it, or the
// SQLSTATE of the error it raises.
type exprCase struct {
	name string
	expr plan.Expr
	want string
	code string
}

func runExprCases(t *testing.T, cases []exprCase) {
	t.Helper()
	for _, c := range cases {
		got, err := evalText(t, c.expr)
		if c.code != "" {
			wantCode(t, c.name, err, c.code)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestIntegerArithmetic(t *testing.T) {
	runExprCases(t, []exprCase{
		{"int4 overflow", op("+", "int4", lit("int4", "2147483647"), lit("int4", "1")), "", "22003"},
		{"int2 overflow", op("+", "int2", lit("int2", "32767"), lit("int2", "1")), "", "22003"},
		{"int8 overflow", op("+", "int8", lit("int8", "9223372036854775807"), lit("int8", "1")), "", "22003"},
		{"int8 mul overflow", op("*", "int8", lit("int8", "4611686018427387904"), lit("int8", "2")), "", "22003"},
		{"int8 min / -1", op("/", "int8", lit("int8", "-9223372036854775808"), lit("int8", "-1")), "", "22003"},
		{"int4 min / -1", op("/", "int4", lit("int4", "-2147483648"), lit("int4", "-1")), "", "22003"},
		{"int8 min % -1", op("%", "int8", lit("int8", "-9223372036854775808"), lit("int8", "-1")), "0", ""},
		{"int4 negation overflow", op("neg", "int4", lit("int4", "-2147483648")), "", "22003"},
		{"truncating division", op("/", "int4", lit("int4", "-7"), lit("int4", "2")), "-3", ""},
		{"division", op("/", "int4", lit("int4", "7"), lit("int4", "2")), "3", ""},
		{"modulo takes dividend sign", op("%", "int4", lit("int4", "-7"), lit("int4", "3")), "-1", ""},
		{"modulo positive dividend", op("%", "int4", lit("int4", "7"), lit("int4", "-3")), "1", ""},
		{"division by zero", op("/", "int4", lit("int4", "1"), lit("int4", "0")), "", "22012"},
		{"modulo by zero", op("%", "int8", lit("int8", "1"), lit("int8", "0")), "", "22012"},
		{"NULL divided by zero", op("/", "int4", lit("int4", "NULL"), lit("int4", "0")), "NULL", ""},
		{"large product", op("*", "int8", lit("int8", "3000000000"), lit("int8", "3")), "9000000000", ""},
	})
}

func TestFloatAndNumericArithmetic(t *testing.T) {
	runExprCases(t, []exprCase{
		{"float division by zero", op("/", "float8", lit("float8", "1"), lit("float8", "0")), "", "22012"},
		{"float overflow", op("*", "float8", lit("float8", "1e308"), lit("float8", "10")), "", "22003"},
		{"float underflow", op("*", "float8", lit("float8", "1e-308"), lit("float8", "1e-308")), "", "22003"},
		{"float4 rounding", op("+", "float4", lit("float4", "0.1"), lit("float4", "0.2")), "0.3", ""},
		{"float8 sum", op("+", "float8", lit("float8", "0.1"), lit("float8", "0.2")), "0.30000000000000004", ""},
		{"numeric add keeps max scale", op("+", "numeric", lit("numeric", "1.50"), lit("numeric", "2.5")), "4.00", ""},
		{"numeric mul adds scales", op("*", "numeric", lit("numeric", "1.5"), lit("numeric", "2.25")), "3.375", ""},
		{"numeric 1/3", op("/", "numeric", lit("numeric", "1"), lit("numeric", "3")), "0.33333333333333333333", ""},
		{"numeric 10/4", op("/", "numeric", lit("numeric", "10"), lit("numeric", "4")), "2.5000000000000000", ""},
		{"numeric 2.0/3", op("/", "numeric", lit("numeric", "2.0"), lit("numeric", "3")), "0.66666666666666666667", ""},
		{"numeric big/small", op("/", "numeric", lit("numeric", "123456789"), lit("numeric", "0.001")), "123456789000.00000000", ""},
		{"numeric 12345/0.5", op("/", "numeric", lit("numeric", "12345"), lit("numeric", "0.5")), "24690.000000000000", ""},
		{"numeric 100/7", op("/", "numeric", lit("numeric", "100"), lit("numeric", "7")), "14.2857142857142857", ""},
		{"numeric 0.001/3", op("/", "numeric", lit("numeric", "0.001"), lit("numeric", "3")), "0.00033333333333333333", ""},
		{"numeric mod", op("%", "numeric", lit("numeric", "-7.5"), lit("numeric", "2")), "-1.5", ""},
		{"numeric division by zero", op("/", "numeric", lit("numeric", "1"), lit("numeric", "0")), "", "22012"},
		{"numeric negation", op("neg", "numeric", lit("numeric", "1.50")), "-1.50", ""},
		{"text concat", op("||", "text", lit("text", "ab"), lit("text", "cd")), "abcd", ""},
		{"concat NULL", op("||", "text", lit("text", "ab"), lit("text", "NULL")), "NULL", ""},
	})
}

func TestComparisonsAndLogic(t *testing.T) {
	n := lit("bool", "NULL")
	tr, fa := lit("bool", "true"), lit("bool", "false")
	divByZero := boolOp("=", op("/", "int4", lit("int4", "1"), lit("int4", "0")), lit("int4", "1"))
	runExprCases(t, []exprCase{
		{"NULL AND false", boolOp("AND", n, fa), "f", ""},
		{"NULL AND true", boolOp("AND", n, tr), "NULL", ""},
		{"NULL OR true", boolOp("OR", n, tr), "t", ""},
		{"NULL OR false", boolOp("OR", n, fa), "NULL", ""},
		{"NOT NULL", boolOp("NOT", n), "NULL", ""},
		{"false AND error", boolOp("AND", fa, divByZero), "f", ""},
		{"true OR error", boolOp("OR", tr, divByZero), "t", ""},
		{"true AND error", boolOp("AND", tr, divByZero), "", "22012"},
		{"1 = NULL", boolOp("=", lit("int4", "1"), lit("int4", "NULL")), "NULL", ""},
		{"NULL IS DISTINCT FROM NULL", boolOp("IS DISTINCT FROM", lit("int4", "NULL"), lit("int4", "NULL")), "f", ""},
		{"1 IS DISTINCT FROM NULL", boolOp("IS DISTINCT FROM", lit("int4", "1"), lit("int4", "NULL")), "t", ""},
		{"1 IS NOT DISTINCT FROM 1", boolOp("IS NOT DISTINCT FROM", lit("int4", "1"), lit("int4", "1")), "t", ""},
		{"text compares bytes", boolOp("<", lit("text", "B"), lit("text", "a")), "t", ""},
		{"numeric by value", boolOp("=", lit("numeric", "1.0"), lit("numeric", "1.00")), "t", ""},
		{"NaN equals NaN", boolOp("=", lit("float8", "NaN"), lit("float8", "NaN")), "t", ""},
		{"NaN above all", boolOp(">", lit("float8", "NaN"), lit("float8", "Infinity")), "t", ""},
		{"interval day = 24 hours", boolOp("=", lit("interval", "1 day"), lit("interval", "24 hours")), "t", ""},
		{"interval month = 30 days", boolOp("=", lit("interval", "1 month"), lit("interval", "30 days")), "t", ""},
		{"interval order", boolOp("<", lit("interval", "1 month"), lit("interval", "31 days")), "t", ""},
		{"bool order", boolOp("<", fa, tr), "t", ""},
		{"char ignores trailing blanks", boolOp("=", lit("bpchar(5)", "ab"), lit("bpchar(5)", "ab  ")), "t", ""},
		{"IS TRUE of NULL", &plan.IsBool{Arg: n, Value: "TRUE"}, "f", ""},
		{"IS NOT FALSE of NULL", &plan.IsBool{Arg: n, Value: "FALSE", Negated: true}, "t", ""},
		{"IS UNKNOWN", &plan.IsBool{Arg: n, Value: "UNKNOWN"}, "t", ""},
		{"IS NULL", &plan.IsNull{Arg: lit("text", "NULL")}, "t", ""},
		{"IS NOT NULL", &plan.IsNull{Arg: lit("text", "x"), Negated: true}, "t", ""},
	})
}

func TestInList(t *testing.T) {
	in := func(arg plan.Expr, negated bool, list ...plan.Expr) plan.Expr {
		return &plan.InList{Arg: arg, List: list, Negated: negated}
	}
	i := func(s string) plan.Expr { return lit("int4", s) }
	var long []plan.Expr
	for _, v := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "NULL"} {
		long = append(long, i(v))
	}
	runExprCases(t, []exprCase{
		{"found", in(i("1"), false, i("1"), i("NULL")), "t", ""},
		{"not found with NULL", in(i("3"), false, i("1"), i("NULL")), "NULL", ""},
		{"not found", in(i("3"), false, i("1"), i("2")), "f", ""},
		{"NULL argument", in(i("NULL"), false, i("1")), "NULL", ""},
		{"NOT IN", in(i("3"), true, i("1"), i("2")), "t", ""},
		{"NOT IN with NULL", in(i("3"), true, i("1"), i("NULL")), "NULL", ""},
		{"hashed found", in(i("7"), false, long...), "t", ""},
		{"hashed not found", in(i("70"), false, long...), "NULL", ""},
		{"hashed NOT IN", in(i("7"), true, long...), "f", ""},
		{"numeric by value", in(lit("numeric", "2.0"), false, lit("numeric", "1"), lit("numeric", "2")), "t", ""},
	})
}

func TestCasts(t *testing.T) {
	runExprCases(t, []exprCase{
		{"numeric to int rounds half away", cast(lit("numeric", "2.5"), "int4"), "3", ""},
		{"negative numeric to int", cast(lit("numeric", "-2.5"), "int4"), "-3", ""},
		{"float to int rounds half even", cast(lit("float8", "2.5"), "int4"), "2", ""},
		{"float 3.5 to int", cast(lit("float8", "3.5"), "int4"), "4", ""},
		{"float to int overflow", cast(lit("float8", "3e9"), "int4"), "", "22003"},
		{"int8 to int4 overflow", cast(lit("int8", "3000000000"), "int4"), "", "22003"},
		{"int4 to int2 overflow", cast(lit("int4", "40000"), "int2"), "", "22003"},
		{"bad text to int", cast(lit("text", "abc"), "int4"), "", "22P02"},
		{"text to int", cast(lit("text", " 42 "), "int4"), "42", ""},
		{"numeric typmod rounds", cast(lit("numeric", "1.005"), "numeric(5,2)"), "1.01", ""},
		{"numeric typmod overflow", cast(lit("numeric", "12345.6"), "numeric(5,2)"), "", "22003"},
		{"varchar truncates", cast(lit("text", "abcdef"), "varchar(3)"), "abc", ""},
		{"char pads", op("||", "text", cast(cast(lit("text", "ab"), "bpchar(4)"), "text"), lit("text", "|")), "ab|", ""},
		{"bool to text", cast(lit("bool", "true"), "text"), "true", ""},
		{"int to bool", cast(lit("int4", "7"), "bool"), "t", ""},
		{"bool to int", cast(lit("bool", "true"), "int4"), "1", ""},
		{"date to timestamp", cast(lit("date", "2020-01-01"), "timestamp"), "2020-01-01 00:00:00", ""},
		{"timestamp to date", cast(lit("timestamp", "2020-01-01 12:00"), "date"), "2020-01-01", ""},
		{"float to numeric", cast(lit("float8", "0.1"), "numeric"), "0.1", ""},
		{"float third to numeric", cast(op("/", "float8", lit("float8", "1"), lit("float8", "3")), "numeric"), "0.333333333333333", ""},
		{"big float to numeric", cast(lit("float8", "1e20"), "numeric"), "100000000000000000000", ""},
		{"numeric to float", cast(lit("numeric", "1.25"), "float8"), "1.25", ""},
		{"int to numeric typmod", cast(lit("int4", "5"), "numeric(5,2)"), "5.00", ""},
		{"interval to text", cast(lit("interval", "1 day 02:00"), "text"), "1 day 02:00:00", ""},
		{"interval to interval day to minute", &plan.Cast{Arg: lit("interval", "1 day 02:03:04.5"), T: intervalType(types.IntervalDay|types.IntervalHour|types.IntervalMinute, types.IntervalFullPrecision)}, "1 day 02:03:00", ""},
		{"interval to interval year", &plan.Cast{Arg: lit("interval", "1 year 11 mons 3 days"), T: intervalType(types.IntervalYear, types.IntervalFullPrecision)}, "1 year", ""},
		{"interval to interval(1)", &plan.Cast{Arg: lit("interval", "-00:00:01.25"), T: intervalType(types.IntervalFullRange, 1)}, "-00:00:01.3", ""},
		{"text to interval hour reads seconds", &plan.Cast{Arg: lit("text", "5400"), T: intervalType(types.IntervalHour, types.IntervalFullPrecision)}, "01:00:00", ""},
		{"timestamp to timestamp(0)", &plan.Cast{Arg: lit("timestamp", "2020-01-01 12:00:00.5"), T: secondsType(types.TTimestamp, 0)}, "2020-01-01 12:00:01", ""},
		{"text to time(1)", &plan.Cast{Arg: lit("text", "12:00:00.25"), T: secondsType(types.TTime, 1)}, "12:00:00.3", ""},
		{"time to interval minute", &plan.Cast{Arg: lit("time", "10:11:12"), T: intervalType(types.IntervalMinute, types.IntervalFullPrecision)}, "10:11:00", ""},
		{"text to date", cast(lit("text", "2021-03-04"), "date"), "2021-03-04", ""},
		{"int to oid wraps", cast(lit("int4", "-1"), "oid"), "4294967295", ""},
	})
}

func intervalType(fields, precision int32) types.Type {
	t, err := types.IntervalType(fields, precision)
	if err != nil {
		panic(err)
	}
	return t
}

func secondsType(base types.Type, p int32) types.Type {
	t, err := types.WithSecondsPrecision(base, p)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDateTimeArithmetic(t *testing.T) {
	runExprCases(t, []exprCase{
		{"date + int", op("+", "date", lit("date", "2020-02-28"), lit("int4", "1")), "2020-02-29", ""},
		{"int + date", op("+", "date", lit("int4", "2"), lit("date", "2020-02-28")), "2020-03-01", ""},
		{"date - int", op("-", "date", lit("date", "2020-03-01"), lit("int4", "1")), "2020-02-29", ""},
		{"date - date", op("-", "int4", lit("date", "2020-03-01"), lit("date", "2020-01-01")), "60", ""},
		{"date + interval", op("+", "timestamp", lit("date", "2020-01-31"), lit("interval", "1 month")), "2020-02-29 00:00:00", ""},
		{"date - interval", op("-", "timestamp", lit("date", "1998-12-01"), lit("interval", "90 days")), "1998-09-02 00:00:00", ""},
		{"timestamp + month clamps", op("+", "timestamp", lit("timestamp", "2021-01-31 10:00"), lit("interval", "1 month")), "2021-02-28 10:00:00", ""},
		{"timestamp - year", op("-", "timestamp", lit("timestamp", "2020-02-29"), lit("interval", "1 year")), "2019-02-28 00:00:00", ""},
		{"timestamptz + interval", op("+", "timestamptz", lit("timestamptz", "2020-01-01 00:00+00"), lit("interval", "1 day 1 hour")), "2020-01-02 01:00:00+00", ""},
		{"timestamp - timestamp", op("-", "interval", lit("timestamp", "2020-01-02 03:00"), lit("timestamp", "2020-01-01")), "1 day 03:00:00", ""},
		{"interval + interval", op("+", "interval", lit("interval", "1 day"), lit("interval", "2 hours")), "1 day 02:00:00", ""},
		{"interval * float", op("*", "interval", lit("interval", "1 day 3 hours"), lit("float8", "0.3")), "08:06:00", ""},
		{"interval month * 1.5", op("*", "interval", lit("interval", "1 month"), lit("float8", "1.5")), "1 mon 15 days", ""},
		{"interval / float", op("/", "interval", lit("interval", "1 month"), lit("float8", "7")), "4 days 06:51:25.6896", ""},
		{"date out of range", op("+", "date", lit("date", "5874897-12-31"), lit("int4", "1")), "", "22008"},
		{"timestamptz at a zone", call("timezone", lit("text", "Europe/Moscow"), lit("timestamptz", "2014-10-25 22:00:00+00")), "2014-10-26 01:00:00", ""},
		{"timestamp at a zone, in a skipped hour", call("timezone", lit("text", "Europe/Moscow"), lit("timestamp", "2011-03-27 02:30:00")), "2011-03-26 23:30:00+00", ""},
		{"timestamp at a zone, in a repeated hour", call("timezone", lit("text", "america/new_york"), lit("timestamp", "2020-11-01 01:30")), "2020-11-01 06:30:00+00", ""},
		{"timestamp at UTC", call("timezone", lit("text", "utc"), lit("timestamp", "2020-01-01")), "2020-01-01 00:00:00+00", ""},
		{"unknown zone", call("timezone", lit("text", "Mars/Olympus"), lit("timestamp", "2020-01-01")), "", "22023"},
		{"zone abbreviation", call("timezone", lit("text", "CET"), lit("timestamp", "2020-01-01")), "", "0A000"},
		{"justify_days", call("justify_days", lit("interval", "-1 mon 31 days")), "1 day", ""},
		{"justify_hours", call("justify_hours", lit("interval", "1 day -25 hours")), "-01:00:00", ""},
		{"justify_interval", call("justify_interval", lit("interval", "1 month -1 hour")), "29 days 23:00:00", ""},
		{"justify_interval without overflow", call("justify_interval", lit("interval", "2147483647 days 24 hrs")), "5965232 years 4 mons 8 days", ""},
		{"justify_interval overflow", call("justify_interval", lit("interval", "2147483647 months 30 days")), "", "22008"},
		{"time + interval wraps", op("+", "time", lit("time", "23:00"), lit("interval", "2 hours")), "01:00:00", ""},
	})
}

func TestLikeAndRegex(t *testing.T) {
	like := func(s, p string, fold, negated bool) plan.Expr {
		return &plan.Like{Arg: lit("text", s), Pattern: lit("text", p), CaseInsensitive: fold, Negated: negated}
	}
	re := func(o, s, p string) plan.Expr { return boolOp(o, lit("text", s), lit("text", p)) }
	runExprCases(t, []exprCase{
		{"prefix", like("abc", "a%", false, false), "t", ""},
		{"underscores", like("abc", "_b_", false, false), "t", ""},
		{"escaped percent", like("abc", `a\%`, false, false), "f", ""},
		{"escaped literal percent", like("a%c", `a\%c`, false, false), "t", ""},
		{"exact", like("abc", "abc", false, false), "t", ""},
		{"exact mismatch", like("abcd", "abc", false, false), "f", ""},
		{"suffix", like("abc", "%bc", false, false), "t", ""},
		{"contains", like("xabcx", "%abc%", false, false), "t", ""},
		{"backtracking", like("mississippi", "%iss%ppi", false, false), "t", ""},
		{"backtracking fails", like("mississippi", "%iss%ppx", false, false), "f", ""},
		{"underscore is one character", like("héllo", "h_llo", false, false), "t", ""},
		{"ILIKE", like("ABC", "a%", true, false), "t", ""},
		{"ILIKE non-ASCII", like("ÉCOLE", "école", true, false), "t", ""},
		{"NOT LIKE", like("abc", "%c", false, true), "f", ""},
		{"trailing escape", like("abc", `a\`, false, false), "", "22025"},
		{"NULL LIKE", &plan.Like{Arg: lit("text", "NULL"), Pattern: lit("text", "a")}, "NULL", ""},
		{"percent matches empty", like("", "%", false, false), "t", ""},
		{"bytea underscores", &plan.Like{Arg: lit("bytea", "abc"), Pattern: lit("bytea", "_b_")}, "t", ""},
		{"bytea NOT LIKE", &plan.Like{Arg: lit("bytea", "abc"), Pattern: lit("bytea", "_b_"), Negated: true}, "f", ""},
		{"bytea underscore is one byte", &plan.Like{Arg: lit("bytea", `\xc3a9`), Pattern: lit("bytea", "_")}, "f", ""},
		{"bytea two underscores are two bytes", &plan.Like{Arg: lit("bytea", `\xc3a9`), Pattern: lit("bytea", "__")}, "t", ""},
		{"regex", re("~", "abc", "^a.c$"), "t", ""},
		{"regex case-insensitive", re("~*", "ABC", "abc"), "t", ""},
		{"negated regex", re("!~", "abc", "b"), "f", ""},
		{"negated case-insensitive", re("!~*", "ABC", "x"), "t", ""},
		{"dot matches newline", re("~", "a\nb", "a.b"), "t", ""},
		{"word start", re("~", "foo bar", `\mbar`), "t", ""},
		{"invalid regex", re("~", "abc", "("), "", "2201B"},
	})
}

func TestFunctions(t *testing.T) {
	txt := func(s string) plan.Expr { return lit("text", s) }
	i4 := func(s string) plan.Expr { return lit("int4", s) }
	num := func(s string) plan.Expr { return lit("numeric", s) }
	f8 := func(s string) plan.Expr { return lit("float8", s) }
	ts := lit("timestamp", "2020-05-17 10:11:12.345678")
	runExprCases(t, []exprCase{
		{"coalesce", &plan.Func{Name: "coalesce", Args: []plan.Expr{i4("NULL"), i4("2"), op("/", "int4", i4("1"), i4("0"))}, T: types.TInt4}, "2", ""},
		{"nullif equal", call("nullif", i4("1"), i4("1")), "NULL", ""},
		{"nullif different", call("nullif", i4("1"), i4("2")), "1", ""},
		{"greatest ignores NULL", call("greatest", i4("1"), i4("NULL"), i4("3")), "3", ""},
		{"least", call("least", txt("b"), txt("a")), "a", ""},
		{"lower", call("lower", txt("ÀB")), "àb", ""},
		{"upper", call("upper", txt("ab")), "AB", ""},
		{"length counts characters", call("length", txt("héllo")), "5", ""},
		{"octet_length", call("octet_length", txt("héllo")), "6", ""},
		{"substr", call("substr", txt("hello"), i4("2"), i4("3")), "ell", ""},
		{"substr before start", call("substr", txt("hello"), i4("0"), i4("2")), "h", ""},
		{"substr to end", call("substring", txt("hello"), i4("-1")), "hello", ""},
		{"substr negative length", call("substr", txt("hello"), i4("1"), i4("-1")), "", "22011"},
		{"left negative", call("left", txt("hello"), i4("-2")), "hel", ""},
		{"right", call("right", txt("hello"), i4("2")), "lo", ""},
		{"strpos", call("strpos", txt("héllo"), txt("l")), "3", ""},
		{"strpos missing", call("strpos", txt("hello"), txt("z")), "0", ""},
		{"replace", call("replace", txt("abcabc"), txt("b"), txt("X")), "aXcaXc", ""},
		{"chr", call("chr", i4("65")), "A", ""},
		{"chr beyond ASCII", call("chr", i4("233")), "é", ""},
		{"chr of zero", call("chr", i4("0")), "", "54000"},
		{"chr of a surrogate", call("chr", i4("55296")), "", "54000"},
		{"chr of a negative number", call("chr", i4("-1")), "", "22023"},
		{"btrim bytea", call("btrim", lit("bytea", `\x00ff74ff00`), lit("bytea", `\xff00`)), `\x74`, ""},
		{"ltrim bytea is bytewise", call("ltrim", lit("bytea", `\xc3a9c3`), lit("bytea", `\xc3`)), `\xa9c3`, ""},
		{"like_escape", call("like_escape", txt(`a#%b#_\##`), txt("#")), `a\%b\_\\\#`, ""},
		{"like_escape without escape", call("like_escape", txt(`a\%`), txt("")), `a\\%`, ""},
		{"like_escape backslash", call("like_escape", txt(`a\%`), txt(`\`)), `a\%`, ""},
		{"like_escape of two characters", call("like_escape", txt("a"), txt("##")), "", "22019"},
		{"LIKE ESCAPE", &plan.Like{Arg: txt("10%"), Pattern: call("like_escape", txt("10!%"), txt("!"))}, "t", ""},
		{"btrim chars", call("btrim", txt("xxhixy"), txt("xy")), "hi", ""},
		{"ltrim", call("ltrim", txt("  a ")), "a ", ""},
		{"rtrim", call("rtrim", txt(" a  ")), " a", ""},
		{"concat", call("concat", txt("a"), txt("NULL"), i4("1"), lit("bool", "true"), num("1.50")), "a1t1.50", ""},
		{"concat_ws", call("concat_ws", txt(","), txt("a"), txt("NULL"), txt("b")), "a,b", ""},
		{"concat_ws NULL separator", call("concat_ws", txt("NULL"), txt("a")), "NULL", ""},
		{"split_part", call("split_part", txt("a,b,c"), txt(","), i4("2")), "b", ""},
		{"split_part from end", call("split_part", txt("a,b,c"), txt(","), i4("-1")), "c", ""},
		{"split_part beyond", call("split_part", txt("a,b,c"), txt(","), i4("5")), "", ""},
		{"split_part zero", call("split_part", txt("a,b"), txt(","), i4("0")), "", "22023"},
		{"starts_with", call("starts_with", txt("alphabet"), txt("alph")), "t", ""},
		{"repeat", call("repeat", txt("ab"), i4("3")), "ababab", ""},
		{"reverse", call("reverse", txt("héllo")), "olléh", ""},
		{"lpad", call("lpad", txt("hi"), i4("5"), txt("xy")), "xyxhi", ""},
		{"rpad", call("rpad", txt("hi"), i4("4")), "hi  ", ""},
		{"lpad truncates", call("lpad", txt("hello"), i4("2")), "he", ""},
		{"md5", call("md5", txt("abc")), "900150983cd24fb0d6963f7d28e17f72", ""},
		{"abs", call("abs", i4("-5")), "5", ""},
		{"abs overflow", call("abs", i4("-2147483648")), "", "22003"},
		{"abs numeric", call("abs", num("-1.50")), "1.50", ""},
		{"round numeric", call("round", num("2.5")), "3", ""},
		{"round negative numeric", call("round", num("-2.5")), "-3", ""},
		{"round to places", call("round", num("2.567"), i4("2")), "2.57", ""},
		{"round adds places", call("round", num("2.5"), i4("3")), "2.500", ""},
		{"round left of point", call("round", num("1234.5"), i4("-2")), "1200", ""},
		{"round float half even", call("round", f8("2.5")), "2", ""},
		{"round integer is float", call("round", i4("3")), "3", ""},
		{"trunc places", call("trunc", num("2.567"), i4("2")), "2.56", ""},
		{"trunc negative", call("trunc", num("-2.567")), "-2", ""},
		{"scale", call("scale", num("-13.000000000000000")), "15", ""},
		{"scale of an integer", call("scale", num("1e100")), "0", ""},
		{"min_scale", call("min_scale", num("1.1000")), "1", ""},
		{"min_scale of zero", call("min_scale", num("0.00")), "0", ""},
		{"min_scale of an integer", call("min_scale", num("1e100")), "0", ""},
		{"trim_scale", call("trim_scale", num("-1123.124718561280000000")), "-1123.12471856128", ""},
		{"trim_scale of zero", call("trim_scale", num("0.00")), "0", ""},
		{"product rounded to numeric's digits", call("trim_scale", op("*", "numeric", num("0.0999999999999999999"+strings.Repeat("9", 16363)+"8"), num("0.1"))), "0.01", ""},
		{"round to a far left place", boolOp("=", call("round", num("4.5e131071"), i4("-131071")), num("5e131071")), "t", ""},
		{"round left of every digit", call("round", num("4.5e131071"), i4("-131072")), "0", ""},
		{"round scale below the bound", call("round", num("5.5e131071"), i4("-1000000")), "0", ""},
		{"round carry past the range", call("round", num("9.9e131071"), i4("-131071")), "", "22003"},
		{"round to a far right place", boolOp("=", call("round", num("5e-16383"), i4("1000000")), num("5e-16383")), "t", ""},
		{"round up at the last place", boolOp("=", call("round", num("5e-16383"), i4("16382")), num("1e-16382")), "t", ""},
		{"trunc to a far left place", boolOp("=", call("trunc", num("9.9e131071"), i4("-131071")), num("9e131071")), "t", ""},
		{"trunc to a far right place", boolOp("=", call("trunc", num("5e-16383"), i4("16383")), num("5e-16383")), "t", ""},
		{"floor", call("floor", num("-2.5")), "-3", ""},
		{"ceil", call("ceil", num("2.1")), "3", ""},
		{"ceiling float", call("ceiling", f8("2.1")), "3", ""},
		{"sign", call("sign", num("-2.5")), "-1", ""},
		{"mod", call("mod", i4("7"), i4("3")), "1", ""},
		{"mod by zero", call("mod", i4("7"), i4("0")), "", "22012"},
		{"power float", call("power", f8("2"), f8("10")), "1024", ""},
		{"power numeric", call("power", num("2"), num("10")), "1024.0000000000000000", ""},
		{"power numeric fraction", call("power", num("2"), num("0.5")), "1.4142135623730950", ""},
		{"power numeric negative exponent", call("power", num("2"), num("-2")), "0.2500000000000000", ""},
		{"power zero negative", call("power", f8("0"), f8("-1")), "", "2201F"},
		{"sqrt numeric", call("sqrt", num("2")), "1.414213562373095", ""},
		{"sqrt float", call("sqrt", f8("16")), "4", ""},
		{"sqrt negative", call("sqrt", f8("-1")), "", "2201F"},
		{"date_trunc month", call("date_trunc", txt("month"), ts), "2020-05-01 00:00:00", ""},
		{"date_trunc week", call("date_trunc", txt("week"), ts), "2020-05-11 00:00:00", ""},
		{"date_trunc quarter", call("date_trunc", txt("quarter"), ts), "2020-04-01 00:00:00", ""},
		{"date_trunc millisecond", call("date_trunc", txt("milliseconds"), ts), "2020-05-17 10:11:12.345", ""},
		{"date_trunc century", call("date_trunc", txt("century"), ts), "2001-01-01 00:00:00", ""},
		{"date_trunc date", call("date_trunc", txt("day"), lit("date", "2020-05-17")), "2020-05-17 00:00:00+00", ""},
		{"date_trunc unknown unit", call("date_trunc", txt("fortnight"), ts), "", "22023"},
		{"extract epoch", call("extract", txt("epoch"), lit("timestamp", "2020-01-01 00:00:01.5")), "1577836801.500000", ""},
		{"extract second", call("extract", txt("second"), ts), "12.345678", ""},
		{"extract dow", call("extract", txt("dow"), lit("date", "2020-01-05")), "0", ""},
		{"extract year", call("extract", txt("year"), lit("date", "2020-01-05")), "2020", ""},
		{"extract week", call("extract", txt("week"), lit("date", "2021-01-01")), "53", ""},
		{"extract julian", call("extract", txt("julian"), lit("timestamp", "2020-01-01 12:00")), "2458850.50000000000000000000", ""},
		{"extract interval epoch", call("extract", txt("epoch"), lit("interval", "1 year 1 month -3 hours")), "34138800.000000", ""},
		{"extract interval hour", call("extract", txt("hour"), lit("interval", "-30 hours 5 minutes")), "-29", ""},
		{"extract hour from date", call("extract", txt("hour"), lit("date", "2020-01-01")), "", "0A000"},
		{"date_part", call("date_part", txt("month"), ts), "5", ""},
	})
}

func TestNowIsStatementStart(t *testing.T) {
	start := time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC)
	env := &Env{Now: start}
	v, err := Eval(context.Background(), call("now"), nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if got := format(v, 0); got != "2024-03-01 12:30:00+00" {
		t.Errorf("now() = %s", got)
	}
	v, err = Eval(context.Background(), call("current_date"), nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if got := format(v, 0); got != "2024-03-01" {
		t.Errorf("current_date = %s", got)
	}
}

// TestEvalOverColumns checks that branches and later AND arguments are
// evaluated only for the rows that reach them, and that results line up
// with their rows.
func TestEvalOverColumns(t *testing.T) {
	b := batchOf(cols("x int4", "s text"), row("0", "a"), row("2", "NULL"), row("NULL", "c"), row("5", "d"))
	x := col(0, "int4")
	tenOverX := op("/", "int4", lit("int4", "10"), x)
	cases := []struct {
		name string
		expr plan.Expr
		want []string
	}{
		{"CASE guards division", &plan.Case{
			Whens: []plan.When{{Cond: boolOp("=", x, lit("int4", "0")), Result: lit("int4", "-1")}},
			Else:  tenOverX, T: types.TInt4}, []string{"-1", "5", "NULL", "2"}},
		{"CASE without ELSE", &plan.Case{
			Whens: []plan.When{{Cond: boolOp(">", x, lit("int4", "1")), Result: col(1, "text")}}, T: types.TText},
			[]string{"NULL", "NULL", "NULL", "d"}},
		{"AND guards division", boolOp("AND", boolOp("<>", x, lit("int4", "0")), boolOp(">", tenOverX, lit("int4", "2"))),
			[]string{"f", "t", "NULL", "f"}},
		{"coalesce of column", &plan.Func{Name: "coalesce", Args: []plan.Expr{col(1, "text"), lit("text", "z")}, T: types.TText},
			[]string{"a", "z", "c", "d"}},
		{"IN over column", &plan.InList{Arg: x, List: []plan.Expr{lit("int4", "2"), lit("int4", "5")}},
			[]string{"f", "t", "NULL", "t"}},
		{"upper over column", call("upper", col(1, "text")), []string{"A", "NULL", "C", "D"}},
	}
	for _, c := range cases {
		v, err := Eval(context.Background(), c.expr, b, nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		got := make([]string, b.Len)
		for i := range got {
			got[i] = format(v, i)
		}
		sameOrder(t, c.name, got, c.want)
	}
}

func TestParams(t *testing.T) {
	env := &Env{Params: []types.Datum{types.IntDatum(41)}}
	v, err := Eval(context.Background(), op("+", "int4", &plan.Param{Index: 0, T: types.TInt4}, lit("int4", "1")), nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if got := format(v, 0); got != "42" {
		t.Errorf("$1 + 1 = %s", got)
	}
	_, err = Eval(context.Background(), &plan.Param{Index: 1, T: types.TInt4}, nil, env)
	wantCode(t, "missing parameter", err, "42P02")
}

// TestLongBatchNulls exercises null bitmaps across several words.
func TestLongBatchNulls(t *testing.T) {
	n := 200
	v := vector.New(types.TInt8, n)
	for i := 0; i < n; i++ {
		if i%3 == 0 {
			v.AppendNull()
		} else {
			v.AppendDatum(types.IntDatum(int64(i)))
		}
	}
	b := &vector.Batch{Cols: []*vector.Vector{v}, Len: n}
	out, err := Eval(context.Background(), op("*", "int8", col(0, "int8"), lit("int8", "2")), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		want := "NULL"
		if i%3 != 0 {
			want = types.FormatText(types.TInt8, types.IntDatum(int64(2*i)))
		}
		if got := format(out, i); got != want {
			t.Fatalf("row %d = %s, want %s", i, got, want)
		}
	}
}

func TestPatternsFromColumns(t *testing.T) {
	b := batchOf(cols("s text", "p text"), row("abc", "a%"), row("abc", "%x"), row("ABC", "^a"), row("NULL", "a"), row("a_c", `a\_c`))
	s, p := col(0, "text"), col(1, "text")
	for _, c := range []struct {
		name string
		expr plan.Expr
		want []string
	}{
		{"LIKE column pattern", &plan.Like{Arg: s, Pattern: p}, []string{"t", "f", "f", "NULL", "t"}},
		{"regex column pattern", boolOp("~*", s, p), []string{"f", "f", "t", "NULL", "t"}},
	} {
		v, err := Eval(context.Background(), c.expr, b, nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		got := make([]string, b.Len)
		for i := range got {
			got[i] = format(v, i)
		}
		sameOrder(t, c.name, got, c.want)
	}
}

func TestBadColumnReference(t *testing.T) {
	_, err := Eval(context.Background(), col(3, "int4"), batchOf(cols("x int4"), row("1")), nil)
	wantCode(t, "column out of range", err, "XX000")
}
