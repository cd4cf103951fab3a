package functions

import (
	"testing"

	"github.com/junction-db/junction/types"
)

func TestArrayMembership(t *testing.T) {
	i4 := types.TInt4
	arr := types.Type{Kind: types.Int8Array}
	cases := []struct {
		op   string
		all  bool
		x    types.Datum
		arr  string
		want string
	}{
		{"=", false, types.IntDatum(2), `{1,2}`, "t"},
		{"=", false, types.IntDatum(3), `{1,2}`, "f"},
		{"=", false, types.IntDatum(3), `{1,NULL}`, "NULL"},
		{"=", false, types.IntDatum(1), `{1,NULL}`, "t"},
		{"<", true, types.IntDatum(0), `{1,2}`, "t"},
		{"<", true, types.IntDatum(1), `{1,2}`, "f"},
		{"<>", true, types.IntDatum(3), `{1,NULL}`, "NULL"},
		{">", false, types.IntDatum(2), `{{1},{5}}`, "t"},
		{"=", false, types.IntDatum(1), `{}`, "f"},
		{"=", true, types.IntDatum(1), `{}`, "t"},
		{"=", false, types.NullDatum, `{}`, "f"},
		{"=", false, types.NullDatum, `{1}`, "NULL"},
	}
	for _, c := range cases {
		f, err := ArrayMembership(c.op, c.all, i4, arr)
		if err != nil {
			t.Fatal(err)
		}
		d, err := f([]types.Datum{c.x, types.StrDatum(c.arr)})
		if err != nil {
			t.Errorf("%v %s %v %s: %v", c.x, c.op, c.all, c.arr, err)
			continue
		}
		got := "NULL"
		if !d.Null {
			got = types.FormatText(types.TBool, d)
		}
		if got != c.want {
			t.Errorf("%v %s (all %v) %s = %s, want %s", c.x.Int, c.op, c.all, c.arr, got, c.want)
		}
	}
}
