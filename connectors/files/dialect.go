package files

import (
	"encoding/hex"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Dialect renders SQL for the embedded DuckDB. It pushes an operation
// only where DuckDB computes PostgreSQL's result for the argument types
// (as the differential tests check); the rest stays in Junction. What
// differs, and so is not pushed:
//
//   - Division: DuckDB's / of integers gives a double, and its // and %
//     differ from PostgreSQL's for a zero divisor; neither / nor % is
//     pushed. + - * are pushed for operands of one integer type, where
//     DuckDB raises an overflow error exactly where PostgreSQL does (read
//     as 22003), and not for numerics, whose result scale differs.
//   - Text compares bytewise, as PostgreSQL's C collation and Junction do
//     (the source sets no other collation); so does char(n), held
//     without its padding (see fixedChar). LIKE is pushed with an
//     explicit ESCAPE '\'; ILIKE, lower and upper fold case by other
//     rules and are not.
//   - NULL placement is always written out (DuckDB puts NULLs last by
//     default, also for DESC).
//   - Casts: only integer widening, integer to double and text or
//     char(n) to text.
//     DuckDB's casts from text accept other spellings than PostgreSQL's.
//   - Date/time arithmetic, time zones and functions: not pushed; dates,
//     times and timestamps are compared, ordered, grouped and given to
//     min and max, infinity and -infinity included, which DuckDB places
//     beyond every finite value as PostgreSQL does.
//   - Aggregates: count, min and max (not of floating point, see below),
//     and sum of smallint, integer, bigint and numerics of up to 18
//     digits, which DuckDB sums exactly in 128 bits. avg returns a double
//     in DuckDB and is not pushed.
//   - Floating point is compared and ordered but not grouped nor given to
//     min and max: which of 0 and -0 stands for a group or an extreme is
//     not checked against PostgreSQL.
//   - Subqueries (EXISTS, IN, scalar; correlated on the types compared
//     alike) are pushed: DuckDB gives an empty scalar subquery NULL and
//     fails on a second row, as PostgreSQL does. Correlated derived
//     tables are not. CASE is pushed when its branches have its result
//     type, so that DuckDB chooses no other common type.
type Dialect struct{}

// Name is the source type.
func (Dialect) Name() string { return "files" }

// QuoteIdent quotes with double quotes, doubling embedded ones.
func (Dialect) QuoteIdent(name string) string { return quoteIdent(name) }

// Literal renders a constant.
func (Dialect) Literal(t types.Type, d types.Datum) (string, bool) {
	if d.Null {
		return "NULL", true
	}
	switch t.Kind {
	case types.Bool:
		if d.Bool {
			return "true", true
		}
		return "false", true
	case types.Int2:
		return "CAST(" + strconv.FormatInt(d.Int, 10) + " AS SMALLINT)", true
	case types.Int4:
		return "CAST(" + strconv.FormatInt(d.Int, 10) + " AS INTEGER)", true
	case types.Int8:
		return "CAST(" + strconv.FormatInt(d.Int, 10) + " AS BIGINT)", true
	case types.Float8, types.Float4:
		if math.IsNaN(d.Float) || math.IsInf(d.Float, 0) {
			return "CAST('" + types.FormatText(types.TFloat8, d) + "' AS DOUBLE)", true
		}
		name := "DOUBLE"
		if t.Kind == types.Float4 {
			name = "FLOAT"
		}
		return "CAST(" + strconv.FormatFloat(d.Float, 'e', -1, 64) + " AS " + name + ")", true
	case types.Numeric:
		if types.IsNumericSpecial(d.Dec) {
			return "", false
		}
		s := d.Dec.String()
		whole, fraction, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
		// The literal's own digits, so that DuckDB compares it with a
		// DECIMAL column in a common type of at most 38 digits.
		precision := max(len(strings.TrimLeft(whole, "0")), 1) + len(fraction)
		if precision > 38 {
			return "", false
		}
		return "CAST('" + s + "' AS DECIMAL(" + strconv.Itoa(precision) + ", " + strconv.Itoa(len(fraction)) + "))", true
	case types.Text, types.Varchar, types.Name, types.Unknown:
		if strings.ContainsRune(d.Str, 0) {
			return "", false
		}
		return stringLiteral(d.Str), true
	case types.Bpchar:
		// Held as char(n) columns are, without trailing spaces; they do
		// not count in comparisons, but an unbounded bpchar prints them.
		trimmed := strings.TrimRight(d.Str, " ")
		if strings.ContainsRune(d.Str, 0) || trimmed != d.Str && !fixedChar(t) {
			return "", false
		}
		return stringLiteral(trimmed), true
	case types.Bytea:
		return "from_hex('" + hex.EncodeToString(d.Bytes) + "')", true
	case types.Date, types.Timestamp, types.Time:
		name := map[types.Kind]string{types.Date: "DATE", types.Timestamp: "TIMESTAMP", types.Time: "TIME"}[t.Kind]
		if t.Kind != types.Time && !types.IsFinite(d.Int) {
			// DuckDB's infinite values, ordered as PostgreSQL's.
			return "CAST(" + stringLiteral(types.FormatText(t, d)) + " AS " + name + ")", true
		}
		s := types.FormatText(t, d)
		if strings.HasSuffix(s, " BC") {
			return "", false
		}
		return name + " " + stringLiteral(s), true
	}
	return "", false
}

// textual reports the types held as text that compare as PostgreSQL's
// text does under the C collation.
var textual = sqlgen.PlainText

// fixedChar reports a char(n) type. DuckDB holds its values without the
// padding (the views of files trim it, local copies store none), so that
// they compare, group and order bytewise as PostgreSQL's char(n) does
// under the C collation, which ignores trailing spaces.
func fixedChar(t types.Type) bool { return t.Kind == types.Bpchar && t.Length > 0 }

// orderable reports whether DuckDB orders and compares values of t as
// PostgreSQL does.
func orderable(t types.Type) bool {
	if fixedChar(t) {
		return true
	}
	switch t.Kind {
	case types.Bool, types.Int2, types.Int4, types.Int8, types.Float4, types.Float8, types.Date, types.Time, types.Timestamp, types.Bytea:
		return true
	case types.Numeric:
		// DuckDB DECIMALs (at most 38 digits); other numerics are read
		// as text.
		return t.Precision > 0 && t.Precision <= 38
	}
	return textual(t)
}

// sameFamily reports whether two orderable types compare without a
// conversion DuckDB would make differently.
func sameFamily(a, b types.Type) bool {
	switch {
	case a.IsInteger() && b.IsInteger(), textual(a) && textual(b):
		return true
	case a.Kind == types.Numeric && b.Kind == types.Numeric:
		// DuckDB compares decimals in their common type, a double when
		// that would need more than 38 digits.
		whole := max(a.Precision-a.Scale, b.Precision-b.Scale)
		return whole+max(a.Scale, b.Scale) <= 38
	case (a.Kind == types.Float8 || a.Kind == types.Float4) && (b.Kind == types.Float8 || b.Kind == types.Float4):
		return a.Kind == b.Kind
	}
	return a.Kind == b.Kind
}

// decimalLiteral matches a numeric literal as Literal renders it.
var decimalLiteral = regexp.MustCompile(`^CAST\('-?[0-9.]+' AS DECIMAL\((\d+), (\d+)\)\)$`)

// heldType is the type in which DuckDB holds an operand rendered as sql
// of type t: a numeric literal (of no precision in the plan) is a DECIMAL
// of its own digits, and a bpchar literal, rendered without trailing
// spaces, is held as char(n) values are.
func heldType(sql string, t types.Type) types.Type {
	switch {
	case t.Kind == types.Numeric && t.Precision == 0:
		if m := decimalLiteral.FindStringSubmatch(sql); m != nil {
			p, _ := strconv.Atoi(m[1])
			s, _ := strconv.Atoi(m[2])
			return types.Type{Kind: types.Numeric, Precision: int32(p), Scale: int32(s)}
		}
	case t.Kind == types.Bpchar && t.Length <= 0 && strings.HasPrefix(sql, "'"):
		// char(n) values compare alike whatever n.
		return types.Type{Kind: types.Bpchar, Length: 1}
	}
	return t
}

// Op renders an operator.
func (d Dialect) Op(op string, args []string, argTypes []types.Type, result types.Type) (string, bool) {
	switch op {
	case plan.OpAnd, plan.OpOr:
		return "(" + strings.Join(args, " "+op+" ") + ")", len(args) >= 2
	case plan.OpNot:
		return "(NOT " + args[0] + ")", len(args) == 1
	case plan.OpNeg:
		return "(- " + args[0] + ")", len(args) == 1 && result.IsInteger() && argTypes[0].Kind == result.Kind
	}
	if len(args) != 2 {
		return "", false
	}
	a, b := args[0], args[1]
	ta, tb := argTypes[0], argTypes[1]
	switch op {
	case plan.OpAdd, plan.OpSub, plan.OpMul:
		return "(" + a + " " + op + " " + b + ")", result.IsInteger() && ta.Kind == result.Kind && tb.Kind == result.Kind
	case plan.OpConcat:
		return "(" + a + " || " + b + ")", textual(ta) && textual(tb)
	case plan.OpEq, plan.OpNe, plan.OpLt, plan.OpLe, plan.OpGt, plan.OpGe, plan.OpDistinct, plan.OpNotDist:
		ta, tb = heldType(a, ta), heldType(b, tb)
		if !orderable(ta) || !orderable(tb) || !sameFamily(ta, tb) {
			return "", false
		}
		sqlOp := op
		switch op {
		case plan.OpDistinct:
			sqlOp = "IS DISTINCT FROM"
		case plan.OpNotDist:
			sqlOp = "IS NOT DISTINCT FROM"
		}
		return "(" + a + " " + sqlOp + " " + b + ")", true
	}
	return "", false
}

// scalarFunc is a function DuckDB computes as PostgreSQL does for the
// arguments pushes accepts.
type scalarFunc struct {
	render func(args []string) string
	pushes func(args []types.Type, result types.Type) bool
}

// call renders a call of DuckDB's function fn.
func call(fn string) func([]string) string {
	return func(args []string) string { return fn + "(" + strings.Join(args, ", ") + ")" }
}

// textArgs accepts n text arguments.
func textArgs(n int) func([]types.Type, types.Type) bool {
	return func(args []types.Type, _ types.Type) bool {
		return len(args) == n && !slices.ContainsFunc(args, func(t types.Type) bool { return !textual(t) })
	}
}

var scalarFuncs = map[string]scalarFunc{
	"coalesce": {call("coalesce"), func(args []types.Type, _ types.Type) bool { return len(args) > 0 && sameTypes(args) }},
	"nullif": {call("nullif"), func(args []types.Type, result types.Type) bool {
		return len(args) == 2 && orderable(args[0]) && sameFamily(args[0], args[1]) && args[0].Kind == result.Kind
	}},
	// DuckDB's length counts characters (code points), as PostgreSQL's.
	"length":           {call("length"), textArgs(1)},
	"char_length":      {call("length"), textArgs(1)},
	"character_length": {call("length"), textArgs(1)},
	// DuckDB's octet_length takes bytes: encode gives a string's UTF-8.
	"octet_length": {func(args []string) string { return "octet_length(encode(" + args[0] + "))" }, textArgs(1)},
	"replace":      {call("replace"), textArgs(3)},
}

// Func renders the scalar functions DuckDB computes as PostgreSQL does.
func (d Dialect) Func(name string, args []string, argTypes []types.Type, result types.Type) (string, bool) {
	f, ok := scalarFuncs[name]
	if !ok || !f.pushes(argTypes, result) {
		return "", false
	}
	return f.render(args), true
}

// sameTypes reports whether every argument has the one type.
func sameTypes(ts []types.Type) bool {
	for _, t := range ts[1:] {
		if t != ts[0] {
			return false
		}
	}
	return true
}

// Cast renders the conversions DuckDB performs exactly.
func (Dialect) Cast(arg string, from, to types.Type) (string, bool) {
	switch {
	case from.IsInteger() && to.Kind == types.Int8:
		return "CAST(" + arg + " AS BIGINT)", true
	case from.IsInteger() && to.Kind == types.Int4 && from.Kind != types.Int8:
		return "CAST(" + arg + " AS INTEGER)", true
	case from.IsInteger() && to.Kind == types.Float8:
		return "CAST(" + arg + " AS DOUBLE)", true
	case (textual(from) || fixedChar(from)) && (to.Kind == types.Text || to.Kind == types.Varchar && to.Length == 0):
		// char(n) to text drops the padding, which DuckDB does not hold.
		return arg, true
	}
	return "", false
}

// Like renders LIKE with PostgreSQL's default escape character; DuckDB's
// LIKE has none unless told. ILIKE is not pushed.
func (Dialect) Like(arg, pattern string, argType types.Type, caseInsensitive, negated bool) (string, bool) {
	if caseInsensitive || !textual(argType) {
		return "", false
	}
	not := ""
	if negated {
		not = "NOT "
	}
	return "(" + arg + " " + not + "LIKE " + pattern + " ESCAPE '\\')", true
}

// In renders [NOT] IN with the comparisons of Op.
func (d Dialect) In(arg string, list []string, t types.Type, negated bool) (string, bool) {
	return sqlgen.InList(arg, list, negated), len(list) > 0 && orderable(t)
}

// OrderKey renders an ORDER BY item with explicit NULL placement.
func (d Dialect) OrderKey(expr string, t types.Type, desc, nullsFirst bool) (string, bool) {
	return sqlgen.NullsOrder(expr, desc, nullsFirst), orderable(t)
}

// Groupable reports whether DuckDB's GROUP BY and DISTINCT form
// PostgreSQL's groups.
func (d Dialect) Groupable(t types.Type) bool {
	switch t.Kind {
	case types.Float4, types.Float8:
		return false
	}
	return orderable(t)
}

// Aggregate renders count, min, max, and sum of integers and of numerics
// of at most 18 digits: DuckDB holds those as DECIMALs and sums them
// exactly in 38 digits, more than any count of such values reaches, with
// their scale, as PostgreSQL does.
func (d Dialect) Aggregate(fn string, arg string, argType types.Type, distinct bool, result types.Type) (string, bool) {
	if arg == "" {
		return sqlgen.AggregateCall(fn, arg, false), fn == "count" && !distinct
	}
	smallDecimal := argType.Kind == types.Numeric && argType.Precision > 0 && argType.Precision <= 18
	pushed := map[string]bool{
		"count": true,
		"sum":   argType.IsInteger() || smallDecimal && !distinct,
		// PostgreSQL has no min or max of bytea or boolean. Its min and
		// max of char(n) are an unbounded bpchar, which keeps the padding
		// that DuckDB's value lacks.
		"min": d.Groupable(argType) && argType.Kind != types.Bytea && argType.Kind != types.Bool && (!fixedChar(argType) || result == argType),
	}
	pushed["max"] = pushed["min"]
	return sqlgen.AggregateCall(fn, arg, distinct), pushed[fn] && (!distinct || d.Groupable(argType))
}

// Limit renders LIMIT and OFFSET.
func (Dialect) Limit(count, offset int64) string {
	switch {
	case count < 0 && offset <= 0:
		return ""
	case count < 0:
		return "OFFSET " + strconv.FormatInt(offset, 10)
	}
	return sqlgen.LimitOffset(count, offset, "")
}

// OneInList: DuckDB reads one IN list of thousands of keys much faster
// than the same keys in lists joined by OR.
func (Dialect) OneInList() {}

// SupportsFullJoin is true: DuckDB has FULL OUTER JOIN.
func (Dialect) SupportsFullJoin() bool { return true }

// InSubquery renders [NOT] IN over a subquery for the types DuckDB
// compares as PostgreSQL does; DuckDB's IN follows SQL's three-valued
// logic, and its scalar subqueries give NULL when empty and fail on a
// second row, as PostgreSQL's.
func (d Dialect) InSubquery(arg, sub string, t types.Type, negated bool) (string, bool) {
	return sqlgen.InList(arg, []string{sub}, negated), orderable(t)
}

// CorrelatedDerivedTables is false: correlated subqueries in FROM stay in
// Junction.
func (Dialect) CorrelatedDerivedTables() bool { return false }

// Correlates reports whether a subquery may read an enclosing query's
// column of type t: those DuckDB compares as PostgreSQL does.
func (Dialect) Correlates(t types.Type) bool { return orderable(t) }

// CaseRenderable pushes a CASE whose branches all have its result type,
// so that DuckDB picks no other common type than PostgreSQL's.
func (Dialect) CaseRenderable(result types.Type, branches []types.Type) bool {
	for _, b := range branches {
		if b.Kind != result.Kind || b.Kind == types.Numeric && b != result {
			return false
		}
	}
	return true
}
