package mysql

import (
	"encoding/hex"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Dialect renders SQL for MySQL 8 and MariaDB 10.11 under the session
// settings of this package. It pushes an operation only where MySQL
// computes PostgreSQL's result for the argument types; the rest stays in
// Junction. What differs, as checked against a live MariaDB:
//
//   - Text comparisons. MySQL's default collations ignore case and accents
//     and pad with spaces ('a' = 'A ' is true). Text comparisons therefore
//     compare the utf8mb4 bytes (CAST(CONVERT(x USING utf8mb4) AS BINARY)),
//     whose order is code point order, PostgreSQL's C collation; against a
//     literal, equality and IN keep the plain comparison as a first
//     conjunct, which an index can serve and which the exact one implies.
//     LIKE runs under utf8mb4_bin, which is case-sensitive and matches
//     characters, not bytes. character(n) columns, whose trailing spaces
//     MySQL strips, are not compared remotely; neither are booleans as
//     such: tinyint(1) may hold 2, which is true, so they compare as x <> 0.
//   - Arithmetic. MySQL computes integer arithmetic in 64 bits where
//     PostgreSQL raises integer-out-of-range for int2 and int4, so only
//     bigint, numeric and double precision arithmetic is pushed. Numeric
//     products whose scale could exceed MySQL's 30 digits, division and
//     modulo (NULL instead of a division-by-zero error) are not pushed.
//   - NULLs sort first in MySQL; ORDER BY adds an explicit x IS NULL key.
//   - Unsigned columns. MySQL adds INT UNSIGNED (read as bigint) and BIGINT
//     UNSIGNED (read as numeric(20,0)) values as unsigned and fails below
//     zero or past 2^64, so arithmetic casts such operands to SIGNED or
//     DECIMAL.
//   - Functions. CONCAT is NULL if any argument is, so PostgreSQL's concat
//     is CONCAT_WS with an empty separator; LENGTH counts bytes, so length
//     is CHAR_LENGTH;
//     GREATEST, LEAST, MOD, lower and upper differ and are not pushed.
//   - GROUP BY and DISTINCT on text would merge 'a' and 'A ', and avg uses
//     a different scale; neither is pushed.
type Dialect struct{}

// Name is the source type.
func (Dialect) Name() string { return "mysql" }

// QuoteIdent quotes with backquotes, which every sql_mode accepts.
func (Dialect) QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// MySQL's DECIMAL limits.
const (
	maxDecimalDigits = 65
	maxDecimalScale  = 30
)

var (
	plainDate      = regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)
	plainTimestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$`)
	plainTime      = regexp.MustCompile(`^\d\d:\d\d:\d\d(\.\d+)?$`)
)

// Literal renders a constant. Strings are written as standard SQL, which
// NO_BACKSLASH_ESCAPES makes MySQL read. Dates and timestamps outside
// MySQL's years 1 to 9999 have no MySQL literal.
func (Dialect) Literal(t types.Type, d types.Datum) (string, bool) {
	if d.Null {
		return "NULL", true
	}
	switch t.Kind {
	case types.Bool:
		if d.Bool {
			return "TRUE", true
		}
		return "FALSE", true
	case types.Int2, types.Int4, types.Int8:
		return signed(strconv.FormatInt(d.Int, 10)), true
	case types.Numeric:
		if types.IsNumericSpecial(d.Dec) {
			return "", false // MySQL's DECIMAL has no NaN nor infinities
		}
		// The scale is kept: it is the scale of MySQL's result, as of
		// PostgreSQL's.
		scale := max(-d.Dec.Exponent(), 0)
		s := d.Dec.StringFixed(scale)
		digits := len(strings.ReplaceAll(strings.TrimPrefix(s, "-"), ".", ""))
		// Longer literals would be read as approximate DOUBLE values.
		return signed(s), digits <= maxDecimalDigits && scale <= maxDecimalScale
	case types.Float4, types.Float8:
		if math.IsInf(d.Float, 0) || math.IsNaN(d.Float) {
			return "", false
		}
		// The exponent makes it a DOUBLE literal rather than a DECIMAL one.
		return signed(strconv.FormatFloat(d.Float, 'e', -1, 64)), true
	case types.Text, types.Varchar, types.Bpchar, types.Name, types.Unknown, types.UUID:
		return types.QuoteLiteral(d.Str), true
	case types.Bytea:
		return "X'" + hex.EncodeToString(d.Bytes) + "'", true
	case types.Date:
		s := types.FormatText(t, d)
		return "DATE'" + s + "'", plainDate.MatchString(s) && !strings.HasPrefix(s, "0000")
	case types.Timestamp, types.TimestampTZ:
		// The session time zone is UTC, so a timestamptz is written as its
		// UTC wall-clock time.
		s := types.FormatText(types.TTimestamp, d)
		return "TIMESTAMP'" + s + "'", plainTimestamp.MatchString(s) && !strings.HasPrefix(s, "0000")
	case types.Time:
		s := types.FormatText(t, d)
		return "TIME'" + s + "'", plainTime.MatchString(s)
	}
	return "", false
}

// signed parenthesises a negative number, so that it can follow a minus
// sign without forming a "--" comment.
func signed(s string) string {
	if strings.HasPrefix(s, "-") {
		return "(" + s + ")"
	}
	return s
}

func isLiteral(sql string) bool { return strings.HasPrefix(sql, "'") }

// textual reports the string types whose comparisons go through bytes;
// character(n) is not among them.
func textual(t types.Type) bool {
	switch t.Kind {
	case types.Text, types.Varchar, types.Name, types.Unknown:
		return true
	}
	return false
}

// binary converts a string expression to its utf8mb4 bytes, which compare
// without case folding or padding, in code point order.
func binary(expr string) string { return "CAST(CONVERT(" + expr + " USING utf8mb4) AS BINARY)" }

// bytewise reports the string types compared through their bytes:
// textual ones as they are, character(n) without trailing spaces.
func bytewise(t types.Type) bool { return textual(t) || t.Kind == types.Bpchar }

// exactBytes renders a string of type t as the bytes PostgreSQL compares.
// character(n) loses its trailing spaces first: PostgreSQL ignores them
// when it compares, and MySQL strips them from CHAR columns only as it
// reads them (and not at all under PAD_CHAR_TO_FULL_LENGTH).
func exactBytes(expr string, t types.Type) string {
	if t.Kind == types.Bpchar {
		return binary("RTRIM(" + expr + ")")
	}
	return binary(expr)
}

// rawBytes makes a binary string compare as bytes: a BIT column compares
// as a number otherwise.
func rawBytes(expr string) string { return "CAST(" + expr + " AS BINARY)" }

// truth turns a MySQL boolean, an integer, into 0 or 1.
func truth(expr string) string { return "(" + expr + " <> 0)" }

// comparable reports whether MySQL compares values of t as PostgreSQL does
// when written as they are.
func comparable(t types.Type) bool {
	switch t.Kind {
	case types.Int2, types.Int4, types.Int8, types.Numeric, types.Float4, types.Float8,
		types.Date, types.Timestamp, types.TimestampTZ, types.Time:
		return true
	}
	return false
}

// exactArith reports whether MySQL's + - * and negation on t give
// PostgreSQL's result, overflow errors included.
func exactArith(t types.Type) bool {
	return t.Kind == types.Int8 || t.Kind == types.Numeric || t.Kind == types.Float8
}

// CaseRenderable pushes a CASE of numerics only when sameScale allows.
func (Dialect) CaseRenderable(result types.Type, branches []types.Type) bool {
	return result.Kind != types.Numeric || sameScale(branches)
}

// sameScale reports whether numerics all have one declared scale.
// MySQL gives COALESCE and CASE of DECIMALs the largest scale of their
// arguments, where PostgreSQL keeps each value's own (1.5, not 1.50), so
// they are pushed only when that changes nothing.
func sameScale(ts []types.Type) bool {
	for _, t := range ts {
		if t.Kind != types.Numeric || t.Precision <= 0 || t.Scale != ts[0].Scale {
			return false
		}
	}
	return true
}

// signsZero reports whether t is a float type, whose zero PostgreSQL
// signs: -x, x * 0 for a negative x and ceil of a number between -1 and
// 0 are -0 there, which MySQL, without a negative zero, answers 0. Sums
// and differences of MySQL's values are never -0, nor floor's results.
func signsZero(t types.Type) bool { return t.Kind == types.Float8 || t.Kind == types.Float4 }

func sameKind(ts []types.Type, result types.Type) bool {
	for _, t := range ts {
		if t.Kind != result.Kind {
			return false
		}
	}
	return true
}

// Op renders an operator.
func (Dialect) Op(op string, args []string, argTypes []types.Type, result types.Type) (string, bool) {
	switch op {
	case plan.OpAnd, plan.OpOr:
		return "(" + strings.Join(args, " "+op+" ") + ")", len(args) >= 2
	case plan.OpNot:
		return "(NOT " + args[0] + ")", len(args) == 1
	case plan.OpNeg:
		return "(- " + operand(args[0], argTypes[0]) + ")", len(args) == 1 && exactArith(argTypes[0]) && !signsZero(argTypes[0])
	}
	if len(args) != 2 {
		return "", false
	}
	a, b := args[0], args[1]
	switch op {
	case plan.OpAdd, plan.OpSub:
		return "(" + operand(a, argTypes[0]) + " " + op + " " + operand(b, argTypes[1]) + ")", exactArith(result) && sameKind(argTypes, result)
	case plan.OpMul:
		return "(" + operand(a, argTypes[0]) + " * " + operand(b, argTypes[1]) + ")", exactArith(result) && sameKind(argTypes, result) && productScaleFits(argTypes) && !signsZero(result)
	case plan.OpConcat:
		return "CONCAT(" + a + ", " + b + ")", textual(argTypes[0]) && textual(argTypes[1])
	case plan.OpEq, plan.OpNe, plan.OpLt, plan.OpLe, plan.OpGt, plan.OpGe, plan.OpDistinct, plan.OpNotDist:
		return compare(op, a, b, argTypes[0], argTypes[1])
	}
	return "", false
}

// numberLiteral matches a rendered number literal, which MySQL reads as
// signed.
var numberLiteral = regexp.MustCompile(`^\(?-?[0-9.e+-]+\)?$`)

// operand makes an arithmetic operand compute with PostgreSQL's signed
// arithmetic. MySQL adds an unsigned integer (INT UNSIGNED, read as bigint;
// BIGINT UNSIGNED, read as numeric(20,0)) as unsigned and fails where the
// result goes below zero or past 2^64, so bigint operands become SIGNED
// and integral numerics DECIMAL.
func operand(expr string, t types.Type) string {
	switch {
	case numberLiteral.MatchString(expr):
		return expr
	case t.Kind == types.Int8:
		return "CAST(" + expr + " AS SIGNED)"
	case t.Kind == types.Numeric && t.Precision > 0 && t.Scale == 0:
		return "CAST(" + expr + " AS DECIMAL(" + strconv.Itoa(int(min(t.Precision, maxDecimalDigits))) + ", 0))"
	}
	return expr
}

// productScaleFits reports whether a product's scale, the sum of its
// factors' scales, is known and within MySQL's limit, which MySQL would
// otherwise round to.
func productScaleFits(ts []types.Type) bool {
	if ts[0].Kind != types.Numeric {
		return true
	}
	return ts[0].Precision > 0 && ts[1].Precision > 0 && ts[0].Scale+ts[1].Scale <= maxDecimalScale
}

// compare renders a comparison; see the Dialect documentation for text
// and booleans.
func compare(op, a, b string, ta, tb types.Type) (string, bool) {
	switch {
	case bytewise(ta) && bytewise(tb) && (ta.Kind == types.Bpchar) == (tb.Kind == types.Bpchar):
		exact := comparison(op, exactBytes(a, ta), exactBytes(b, tb))
		if op == plan.OpEq && (isLiteral(a) || isLiteral(b)) {
			return "(" + a + " = " + b + " AND " + exact + ")", true
		}
		return exact, true
	case ta.Kind == types.Bool && tb.Kind == types.Bool:
		return comparison(op, truth(a), truth(b)), true
	case ta.Kind == types.Bytea && tb.Kind == types.Bytea:
		return comparison(op, rawBytes(a), rawBytes(b)), true
	case ta.Kind == types.UUID && tb.Kind == types.UUID:
		// MariaDB orders uuid by its own byte layout; only equality is
		// PostgreSQL's.
		switch op {
		case plan.OpEq, plan.OpNe, plan.OpDistinct, plan.OpNotDist:
			return comparison(op, a, b), true
		}
		return "", false
	case comparable(ta) && comparable(tb):
		return comparison(op, a, b), true
	}
	return "", false
}

// comparison writes a comparison operator in MySQL's spelling.
func comparison(op, a, b string) string {
	switch op {
	case plan.OpDistinct:
		return "(NOT (" + a + " <=> " + b + "))"
	case plan.OpNotDist:
		return "(" + a + " <=> " + b + ")"
	}
	return "(" + a + " " + op + " " + b + ")"
}

// nonNegativeInt matches a rendered integer literal >= 0.
var nonNegativeInt = regexp.MustCompile(`^\d+$`)

// extractField matches the rendered field argument of extract and
// date_part.
var extractField = regexp.MustCompile(`^'([a-z]+)'$`)

// Func renders a function call.
func (Dialect) Func(name string, args []string, argTypes []types.Type, result types.Type) (string, bool) {
	call := func(fn string, args ...string) (string, bool) { return fn + "(" + strings.Join(args, ", ") + ")", true }
	n := len(args)
	switch name {
	case "coalesce":
		// Not over bytea: a wide BIT's value would arrive as digits. Not
		// to character: PostgreSQL passes a character(n) argument on with
		// its padding, which MySQL strips from CHAR values.
		if n > 0 && argTypes[0].Kind != types.Bytea && result.Kind != types.Bpchar && (result.Kind != types.Numeric || sameScale(argTypes)) {
			return call("COALESCE", args...)
		}
	case "nullif":
		if n == 2 && comparable(argTypes[0]) && comparable(argTypes[1]) {
			return call("NULLIF", args...)
		}
	case "abs":
		if n == 1 && exactArith(argTypes[0]) {
			return call("ABS", args...)
		}
	case "floor", "ceil", "ceiling":
		if n == 1 && (argTypes[0].Kind == types.Numeric || argTypes[0].Kind == types.Float8 && name == "floor") {
			return call(strings.ToUpper(strings.Replace(name, "ceil", "ceiling", 1)), args...)
		}
	case "round", "trunc":
		// Both round half away from zero and print the requested scale.
		if n == 0 || argTypes[0].Kind != types.Numeric {
			break
		}
		fn := "ROUND"
		if name == "trunc" {
			fn = "TRUNCATE"
		}
		switch {
		case n == 1:
			return call(fn, args[0], "0")
		case n == 2 && nonNegativeInt.MatchString(args[1]):
			return call(fn, args...)
		}
	case "length", "char_length", "character_length":
		if n == 1 && textual(argTypes[0]) {
			return call("CHAR_LENGTH", args...)
		}
	case "octet_length":
		if n == 1 && textual(argTypes[0]) {
			return call("OCTET_LENGTH", "CONVERT("+args[0]+" USING utf8mb4)")
		}
	case "btrim", "ltrim", "rtrim":
		// One argument trims spaces only, in both; with a set of
		// characters MySQL would trim a string instead.
		if n == 1 && textual(argTypes[0]) {
			return call(strings.ToUpper(strings.TrimPrefix(name, "b")), args...)
		}
	case "substr", "substring":
		// PostgreSQL counts positions before the start of the string;
		// MySQL counts negative positions from its end.
		if (n == 2 || n == 3) && textual(argTypes[0]) && nonNegativeInt.MatchString(args[1]) && args[1] != "0" &&
			(n == 2 || nonNegativeInt.MatchString(args[2])) {
			return call("SUBSTRING", args...)
		}
	case "left", "right":
		if n == 2 && textual(argTypes[0]) && nonNegativeInt.MatchString(args[1]) {
			return call(strings.ToUpper(name), args...)
		}
	case "replace":
		if n == 3 && textual(argTypes[0]) && textual(argTypes[1]) && textual(argTypes[2]) {
			return call("REPLACE", args...)
		}
	case "concat":
		for _, t := range argTypes {
			if !textual(t) {
				return "", false
			}
		}
		if n > 0 {
			return call("CONCAT_WS", append([]string{"''"}, args...)...)
		}
	case "extract", "date_part":
		if n == 2 {
			return extract(args[0], args[1], argTypes[1])
		}
	}
	return "", false
}

// extract renders extract(field FROM x) for the fields whose MySQL
// counterpart numbers them as PostgreSQL does.
func extract(field, arg string, t types.Type) (string, bool) {
	m := extractField.FindStringSubmatch(field)
	if m == nil {
		return "", false
	}
	hasDate := t.Kind == types.Date || t.Kind == types.Timestamp || t.Kind == types.TimestampTZ
	hasTime := t.Kind == types.Time || t.Kind == types.Timestamp || t.Kind == types.TimestampTZ
	switch m[1] {
	case "year", "quarter", "month", "day":
		return "EXTRACT(" + strings.ToUpper(m[1]) + " FROM " + arg + ")", hasDate
	case "hour", "minute":
		return "EXTRACT(" + strings.ToUpper(m[1]) + " FROM " + arg + ")", hasTime
	case "dow":
		return "(DAYOFWEEK(" + arg + ") - 1)", hasDate
	case "isodow":
		return "(WEEKDAY(" + arg + ") + 1)", hasDate
	case "doy":
		return "DAYOFYEAR(" + arg + ")", hasDate
	case "week":
		return "WEEK(" + arg + ", 3)", hasDate
	}
	return "", false
}

// Cast renders the conversions MySQL performs exactly; widening an
// integer keeps its value and needs no SQL.
func (Dialect) Cast(arg string, from, to types.Type) (string, bool) {
	switch {
	case from.IsInteger() && (to.Kind == types.Int8 || to.Kind == types.Int4 && from.Kind != types.Int8):
		return arg, true
	case from.IsInteger() && to.Kind == types.Numeric && to.Precision == 0:
		// DECIMAL, so that arithmetic on it cannot overflow as BIGINT's.
		return "CAST(" + arg + " AS DECIMAL(20, 0))", true
	case from.IsInteger() && to.Kind == types.Float8:
		return "CAST(" + arg + " AS DOUBLE)", true
	case from.Kind == types.Float4 && to.Kind == types.Float8:
		// Also makes the text protocol print the value exactly.
		return "CAST(" + arg + " AS DOUBLE)", true
	case from.Kind == types.Date && (to.Kind == types.Timestamp || to.Kind == types.TimestampTZ):
		return "CAST(" + arg + " AS DATETIME(6))", true
	case (from.Kind == types.Timestamp || from.Kind == types.TimestampTZ) && (to.Kind == types.Timestamp || to.Kind == types.TimestampTZ):
		return arg, true
	case textual(from) && (to.Kind == types.Text || to.Kind == types.Varchar && to.Length == 0):
		return arg, true
	case from.Kind == types.Bpchar && (to.Kind == types.Text || to.Kind == types.Varchar && to.Length == 0):
		// PostgreSQL drops character(n)'s trailing spaces on the way to
		// text; MySQL drops them as it reads a CHAR column, except under
		// PAD_CHAR_TO_FULL_LENGTH, which RTRIM covers too.
		return "RTRIM(" + arg + ")", true
	}
	return "", false
}

// Like renders [NOT] LIKE with a literal pattern under utf8mb4_bin. ILIKE
// is not pushed: MySQL's case folding is not PostgreSQL's.
func (Dialect) Like(arg, pattern string, argType types.Type, caseInsensitive, negated bool) (string, bool) {
	if caseInsensitive || !textual(argType) || !isLiteral(pattern) || endsWithEscape(pattern) {
		return "", false
	}
	// The plain LIKE, which an index can serve for a fixed prefix, holds
	// whenever the exact one does.
	like := "(" + arg + ` LIKE ` + pattern + ` ESCAPE '\' AND CONVERT(` + arg + ` USING utf8mb4) LIKE CONVERT(` + pattern + ` USING utf8mb4) COLLATE utf8mb4_bin ESCAPE '\')`
	if negated {
		return "(NOT " + like + ")", true
	}
	return like, true
}

// endsWithEscape reports whether a rendered pattern literal ends with an
// unpaired backslash, which PostgreSQL rejects and MySQL takes literally.
func endsWithEscape(pattern string) bool {
	body := strings.TrimSuffix(pattern, "'")
	n := len(body) - len(strings.TrimRight(body, `\`))
	return n%2 == 1
}

// In renders [NOT] IN with the comparisons of compare.
func (Dialect) In(arg string, list []string, t types.Type, negated bool) (string, bool) {
	if len(list) == 0 {
		return "", false
	}
	var in string
	switch {
	case bytewise(t):
		exact := make([]string, len(list))
		allLiterals := true
		for i, item := range list {
			exact[i] = exactBytes(item, t)
			allLiterals = allLiterals && (isLiteral(item) || item == "NULL")
		}
		in = "(" + exactBytes(arg, t) + " IN (" + strings.Join(exact, ", ") + "))"
		if allLiterals {
			in = "(" + arg + " IN (" + strings.Join(list, ", ") + ") AND " + in + ")"
		}
	case t.Kind == types.Bytea:
		raw := make([]string, len(list))
		for i, item := range list {
			raw[i] = rawBytes(item)
		}
		in = "(" + rawBytes(arg) + " IN (" + strings.Join(raw, ", ") + "))"
	case comparable(t) || t.Kind == types.UUID:
		in = "(" + arg + " IN (" + strings.Join(list, ", ") + "))"
	default:
		return "", false
	}
	if negated {
		return "(NOT " + in + ")", true
	}
	return in, true
}

// InSubquery renders [NOT] IN (subquery) for the types MySQL compares as
// PostgreSQL does without converting the value; strings compare under the
// column's collation, so those stay in Junction.
func (Dialect) InSubquery(arg, sub string, t types.Type, negated bool) (string, bool) {
	if !comparable(t) {
		return "", false
	}
	in := "(" + arg + " IN (" + sub + "))"
	if negated {
		return "(NOT " + in + ")", true
	}
	return in, true
}

// CorrelatedDerivedTables is false: MariaDB does not let a derived table
// read an enclosing query's columns.
func (Dialect) CorrelatedDerivedTables() bool { return false }

// Correlates allows the types whose values MariaDB tells apart exactly as
// PostgreSQL does: MariaDB caches a correlated subquery's result by the
// outer values as their type compares them, so under a case-insensitive
// collation 'paid' and 'Paid' would share one result, and -0 and 0 one
// float result.
func (Dialect) Correlates(t types.Type) bool {
	return comparable(t) && t.Kind != types.Float4 && t.Kind != types.Float8
}

// OrderKey renders an ORDER BY item. MySQL sorts NULLs first, so the key
// is preceded by x IS NULL, ascending for NULLS LAST.
func (Dialect) OrderKey(expr string, t types.Type, desc, nullsFirst bool) (string, bool) {
	key := expr
	switch {
	case textual(t):
		key = binary(expr)
	case t.Kind == types.Bool:
		key = truth(expr)
	case t.Kind == types.Bytea:
		key = rawBytes(expr)
	case !comparable(t):
		return "", false
	}
	nulls := expr + " IS NULL"
	if nullsFirst {
		nulls += " DESC"
	}
	if desc {
		key += " DESC"
	}
	return nulls + ", " + key, true
}

// Groupable reports whether MySQL's GROUP BY forms PostgreSQL's groups:
// not for text (case-insensitive, padded) nor booleans (2 and 1 are both
// true).
func (Dialect) Groupable(t types.Type) bool {
	return comparable(t) || t.Kind == types.UUID || t.Kind == types.Bytea
}

// GroupKey groups text by its utf8mb4 bytes, which MySQL's collations
// would otherwise compare without case and trailing spaces. character(n)
// groups the same way: MySQL strips its trailing spaces when it reads it,
// and PostgreSQL's character(n) ignores them when it compares.
func (Dialect) GroupKey(expr string, t types.Type) (string, bool) {
	if textual(t) || t.Kind == types.Bpchar {
		return binary(expr), true
	}
	return "", false
}

// Aggregate renders count, sum, min and max where MySQL's result is
// PostgreSQL's.
func (d Dialect) Aggregate(fn string, arg string, argType types.Type, distinct bool, result types.Type) (string, bool) {
	if arg == "" {
		return "COUNT(*)", fn == "count" && !distinct
	}
	if distinct {
		if !d.Groupable(argType) {
			return "", false
		}
		arg = "DISTINCT " + arg
	}
	switch fn {
	case "count":
		return "COUNT(" + arg + ")", true
	case "sum":
		// SUM of integers is an exact DECIMAL, read as PostgreSQL's bigint
		// or numeric result; a real's sum would be a double.
		return "SUM(" + arg + ")", argType.IsInteger() || argType.Kind == types.Numeric || argType.Kind == types.Float8
	case "min", "max":
		return strings.ToUpper(fn) + "(" + arg + ")", comparable(argType)
	}
	return "", false
}

// Limit renders LIMIT and OFFSET; MySQL has no OFFSET without LIMIT.
func (Dialect) Limit(count, offset int64) string {
	return sqlgen.LimitOffset(count, offset, "18446744073709551615")
}

// MaxJoinTables is MySQL's and MariaDB's limit on the tables of one join.
func (Dialect) MaxJoinTables() int { return 61 }

// SupportsFullJoin is false: MySQL has no FULL OUTER JOIN.
func (Dialect) SupportsFullJoin() bool { return false }
