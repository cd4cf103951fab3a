package functions

import (
	"math"
	"math/big"
)

// PostgreSQL's double precision functions call the C library, whose
// exp, log and their kin give the correctly rounded result in all but
// rare cases; Go's math package is often an ulp off. These compute in
// binary floating point of floatWorkBits bits and round once to the
// nearest double, which is that correctly rounded result.
const floatWorkBits = 160

func bigOf(x float64) *big.Float { return new(big.Float).SetPrec(floatWorkBits).SetFloat64(x) }

func nearest(f *big.Float) float64 {
	r, _ := f.Float64()
	return r
}

// finiteArg reports whether x is a finite number the big-float path takes;
// the others keep math's answers, which are exact for them.
func finiteArg(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) && x != 0 }

func exactExp(x float64) float64 {
	// Beyond these the result overflows or underflows a double anyway.
	if !finiteArg(x) || x > 710 || x < -746 {
		return math.Exp(x)
	}
	return nearest(bigExp(bigOf(x)))
}

func exactLn(x float64) float64 {
	if !finiteArg(x) || x < 0 || x == 1 {
		return math.Log(x)
	}
	return nearest(bigLn(bigOf(x)))
}

// The hyperbolic functions and log10 follow the C library's
// formulas (those of fdlibm, in terms of expm1, log1p and the correctly
// rounded exp and log above), so that their roundings are the library's.
const ln2 = 6.93147180559945286227e-01

func highWord(x float64) uint32 { return uint32(math.Float64bits(x) >> 32) }

func libmSinh(x float64) float64 {
	ix := highWord(x) & 0x7fffffff
	if ix >= 0x7ff00000 {
		return x + x
	}
	h := 0.5
	if x < 0 {
		h = -h
	}
	a := math.Abs(x)
	switch {
	case ix < 0x3e300000: // |x| < 2^-28
		return x
	case ix < 0x40360000: // |x| < 22
		t := math.Expm1(a)
		if ix < 0x3ff00000 {
			return h * (2*t - t*t/(t+1))
		}
		return h * (t + t/(t+1))
	case ix < 0x40862E42: // |x| < log(maxdouble)
		return h * exactExp(a)
	case a <= 7.10475860073943863426e+02: // overflow threshold
		w := exactExp(0.5 * a)
		t := h * w
		return t * w
	}
	return x * math.Inf(1)
}

func libmCosh(x float64) float64 {
	ix := highWord(x) & 0x7fffffff
	if ix >= 0x7ff00000 {
		return x * x
	}
	a := math.Abs(x)
	switch {
	case ix < 0x3fd62e43: // |x| < ln2/2
		t := math.Expm1(a)
		w := 1 + t
		if ix < 0x3c800000 {
			return w
		}
		return 1 + (t*t)/(w+w)
	case ix < 0x40360000: // |x| < 22
		t := exactExp(a)
		return 0.5*t + 0.5/t
	case ix < 0x40862E42:
		return 0.5 * exactExp(a)
	case a <= 7.10475860073943863426e+02:
		w := exactExp(0.5 * a)
		t := 0.5 * w
		return t * w
	}
	return math.Inf(1)
}

func libmTanh(x float64) float64 {
	ix := highWord(x) & 0x7fffffff
	if ix >= 0x7ff00000 {
		if math.IsNaN(x) {
			return x
		}
		return math.Copysign(1, x)
	}
	var z float64
	switch {
	case ix < 0x3c800000: // |x| < 2^-55
		return x * (1 + x)
	case ix < 0x40360000: // |x| < 22
		if ix >= 0x3ff00000 {
			t := math.Expm1(2 * math.Abs(x))
			z = 1 - 2/(t+2)
		} else {
			t := math.Expm1(-2 * math.Abs(x))
			z = -t / (t + 2)
		}
	default:
		z = 1
	}
	if x < 0 {
		return -z
	}
	return z
}

func libmAsinh(x float64) float64 {
	ix := highWord(x) & 0x7fffffff
	if ix >= 0x7ff00000 {
		return x + x
	}
	if ix < 0x3e300000 { // |x| < 2^-28
		return x
	}
	a := math.Abs(x)
	var w float64
	switch {
	case ix > 0x41b00000: // |x| > 2^28
		w = exactLn(a) + ln2
	case ix > 0x40000000: // |x| > 2
		w = exactLn(2*a + 1/(math.Sqrt(x*x+1)+a))
	default:
		t := x * x
		w = math.Log1p(a + t/(1+math.Sqrt(1+t)))
	}
	if x < 0 {
		return -w
	}
	return w
}

func libmAcosh(x float64) float64 {
	hx := highWord(x)
	switch {
	case x < 1 || math.IsNaN(x):
		return math.NaN()
	case hx >= 0x41b00000: // x > 2^28
		if math.IsInf(x, 1) {
			return x
		}
		return exactLn(x) + ln2
	case x == 1:
		return 0
	case hx > 0x40000000: // x > 2
		t := x * x
		return exactLn(2*x - 1/(x+math.Sqrt(t-1)))
	}
	t := x - 1
	return math.Log1p(t + math.Sqrt(2*t+t*t))
}

// libmLog10 is log10 as the C library computes it: the exponent's part
// and the logarithm of the mantissa scaled apart.
func libmLog10(x float64) float64 {
	const (
		two54   = 1.80143985094819840000e+16
		ivln10  = 4.34294481903251816668e-01
		log10Hi = 3.01029995663611771306e-01
		log10Lo = 3.69423907715893078616e-13
	)
	if math.IsNaN(x) || x <= 0 || math.IsInf(x, 1) {
		return math.Log10(x)
	}
	k := 0
	if x < math.SmallestNonzeroFloat64*(1<<52) { // subnormal
		k -= 54
		x *= two54
	}
	bits := math.Float64bits(x)
	hx := uint32(bits >> 32)
	k += int(hx>>20) - 1023
	i := 0
	if k < 0 {
		i = 1
	}
	hx = (hx & 0x000fffff) | uint32(0x3ff-i)<<20
	x = math.Float64frombits(uint64(hx)<<32 | bits&0xffffffff)
	y := float64(k + i)
	z := y*log10Lo + ivln10*exactLn(x)
	return z + y*log10Hi
}

// The degree functions scale the C library's sin, cos, asin, acos and
// atan, which round correctly in all but rare cases; these do.

// bigTrigSeries sums the Taylor series of sin (first x, start 1) or cos
// (first 1, start 0) at r, each term the last times -r²/((n+1)(n+2)).
func bigTrigSeries(r, first *big.Float, start int64) *big.Float {
	r2 := new(big.Float).SetPrec(floatWorkBits).Mul(r, r)
	sum := new(big.Float).SetPrec(floatWorkBits).Set(first)
	term := new(big.Float).SetPrec(floatWorkBits).Set(first)
	for n := start; n < 200; n += 2 {
		term.Mul(term, r2)
		term.Quo(term, bigOf(float64(-(n+1)*(n+2))))
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-floatWorkBits {
			break
		}
		sum.Add(sum, term)
	}
	return sum
}

// exactSin and exactCos take arguments of at most a few radians.
func exactSin(x float64) float64 {
	if x == 0 {
		return x
	}
	return nearest(bigTrigSeries(bigOf(x), bigOf(x), 1))
}

func exactCos(x float64) float64 {
	return nearest(bigTrigSeries(bigOf(x), bigOf(1), 0))
}

// bigAtan is atan(a) for any a: halved by atan(a) = 2·atan(a/(1+√(1+a²)))
// until the series converges fast.
func bigAtan(a *big.Float) *big.Float {
	x := new(big.Float).SetPrec(floatWorkBits).Set(a)
	halvings := 0
	limit := bigOf(1.0 / 64)
	for new(big.Float).Abs(x).Cmp(limit) > 0 {
		s := new(big.Float).SetPrec(floatWorkBits).Mul(x, x)
		s.Add(s, bigOf(1)).Sqrt(s).Add(s, bigOf(1))
		x.Quo(x, s)
		halvings++
	}
	x2 := new(big.Float).SetPrec(floatWorkBits).Mul(x, x)
	sum := new(big.Float).SetPrec(floatWorkBits).Set(x)
	pow := new(big.Float).SetPrec(floatWorkBits).Set(x)
	for n := int64(3); n < 400; n += 2 {
		pow.Mul(pow, x2).Neg(pow)
		term := new(big.Float).SetPrec(floatWorkBits).Quo(pow, bigOf(float64(n)))
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-floatWorkBits {
			break
		}
		sum.Add(sum, term)
	}
	return sum.SetMantExp(sum, halvings)
}

func exactAtan(x float64) float64 {
	switch {
	case math.IsNaN(x) || x == 0:
		return x
	case math.IsInf(x, 0):
		return math.Copysign(nearest(new(big.Float).SetPrec(floatWorkBits).SetMantExp(bigAtan(bigOf(1)), 1)), x)
	}
	return nearest(bigAtan(bigOf(x)))
}

// exactAtan2 is atan2(y, x) for the quadrant's signs of y and x.
func exactAtan2(y, x float64) float64 {
	switch {
	case math.IsInf(x, 0) || math.IsInf(y, 0) || x == 0 || y == 0:
		return math.Atan2(y, x) // exact multiples of pi/4, or zero
	}
	r := bigAtan(new(big.Float).SetPrec(floatWorkBits).Quo(bigOf(y), bigOf(x)))
	if x < 0 {
		pi := new(big.Float).SetPrec(floatWorkBits).SetMantExp(bigAtan(bigOf(1)), 2)
		if y < 0 {
			pi.Neg(pi)
		}
		r.Add(r, pi)
	}
	return nearest(r)
}

// exactAsin and exactAcos take x in [0, 1].
func exactAsin(x float64) float64 {
	if x == 0 {
		return x
	}
	// asin(x) = 2·atan(x / (1 + √(1-x²))), free of cancellation.
	a := bigOf(x)
	s := new(big.Float).SetPrec(floatWorkBits).Mul(a, a)
	s.Sub(bigOf(1), s).Sqrt(s).Add(s, bigOf(1))
	r := bigAtan(a.Quo(a, s))
	return nearest(r.SetMantExp(r, 1))
}

func exactAcos(x float64) float64 {
	if x == 1 {
		return 0
	}
	// acos(x) = 2·atan(√((1-x)/(1+x))).
	num := new(big.Float).SetPrec(floatWorkBits).Sub(bigOf(1), bigOf(x))
	num.Quo(num, new(big.Float).SetPrec(floatWorkBits).Add(bigOf(1), bigOf(x))).Sqrt(num)
	r := bigAtan(num)
	return nearest(r.SetMantExp(r, 1))
}
