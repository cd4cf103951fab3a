package sqlgen

import (
	"strings"

	"github.com/junction-db/junction/types"
)

// PlainText reports the text types whose values compare as PostgreSQL's
// text under the C collation, bytewise: text, varchar, name and unknown
// literals (not character(n), whose trailing spaces do not count).
func PlainText(t types.Type) bool {
	switch t.Kind {
	case types.Text, types.Varchar, types.Name, types.Unknown:
		return true
	}
	return false
}

// Forms of SQL that most dialects spell alike; a dialect decides whether
// to push the construct and then renders it with these.

// InList renders arg [NOT] IN (list).
func InList(arg string, list []string, negated bool) string {
	not := ""
	if negated {
		not = "NOT "
	}
	return "(" + arg + " " + not + "IN (" + strings.Join(list, ", ") + "))"
}

// NullsOrder renders an ORDER BY item with explicit NULL placement.
func NullsOrder(key string, desc, nullsFirst bool) string {
	if desc {
		key += " DESC"
	}
	if nullsFirst {
		return key + " NULLS FIRST"
	}
	return key + " NULLS LAST"
}

// AggregateCall renders fn over arg, count(*) when arg is empty, with
// DISTINCT when asked.
func AggregateCall(fn, arg string, distinct bool) string {
	if arg == "" {
		return "count(*)"
	}
	if distinct {
		arg = "DISTINCT " + arg
	}
	return fn + "(" + arg + ")"
}
