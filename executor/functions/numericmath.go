package functions

import (
	"math"
	"math/big"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

// invalidArgumentForLog is SQLSTATE 2201E.
const invalidArgumentForLog = "2201E"

// numericMaxResultScale is NUMERIC_MAX_RESULT_SCALE: exp and power refuse
// (or round to zero) arguments of magnitude three times this.
const numericMaxResultScale = 2000

// maxExactPowerDigits bounds the digits an integer power is computed with
// exactly; larger ones are computed to the digits they show.
const maxExactPowerDigits = 20000

// resultScale clamps a wanted result scale to at least the display scale
// of each operand and to numeric's display limits.
func resultScale(want int, operands ...decimal.Decimal) int32 {
	r := int32(max(min(want, numericMaxDisplayScale), math.MinInt32/2))
	for _, d := range operands {
		r = max(r, scaleOf(d))
	}
	return min(max(r, 0), numericMaxDisplayScale)
}

func overflowsNumeric() error {
	return pgerr.New(pgerr.NumericOutOfRange, "value overflows numeric format")
}

// checkNumericRange refuses a result with more digits before the point
// than numeric holds.
func checkNumericRange(d decimal.Decimal) (decimal.Decimal, error) {
	if integerDigits(d) > numericMaxWeightDigits {
		return decimal.Decimal{}, overflowsNumeric()
	}
	return d, nil
}

// numericExp is exp(numeric), numeric.c's numeric_exp: 16 significant
// digits at least, and no fewer decimals than the argument shows.
func numericExp(d decimal.Decimal) (decimal.Decimal, error) {
	f, _ := d.Float64()
	val := max(min(f*math.Log10E, numericMaxResultScale), -numericMaxResultScale)
	rscale := resultScale(numericMinSigDigits-int(val), d)
	digits := int(rscale) + max(int(val), 0) + 4
	return expOf(bigFloatOf(d, bitsForDigits(digits)), rscale)
}

// expOf is e^y rounded to rscale digits; y carries the precision the
// result needs.
func expOf(y *big.Float, rscale int32) (decimal.Decimal, error) {
	approx, _ := y.Float64()
	if math.Abs(approx) >= numericMaxResultScale*3 {
		if approx > 0 {
			return decimal.Decimal{}, overflowsNumeric()
		}
		return decimal.New(0, -rscale), nil
	}
	return checkNumericRange(decimalOfFloat(bigExp(y), rscale))
}

// checkLogArgument refuses the logarithm of zero or of a negative number.
func checkLogArgument(d decimal.Decimal) error {
	switch d.Sign() {
	case 0:
		return pgerr.New(invalidArgumentForLog, "cannot take logarithm of zero")
	case -1:
		return pgerr.New(invalidArgumentForLog, "cannot take logarithm of a negative number")
	}
	return nil
}

// numericLn is ln(numeric) with numeric_ln's result scale: 16 significant
// digits of the logarithm, and no fewer decimals than the argument shows.
func numericLn(d decimal.Decimal) (decimal.Decimal, error) {
	if err := checkLogArgument(d); err != nil {
		return decimal.Decimal{}, err
	}
	lnDweight := estimateLnDweight(d)
	want := numericMinSigDigits - lnDweight
	rscale := resultScale(want, d)
	// A logarithm has at most 7 digits before the point; near 1 the
	// argument needs as many digits as its distance from 1 has zeros.
	digits := int(rscale) + 7 + max(-lnDweight, 0)
	return decimalOfFloat(bigLn(bigFloatOf(d, bitsForDigits(digits))), rscale), nil
}

// numericLog is log(base, num), numeric.c's log_var: a scale for 16
// significant digits of the quotient of the two logarithms.
func numericLog(base, num decimal.Decimal) (decimal.Decimal, error) {
	if anySpecial(base, num) {
		return logSpecial(base, num)
	}
	if err := checkLogArgument(base); err != nil {
		return decimal.Decimal{}, err
	}
	if err := checkLogArgument(num); err != nil {
		return decimal.Decimal{}, err
	}
	lnBase, lnNum := estimateLnDweight(base), estimateLnDweight(num)
	resultWeight := lnNum - lnBase
	rscale := resultScale(numericMinSigDigits-resultWeight, base, num)
	digits := int(rscale) + 7 + absInt(resultWeight) + absInt(lnBase) + absInt(lnNum)
	prec := bitsForDigits(digits)
	lb := bigLn(bigFloatOf(base, prec))
	if lb.Sign() == 0 {
		return decimal.Decimal{}, divisionByZero()
	}
	ln := bigLn(bigFloatOf(num, prec))
	return decimalOfFloat(ln.Quo(ln, lb), rscale), nil
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

var (
	decPointNine   = decimal.New(9, -1)
	decOnePointOne = decimal.New(11, -1)
	decOne         = decimal.New(1, 0)
)

// estimateLnDweight is numeric.c's estimate_ln_dweight: the decimal
// weight of ln(d), from ln(1+x) ~ x near 1 and from d's leading digits
// elsewhere; 0 for values that have no logarithm.
func estimateLnDweight(d decimal.Decimal) int {
	if d.Sign() <= 0 {
		return 0
	}
	if d.Cmp(decPointNine) >= 0 && d.Cmp(decOnePointOne) <= 0 {
		x := d.Sub(decOne)
		if x.IsZero() {
			return 0
		}
		return leadingDigitPower(x)
	}
	// The first one or two base-10000 digits, as numeric.c reads them.
	w, first := numericWeight(d)
	digits, dweight := float64(first), w*decDigits
	if !d.Equal(decimal.New(int64(first), int32(w*decDigits))) {
		q, _ := d.QuoRem(decimal.New(1, int32((w-1)*decDigits)), 0)
		digits, dweight = float64(q.IntPart()), dweight-decDigits
	}
	lnv := math.Log(digits) + float64(dweight)*math.Ln10
	return int(math.Log10(math.Abs(lnv)))
}

// leadingDigitPower is the power of ten of d's first significant digit.
func leadingDigitPower(d decimal.Decimal) int {
	return d.NumDigits() - 1 + int(d.Exponent())
}

// approxLog10 is log10|d| from its leading digits, for a non-zero d of
// any size.
func approxLog10(d decimal.Decimal) float64 {
	c := d.Coefficient()
	c.Abs(c)
	s := c.String()
	lead := s
	if len(lead) > 17 {
		lead = lead[:17]
	}
	v, _ := new(big.Float).SetString(lead)
	f, _ := v.Float64()
	return math.Log10(f) + float64(len(s)-len(lead)) + float64(d.Exponent())
}

// numericPower is power(numeric, numeric) with numeric.c's result
// scales: for an exponent that is an int4, 16 decimals or the base's
// scale; otherwise enough for 16 significant digits.
func numericPower(base, exp decimal.Decimal) (decimal.Decimal, error) {
	if anySpecial(base, exp) {
		return powerSpecial(base, exp)
	}
	if base.IsZero() && exp.Sign() < 0 {
		return decimal.Decimal{}, pgerr.New(invalidArgumentForPower, "zero raised to a negative power is undefined")
	}
	if base.Sign() < 0 && !exp.IsInteger() {
		return decimal.Decimal{}, pgerr.New(invalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result")
	}
	if exp.IsInteger() && exp.Cmp(decimal.NewFromInt(math.MinInt32)) >= 0 && exp.Cmp(decimal.NewFromInt(math.MaxInt32)) <= 0 {
		return numericPowerInt(base, exp.IntPart())
	}
	if base.IsZero() {
		return decimal.New(0, -numericMinSigDigits), nil
	}
	negative := false
	if base.Sign() < 0 {
		// The exponent is an integer here: its parity gives the sign.
		negative = exp.Mod(decimal.New(2, 0)).Sign() != 0
		base = base.Abs()
	}
	lnDweight := estimateLnDweight(base)
	// A first, low-precision exp × ln(base) sizes the result.
	low := int(max(8-lnDweight, 0)) + 7
	lowPrec := bitsForDigits(low + max(-lnDweight, 0))
	prodLow := bigLn(bigFloatOf(base, lowPrec))
	prodLow.Mul(prodLow, bigFloatOf(exp, lowPrec))
	val, _ := prodLow.Float64()
	if math.Abs(val) > numericMaxResultScale*3.01 {
		if val > 0 {
			return decimal.Decimal{}, overflowsNumeric()
		}
		return decimal.New(0, -numericMaxDisplayScale), nil
	}
	val *= math.Log10E
	rscale := resultScale(numericMinSigDigits-int(val), base, exp)
	sig := max(int(rscale)+int(val), 0)
	expDigits := max(exp.NumDigits()+int(exp.Exponent()), 0)
	prec := bitsForDigits(sig + expDigits + 7 + max(-lnDweight, 0))
	y := bigLn(bigFloatOf(base, prec))
	y.Mul(y, bigFloatOf(exp, prec))
	r, err := expOf(y, rscale)
	if err != nil {
		return decimal.Decimal{}, err
	}
	if negative {
		r = r.Neg()
	}
	return r, nil
}

// numericPowerInt is numeric.c's power_var_int: base^e for an int4 e.
func numericPowerInt(base decimal.Decimal, e int64) (decimal.Decimal, error) {
	rscale := min(max(int32(numericMinSigDigits), scaleOf(base)), numericMaxDisplayScale)
	if e == 0 {
		return decimal.New(1, 0).Round(rscale), nil
	}
	if base.IsZero() {
		return decimal.New(0, -rscale), nil
	}
	f := float64(e) * approxLog10(base)
	if f > 3*32767*decDigits {
		return decimal.Decimal{}, overflowsNumeric()
	}
	if f+1 < -float64(rscale) {
		return decimal.New(0, -rscale), nil
	}
	n := absInt64(e)
	if int64(base.NumDigits())*n <= maxExactPowerDigits {
		p, err := base.PowInt32(int32(n))
		if err != nil {
			return decimal.Decimal{}, overflowsNumeric()
		}
		if e < 0 {
			return numericDivScale(decOne, p, rscale)
		}
		return checkNumericRange(p.Round(rscale))
	}
	// Too many digits to compute exactly: compute those shown, with guard
	// bits for the rounding of each of the about 2·log2(n) products.
	digits := int(rscale) + max(int(f), 0) + max(-int(f), 0) + 4
	prec := bitsForDigits(digits) + 2*uint(64)
	b := bigFloatOf(base, prec)
	r := new(big.Float).SetPrec(prec).SetInt64(1)
	for sq := b; n > 0; n >>= 1 {
		if n&1 == 1 {
			r.Mul(r, sq)
		}
		if n > 1 {
			sq = new(big.Float).SetPrec(prec).Mul(sq, sq)
		}
	}
	if e < 0 {
		r.Quo(new(big.Float).SetPrec(prec).SetInt64(1), r)
	}
	return checkNumericRange(decimalOfFloat(r, rscale))
}

// numericDivTrunc is div(numeric, numeric): the quotient truncated
// toward zero.
func numericDivTrunc(a, b decimal.Decimal) (decimal.Decimal, error) {
	if anySpecial(a, b) {
		return divSpecial(a, b)
	}
	if b.IsZero() {
		return decimal.Decimal{}, divisionByZero()
	}
	q, _ := a.QuoRem(b, 0)
	return displayScale(q), nil
}

// maxFactorialArgument is the largest n whose factorial numeric holds.
const maxFactorialArgument = 32177

// numericFactorial is factorial(bigint).
func numericFactorial(n int64) (decimal.Decimal, error) {
	if n < 0 {
		return decimal.Decimal{}, pgerr.New(pgerr.InvalidParameterValue, "factorial of a negative number is undefined")
	}
	if n > maxFactorialArgument {
		return decimal.Decimal{}, overflowsNumeric()
	}
	if n <= 1 {
		return decOne, nil
	}
	return decimal.NewFromBigInt(new(big.Int).MulRange(1, n), 0), nil
}

// numericGCD is gcd(numeric, numeric): the greatest common divisor of the
// two values at the larger of their scales, never negative.
func numericGCD(a, b decimal.Decimal) (decimal.Decimal, error) {
	scale := max(scaleOf(a), scaleOf(b))
	x, y := scaledInt(a, scale), scaledInt(b, scale)
	g := new(big.Int).GCD(nil, nil, x.Abs(x), y.Abs(y))
	return decimal.NewFromBigInt(g, -scale), nil
}

// numericLCM is lcm(numeric, numeric): |a·b| / gcd(a, b), 0 when either
// is 0, at the larger of their scales.
func numericLCM(a, b decimal.Decimal) (decimal.Decimal, error) {
	scale := max(scaleOf(a), scaleOf(b))
	if a.IsZero() || b.IsZero() {
		return decimal.New(0, -scale), nil
	}
	x, y := scaledInt(a, scale), scaledInt(b, scale)
	x.Abs(x)
	y.Abs(y)
	g := new(big.Int).GCD(nil, nil, x, y)
	l := new(big.Int).Mul(new(big.Int).Quo(x, g), y)
	return checkNumericRange(decimal.NewFromBigInt(l, -scale))
}

// scaledInt is d × 10^scale, an integer for scale >= d's scale.
func scaledInt(d decimal.Decimal, scale int32) *big.Int {
	return d.Shift(scale).BigInt()
}

func init() {
	num, i8 := types.TNumeric, types.TInt8
	registerSpecialAware([]funcSig{fn(num, strict1(decs, decs, growthSpecial(numericExp, func() (decimal.Decimal, error) {
		return decimal.Zero, nil
	})), num)}, "exp")
	registerSpecialAware([]funcSig{fn(num, strict1(decs, decs, growthSpecial(numericLn, negativeLogError)), num)}, "ln")
	registerSpecialAware([]funcSig{fn(num, strict1(decs, decs, func(d decimal.Decimal) (decimal.Decimal, error) {
		return numericLog(decimal.New(10, 0), d)
	}), num)}, "log", "log10")
	registerSpecialAware([]funcSig{fn(num, strict2(decs, decs, decs, numericLog), num, num)}, "log")
	registerSpecialAware([]funcSig{fn(num, strict2(decs, decs, decs, numericPower), num, num)}, "numeric_power")
	registerSpecialAware([]funcSig{fn(num, strict2(decs, decs, decs, numericDivTrunc), num, num)}, "div")
	registerSpecialAware([]funcSig{fn(num, strict1(decs, decs, func(d decimal.Decimal) (decimal.Decimal, error) {
		return numericAdd(d, decOne)
	}), num)}, "numeric_inc")
	register([]funcSig{fn(num, strict1(ints, decs, numericFactorial), i8)}, "factorial")
	registerSpecialAware([]funcSig{fn(num, strict2(decs, decs, decs, nanIfSpecial(numericGCD)), num, num)}, "gcd")
	registerSpecialAware([]funcSig{fn(num, strict2(decs, decs, decs, nanIfSpecial(numericLCM)), num, num)}, "lcm")
}
