package types

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// Decimals built in an arena must be indistinguishable from decimal.New's,
// and independent of each other although they share memory.
func TestDecimalArenaMatchesDecimalNew(t *testing.T) {
	if !decimalLayoutHolds {
		t.Fatal("decimal.Decimal's layout changed; the arena falls back to decimal.New")
	}
	var a DecimalArena
	r := rand.New(rand.NewPCG(3, 4))
	values := []int64{0, 1, -1, math.MaxInt64, math.MinInt64 + 1, math.MinInt64, 1 << 32, -(1 << 40)}
	for range 3 * decimalArenaBlock {
		values = append(values, r.Int64()>>r.IntN(64))
	}
	var built, want []decimal.Decimal
	for i, n := range values {
		exp := int32(i%7 - 4)
		built = append(built, a.New(n, exp))
		want = append(want, decimal.New(n, exp))
	}
	// Arithmetic on one value must leave its neighbours as they were.
	for _, d := range built {
		_ = d.Add(d).Mul(d).Neg().Round(1)
	}
	for i := range built {
		if !built[i].Equal(want[i]) || built[i].Exponent() != want[i].Exponent() || built[i].String() != want[i].String() {
			t.Fatalf("arena value %d = %s (exp %d), want %s (exp %d)", i, built[i], built[i].Exponent(), want[i], want[i].Exponent())
		}
		if built[i].Sign() != want[i].Sign() || built[i].Coefficient().Cmp(want[i].Coefficient()) != 0 {
			t.Fatalf("arena value %d has coefficient %s, want %s", i, built[i].Coefficient(), want[i].Coefficient())
		}
	}
}

func TestDecimalArenaParsesAsParseText(t *testing.T) {
	var a DecimalArena
	for _, c := range []struct {
		typ Type
		in  string
	}{
		{Type{Kind: Numeric, Precision: 15, Scale: 2}, "-1234.50"},
		{Type{Kind: Numeric, Precision: 15, Scale: 2}, "0.00"},
		{Type{Kind: Numeric, Precision: 5, Scale: 2}, "1.005"},
		{TNumeric, "-0.000"},
		{TNumeric, "123456789012345678901234567890.5"},
		{TNumeric, "1e5"},
	} {
		want, wantErr := ParseText(c.typ, c.in)
		got, err := a.ParseNumeric(c.typ, c.in)
		if (err != nil) != (wantErr != nil) || !got.Equal(want.Dec) || got.Exponent() != want.Dec.Exponent() {
			t.Errorf("ParseNumeric(%v, %q) = %s, %v; ParseText gives %s, %v", c.typ, c.in, got, err, want.Dec, wantErr)
		}
	}
	if _, err := a.ParseNumeric(Type{Kind: Numeric, Precision: 3, Scale: 2}, "12.5"); err == nil {
		t.Error("a value too wide for numeric(3,2) was accepted")
	}
}
