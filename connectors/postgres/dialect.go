package postgres

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Dialect renders PostgreSQL for a PostgreSQL source. The source computes
// PostgreSQL's results by definition, except where the result depends on
// session or database settings that can differ from Junction's:
//
//   - Text ordering follows the column's collation; Junction orders text by
//     code point, as the C collation does, so ordering comparisons, ORDER BY,
//     min and max on text add COLLATE "C". Equality needs nothing:
//     deterministic collations compare bytes.
//   - lower, upper, ILIKE and regular expressions depend on the database's
//     LC_CTYPE; under C or POSIX they know only ASCII letters, and are not
//     pushed.
//   - Results that depend on the session time zone (date_trunc of a
//     timestamptz, casts between timestamptz and timestamp, date or text)
//     are pushed because the remote session runs in UTC, as Junction's
//     sessions do.
//   - Volatile and clock functions (now, random, ...) are not pushed: the
//     remote clock is not Junction's statement time.
//   - to_char, to_number, to_date and to_timestamp(text, text) read the
//     decimal point, separators, signs, currency symbol and month and day
//     names from LC_NUMERIC, LC_MONETARY and LC_TIME; Junction computes
//     them in the C locale, so they are pushed only to a database whose
//     locales for these are C (or C.UTF-8). Their results that depend on
//     the time zone are the remote session's UTC, as Junction's.
//
// The zero Dialect is for a PostgreSQL 12 or later database with a
// Unicode-aware LC_CTYPE.
type Dialect struct {
	// asciiCtype is set for the C and POSIX locales.
	asciiCtype bool
	// longFloats is set before PostgreSQL 12, which prints floats with
	// extra_float_digits digits rather than in their shortest exact form.
	longFloats bool
	// cFormattingLocale is set when LC_NUMERIC, LC_MONETARY and LC_TIME
	// are the C locale.
	cFormattingLocale bool
	// noDateBin is set before PostgreSQL 14, which lacks date_bin.
	noDateBin bool
	// version is server_version_num (150008 for 15.8).
	version int
}

// Name is the source type.
func (*Dialect) Name() string { return "postgres" }

// QuoteIdent always quotes, since remote names are exact and may be upper
// case or reserved words.
func (*Dialect) QuoteIdent(name string) string { return quoteIdent(name) }

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// Literal renders a constant with PostgreSQL's literal syntax. NULL
// carries its type, which the remote parser cannot infer everywhere (in a
// select list, as a function argument).
func (*Dialect) Literal(t types.Type, d types.Datum) (string, bool) {
	if !pushable(t) {
		return "", false
	}
	if d.Null && t.Kind != types.Unknown {
		return "NULL::" + t.CastName(), true
	}
	return types.Literal(t, d), true
}

// pushable excludes the types whose values only mean something inside
// Junction (OIDs of its own catalog), and arrays and records, whose
// operators Junction evaluates itself.
func pushable(t types.Type) bool {
	switch t.Kind {
	case types.RegClass, types.RegType, types.RegProc, types.Record:
		return false
	}
	return !t.IsArray()
}

func allPushable(ts []types.Type) bool {
	for _, t := range ts {
		if !pushable(t) {
			return false
		}
	}
	return true
}

func hasKind(ts []types.Type, k types.Kind) bool {
	for _, t := range ts {
		if t.Kind == k {
			return true
		}
	}
	return false
}

// collatable reports whether values of t carry a collation.
func collatable(t types.Type) bool {
	switch t.Kind {
	case types.Text, types.Varchar, types.Bpchar, types.Name, types.Unknown:
		return true
	}
	return false
}

// byCodePoint makes an expression of a collatable type order by code
// point. A text value is cast to text first: a column of a type Junction
// reads as text (xid, bit, ...) has no collation at the source.
func byCodePoint(expr string, t types.Type) string {
	switch {
	case t.Kind == types.Text:
		return "(" + expr + `)::text COLLATE "C"`
	case collatable(t):
		return "(" + expr + `) COLLATE "C"`
	}
	return expr
}

// Op renders an operator.
func (d *Dialect) Op(op string, args []string, argTypes []types.Type, result types.Type) (string, bool) {
	if !allPushable(argTypes) || !pushable(result) {
		return "", false
	}
	switch op {
	case plan.OpNeg:
		return "(- " + args[0] + ")", len(args) == 1
	case plan.OpNot:
		return "(NOT " + args[0] + ")", len(args) == 1
	case plan.OpAnd, plan.OpOr:
		return "(" + strings.Join(args, " "+op+" ") + ")", len(args) >= 2
	}
	if len(args) != 2 {
		return "", false
	}
	switch op {
	case plan.OpAdd, plan.OpSub, plan.OpMul, plan.OpDiv, plan.OpMod, plan.OpConcat, plan.OpEq, plan.OpNe, plan.OpDistinct, plan.OpNotDist:
	case plan.OpLt, plan.OpLe, plan.OpGt, plan.OpGe:
		if argTypes[0].Kind == types.JSONB {
			return "", false // see OrderKey
		}
		return "(" + args[0] + " " + op + " " + byCodePoint(args[1], argTypes[1]) + ")", true
	case plan.OpRegex, plan.OpNRegex, plan.OpRegexI, plan.OpNRegexI:
		if d.asciiCtype {
			return "", false
		}
	default:
		return "", false
	}
	return "(" + args[0] + " " + op + " " + args[1] + ")", true
}

// plainFuncs are the immutable functions that are pushed as they are
// called. Functions that depend on LC_CTYPE are in ctypeFuncs.
var plainFuncs = map[string]bool{
	"abs": true, "ceil": true, "ceiling": true, "floor": true, "round": true, "trunc": true,
	"sign": true, "mod": true, "div": true, "power": true, "pow": true, "sqrt": true, "cbrt": true,
	"exp": true, "ln": true, "log": true, "log10": true, "gcd": true, "lcm": true,
	"factorial": true, "width_bucket": true, "numeric_inc": true, "sinh": true, "cosh": true, "tanh": true,
	"asinh": true, "acosh": true, "atanh": true, "sind": true, "cosd": true, "tand": true,
	"cotd": true, "asind": true, "acosd": true, "atand": true, "atan2d": true,
	"float4send": true, "float8send": true,
	// The ^ operator, by the functions behind it.
	"numeric_power": true, "dpow": true,
	"length": true, "char_length": true, "character_length": true, "octet_length": true, "bit_length": true,
	"substr": true, "substring": true, "left": true, "right": true, "lpad": true, "rpad": true,
	"btrim": true, "ltrim": true, "rtrim": true, "replace": true, "strpos": true, "split_part": true,
	"repeat": true, "reverse": true, "translate": true, "concat": true, "concat_ws": true,
	"md5": true, "starts_with": true, "ascii": true, "chr": true, "to_hex": true, "like_escape": true,
	"sha224": true, "sha256": true, "sha384": true, "sha512": true, "encode": true, "decode": true,
	"get_bit": true, "set_bit": true, "get_byte": true, "set_byte": true, "bit_count": true, "unistr": true,
	"booleq": true, "boolne": true, "boollt": true, "boolgt": true, "boolle": true, "boolge": true,
	"coalesce": true, "nullif": true, "greatest": true, "least": true,
	"date_trunc": true, "date_part": true, "make_date": true, "make_time": true,
	"make_timestamp": true, "make_interval": true, "justify_days": true, "justify_hours": true,
	"justify_interval": true, "isfinite": true, "make_timestamptz": true, "date_bin": true,
	// The integer bitwise operators, by the functions behind them.
	"int2and": true, "int4and": true, "int8and": true, "int2or": true, "int4or": true, "int8or": true,
	"int2xor": true, "int4xor": true, "int8xor": true, "int2not": true, "int4not": true, "int8not": true,
	"int2shl": true, "int4shl": true, "int8shl": true, "int2shr": true, "int4shr": true, "int8shr": true,
}

var ctypeFuncs = map[string]bool{"lower": true, "upper": true, "initcap": true}

// formattingFuncs depend on LC_NUMERIC, LC_MONETARY and LC_TIME.
var formattingFuncs = map[string]bool{"to_char": true, "to_number": true, "to_date": true, "to_timestamp": true}

// regexpSince is the server version each regexp function appeared in;
// PostgreSQL runs them with its own regular expression engine, the
// reference of their semantics. Their character classes and the i flag
// depend on LC_CTYPE.
var regexpSince = map[string]int{
	"regexp_replace": 0, "regexp_split_to_array": 0, "regexp_match": 100000,
	"regexp_like": 150000, "regexp_count": 150000, "regexp_instr": 150000, "regexp_substr": 150000,
}

func isRegexpFunc(name string) bool {
	_, ok := regexpSince[name]
	return ok
}

// regexpPushable reports whether the server has regexp function name
// with these arguments.
func (d *Dialect) regexpPushable(name string, argTypes []types.Type) bool {
	since := regexpSince[name]
	if d.asciiCtype {
		return false
	}
	if name == "regexp_replace" && len(argTypes) >= 4 && argTypes[3].Kind != types.Text {
		since = 150000 // the start and N arguments
	}
	return d.version >= since
}

// jsonFuncs are the immutable json and jsonb functions Junction binds
// the JSON operators to (-> is json_object_field, @> jsonb_contains, ...)
// and the ones that only look at a value. to_json, the json_build_*
// constructors and jsonb_set are not here: how they print a timestamptz
// or a float depends on session settings.
var jsonFuncs = map[string]bool{
	"json_object_field": true, "jsonb_object_field": true, "json_object_field_text": true, "jsonb_object_field_text": true,
	"json_array_element": true, "jsonb_array_element": true, "json_array_element_text": true, "jsonb_array_element_text": true,
	"jsonb_contains": true, "jsonb_contained": true, "jsonb_exists": true, "jsonb_concat": true,
	"json_typeof": true, "jsonb_typeof": true, "json_array_length": true, "jsonb_array_length": true,
	"json_strip_nulls": true, "jsonb_strip_nulls": true, "jsonb_pretty": true,
}

// extractField matches the rendered field argument of extract: a quoted
// lower-case word, possibly with a cast to text.
var extractField = regexp.MustCompile(`^'([a-z]+)'(::text)?$`)

// Func renders a function call.
func (d *Dialect) Func(name string, args []string, argTypes []types.Type, result types.Type) (string, bool) {
	if !allPushable(argTypes) || !pushable(result) {
		return "", false
	}
	switch {
	case name == "extract" && len(args) == 2:
		// EXTRACT(field FROM x) works on every version; the extract
		// function appeared in 14.
		m := extractField.FindStringSubmatch(args[0])
		if m == nil {
			return "", false
		}
		return "EXTRACT(" + m[1] + " FROM " + args[1] + ")", true
	case name == "position" && len(args) == 2:
		// position(substring IN string) is the function position(string,
		// substring), which is strpos.
		return "strpos(" + args[0] + ", " + args[1] + ")", true
	case name == "date_bin" && d.noDateBin:
		return "", false
	case name == "date_trunc" && len(args) == 3 && d.longFloats:
		// The time zone argument came with PostgreSQL 12.
		return "", false
	case name == "age":
		// One-argument age counts from today's date.
		if len(args) != 2 {
			return "", false
		}
	case (name == "greatest" || name == "least") && len(argTypes) > 0 && collatable(argTypes[0]):
		return "", false
	case (name == "concat" || name == "concat_ws") && d.longFloats && (hasKind(argTypes, types.Float4) || hasKind(argTypes, types.Float8)):
		return "", false
	case ctypeFuncs[name]:
		if d.asciiCtype {
			return "", false
		}
	case formattingFuncs[name]:
		// to_timestamp(double precision) reads no locale.
		if !d.cFormattingLocale && !(name == "to_timestamp" && len(args) == 1) {
			return "", false
		}
	case isRegexpFunc(name):
		if !d.regexpPushable(name, argTypes) {
			return "", false
		}
	case jsonFuncs[name]:
	case !plainFuncs[name]:
		return "", false
	}
	return name + "(" + strings.Join(args, ", ") + ")", true
}

// Cast renders a cast with PostgreSQL's own syntax.
func (d *Dialect) Cast(arg string, from, to types.Type) (string, bool) {
	if !pushable(from) || !pushable(to) || to.Kind == types.Unknown {
		return "", false
	}
	// Before 12, float output obeys extra_float_digits literally and is
	// not the shortest exact form Junction prints.
	if d.longFloats && (from.Kind == types.Float4 || from.Kind == types.Float8) && to.IsString() {
		return "", false
	}
	return "(" + arg + ")::" + to.CastName(), true
}

// Like renders [NOT] LIKE / ILIKE; backslash is PostgreSQL's default escape.
func (d *Dialect) Like(arg, pattern string, argType types.Type, caseInsensitive, negated bool) (string, bool) {
	if caseInsensitive && d.asciiCtype {
		return "", false
	}
	op := "LIKE"
	if caseInsensitive {
		op = "ILIKE"
	}
	if negated {
		op = "NOT " + op
	}
	return "(" + arg + " " + op + " " + pattern + ")", pushable(argType)
}

// In renders [NOT] IN.
func (*Dialect) In(arg string, list []string, t types.Type, negated bool) (string, bool) {
	op := " IN ("
	if negated {
		op = " NOT IN ("
	}
	return "(" + arg + op + strings.Join(list, ", ") + "))", pushable(t) && len(list) > 0
}

// InSubquery renders [NOT] IN (subquery).
func (*Dialect) InSubquery(arg, sub string, t types.Type, negated bool) (string, bool) {
	op := " IN ("
	if negated {
		op = " NOT IN ("
	}
	return "(" + arg + op + sub + "))", pushable(t)
}

// CorrelatedDerivedTables is true: a subquery in FROM may read the
// columns of any enclosing query.
func (*Dialect) CorrelatedDerivedTables() bool { return true }

// Correlates is true for the types pushed at all.
func (*Dialect) Correlates(t types.Type) bool { return pushable(t) }

// AnyParam renders arg = ANY($n). The parameter has no declared type, so
// the server reads it as an array of the column's own type, which may be
// one Junction sees as text (an enum, say).
func (*Dialect) AnyParam(arg string, n int, t types.Type) (string, bool) {
	return "(" + arg + " = ANY($" + strconv.Itoa(n) + "))", pushable(t)
}

// Param renders client parameter $n, cast to its type so that the server
// reads the text value as Junction typed it. The cast drops length and
// precision, which would round or cut the value where PostgreSQL's own
// parameter keeps it whole (bpchar, unlike character, keeps every
// character).
func (*Dialect) Param(n int, t types.Type) (string, bool) {
	if !pushable(t) || t.Kind == types.Unknown {
		return "", false
	}
	name := t.BaseName()
	if t.Kind == types.Bpchar {
		name = "bpchar"
	}
	return "$" + strconv.Itoa(n) + "::" + name, true
}

// OrderKey renders an ORDER BY item with explicit NULL placement. jsonb
// orders the strings inside it by the database's collation, which no
// COLLATE clause changes, so it is sorted in Junction.
func (*Dialect) OrderKey(expr string, t types.Type, desc, nullsFirst bool) (string, bool) {
	if !pushable(t) || t.Kind == types.JSON || t.Kind == types.JSONB {
		return "", false
	}
	key := byCodePoint(expr, t)
	if desc {
		key += " DESC"
	}
	if nullsFirst {
		return key + " NULLS FIRST", true
	}
	return key + " NULLS LAST", true
}

// Groupable reports whether GROUP BY forms PostgreSQL's groups; json has
// no equality operator.
func (*Dialect) Groupable(t types.Type) bool { return pushable(t) && t.Kind != types.JSON }

var aggregates = map[string]bool{"count": true, "sum": true, "avg": true, "min": true, "max": true, "bool_and": true, "bool_or": true,
	"var_pop": true, "var_samp": true, "variance": true, "stddev_pop": true, "stddev_samp": true, "stddev": true,
	"bit_and": true, "bit_or": true, "bit_xor": true}

// Aggregate renders an aggregate call.
func (d *Dialect) Aggregate(fn string, arg string, argType types.Type, distinct bool, result types.Type) (string, bool) {
	if !aggregates[fn] {
		return "", false
	}
	if arg == "" {
		return "count(*)", fn == "count" && !distinct
	}
	if !pushable(argType) || (distinct && !d.Groupable(argType)) {
		return "", false
	}
	if fn == "min" || fn == "max" {
		arg = byCodePoint(arg, argType)
	}
	if distinct {
		arg = "DISTINCT " + arg
	}
	return fn + "(" + arg + ")", true
}

// Limit renders LIMIT and OFFSET.
func (*Dialect) Limit(count, offset int64) string {
	var parts []string
	if count >= 0 {
		parts = append(parts, "LIMIT "+strconv.FormatInt(count, 10))
	}
	if offset > 0 {
		parts = append(parts, "OFFSET "+strconv.FormatInt(offset, 10))
	}
	return strings.Join(parts, " ")
}

// SupportsFullJoin is true: PostgreSQL runs FULL OUTER JOIN.
func (*Dialect) SupportsFullJoin() bool { return true }

// GroupingSets is true: the source is PostgreSQL itself.
func (*Dialect) GroupingSets() bool { return true }

// RecursiveQueries, LateralJoins, DistinctOn and FetchWithTies are true:
// they are PostgreSQL's own forms.
func (*Dialect) RecursiveQueries() bool { return true }
func (*Dialect) LateralJoins() bool     { return true }
func (*Dialect) DistinctOn() bool       { return true }
func (*Dialect) FetchWithTies() bool    { return true }

// DistinctKey spells a DISTINCT ON expression as OrderKey does, ordered by
// code point; equality under that collation is equality of the bytes.
func (*Dialect) DistinctKey(expr string, t types.Type) string { return byCodePoint(expr, t) }
