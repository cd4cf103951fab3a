package functions

import (
	"math"
	"math/big"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/shopspring/decimal"
)

// PostgreSQL's numeric works in base-10000 digits and picks result scales
// from its operands' display scales (the exponent of a decimal.Decimal
// here). These constants and rules come from numeric.c.
const (
	numericMinSigDigits    = 16
	numericMaxDisplayScale = 1000
	decDigits              = 4 // decimal digits per base-10000 digit
	// numericMaxWeightDigits is how many digits numeric allows before the
	// decimal point.
	numericMaxWeightDigits = 131072
)

// displayScale returns d with a scale of at least zero, as PostgreSQL
// never shows a negative scale.
func displayScale(d decimal.Decimal) decimal.Decimal {
	if d.Exponent() > 0 {
		return d.Round(0)
	}
	return d
}

// scaleOf is the display scale of d.
func scaleOf(d decimal.Decimal) int32 {
	if e := d.Exponent(); e < 0 {
		return -e
	}
	return 0
}

// numericWeight gives the weight (position of the first non-zero
// base-10000 digit, 0 for the units group) and the value of that digit;
// 0, 0 for zero.
func numericWeight(d decimal.Decimal) (weight, first int) {
	if d.IsZero() {
		return 0, 0
	}
	digits := strings.TrimPrefix(d.Coefficient().String(), "-")
	// The leading digit is worth 10^p.
	p := len(digits) - 1 + int(d.Exponent())
	weight = floorDivInt(p, decDigits)
	// The first base-10000 digit holds the decimal digits from 10^p down
	// to 10^(weight*4).
	count := p - weight*decDigits + 1
	for i := 0; i < count; i++ {
		first *= 10
		if i < len(digits) {
			first += int(digits[i] - '0')
		}
	}
	return weight, first
}

func floorDivInt(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// selectDivScale is numeric.c's select_div_scale: enough digits for at
// least 16 significant digits in the quotient, but no fewer than either
// operand's display scale.
func selectDivScale(a, b decimal.Decimal) int32 {
	w1, f1 := numericWeight(a)
	w2, f2 := numericWeight(b)
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	rscale := int32(numericMinSigDigits - qweight*decDigits)
	rscale = max(rscale, scaleOf(a), scaleOf(b), 0)
	return min(rscale, numericMaxDisplayScale)
}

// numericDiv divides with PostgreSQL's result scale, rounding half away
// from zero.
func numericDiv(a, b decimal.Decimal) (decimal.Decimal, error) {
	if b.IsZero() {
		return decimal.Decimal{}, divisionByZero()
	}
	return a.DivRound(b, selectDivScale(a, b)), nil
}

// numericDivScale divides rounding to a given scale.
func numericDivScale(a, b decimal.Decimal, scale int32) (decimal.Decimal, error) {
	if b.IsZero() {
		return decimal.Decimal{}, divisionByZero()
	}
	return a.DivRound(b, scale), nil
}

// numericMod is a - trunc(a/b)*b, with the dividend's sign and the larger
// operand scale.
func numericMod(a, b decimal.Decimal) (decimal.Decimal, error) {
	if b.IsZero() {
		return decimal.Decimal{}, divisionByZero()
	}
	q, _ := a.QuoRem(b, 0)
	return a.Sub(q.Mul(b)), nil
}

// numericMaxDscale is the most digits after the point a numeric value
// stores (NUMERIC_DSCALE_MAX).
const numericMaxDscale = 16383

// numericMul multiplies exactly, as PostgreSQL does, up to the digits a
// numeric stores: a product with more is rounded to them.
func numericMul(p, q decimal.Decimal) decimal.Decimal {
	r := p.Mul(q)
	if scaleOf(r) > numericMaxDscale {
		return r.Round(numericMaxDscale)
	}
	return r
}

// numericRound rounds to scale digits (negative: to the left of the
// point), half away from zero; the result shows max(scale, 0) digits. A
// carry can take the result past numeric's range.
func numericRound(d decimal.Decimal, scale int32) (decimal.Decimal, error) {
	r := d.Round(scale)
	if integerDigits(r) > numericMaxWeightDigits {
		return decimal.Decimal{}, pgerr.New(pgerr.NumericOutOfRange, "value overflows numeric format")
	}
	return displayScale(r), nil
}

// integerDigits is how many digits d has before the decimal point, or
// fewer when it has none.
func integerDigits(d decimal.Decimal) int64 {
	c := d.Coefficient()
	if c.Sign() == 0 {
		return 0
	}
	// A bit is less than a third of a digit: most values need no exact count.
	if bits := int64(c.BitLen()); bits/3+int64(d.Exponent()) < numericMaxWeightDigits-8 {
		return bits/3 + int64(d.Exponent())
	}
	return int64(len(c.Abs(c).String())) + int64(d.Exponent())
}

// numericTrunc truncates toward zero to scale digits.
func numericTrunc(d decimal.Decimal, scale int32) decimal.Decimal {
	if scale >= scaleOf(d) {
		return d.Round(scale) // exact: only adds zeros
	}
	if scale >= 0 {
		return d.Truncate(scale)
	}
	unit := decimal.New(1, -scale)
	q, _ := d.QuoRem(unit, 0)
	return displayScale(q.Mul(unit))
}

// numericSqrt is sqrt(numeric) with numeric.c's result scale.
func numericSqrt(d decimal.Decimal) (decimal.Decimal, error) {
	if d.Sign() < 0 {
		return decimal.Decimal{}, pgerr.New(invalidArgumentForPower, "cannot take square root of a negative number")
	}
	w, _ := numericWeight(d)
	sweight := (w+1)*decDigits/2 - 1
	rscale := int32(numericMinSigDigits - sweight)
	rscale = min(max(rscale, scaleOf(d), 0), numericMaxDisplayScale)
	return numericSqrtScale(d, rscale), nil
}

// numericSqrtScale is the square root of a non-negative d rounded to
// rscale digits after the point.
func numericSqrtScale(d decimal.Decimal, rscale int32) decimal.Decimal {
	if d.IsZero() {
		return decimal.New(0, -rscale)
	}
	// Compute with a few guard digits using integer square root of the
	// value scaled to 2*(rscale+guard) decimal places, then round.
	const guard = 4
	scaled := d.Shift(2 * (rscale + guard)).BigInt()
	root := new(big.Int).Sqrt(scaled)
	return decimal.NewFromBigInt(root, -(rscale + guard)).Round(rscale)
}

// invalidArgumentForPower is SQLSTATE 2201F.
const invalidArgumentForPower = "2201F"

// numericPower is power(numeric, numeric) with numeric.c's result scales:
// at least 16 digits after the point for an integral exponent; for other
// exponents enough for 16 significant digits.
func numericPower(base, exp decimal.Decimal) (decimal.Decimal, error) {
	if base.IsZero() && exp.Sign() < 0 {
		return decimal.Decimal{}, pgerr.New(invalidArgumentForPower, "zero raised to a negative power is undefined")
	}
	if base.Sign() < 0 && !exp.IsInteger() {
		return decimal.Decimal{}, pgerr.New(invalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result")
	}
	if exp.IsInteger() && exp.Abs().Cmp(decimal.NewFromInt(1<<31)) < 0 {
		rscale := min(max(int32(numericMinSigDigits), scaleOf(base)), numericMaxDisplayScale)
		e := exp.IntPart()
		if e == 0 {
			return decimal.New(1, 0).Round(rscale), nil
		}
		// Refuse results beyond numeric's range before computing them;
		// tiny ones round to zero.
		if !base.IsZero() {
			f, _ := base.Abs().Float64()
			switch digits := math.Log10(f) * float64(e); {
			case digits > numericMaxWeightDigits:
				return decimal.Decimal{}, pgerr.New(pgerr.NumericOutOfRange, "value overflows numeric format")
			case digits < -numericMaxWeightDigits:
				return decimal.New(0, -rscale), nil
			}
		}
		p, err := base.PowInt32(int32(absInt64(e)))
		if err != nil {
			return decimal.Decimal{}, pgerr.New(pgerr.NumericOutOfRange, "value overflows numeric format")
		}
		if e < 0 {
			return numericDivScale(decimal.New(1, 0), p, rscale)
		}
		return p.Round(rscale), nil
	}
	// base^exp = exp(exp * ln(base)), computed with guard digits.
	lnBase, err := base.Ln(numericMinSigDigits + 24)
	if err != nil {
		return decimal.Decimal{}, pgerr.New(invalidArgumentForPower, "cannot take logarithm of zero")
	}
	prod := lnBase.Mul(exp)
	approx, _ := prod.Float64()
	// The result's decimal weight is about prod / ln(10).
	dweight := int32(approx / 2.302585092994046)
	rscale := min(max(int32(numericMinSigDigits)-dweight, scaleOf(base), scaleOf(exp), 0), numericMaxDisplayScale)
	r, err := prod.ExpTaylor(rscale + 8)
	if err != nil {
		return decimal.Decimal{}, pgerr.New(pgerr.NumericOutOfRange, "value overflows numeric format")
	}
	return r.Round(rscale), nil
}

func absInt64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
