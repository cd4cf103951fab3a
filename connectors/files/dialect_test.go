package files

import (
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func TestNumericLiteralsHaveTheirOwnDigits(t *testing.T) {
	var d Dialect
	for in, want := range map[string]string{
		"1.5":       "CAST('1.5' AS DECIMAL(2, 1))",
		"-0.07":     "CAST('-0.07' AS DECIMAL(3, 2))",
		"24":        "CAST('24' AS DECIMAL(2, 0))",
		"0":         "CAST('0' AS DECIMAL(1, 0))",
		"123456.25": "CAST('123456.25' AS DECIMAL(8, 2))",
	} {
		v, err := types.ParseText(types.TNumeric, in)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := d.Literal(types.TNumeric, v); !ok || got != want {
			t.Errorf("%s: %q, %v; want %q", in, got, ok, want)
		}
	}
}

// A DECIMAL(15,2) column compares with a numeric literal in DuckDB, in a
// common DECIMAL of both, and with an unconstrained numeric expression
// (held as text when over 38 digits) not at all.
func TestNumericComparisonWithLiteral(t *testing.T) {
	var d Dialect
	money := types.Type{Kind: types.Numeric, Precision: 15, Scale: 2}
	five, err := types.ParseText(types.TNumeric, "0.05")
	if err != nil {
		t.Fatal(err)
	}
	lit, _ := d.Literal(types.TNumeric, five)
	if _, ok := d.Op(plan.OpGe, []string{`t1."l_discount"`, lit}, []types.Type{money, types.TNumeric}, types.TBool); !ok {
		t.Errorf("%s >= %s is not pushed", `l_discount`, lit)
	}
	if _, ok := d.Op(plan.OpGe, []string{`t1."l_discount"`, `t1."x"`}, []types.Type{money, types.TNumeric}, types.TBool); ok {
		t.Error("a comparison with an unconstrained numeric column is pushed")
	}
}

func TestCharComparisons(t *testing.T) {
	var d Dialect
	char10 := types.Type{Kind: types.Bpchar, Length: 10}
	bpchar := types.Type{Kind: types.Bpchar}
	for _, tc := range []struct {
		value   string
		typ     types.Type
		want    string
		renders bool
	}{
		{"AIR", bpchar, "'AIR'", true},
		// Trailing spaces of an unbounded bpchar print; char(n) pads.
		{"AIR  ", bpchar, "", false},
		{"AIR  ", char10, "'AIR'", true},
	} {
		got, ok := d.Literal(tc.typ, types.StrDatum(tc.value))
		if ok != tc.renders || got != tc.want {
			t.Errorf("literal %q of %s: %q, %v", tc.value, tc.typ, got, ok)
		}
	}
	if _, ok := d.Op(plan.OpEq, []string{`t1."l_shipmode"`, "'AIR'"}, []types.Type{char10, bpchar}, types.TBool); !ok {
		t.Error("char(n) = literal is not pushed")
	}
	if _, ok := d.Op(plan.OpEq, []string{`t1."l_shipmode"`, `t1."b"`}, []types.Type{char10, bpchar}, types.TBool); ok {
		t.Error("char(n) = an unbounded bpchar column is pushed: its values may end in spaces")
	}
	if _, ok := d.Op(plan.OpEq, []string{`t1."l_shipmode"`, "'AIR'"}, []types.Type{char10, types.TText}, types.TBool); ok {
		t.Error("char(n) = text is pushed without the cast")
	}
	if got, ok := d.Cast(`t1."l_shipmode"`, char10, types.TText); !ok || got != `t1."l_shipmode"` {
		t.Errorf("char(n)::text: %q, %v", got, ok)
	}
	if !d.Groupable(char10) || d.Groupable(bpchar) {
		t.Error("char(n) groups in DuckDB, unbounded bpchar does not")
	}
}
