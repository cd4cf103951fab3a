package functions

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

var (
	textArray  = types.Type{Kind: types.TextArray}
	int2Array  = types.Type{Kind: types.Int2Array}
	oidArray   = types.Type{Kind: types.OIDArray}
	int2Vector = types.Type{Kind: types.Int2Vector}
)

func TestArrayTextRoundTrip(t *testing.T) {
	cases := []struct {
		t        types.Type
		in, want string
	}{
		{textArray, `{a,"b c",NULL,"NULL",""}`, `{a,"b c",NULL,"NULL",""}`},
		{textArray, ` { a , b\,c ,  "q\"x" } `, `{a,"b,c","q\"x"}`},
		{textArray, `{}`, `{}`},
		{textArray, `{{a,b},{c,d}}`, `{{a,b},{c,d}}`},
		{textArray, `[0:1]={a,b}`, `[0:1]={a,b}`},
		{textArray, `[1:2]={a,b}`, `{a,b}`},
		{int2Array, `{ 1, 02 ,-3}`, `{1,2,-3}`},
		{oidArray, `{16384,0}`, `{16384,0}`},
		{int2Vector, `1 2  3`, `1 2 3`},
		{int2Vector, ``, ``},
	}
	for _, c := range cases {
		a, err := parseArray(c.t, c.in)
		if err != nil {
			t.Errorf("parse %s %q: %v", c.t, c.in, err)
			continue
		}
		if got := a.format(c.t); got != c.want {
			t.Errorf("%s %q prints as %q, want %q", c.t, c.in, got, c.want)
		}
	}
}

func TestMalformedArrays(t *testing.T) {
	cases := []struct {
		t    types.Type
		in   string
		code string
	}{
		{textArray, `a,b`, pgerr.InvalidTextRep},
		{textArray, `{a,b`, pgerr.InvalidTextRep},
		{textArray, `{a,,b}`, pgerr.InvalidTextRep},
		{textArray, `{a} x`, pgerr.InvalidTextRep},
		{textArray, `{{a},b}`, pgerr.InvalidTextRep},
		{textArray, `{{a,b},{c}}`, pgerr.InvalidTextRep},
		{textArray, `[1:3]={a,b}`, pgerr.InvalidTextRep},
		{int2Array, `{1,x}`, pgerr.InvalidTextRep},
		{int2Array, `{70000}`, pgerr.NumericOutOfRange},
	}
	for _, c := range cases {
		_, err := parseArray(c.t, c.in)
		if got := pgerr.Code(err); got != c.code {
			t.Errorf("%s %q: error %v, want SQLSTATE %s", c.t, c.in, err, c.code)
		}
	}
}
