package executor

import (
	"testing"

	"github.com/junction-db/junction/plan"
)

// The answers are PostgreSQL 15's.
func TestSimilarAndSubstringPatterns(t *testing.T) {
	txt := func(s string) plan.Expr { return lit("text", s) }
	similar := func(s, p string) plan.Expr {
		return boolOp("~", txt(s), call("similar_to_escape", txt(p)))
	}
	runExprCases(t, []exprCase{
		{"similar_to_escape", call("similar_to_escape", txt(`a%_(b|c)[%]\\.`)), `^(?:a.*.(?:b|c)[%]\\\.)$`, ""},
		{"similar_to_escape with separators", call("similar_to_escape", txt(`a#"b#"c`), txt("#")), `^(?:a){1,1}?(b){1,1}(?:c)$`, ""},
		{"similar_to_escape with a long escape", call("similar_to_escape", txt("a"), txt("xy")), "", "22025"},
		{"similar_escape with a NULL escape", call("similar_escape", txt(`a\\%`), txt("NULL")), `^(?:a\\.*)$`, ""},
		{"SIMILAR TO matches the whole string", similar("abcdefg", "bcd%"), "f", ""},
		{"SIMILAR TO with alternatives", similar("ab", "a|ab"), "t", ""},
		{"substring similar, shortest first part", call("substring", txt("abcdefg"), txt(`a*#"%#"g*`), txt("#")), "abcdefg", ""},
		{"substring similar, longest middle part", call("substring", txt("aXbXc"), txt(`%#"X%#"`), txt("#")), "XbXc", ""},
		{"substring similar without a match", call("substring", txt("abc"), txt(`x#"%#"`), txt("#")), "NULL", ""},
		{"substring similar, three separators", call("substring", txt("abc"), txt(`#"a#"b#"c`), txt("#")), "", "2200C"},
		{"substring from a regex", call("substring", txt("foo"), txt("o+")), "oo", ""},
		{"substring from a regex's group not taking part", call("substring", txt("foo"), txt("o(x)?")), "NULL", ""},
	})
}
