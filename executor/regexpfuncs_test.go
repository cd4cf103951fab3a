package executor

import (
	"testing"

	"github.com/junction-db/junction/plan"
)

// The answers are PostgreSQL 15's.
func TestRegexpFunctions(t *testing.T) {
	txt := func(s string) plan.Expr { return lit("text", s) }
	i4 := func(s string) plan.Expr { return lit("int4", s) }
	runExprCases(t, []exprCase{
		{"count keeps an empty match after a match", call("regexp_count", txt("ab"), txt("b*")), "3", ""},
		{"replace every match, empty ones too", call("regexp_replace", txt("ab"), txt("b*"), txt("X"), txt("g")), "XaXX", ""},
		{"replace from a start sees the text before it", call("regexp_replace", txt("abcabc"), txt("^a"), txt("X"), i4("3"), i4("0")), "abcabc", ""},
		{"replace the second match", call("regexp_replace", txt("A PostgreSQL function"), txt("a|e|i|o|u"), txt("X"), i4("1"), i4("2"), txt("i")), "A PXstgreSQL function", ""},
		{"replace N with the g flag", call("regexp_replace", txt("A PostgreSQL function"), txt("a|e|i|o|u"), txt("X"), i4("1"), i4("1"), txt("g")), "A PXstgreSQL function", ""},
		{"count from a start sees the word before it", call("regexp_count", txt("abcabc"), txt(`\mb`), i4("2")), "0", ""},
		{"count with a bad start", call("regexp_count", txt("abc"), txt("b"), i4("0")), "", "22023"},
		{"instr from a start", call("regexp_instr", txt("abcabc"), txt("b"), i4("3")), "5", ""},
		{"instr of a group's end", call("regexp_instr", txt("1234567890"), txt("(123)(4(56)(78))"), i4("1"), i4("1"), i4("1"), txt("i"), i4("3")), "7", ""},
		{"instr without the match", call("regexp_instr", txt("abc"), txt("x")), "0", ""},
		{"instr with a bad endoption", call("regexp_instr", txt("abc"), txt("b"), i4("1"), i4("1"), i4("2")), "", "22023"},
		{"substr of the second word", call("regexp_substr", txt("foo bar"), txt(`\m\w+`), i4("2")), "bar", ""},
		{"substr of a group not taking part", call("regexp_substr", txt("foo"), txt("foo(bar)?"), i4("1"), i4("1"), txt(""), i4("1")), "NULL", ""},
		{"split keeps an empty piece between matches", call("regexp_split_to_array", txt("a,b,,c"), txt(",")), `{a,b,"",c}`, ""},
		{"split on the empty pattern", call("regexp_split_to_array", txt("abc"), txt("")), "{a,b,c}", ""},
		{"newline-sensitive anchors", call("regexp_count", txt("a\nb"), txt("^."), i4("1"), txt("n")), "2", ""},
		{"newline-sensitive negated bracket", call("regexp_like", txt("a\nb"), txt("a[^x]b"), txt("n")), "f", ""},
		{"expanded syntax", call("regexp_like", txt("abc"), txt(" a b # c\nc"), txt("x")), "t", ""},
		{"literal pattern", call("regexp_replace", txt("a.b.c"), txt("."), txt("-"), txt("gq")), "a-b-c", ""},
		{"non-greedy pattern", call("regexp_match", txt("xabcabc"), txt("(a.*?)c")), "{ab}", ""},
		{"alternation takes the longest", call("regexp_match", txt("ab"), txt("a|ab")), "{ab}", ""},
		{"groups beside alternatives are refused", call("regexp_match", txt("abc"), txt("(a|ab)(c|bc)")), "", "0A000"},
		{"a non-greedy start beside greedy quantifiers is refused", call("regexp_match", txt("aaa"), txt("(a*?)(a*)")), "", "0A000"},
		{"a replacement without groups needs none", call("regexp_replace", txt("abcd"), txt("(a|ab)(c|bcd)"), txt("-")), "-", ""},
		{"lookahead is refused", call("regexp_match", txt("xAx"), txt("(?=A)A")), "", "0A000"},
		{"unknown option", call("regexp_like", txt("a"), txt("a"), txt("z")), "", "22023"},
		{"global option refused", call("regexp_like", txt("a"), txt("a"), txt("g")), "", "22023"},
	})
}
