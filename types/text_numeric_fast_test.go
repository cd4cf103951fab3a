package types

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

// The allocation-free numeric paths must agree with shopspring's general
// arithmetic on every value they accept.
func TestNumericFastPathsAgreeWithGeneralArithmetic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		digits := r.IntN(maxInt64Digits) + 1
		c := r.Int64N(pow10[digits])
		if r.IntN(2) == 0 {
			c = -c
		}
		exp := int32(r.IntN(12) - 8)
		d := decimal.New(c, exp)
		want := d.String()
		if exp < 0 {
			want = d.StringFixed(-exp)
		}
		if got := string(AppendNumeric(nil, d)); got != want {
			t.Fatalf("AppendNumeric(%d e%d) = %q, want %q", c, exp, got, want)
		}
		if exp > 0 {
			continue
		}
		parsed, ok := parsePlainNumeric(want)
		if !ok || parsed.Exponent() != exp || !parsed.Equal(d) {
			t.Fatalf("parsePlainNumeric(%q) = %v e%d, %v; want %v e%d", want, parsed, parsed.Exponent(), ok, d, exp)
		}
		typ := Type{Kind: Numeric, Precision: int32(digits), Scale: -exp}
		if got, err := parseNumericTypmod(typ, want); err != nil || got.Exponent() != exp || !got.Equal(d) {
			t.Fatalf("%s read as %s: %v, %v", want, typ, got, err)
		}
		if digits > 1 {
			typ.Precision--
			if _, err := parseNumericTypmod(typ, decimal.New(sign(c)*pow10[digits-1], exp).StringFixed(-exp)); err == nil {
				t.Fatalf("10^%d e%d fits numeric(%d,%d)", digits-1, exp, typ.Precision, typ.Scale)
			}
		}
	}
	for _, s := range []string{"", "-", ".", "+1", " 1", "1e3", "1.2.3", "1234567890123456789", "NaN"} {
		if _, ok := parsePlainNumeric(s); ok {
			t.Errorf("parsePlainNumeric(%q) accepted it", s)
		}
	}
	for _, s := range []string{"123456789012345678901.5", "-999999999999999999", "1000000000000000000", "0.00000000000000000000000000000000000000000000000001"} {
		d := decimal.RequireFromString(s)
		if got := string(AppendNumeric(nil, d)); got != d.StringFixed(-d.Exponent()) {
			t.Errorf("AppendNumeric(%s) = %s", s, got)
		}
	}
	if got := strconv.Quote(string(AppendNumeric(nil, decimal.New(0, 3)))); got != `"0"` {
		t.Errorf("0e3 prints %s", got)
	}
}

func sign(v int64) int64 {
	if v < 0 {
		return -1
	}
	return 1
}
