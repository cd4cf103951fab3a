package sqlgen

import (
	"strconv"

	"github.com/junction-db/junction/types"
)

// Dialect is what the renderer needs to know of a source's SQL. Every method
// that returns a bool answers false when the source would not compute the
// construct exactly as PostgreSQL does for these types; the planner then
// keeps that part of the query in Junction's executor. Rendered arguments
// passed in are already complete SQL expressions (parenthesised where
// needed).
type Dialect interface {
	// Name is the source type, for EXPLAIN.
	Name() string
	// QuoteIdent quotes an identifier.
	QuoteIdent(name string) string
	// Literal renders a constant of type t.
	Literal(t types.Type, d types.Datum) (string, bool)
	// Op renders a plan.Op operator (see the Op* constants in package plan).
	Op(op string, args []string, argTypes []types.Type, result types.Type) (string, bool)
	// Func renders a scalar function call (plan.Func names).
	Func(name string, args []string, argTypes []types.Type, result types.Type) (string, bool)
	// Cast renders a conversion of arg from one type to another.
	Cast(arg string, from, to types.Type) (string, bool)
	// Like renders [NOT] LIKE / ILIKE with backslash as the escape character.
	Like(arg, pattern string, argType types.Type, caseInsensitive, negated bool) (string, bool)
	// In renders arg [NOT] IN (list) for values of type t.
	In(arg string, list []string, t types.Type, negated bool) (string, bool)
	// OrderKey renders one ORDER BY item with PostgreSQL's NULL placement.
	OrderKey(expr string, t types.Type, desc, nullsFirst bool) (string, bool)
	// Groupable reports whether GROUP BY / DISTINCT on values of type t
	// forms exactly PostgreSQL's groups.
	Groupable(t types.Type) bool
	// Aggregate renders an aggregate call; arg is "" for count(*).
	Aggregate(fn string, arg string, argType types.Type, distinct bool, result types.Type) (string, bool)
	// Limit renders the LIMIT/OFFSET clause (count < 0: no limit).
	Limit(count, offset int64) string
	// SupportsFullJoin reports whether FULL OUTER JOIN can be pushed.
	SupportsFullJoin() bool
}

// A CaseChecker is a Dialect that pushes only some CASE expressions:
// those whose results, of the branch types given, come back as
// PostgreSQL's. A Dialect without the method pushes every CASE.
type CaseChecker interface {
	CaseRenderable(result types.Type, branches []types.Type) bool
}

// LimitOffset renders LIMIT and OFFSET for dialects that need a LIMIT
// before any OFFSET; noLimit is their spelling of "all rows".
func LimitOffset(count, offset int64, noLimit string) string {
	switch {
	case count < 0 && offset <= 0:
		return ""
	case count < 0:
		return "LIMIT " + noLimit + " OFFSET " + strconv.FormatInt(offset, 10)
	case offset > 0:
		return "LIMIT " + strconv.FormatInt(count, 10) + " OFFSET " + strconv.FormatInt(offset, 10)
	}
	return "LIMIT " + strconv.FormatInt(count, 10)
}

// JoinLimiter is implemented by dialects whose source refuses joins of
// more than MaxJoinTables tables in one statement (MySQL and MariaDB: 61).
// Larger joins are split across remote queries and joined in Junction.
type JoinLimiter interface {
	MaxJoinTables() int
}

// GroupingSetser is implemented by dialects whose GROUPING SETS and
// GROUPING() mean what PostgreSQL's do.
type GroupingSetser interface {
	GroupingSets() bool
}

// GroupKeyer is implemented by dialects that can group values of a type
// exactly through another expression than the value itself, where GROUP
// BY on the value would not (MySQL groups 'paid' and 'Paid ' together
// under its default collations, but not their bytes). The select list
// still reads the value: every row of such a group holds the same value.
type GroupKeyer interface {
	GroupKey(expr string, t types.Type) (string, bool)
}

// groupKey renders what groups values of type t exactly as PostgreSQL
// does, if the dialect has it.
func groupKey(d Dialect, expr string, t types.Type) (string, bool) {
	if d.Groupable(t) {
		return expr, true
	}
	if gk, ok := d.(GroupKeyer); ok {
		return gk.GroupKey(expr, t)
	}
	return "", false
}
