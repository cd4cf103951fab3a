package executor

import (
	"testing"

	"github.com/junction-db/junction/plan"
)

// The answers are PostgreSQL 15's.
func TestStringAndByteaFunctions(t *testing.T) {
	txt := func(s string) plan.Expr { return lit("text", s) }
	i4 := func(s string) plan.Expr { return lit("int4", s) }
	i8 := func(s string) plan.Expr { return lit("int8", s) }
	bytea := func(s string) plan.Expr { return lit("bytea", s) }
	runExprCases(t, []exprCase{
		{"sha224 of nothing", call("encode", call("sha224", bytea("")), txt("hex")), "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f", ""},
		{"encode escape", call("encode", bytea(`\x00ff5c41`), txt("escape")), `\000\377\\A`, ""},
		{"decode escape", call("decode", txt(`\\\000a`), txt("escape")), `\x5c0061`, ""},
		{"decode escape, a lone backslash", call("decode", txt(`a\`), txt("escape")), "", "22P02"},
		{"decode hex skips spaces", call("decode", txt("12 3a"), txt("hex")), `\x123a`, ""},
		{"decode hex, odd digits", call("decode", txt("1"), txt("hex")), "", "22023"},
		{"unknown encoding", call("encode", bytea(""), txt("rot13")), "", "22023"},
		{"base64 round trip", call("decode", call("encode", bytea(`\x1234567890`), txt("base64")), txt("base64")), `\x1234567890`, ""},
		{"get_bit", call("get_bit", bytea(`\x1234567890abcdef00`), i8("43")), "1", ""},
		{"set_bit", call("set_bit", bytea(`\x1234`), i8("15"), i4("1")), `\x12b4`, ""},
		{"set_bit to 2", call("set_bit", bytea(`\x1234`), i8("15"), i4("2")), "", "22023"},
		{"get_byte beyond the end", call("get_byte", bytea(`\x12`), i4("1")), "", "2202E"},
		{"set_byte", call("set_byte", bytea(`\x1234`), i4("1"), i4("11")), `\x120b`, ""},
		{"bit_count", call("bit_count", bytea(`\x1234567890`)), "15", ""},
		{"bytea substring from before the start", call("substring", bytea("1234567890"), i4("-10"), i4("13")), `\x3132`, ""},
		{"bytea overlay", call("overlay", bytea("Thomas"), bytea("xy"), i4("3"), i4("1")), `\x546878796d6173`, ""},
		{"overlay", call("overlay", txt("Thomas"), txt("xy"), i4("3"), i4("1")), "Thxymas", ""},
		{"overlay for the replacement's length", call("overlay", txt("abcdef"), txt("45"), i4("4")), "abc45f", ""},
		{"overlay from zero", call("overlay", txt("abc"), txt("x"), i4("0")), "", "22011"},
		{"translate drops what has no counterpart", call("translate", txt("12345"), txt("134"), txt("a")), "a25", ""},
		{"translate, first occurrence wins", call("translate", txt("aabc"), txt("aa"), txt("xy")), "xxbc", ""},
		{"to_hex of a negative int4", call("to_hex", i4("-1")), "ffffffff", ""},
		{"to_hex of a negative int8", call("to_hex", i8("-1")), "ffffffffffffffff", ""},
		{"unistr", call("unistr", txt(`\0064at\+0000610`)), "data0", ""},
		{"unistr, a lone surrogate", call("unistr", txt(`\uD800`)), "", "42601"},
		{"unistr, a bad escape", call("unistr", txt(`\x`)), "", "42601"},
		{"initcap", call("initcap", txt("hi THOMAS o'neil ébc1a")), "Hi Thomas O'Neil Ébc1a", ""},
		{"ascii of nothing", call("ascii", txt("")), "0", ""},
		{"ascii", call("ascii", txt("é")), "233", ""},
		{"bit_length", call("bit_length", txt("é")), "16", ""},
		{"bit_length of bytea", call("bit_length", bytea(`\x0102`)), "16", ""},
		{"normalize composes", call("normalize", txt("e\u0301")), "é", ""},
		{"normalize to NFD", call("length", call("normalize", txt("é"), txt("NFD"))), "2", ""},
		{"normalize to a bad form", call("normalize", txt("é"), txt("NFX")), "", "22023"},
		{"is_normalized", call("is_normalized", txt("é"), txt("NFD")), "f", ""},
		{"quote_literal of a number", call("quote_literal", lit("numeric", "42.5")), "'42.5'", ""},
		{"quote_nullable of NULL", call("quote_nullable", i4("NULL")), "NULL", ""},
		{"quote_nullable of a boolean", call("quote_nullable", lit("bool", "true")), "'true'", ""},
		{"booleq", call("booleq", lit("bool", "false"), lit("bool", "false")), "t", ""},
		{"boolne with NULL", call("boolne", lit("bool", "true"), lit("bool", "NULL")), "NULL", ""},
		{"boollt", call("boollt", lit("bool", "false"), lit("bool", "true")), "t", ""},
		{"boolge", call("boolge", lit("bool", "false"), lit("bool", "true")), "f", ""},
	})
}
