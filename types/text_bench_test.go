package types

import (
	"testing"

	"github.com/shopspring/decimal"
)

// BenchmarkParse measures ParseText, through which connectors decode source
// values.
func BenchmarkParse(b *testing.B) {
	for _, c := range []struct {
		name string
		t    Type
		s    string
	}{
		{"int8", TInt8, "123456789"},
		{"float8", TFloat8, "1234.5678"},
		{"numeric", TNumeric, "12345.67"},
		{"date", TDate, "2024-01-31"},
		{"timestamp", TTimestamp, "2024-01-31 12:34:56.123456"},
		{"timestamptz", TTimestampTZ, "2024-01-31 12:34:56+00"},
		{"interval", TInterval, "1 day 02:03:04"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := ParseText(c.t, c.s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFormat measures AppendText, which prints every value sent to a
// client.
func BenchmarkFormat(b *testing.B) {
	buf := make([]byte, 0, 64)
	for _, c := range []struct {
		name string
		t    Type
		d    Datum
	}{
		{"float8", TFloat8, FloatDatum(1234.5678)},
		{"float8half", TFloat8, FloatDatum(12.5)},
		{"timestamp", TTimestamp, IntDatum(1706704496123456)},
		{"date", TDate, IntDatum(19753)},
		{"numeric", Type{Kind: Numeric, Precision: 15, Scale: 2}, Datum{Dec: decimal.New(9123456, -2)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				buf = AppendText(buf[:0], c.t, c.d)
			}
		})
	}
}
