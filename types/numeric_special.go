package types

import (
	"math"

	"github.com/shopspring/decimal"
)

// numeric has three special values besides its numbers, as PostgreSQL 14
// and later: NaN, Infinity and -Infinity. They travel in the same
// decimal.Decimal slots as numbers, marked by an exponent no number has
// (numeric's scale stops at 16383): coefficient 0 is NaN, 1 Infinity, -1
// -Infinity. Decimal arithmetic knows nothing of them, so every operation
// on numerics checks IsNumericSpecial before computing.
const specialNumericExponent = math.MinInt32

// The special numeric values.
var (
	NumericNaN    = decimal.New(0, specialNumericExponent)
	NumericPosInf = decimal.New(1, specialNumericExponent)
	NumericNegInf = decimal.New(-1, specialNumericExponent)
)

// IsNumericSpecial reports whether d is NaN, Infinity or -Infinity.
func IsNumericSpecial(d decimal.Decimal) bool { return d.Exponent() == specialNumericExponent }

// IsNumericNaN reports whether d is NaN.
func IsNumericNaN(d decimal.Decimal) bool { return IsNumericSpecial(d) && d.Sign() == 0 }

// IsNumericInf reports whether d is Infinity or -Infinity.
func IsNumericInf(d decimal.Decimal) bool { return IsNumericSpecial(d) && d.Sign() != 0 }

// NumericInf is Infinity for a positive sign, -Infinity for a negative one.
func NumericInf(sign int) decimal.Decimal {
	if sign < 0 {
		return NumericNegInf
	}
	return NumericPosInf
}

// CompareNumeric orders numerics as PostgreSQL does: -Infinity below
// every number, Infinity above, and NaN above everything and equal to
// itself.
func CompareNumeric(a, b decimal.Decimal) int {
	as, bs := IsNumericSpecial(a), IsNumericSpecial(b)
	if !as && !bs {
		return a.Cmp(b)
	}
	return compareInts(numericRank(a, as), numericRank(b, bs))
}

// numericRank places a value among the special values: -1 for
// -Infinity, 0 for a number, 1 for Infinity, 2 for NaN. Two numbers of
// rank 0 are compared as numbers.
func numericRank(d decimal.Decimal, special bool) int {
	switch {
	case !special:
		return 0
	case d.Sign() == 0:
		return 2
	}
	return d.Sign()
}

func compareInts(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// specialNumericText is the text form of a special value.
func specialNumericText(d decimal.Decimal) string {
	switch d.Sign() {
	case 0:
		return "NaN"
	case 1:
		return "Infinity"
	}
	return "-Infinity"
}

// parseSpecialNumeric reads the spellings of the special values that
// numeric_in accepts (those float8in accepts, but NaN unsigned), in any
// case; ok is false for anything else.
func parseSpecialNumeric(s string) (decimal.Decimal, bool) {
	switch lower := asciiLower(s); lower {
	case "nan":
		return NumericNaN, true
	case "infinity", "+infinity", "inf", "+inf":
		return NumericPosInf, true
	case "-infinity", "-inf":
		return NumericNegInf, true
	}
	return decimal.Decimal{}, false
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
