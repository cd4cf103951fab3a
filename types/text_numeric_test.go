package types

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
)

// Exponents are bounded as PostgreSQL bounds them, and zero takes any
// exponent without computing the power of ten it names.
func TestNumericExponents(t *testing.T) {
	for _, c := range []struct{ in, want, code string }{
		{in: "0E100000000", want: "0"},
		{in: "000E010000", want: "0"},
		{in: "0.00E-2", want: "0.0000"},
		{in: "-0E5", want: "0"},
		{in: "1.5E3", want: "1500"},
		{in: "1E100000000", code: pgerr.NumericOutOfRange},
		{in: "0E-100000000", code: pgerr.NumericOutOfRange},
		{in: "0E2000000000", code: pgerr.NumericOutOfRange},
	} {
		d, err := ParseText(TNumeric, c.in)
		if c.code != "" {
			if pgerr.Code(err) != c.code {
				t.Errorf("%s: got %v, want SQLSTATE %s", c.in, err, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got := FormatText(TNumeric, d); got != c.want {
			t.Errorf("%s = %s, want %s", c.in, got, c.want)
		}
	}
}
