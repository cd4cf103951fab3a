package functions

import (
	"encoding/binary"
	"math"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// The double precision math functions follow float.c: NaN passes
// through, and a finite argument whose result overflows or underflows is
// an error (22003) rather than an infinity or a zero.

func floatUnderflow() error {
	return pgerr.New(pgerr.NumericOutOfRange, "value out of range: underflow")
}

func inputOutOfRange() error {
	return pgerr.New(pgerr.NumericOutOfRange, "input is out of range")
}

// checkFloat is float.c's check_float8_val: an infinity is an overflow
// unless infOK, a zero an underflow unless zeroOK.
func checkFloat(r float64, infOK, zeroOK bool) (float64, error) {
	if math.IsInf(r, 0) && !infOK {
		return 0, floatOverflow
	}
	if r == 0 && !zeroOK {
		return 0, floatUnderflow()
	}
	return r, nil
}

func floatExp(x float64) (float64, error) {
	switch {
	case math.IsNaN(x):
		return x, nil
	case math.IsInf(x, 1):
		return x, nil
	case math.IsInf(x, -1):
		return 0, nil
	}
	return checkFloat(exactExp(x), false, false)
}

// floatLog is ln (log10 false) or log10 of a double precision.
func floatLog(log func(float64) float64) func(float64) (float64, error) {
	return func(x float64) (float64, error) {
		switch {
		case x == 0:
			return 0, pgerr.New(invalidArgumentForLog, "cannot take logarithm of zero")
		case x < 0:
			return 0, pgerr.New(invalidArgumentForLog, "cannot take logarithm of a negative number")
		}
		return checkFloat(log(x), math.IsInf(x, 0), x == 1)
	}
}

func floatCbrt(x float64) (float64, error) {
	return checkFloat(cbrt(x), math.IsInf(x, 0), x == 0)
}

// cbrtFactor is 2^(n/3) for n = -2..2, the quotients computed in double
// precision at run time as C computes them.
var cbrtFactor = func() [5]float64 {
	cbrt2, sqrCbrt2 := 1.2599210498948731648, 1.5874010519681994748
	return [5]float64{1 / sqrCbrt2, 1 / cbrt2, 1, cbrt2, sqrCbrt2}
}()

// cbrt is the C library's cube root as PostgreSQL's servers run it: a
// polynomial first guess on the mantissa refined by one Halley step,
// which PostgreSQL's answers (cbrt(27) = 3.0000000000000004) show, where
// math.Cbrt rounds correctly.
func cbrt(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x + x
	}
	xm, xe := math.Frexp(math.Abs(x))
	u := 0.354895765043919860 + ((1.50819193781584896 + ((-2.11499494167371287 + ((2.44693122563534430 +
		((-1.83469277483613086 + (0.784932344976639262-0.145263899385486377*xm)*xm) * xm)) * xm)) * xm)) * xm)
	t2 := u * u * u
	ym := u * (t2 + 2*xm) / (2*t2 + xm) * cbrtFactor[2+xe%3]
	if x < 0 {
		ym = -ym
	}
	return math.Ldexp(ym, xe/3)
}

func floatCosh(x float64) (float64, error) {
	r := libmCosh(x)
	if r == 0 {
		return 0, floatUnderflow()
	}
	return r, nil
}

func floatTanh(x float64) (float64, error) {
	return checkFloat(libmTanh(x), false, true)
}

func floatAcosh(x float64) (float64, error) {
	if x < 1 {
		return 0, inputOutOfRange()
	}
	return libmAcosh(x), nil
}

func floatAtanh(x float64) (float64, error) {
	if x < -1 || x > 1 {
		return 0, inputOutOfRange()
	}
	return math.Atanh(x), nil
}

// The degree-based trigonometric functions reduce their argument to the
// first quadrant and scale by the functions' values at 30, 45 and 60
// degrees, as float.c does, so that sind(30) is exactly 0.5 and tand(45)
// exactly 1.
// radiansPerDegree is a variable so that x·radiansPerDegree is always a
// double precision product, the same for the constants below as for
// arguments.
var radiansPerDegree = 0.0174532925199432957692

var (
	sin30         = exactSin(30 * radiansPerDegree)
	oneMinusCos60 = 1 - exactCos(60*radiansPerDegree)
	asin05        = exactAsin(0.5)
	acos05        = exactAcos(0.5)
	atan1         = exactAtan(1)
	tan45         = sindQ1(45) / cosdQ1(45)
	cot45         = cosdQ1(45) / sindQ1(45)
)

func sind0To30(x float64) float64 {
	sinX := exactSin(x * radiansPerDegree)
	return (sinX / sin30) / 2
}

func cosd0To60(x float64) float64 {
	oneMinusCosX := 1 - exactCos(x*radiansPerDegree)
	return 1 - (oneMinusCosX/oneMinusCos60)/2
}

func sindQ1(x float64) float64 {
	if x <= 30 {
		return sind0To30(x)
	}
	return cosd0To60(90 - x)
}

func cosdQ1(x float64) float64 {
	if x <= 60 {
		return cosd0To60(x)
	}
	return sind0To30(90 - x)
}

// degreeArgument refuses an infinite angle; ok is false for NaN, which
// is the result then.
func degreeArgument(x float64) (ok bool, err error) {
	if math.IsNaN(x) {
		return false, nil
	}
	if math.IsInf(x, 0) {
		return false, inputOutOfRange()
	}
	return true, nil
}

// quadrant reduces x to [0, 90] degrees for a function f with
// f(-x) = oddNeg·f(x), f(360-x) = reflNeg·f(x) and f(180-x) =
// suppNeg·f(x), where each flag says whether the sign flips.
func quadrant(x float64, oddNeg, reflNeg, suppNeg bool) (float64, float64) {
	sign := 1.0
	x = math.Mod(x, 360)
	if x < 0 {
		x = -x
		if oddNeg {
			sign = -sign
		}
	}
	if x > 180 {
		x = 360 - x
		if reflNeg {
			sign = -sign
		}
	}
	if x > 90 {
		x = 180 - x
		if suppNeg {
			sign = -sign
		}
	}
	return x, sign
}

func degreeFn(oddNeg, reflNeg, suppNeg bool, f func(float64) float64) func(float64) (float64, error) {
	return func(x float64) (float64, error) {
		if ok, err := degreeArgument(x); !ok {
			return x, err
		}
		q, sign := quadrant(x, oddNeg, reflNeg, suppNeg)
		r := sign * f(q)
		if r == 0 {
			r = 0 // no minus zero
		}
		return r, nil
	}
}

var (
	floatSind = degreeFn(true, true, false, sindQ1)
	floatCosd = degreeFn(false, false, true, cosdQ1)
	floatTand = degreeFn(true, true, true, func(x float64) float64 { return (sindQ1(x) / cosdQ1(x)) / tan45 })
	floatCotd = degreeFn(true, true, true, func(x float64) float64 { return (cosdQ1(x) / sindQ1(x)) / cot45 })
)

func asindQ1(x float64) float64 {
	if x <= 0.5 {
		asinX := exactAsin(x)
		return (asinX / asin05) * 30
	}
	acosX := exactAcos(x)
	return 90 - (acosX/acos05)*60
}

func acosdQ1(x float64) float64 {
	if x <= 0.5 {
		asinX := exactAsin(x)
		return 90 - (asinX/asin05)*30
	}
	acosX := exactAcos(x)
	return (acosX / acos05) * 60
}

func floatAsind(x float64) (float64, error) {
	switch {
	case math.IsNaN(x):
		return x, nil
	case x < -1 || x > 1:
		return 0, inputOutOfRange()
	case x >= 0:
		return asindQ1(x), nil
	}
	return -asindQ1(-x), nil
}

func floatAcosd(x float64) (float64, error) {
	switch {
	case math.IsNaN(x):
		return x, nil
	case x < -1 || x > 1:
		return 0, inputOutOfRange()
	case x >= 0:
		return acosdQ1(x), nil
	}
	return 90 + asindQ1(-x), nil
}

func floatAtand(x float64) (float64, error) {
	if math.IsNaN(x) {
		return x, nil
	}
	atanX := exactAtan(x)
	return (atanX / atan1) * 45, nil
}

func floatAtan2d(y, x float64) (float64, error) {
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.NaN(), nil
	}
	a := exactAtan2(y, x)
	return (a / atan1) * 45, nil
}

// widthBucketError is SQLSTATE 2201G.
const widthBucketError = "2201G"

// widthBucketFloat is width_bucket(float8, float8, float8, int4): the
// bucket of count equal-width buckets between the bounds that holds x,
// 0 below them and count+1 above.
func widthBucketFloat(x, lo, hi float64, count int64) (int64, error) {
	if count <= 0 {
		return 0, pgerr.New(widthBucketError, "count must be greater than zero")
	}
	if math.IsNaN(x) || math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, pgerr.New(widthBucketError, "operand, lower bound, and upper bound cannot be NaN")
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, pgerr.New(widthBucketError, "lower and upper bounds must be finite")
	}
	var r int64
	switch {
	case lo < hi:
		switch {
		case x < lo:
			r = 0
		case x >= hi:
			r = count + 1
		default:
			r = int64(float64(count)*(x-lo)/(hi-lo)) + 1
		}
	case lo > hi:
		switch {
		case x > lo:
			r = 0
		case x <= hi:
			r = count + 1
		default:
			r = int64(float64(count)*(lo-x)/(lo-hi)) + 1
		}
	default:
		return 0, pgerr.New(widthBucketError, "lower bound cannot equal upper bound")
	}
	if r > math.MaxInt32 {
		return 0, pgerr.New(pgerr.NumericOutOfRange, "integer out of range")
	}
	return r, nil
}

// widthBucketNumeric is width_bucket(numeric, numeric, numeric, int4),
// computed exactly: 1 + trunc((x - lo) · count / (hi - lo)).
func widthBucketNumeric(x, lo, hi decimal.Decimal, count int64) (int64, error) {
	if count <= 0 {
		return 0, pgerr.New(widthBucketError, "count must be greater than zero")
	}
	if anyNaN(x, lo, hi) {
		return 0, pgerr.New(widthBucketError, "operand, lower bound, and upper bound cannot be NaN")
	}
	if anySpecial(lo, hi) {
		return 0, pgerr.New(widthBucketError, "lower and upper bounds must be finite")
	}
	n := decimal.NewFromInt(count)
	var r int64
	switch lo.Cmp(hi) {
	case 0:
		return 0, pgerr.New(widthBucketError, "lower bound cannot equal upper bound")
	case -1:
		switch {
		case types.CompareNumeric(x, lo) < 0:
			r = 0
		case types.CompareNumeric(x, hi) >= 0:
			r = count + 1
		default:
			q, _ := x.Sub(lo).Mul(n).QuoRem(hi.Sub(lo), 0)
			r = q.IntPart() + 1
		}
	default:
		switch {
		case types.CompareNumeric(x, lo) > 0:
			r = 0
		case types.CompareNumeric(x, hi) <= 0:
			r = count + 1
		default:
			q, _ := lo.Sub(x).Mul(n).QuoRem(lo.Sub(hi), 0)
			r = q.IntPart() + 1
		}
	}
	if r > math.MaxInt32 {
		return 0, pgerr.New(pgerr.NumericOutOfRange, "integer out of range")
	}
	return r, nil
}

// widthBucketImpl evaluates a width_bucket over values read by get.
func widthBucketImpl[A any](get func(*vector.Vector) []A, f func(x, lo, hi A, count int64) (int64, error)) funcImpl {
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		x, lo, hi, count, res := get(args[0]), get(args[1]), get(args[2]), ints(args[3]), ints(out)
		xm, lm, hm, cm := rowMask(args[0], n), rowMask(args[1], n), rowMask(args[2], n), rowMask(args[3], n)
		for i := range res {
			if out.Nulls.Get(i) {
				continue
			}
			v, err := f(x[i&xm], lo[i&lm], hi[i&hm], count[i&cm])
			if err != nil {
				return err
			}
			res[i] = v
		}
		return nil
	}
}

// intGCD is gcd over an integer type whose range is lo..hi: computed on
// negative values so that the type's minimum has no overflow, which only
// a result of -lo would need.
func intGCD(lo int64, msg string) func(a, b int64) (int64, error) {
	return func(a, b int64) (int64, error) {
		na, nb := min(a, -a), min(b, -b)
		if a == lo {
			na = lo
		}
		if b == lo {
			nb = lo
		}
		if na > nb {
			na, nb = nb, na
		}
		// na is now the value of larger magnitude, negated.
		if na == lo && (nb == 0 || nb == lo) {
			return 0, pgerr.New(pgerr.NumericOutOfRange, "%s", msg)
		}
		for nb != 0 {
			na, nb = nb, na%nb
		}
		return -na, nil
	}
}

// intLCM is lcm over an integer type: |a / gcd(a, b) · b|.
func intLCM(lo, hi int64, msg string) func(a, b int64) (int64, error) {
	gcd := intGCD(lo, msg)
	return func(a, b int64) (int64, error) {
		if a == 0 || b == 0 {
			return 0, nil
		}
		g, err := gcd(a, b)
		if err != nil {
			return 0, err
		}
		q := a / g
		r := q * b
		if (q != 0 && r/q != b) || r < lo || r > hi || r == lo || (q == -1 && b == math.MinInt64) {
			return 0, pgerr.New(pgerr.NumericOutOfRange, "%s", msg)
		}
		return max(r, -r), nil
	}
}

func init() {
	f4, f8, i4, i8, num, bytea := types.TFloat4, types.TFloat8, types.TInt4, types.TInt8, types.TNumeric, types.TBytea
	f8fn := func(f func(float64) (float64, error)) funcSig { return fn(f8, strict1(floats, floats, f), f8) }
	plain := func(f func(float64) float64) func(float64) (float64, error) {
		return func(x float64) (float64, error) { return f(x), nil }
	}
	register([]funcSig{fn(f8, strict2(floats, floats, floats, floatPower), f8, f8)}, "dpow")
	register([]funcSig{f8fn(floatExp)}, "exp")
	register([]funcSig{f8fn(floatLog(exactLn))}, "ln")
	register([]funcSig{f8fn(floatLog(libmLog10))}, "log", "log10")
	register([]funcSig{f8fn(floatCbrt)}, "cbrt")
	register([]funcSig{f8fn(plain(libmSinh))}, "sinh")
	register([]funcSig{f8fn(floatCosh)}, "cosh")
	register([]funcSig{f8fn(floatTanh)}, "tanh")
	register([]funcSig{f8fn(plain(libmAsinh))}, "asinh")
	register([]funcSig{f8fn(floatAcosh)}, "acosh")
	register([]funcSig{f8fn(floatAtanh)}, "atanh")
	register([]funcSig{f8fn(floatSind)}, "sind")
	register([]funcSig{f8fn(floatCosd)}, "cosd")
	register([]funcSig{f8fn(floatTand)}, "tand")
	register([]funcSig{f8fn(floatCotd)}, "cotd")
	register([]funcSig{f8fn(floatAsind)}, "asind")
	register([]funcSig{f8fn(floatAcosd)}, "acosd")
	register([]funcSig{f8fn(floatAtand)}, "atand")
	register([]funcSig{fn(f8, strict2(floats, floats, floats, floatAtan2d), f8, f8)}, "atan2d")
	registerSpecialAware([]funcSig{
		fn(i4, widthBucketImpl(floats, widthBucketFloat), f8, f8, f8, i4),
		fn(i4, widthBucketImpl(decs, widthBucketNumeric), num, num, num, i4),
	}, "width_bucket")
	var gcd, lcm []funcSig
	for _, t := range []types.Type{i4, i8} {
		lo, hi, msg := intRange(t.Kind)
		gcd = append(gcd, fn(t, strict2(ints, ints, ints, intGCD(lo, msg)), t, t))
		lcm = append(lcm, fn(t, strict2(ints, ints, ints, intLCM(lo, hi, msg)), t, t))
	}
	register(gcd, "gcd")
	register(lcm, "lcm")
	register([]funcSig{fn(bytea, strict1(floats, byteSlices, func(x float64) ([]byte, error) {
		return binary.BigEndian.AppendUint32(nil, math.Float32bits(float32(x))), nil
	}), f4)}, "float4send")
	register([]funcSig{fn(bytea, strict1(floats, byteSlices, func(x float64) ([]byte, error) {
		return binary.BigEndian.AppendUint64(nil, math.Float64bits(x)), nil
	}), f8)}, "float8send")
}
