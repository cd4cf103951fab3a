package types

import "testing"

// The expected typmods are what PostgreSQL 15 stores in atttypmod for a
// column of each type.
func TestModifier(t *testing.T) {
	seconds := func(t Type, p int32) Type {
		t, _ = WithSecondsPrecision(t, p)
		return t
	}
	interval := func(fields, precision int32) Type {
		t, err := IntervalType(fields, precision)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, c := range []struct {
		typ  Type
		want int32
	}{
		{Type{Kind: Numeric, Precision: 10, Scale: 2}, 655366},
		{TNumeric, -1},
		{Type{Kind: Varchar, Length: 20}, 24},
		{Type{Kind: Bpchar, Length: 5}, 9},
		{TText, -1},
		{TInt4, -1},
		{seconds(TTimestamp, 3), 3},
		{seconds(TTimestampTZ, 0), 0},
		{seconds(TTime, 6), 6},
		{TTimestampTZ, -1},
		{TInterval, -1},
		{interval(IntervalFullRange, 3), 2147418115},
		{interval(IntervalYear, IntervalFullPrecision), 327679},
		{interval(IntervalDay|IntervalHour|IntervalMinute|IntervalSecond, 2), 470286338},
	} {
		if got := c.typ.Modifier(); got != c.want {
			t.Errorf("%s: typmod %d, want %d", c.typ, got, c.want)
		}
	}
}
