package sqlite

import (
	"encoding/hex"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

// Dialect renders SQL for the SQLite library bundled with the driver
// (3.54). It pushes an operation only where SQLite computes PostgreSQL's
// result for the argument types; the rest stays in Junction. What differs,
// as checked against the library:
//
//   - Integer overflow. SQLite's + - * and negation switch to floating
//     point where PostgreSQL raises bigint out of range; pushed integer
//     arithmetic is wrapped in a guard that makes SQLite raise "integer
//     overflow" instead (read as 22003). Only bigint arithmetic is pushed:
//     PostgreSQL's smallint and integer overflow at 16 and 32 bits. Division
//     and modulo give NULL for a zero divisor and are not pushed.
//   - Text compares bytewise (BINARY), which is PostgreSQL's C collation,
//     unless the schema declares another collation such as NOCASE. Then text
//     comparisons, IN and ORDER BY are forced to COLLATE BINARY, and GROUP
//     BY, DISTINCT, min and max on text (which follow the column's
//     collation) are not pushed.
//   - LIKE ignores ASCII case in SQLite, lower and upper fold only ASCII:
//     not pushed. avg differs in result type, sum of reals in rounding
//     (SQLite sums with error compensation): not pushed.
//   - Booleans are integers where any non-zero number is true, or text in
//     some databases: no boolean comparisons or literals.
//   - Numeric values are stored as reals (or integers). They compare as
//     PostgreSQL compares the decimals Junction reads from them, provided a
//     literal is itself such a decimal (its shortest double spelling). A
//     numeric(p,s) column is read rounded to its scale, which SQLite does
//     not enforce, so it is ordered and aggregated (min, max) remotely but
//     not compared.
//   - Dates and timestamps are stored as text. Comparing, ordering and
//     aggregating them assumes ISO-8601 text in canonical form: dates as
//     'YYYY-MM-DD', timestamps as 'YYYY-MM-DD HH:MM:SS' (SQLite's date() and
//     datetime() forms), which sort in time order. Literals with fractional
//     seconds or outside years 1 to 9999 are not pushed, since such values
//     have more than one spelling.
type Dialect struct {
	otherCollations bool
}

// Name is the source type.
func (Dialect) Name() string { return "sqlite" }

// QuoteIdent quotes with double quotes, doubling embedded ones.
func (Dialect) QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

var (
	plainDate      = regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)
	plainTimestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)
)

// Literal renders a constant.
func (Dialect) Literal(t types.Type, d types.Datum) (string, bool) {
	if d.Null {
		return "NULL", true
	}
	switch t.Kind {
	case types.Int2, types.Int4, types.Int8:
		return signed(strconv.FormatInt(d.Int, 10)), true
	case types.Float8:
		if math.IsNaN(d.Float) {
			return "", false // SQLite stores NaN as NULL
		}
		// The exponent keeps an integral value a real; SQLite reads
		// shortest round-trip decimals back exactly and 9e999 as Infinity.
		s := strconv.FormatFloat(d.Float, 'e', -1, 64)
		if math.IsInf(d.Float, 0) {
			s = strings.Replace("+9e999", "+", s[:1], 1)
		}
		return signed(s), true
	case types.Numeric:
		return numericLiteral(d.Dec)
	case types.Text, types.Varchar, types.Name, types.Unknown:
		return types.QuoteLiteral(d.Str), true
	case types.Bytea:
		return "X'" + hex.EncodeToString(d.Bytes) + "'", true
	case types.Date:
		s := types.FormatText(t, d)
		return types.QuoteLiteral(s), plainDate.MatchString(s) && !strings.HasPrefix(s, "0000")
	case types.Timestamp:
		s := types.FormatText(t, d)
		return types.QuoteLiteral(s), plainTimestamp.MatchString(s) && !strings.HasPrefix(s, "0000")
	}
	return "", false
}

// numericLiteral renders a numeric constant that compares with SQLite's
// stored values (integers, and reals that Junction reads as the shortest
// decimal that spells them) as PostgreSQL compares it with what Junction
// reads: an integer within SQLite's 64 bits, or a decimal that is the
// shortest spelling of a double, and exactly that double from 2^53 up
// where doubles are sparser than integers.
func numericLiteral(d decimal.Decimal) (string, bool) {
	if types.IsNumericSpecial(d) {
		return "", false // SQLite's numbers have no numeric NaN nor infinities
	}
	if d.IsInteger() && d.Abs().Cmp(decimal.NewFromInt(math.MaxInt64)) <= 0 {
		return signed(d.String()), true
	}
	f, _ := d.Float64()
	if math.IsInf(f, 0) {
		return "", false
	}
	short, err := decimal.NewFromString(strconv.FormatFloat(f, 'e', -1, 64))
	if err != nil || !short.Equal(d) {
		return "", false
	}
	if math.Abs(f) >= 1<<53 && new(big.Rat).SetFloat64(f).Cmp(d.Rat()) != 0 {
		return "", false
	}
	return signed(d.String()), true
}

// signed parenthesises a negative number, so that it can follow a minus
// sign without forming a "--" comment.
func signed(s string) string {
	if strings.HasPrefix(s, "-") {
		return "(" + s + ")"
	}
	return s
}

// textual reports the types held as text that compare as PostgreSQL's
// text does under the C collation.
var textual = sqlgen.PlainText

// orderable reports whether SQLite orders values of t as PostgreSQL orders
// the values Junction reads from them (for dates and timestamps, under the
// storage assumption of the Dialect documentation).
func orderable(t types.Type) bool {
	switch t.Kind {
	case types.Int2, types.Int4, types.Int8, types.Float8, types.Numeric, types.Bytea, types.Date, types.Timestamp:
		return true
	}
	return textual(t)
}

// comparable reports whether SQLite's comparisons of values of t give
// PostgreSQL's answer. A numeric(p,s) column is read rounded to its scale,
// which SQLite does not enforce: a stored 0.125 reads as 0.13, so compares
// differently at the source; the rounding keeps the order, though.
func comparable(t types.Type) bool {
	return orderable(t) && !(t.Kind == types.Numeric && t.Precision > 0)
}

// sameFamily reports whether two comparable types compare without a
// conversion that SQLite would make differently.
func sameFamily(a, b types.Type) bool {
	return a.Kind == b.Kind || a.IsInteger() && b.IsInteger() || textual(a) && textual(b)
}

// binaryText forces bytewise comparison of a text operand when the schema
// declares other collations.
func (d Dialect) binaryText(expr string, t types.Type) string {
	if d.otherCollations && textual(t) {
		return expr + " COLLATE BINARY"
	}
	return expr
}

// The overflow guard: SQLite turns an overflowing integer result into a
// real, and abs() of the smallest integer raises "integer overflow".
const (
	guardHead = "(CASE typeof("
	guardMid  = ") WHEN 'real' THEN abs(-9223372036854775807 - 1) ELSE "
	guardTail = " END)"
)

// guarded wraps integer arithmetic in the overflow guard.
func guarded(expr string) string { return guardHead + expr + guardMid + expr + guardTail }

// unguarded strips the guard from an operand: an overflow below stays a
// real through further + - * and is caught by the outer guard, so nested
// arithmetic needs only one.
func unguarded(expr string) string {
	fixed := len(guardHead) + len(guardMid) + len(guardTail)
	if !strings.HasPrefix(expr, guardHead) || !strings.HasSuffix(expr, guardTail) || (len(expr)-fixed)%2 != 0 {
		return expr
	}
	n := (len(expr) - fixed) / 2
	inner := expr[len(guardHead) : len(guardHead)+n]
	if guarded(inner) != expr {
		return expr
	}
	return inner
}

// Op renders an operator.
func (d Dialect) Op(op string, args []string, argTypes []types.Type, result types.Type) (string, bool) {
	switch op {
	case plan.OpAnd, plan.OpOr:
		return "(" + strings.Join(args, " "+op+" ") + ")", len(args) >= 2
	case plan.OpNot:
		return "(NOT " + args[0] + ")", len(args) == 1
	case plan.OpNeg:
		return guarded("(- " + unguarded(args[0]) + ")"), len(args) == 1 && result.Kind == types.Int8
	}
	if len(args) != 2 {
		return "", false
	}
	a, b := args[0], args[1]
	ta, tb := argTypes[0], argTypes[1]
	switch op {
	case plan.OpAdd, plan.OpSub, plan.OpMul:
		return guarded("(" + unguarded(a) + " " + op + " " + unguarded(b) + ")"),
			result.Kind == types.Int8 && ta.Kind == types.Int8 && tb.Kind == types.Int8
	case plan.OpConcat:
		return "(" + a + " || " + b + ")", textual(ta) && textual(tb)
	case plan.OpEq, plan.OpNe, plan.OpLt, plan.OpLe, plan.OpGt, plan.OpGe, plan.OpDistinct, plan.OpNotDist:
		if !comparable(ta) || !comparable(tb) || !sameFamily(ta, tb) {
			return "", false
		}
		sqlOp := op
		switch op {
		case plan.OpDistinct:
			sqlOp = "IS NOT"
		case plan.OpNotDist:
			sqlOp = "IS"
		}
		return "(" + d.binaryText(a, ta) + " " + sqlOp + " " + b + ")", true
	}
	return "", false
}

// positiveInt matches a rendered integer literal above zero.
var positiveInt = regexp.MustCompile(`^[1-9]\d*$`)

// Func renders the scalar functions SQLite computes as PostgreSQL does.
func (d Dialect) Func(name string, args []string, argTypes []types.Type, result types.Type) (string, bool) {
	call := func(fn string) (string, bool) { return fn + "(" + strings.Join(args, ", ") + ")", true }
	allTextual := func() bool {
		for _, t := range argTypes {
			if !textual(t) {
				return false
			}
		}
		return true
	}
	n := len(args)
	switch name {
	case "coalesce":
		if n > 0 {
			return call("coalesce")
		}
	case "nullif":
		if n == 2 && comparable(argTypes[0]) && sameFamily(argTypes[0], argTypes[1]) && !(d.otherCollations && textual(argTypes[0])) {
			return call("nullif")
		}
	case "abs":
		// abs() of the smallest bigint raises "integer overflow", as
		// PostgreSQL raises bigint out of range.
		if n == 1 && argTypes[0].Kind == types.Int8 {
			return call("abs")
		}
	case "length", "char_length", "character_length":
		if n == 1 && allTextual() {
			return call("length")
		}
	case "octet_length":
		if n == 1 && allTextual() {
			return call("octet_length")
		}
	case "btrim", "ltrim", "rtrim":
		// With a second argument both trim any of its characters.
		if (n == 1 || n == 2) && allTextual() {
			return call(map[string]string{"btrim": "trim", "ltrim": "ltrim", "rtrim": "rtrim"}[name])
		}
	case "substr", "substring":
		// Positions before the start of the string count differently.
		if (n == 2 || n == 3) && textual(argTypes[0]) && positiveInt.MatchString(args[1]) &&
			(n == 2 || positiveInt.MatchString(args[2]) || args[2] == "0") {
			return call("substr")
		}
	case "replace":
		if n == 3 && allTextual() {
			return call("replace")
		}
	case "concat":
		// SQLite's concat, like PostgreSQL's, skips NULL arguments.
		if n > 0 && allTextual() {
			return call("concat")
		}
	}
	return "", false
}

// Cast renders the conversions SQLite performs exactly: widening integers
// keeps the value, integers to double precision round as PostgreSQL does,
// and text to unbounded text is the same value.
func (Dialect) Cast(arg string, from, to types.Type) (string, bool) {
	switch {
	case from.IsInteger() && (to.Kind == types.Int8 || to.Kind == types.Int4 && from.Kind != types.Int8):
		return arg, true
	case from.IsInteger() && to.Kind == types.Float8:
		return "CAST(" + arg + " AS REAL)", true
	case textual(from) && (to.Kind == types.Text || to.Kind == types.Varchar && to.Length == 0):
		return arg, true
	}
	return "", false
}

// Like is not pushed: SQLite's LIKE ignores ASCII case.
func (Dialect) Like(arg, pattern string, argType types.Type, caseInsensitive, negated bool) (string, bool) {
	return "", false
}

// In renders [NOT] IN with the comparisons of Op.
func (d Dialect) In(arg string, list []string, t types.Type, negated bool) (string, bool) {
	return sqlgen.InList(d.binaryText(arg, t), list, negated), len(list) > 0 && comparable(t)
}

// OrderKey renders an ORDER BY item with explicit NULL placement.
func (d Dialect) OrderKey(expr string, t types.Type, desc, nullsFirst bool) (string, bool) {
	return sqlgen.NullsOrder(d.binaryText(expr, t), desc, nullsFirst), orderable(t)
}

// Groupable reports whether SQLite's GROUP BY and DISTINCT form
// PostgreSQL's groups: for integers always, for text under BINARY only.
// Reals, numerics and date/time text may hold one value in several
// spellings or representations and are not grouped remotely.
func (d Dialect) Groupable(t types.Type) bool {
	return t.IsInteger() || textual(t) && !d.otherCollations
}

// Aggregate renders count, min, max and integer sum.
func (d Dialect) Aggregate(fn string, arg string, argType types.Type, distinct bool, result types.Type) (string, bool) {
	call := sqlgen.AggregateCall(fn, arg, distinct)
	switch {
	case arg == "":
		return call, fn == "count" && !distinct
	case distinct && !d.Groupable(argType):
		return "", false
	}
	switch fn {
	case "count":
		return call, true
	case "sum":
		// Integer sums are exact; one beyond 64 bits raises "integer
		// overflow" in SQLite.
		return call, argType.IsInteger()
	case "min", "max":
		// PostgreSQL has no min or max of bytea.
		return call, orderable(argType) && argType.Kind != types.Bytea && !(textual(argType) && d.otherCollations)
	}
	return "", false
}

// Limit renders LIMIT and OFFSET; SQLite spells "no limit" as LIMIT -1.
func (Dialect) Limit(count, offset int64) string {
	return sqlgen.LimitOffset(count, offset, "-1")
}

// SupportsFullJoin is true: SQLite has FULL OUTER JOIN since 3.39.
func (Dialect) SupportsFullJoin() bool { return true }
