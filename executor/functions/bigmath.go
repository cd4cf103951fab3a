package functions

import (
	"math"
	"math/big"

	"github.com/shopspring/decimal"
)

// The transcendental numeric functions (exp, ln, log, power with a
// fractional exponent) are computed in binary floating point of as many
// bits as the result's digits need plus guard bits, then rounded once to
// the result scale PostgreSQL chooses: the digits shown are the correctly
// rounded ones, as PostgreSQL's own guard-digit arithmetic gives.

// guardDigits are the decimal digits computed beyond those a result shows.
const guardDigits = 24

// bitsForDigits is the mantissa size that holds digits decimal digits
// plus guard bits.
func bitsForDigits(digits int) uint {
	return uint(float64(max(digits, 1)+guardDigits)*math.Log2(10)) + 64
}

// bigFloatOf converts d to a binary float of prec bits.
func bigFloatOf(d decimal.Decimal, prec uint) *big.Float {
	f := new(big.Float).SetPrec(prec).SetInt(d.Coefficient())
	exp := d.Exponent()
	if exp == 0 {
		return f
	}
	p := new(big.Float).SetPrec(prec).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(absInt32(exp))), nil))
	if exp > 0 {
		return f.Mul(f, p)
	}
	return f.Quo(f, p)
}

func absInt32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// decimalOfFloat rounds f to scale digits after the point, half away from
// zero, from its digits to guardDigits/2 places further.
func decimalOfFloat(f *big.Float, scale int32) decimal.Decimal {
	extra := scale + guardDigits/2
	p := new(big.Float).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(extra)), nil))
	scaled, _ := new(big.Float).SetPrec(f.Prec()+64).Mul(f, p).Int(nil)
	return decimal.NewFromBigInt(scaled, -extra).Round(scale)
}

// bigExp is e^x at x's precision.
func bigExp(x *big.Float) *big.Float {
	prec := x.Prec()
	if x.Sign() == 0 {
		return new(big.Float).SetPrec(prec).SetInt64(1)
	}
	// exp(x) = exp(x / 2^k)^(2^k) with |x / 2^k| < 2^-8: the series
	// converges at 8 bits a term; each squaring costs a bit of precision.
	k := max(x.MantExp(nil)+8, 0)
	work := prec + uint(k) + 16
	r := new(big.Float).SetPrec(work).SetMantExp(x, -k)
	sum := new(big.Float).SetPrec(work).SetInt64(1)
	term := new(big.Float).SetPrec(work).SetInt64(1)
	for i := int64(1); ; i++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetPrec(work).SetInt64(i))
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-int(work) {
			break
		}
		sum.Add(sum, term)
	}
	for ; k > 0; k-- {
		sum.Mul(sum, sum)
	}
	return sum.SetPrec(prec)
}

// bigLn is the natural logarithm of a positive x, with an absolute error
// below 2^-(x's precision - 32).
func bigLn(x *big.Float) *big.Float {
	prec := x.Prec()
	work := prec + 32
	m := new(big.Float).SetPrec(work)
	e := x.MantExp(m) // x = m × 2^e, 0.5 <= m < 1
	if e == 0 || e == 1 {
		// Near 1 the logarithm is taken whole, so that nothing cancels.
		return lnSeries(new(big.Float).SetPrec(work).Set(x)).SetPrec(prec)
	}
	r := lnSeries(m)
	ln2 := lnSeries(new(big.Float).SetPrec(work).SetFloat64(0.5))
	ln2.Neg(ln2)
	r.Add(r, ln2.Mul(ln2, new(big.Float).SetPrec(work).SetInt64(int64(e))))
	return r.SetPrec(prec)
}

// lnSeries is ln(y) = 2·atanh((y-1)/(y+1)) for y in [0.5, 2), where
// |z| <= 1/3 and each term gains about a digit.
func lnSeries(y *big.Float) *big.Float {
	work := y.Prec()
	one := new(big.Float).SetPrec(work).SetInt64(1)
	z := new(big.Float).SetPrec(work).Sub(y, one)
	z.Quo(z, new(big.Float).SetPrec(work).Add(y, one))
	if z.Sign() == 0 {
		return new(big.Float).SetPrec(work)
	}
	z2 := new(big.Float).SetPrec(work).Mul(z, z)
	sum := new(big.Float).SetPrec(work).Set(z)
	pow := new(big.Float).SetPrec(work).Set(z)
	term := new(big.Float).SetPrec(work)
	for n := int64(3); ; n += 2 {
		pow.Mul(pow, z2)
		term.Quo(pow, new(big.Float).SetPrec(work).SetInt64(n))
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-int(work) {
			break
		}
		sum.Add(sum, term)
	}
	return sum.Mul(sum, new(big.Float).SetPrec(work).SetInt64(2))
}
