package executor

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

var (
	textArray  = types.Type{Kind: types.TextArray}
	int2Array  = types.Type{Kind: types.Int2Array}
	oidArray   = types.Type{Kind: types.OIDArray}
	int2Vector = types.Type{Kind: types.Int2Vector}
)

func arrayLit(t types.Type, text string) *plan.Const { return litT(t, text) }

func TestArrayFunctions(t *testing.T) {
	i4 := func(v string) plan.Expr { return lit("int4", v) }
	arr := func(text string) plan.Expr { return arrayLit(textArray, text) }
	cases := []struct {
		e    plan.Expr
		want string
	}{
		{call("array_upper", arr(`{a,b,c}`), i4("1")), "3"},
		{call("array_upper", arr(`{a,b,c}`), i4("2")), "NULL"},
		{call("array_upper", arr(`{}`), i4("1")), "NULL"},
		{call("array_upper", arr(`[0:2]={a,b,c}`), i4("1")), "2"},
		{call("array_upper", arrayLit(int2Vector, "1 2 3"), i4("1")), "2"},
		{call("array_lower", arr(`[-2:0]={a,b,c}`), i4("1")), "-2"},
		{call("array_length", arrayLit(int2Array, `{{1,2,3},{4,5,6}}`), i4("2")), "3"},
		{call("array_ndims", arrayLit(int2Array, `{{1},{2}}`)), "2"},
		{call("array_ndims", arr(`{}`)), "NULL"},
		{call("array_dims", arr(`[0:1]={a,b}`)), "[0:1]"},
		{call("cardinality", arrayLit(int2Array, `{{1,2},{3,4}}`)), "4"},
		{call("cardinality", arr(`{}`)), "0"},
		{call("array_cat", arr(`{a,b}`), arr(`{c}`)), "{a,b,c}"},
		{call("array_cat", arr(`[0:1]={a,b}`), arr(`{c}`)), "[0:2]={a,b,c}"},
		{call("array_cat", arr(`{}`), arr(`[3:4]={a,b}`)), "[3:4]={a,b}"},
		{call("array_cat", arr(`{{a,b}}`), arr(`{c,d}`)), "{{a,b},{c,d}}"},
		{call("array_cat", arr(`{c,d}`), arr(`{{a,b}}`)), "{{c,d},{a,b}}"},
		{call("array_cat", arrayLit(textArray, "NULL"), arr(`{a}`)), "{a}"},
		{call("array_cat", arr(`{a}`), arrayLit(textArray, "NULL")), "{a}"},
		{call("array_append", arr(`{a}`), lit("text", "NULL")), "{a,NULL}"},
		{call("array_append", arrayLit(textArray, "NULL"), lit("text", "x")), "{x}"},
		{call("array_prepend", lit("text", "z"), arr(`[0:1]={a,b}`)), "[0:2]={z,a,b}"},
		{call("array_subscript", arr(`{a,b,c}`), i4("2")), "b"},
		{call("array_subscript", arr(`{a,b,c}`), i4("4")), "NULL"},
		{call("array_subscript", arrayLit(int2Vector, "7 8 9"), i4("0")), "7"},
		{call("array_subscript", arrayLit(int2Array, `{{1,2},{3,4}}`), i4("2"), i4("1")), "3"},
		{call("array_subscript", arrayLit(int2Array, `{{1,2},{3,4}}`), i4("1")), "NULL"},
		{call("array", lit("text", "a"), lit("text", "NULL"), lit("text", "b c")), `{a,NULL,"b c"}`},
		{call("array", lit("int2", "1"), lit("int2", "2")), "{1,2}"},
		{call("array", arr(`{a,b}`), arr(`{c,d}`)), "{{a,b},{c,d}}"},
	}
	for _, c := range cases {
		got, err := evalText(t, c.e)
		if err != nil {
			t.Errorf("%s: %v", c.e, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %s, want %s", c.e, got, c.want)
		}
	}
	if _, err := evalText(t, call("array_cat", arr(`{a}`), arr(`{{{b}}}`))); err == nil {
		t.Errorf("array_cat of 1 and 3 dimensions succeeded")
	} else {
		wantCode(t, "array_cat of 1 and 3 dimensions", err, "2202E")
	}
	_, err := evalText(t, call("array", arr(`{a}`), arr(`{b,c}`)))
	wantCode(t, "ARRAY of sub-arrays of different lengths", err, "2202E")
	_, err = evalText(t, call("array_append", arr(`{{a}}`), lit("text", "b")))
	wantCode(t, "array_append to two dimensions", err, "22000")
}

func TestArrayCasts(t *testing.T) {
	cases := []struct {
		from types.Type
		in   string
		to   types.Type
		want string
	}{
		// int2vector counts from 0, and smallint[] keeps that bound.
		{int2Vector, "1 2 3", int2Array, "[0:2]={1,2,3}"},
		{int2Array, "{4,5}", int2Vector, "4 5"},
		{textArray, "{1,2}", oidArray, "{1,2}"},
		{oidArray, "{1,2}", textArray, "{1,2}"},
		{types.TText, "{ a , b }", textArray, "{a,b}"},
		// Elements go through their type's cast, not their text form.
		{types.Type{Kind: types.BoolArray}, "{t,NULL,f}", textArray, "{true,NULL,false}"},
		{types.Type{Kind: types.NumericArray}, "{1.5,2.25}", types.Type{Kind: types.Int4Array}, "{2,2}"},
	}
	for _, c := range cases {
		got, err := evalText(t, &plan.Cast{Arg: arrayLit(c.from, c.in), T: c.to})
		if err != nil {
			t.Errorf("%q::%s: %v", c.in, c.to, err)
			continue
		}
		if got != c.want {
			t.Errorf("%q::%s = %s, want %s", c.in, c.to, got, c.want)
		}
	}
	_, err := evalText(t, &plan.Cast{Arg: arrayLit(textArray, "{1,x}"), T: oidArray})
	wantCode(t, "text[] with a non-number to oid[]", err, pgerr.InvalidTextRep)
	_, err = evalText(t, &plan.Cast{Arg: arrayLit(int2Array, "{1,NULL}"), T: int2Vector})
	wantCode(t, "smallint[] with a NULL to int2vector", err, "22004")
}
