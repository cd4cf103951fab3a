package types

import (
	"math"
	"strconv"
	"strings"
)

// Literal renders d as a PostgreSQL SQL literal that reads back as the same
// value of type t, as EXPLAIN and PostgreSQL's own deparser write them:
// NULL, 42, 1.50, 'it”s', true, DATE '2024-01-01', '5'::smallint.
func Literal(t Type, d Datum) string {
	if d.Null {
		return "NULL"
	}
	switch t.Kind {
	case Bool:
		if d.Bool {
			return "true"
		}
		return "false"
	case Int4:
		return strconv.FormatInt(d.Int, 10)
	case Int8:
		// A bare number inside int4's range would read back as integer.
		if d.Int > math.MaxInt32 || d.Int < math.MinInt32 {
			return strconv.FormatInt(d.Int, 10)
		}
	case Numeric:
		// A number with a decimal point reads back as numeric; an integral
		// one would read back as integer or bigint.
		if s := numericString(d.Dec); strings.IndexByte(s, '.') >= 0 {
			return s
		}
	case Text, Unknown:
		return QuoteLiteral(d.Str)
	case Date:
		return "DATE " + QuoteLiteral(FormatText(t, d))
	case Timestamp:
		return "TIMESTAMP " + QuoteLiteral(FormatText(t, d))
	case Interval:
		return "INTERVAL " + QuoteLiteral(FormatText(t, d))
	}
	return QuoteLiteral(FormatText(t, d)) + "::" + t.CastName()
}

// CastName is the type as written after :: so that it reads back as t:
// character without a length would be character(1), so it is bpchar.
func (t Type) CastName() string {
	if t.Kind == Bpchar && t.Length <= 0 {
		return "bpchar"
	}
	return t.String()
}

// QuoteLiteral quotes s as a standard SQL string constant ('it”s'); with
// standard_conforming_strings backslashes need no escaping.
func QuoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
