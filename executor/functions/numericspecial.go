package functions

import (
	"math"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// numeric's special values (NaN, Infinity, -Infinity) in arithmetic and
// in the numeric functions, with the results numeric.c gives them. Each
// function here answers for operands of which at least one is special;
// the callers compute with numbers otherwise.

var (
	nan  = types.NumericNaN
	pinf = types.NumericPosInf
	ninf = types.NumericNegInf
)

func isSpecial(d decimal.Decimal) bool { return types.IsNumericSpecial(d) }
func isNaN(d decimal.Decimal) bool     { return types.IsNumericNaN(d) }

func anySpecial(ds ...decimal.Decimal) bool {
	for _, d := range ds {
		if isSpecial(d) {
			return true
		}
	}
	return false
}

func anyNaN(ds ...decimal.Decimal) bool {
	for _, d := range ds {
		if isNaN(d) {
			return true
		}
	}
	return false
}

func numericAdd(p, q decimal.Decimal) (decimal.Decimal, error) {
	if !anySpecial(p, q) {
		return p.Add(q), nil
	}
	return addSpecial(p, q), nil
}

func numericSub(p, q decimal.Decimal) (decimal.Decimal, error) {
	if !anySpecial(p, q) {
		return p.Sub(q), nil
	}
	return addSpecial(p, q.Neg()), nil
}

// addSpecial is p + q: opposite infinities make NaN, an infinity wins
// over a number.
func addSpecial(p, q decimal.Decimal) decimal.Decimal {
	switch {
	case anyNaN(p, q):
		return nan
	case isSpecial(p) && isSpecial(q) && p.Sign() != q.Sign():
		return nan
	case isSpecial(p):
		return p
	}
	return q
}

func numericMulSpecial(p, q decimal.Decimal) (decimal.Decimal, error) {
	if !anySpecial(p, q) {
		return numericMul(p, q), nil
	}
	// An infinity times zero is NaN; otherwise the signs multiply.
	sign := p.Sign() * q.Sign()
	if anyNaN(p, q) || sign == 0 {
		return nan, nil
	}
	return types.NumericInf(sign), nil
}

// divSpecial is p / q (truncating to an integer or not, the same for
// these): an infinity over a number keeps its sign, a number over an
// infinity is zero.
func divSpecial(p, q decimal.Decimal) (decimal.Decimal, error) {
	switch {
	case anyNaN(p, q):
		return nan, nil
	case isSpecial(p) && isSpecial(q):
		return nan, nil
	case isSpecial(p):
		if q.Sign() == 0 {
			return decimal.Decimal{}, divisionByZero()
		}
		return types.NumericInf(p.Sign() * q.Sign()), nil
	}
	return decimal.Decimal{}, nil
}

// modSpecial is p % q: an infinity has no remainder, and a number's
// remainder by an infinity is the number.
func modSpecial(p, q decimal.Decimal) (decimal.Decimal, error) {
	switch {
	case anyNaN(p, q):
		return nan, nil
	case isSpecial(p):
		if q.Sign() == 0 {
			return decimal.Decimal{}, divisionByZero()
		}
		return nan, nil
	}
	return p, nil
}

// numericSign is sign(numeric): NaN for NaN, ±1 for the infinities.
func numericSign(d decimal.Decimal) decimal.Decimal {
	if isNaN(d) {
		return nan
	}
	return decimal.NewFromInt(int64(d.Sign()))
}

// keepSpecial lifts a function of numbers to one that returns the
// special values unchanged, as floor, ceil, round, trunc and trim_scale
// do.
func keepSpecial(f func(decimal.Decimal) (decimal.Decimal, error)) func(decimal.Decimal) (decimal.Decimal, error) {
	return func(d decimal.Decimal) (decimal.Decimal, error) {
		if isSpecial(d) {
			return d, nil
		}
		return f(d)
	}
}

func keepSpecial2[B any](f func(decimal.Decimal, B) (decimal.Decimal, error)) func(decimal.Decimal, B) (decimal.Decimal, error) {
	return func(d decimal.Decimal, b B) (decimal.Decimal, error) {
		if isSpecial(d) {
			return d, nil
		}
		return f(d, b)
	}
}

// growthSpecial gives sqrt, exp, ln and log10 of a special value: NaN
// and Infinity stay, -Infinity is negInf's answer.
func growthSpecial(f func(decimal.Decimal) (decimal.Decimal, error), negInf func() (decimal.Decimal, error)) func(decimal.Decimal) (decimal.Decimal, error) {
	return func(d decimal.Decimal) (decimal.Decimal, error) {
		switch {
		case !isSpecial(d):
			return f(d)
		case d.Sign() < 0:
			return negInf()
		}
		return d, nil
	}
}

func negativeLogError() (decimal.Decimal, error) {
	return decimal.Decimal{}, pgerr.New(invalidArgumentForLog, "cannot take logarithm of a negative number")
}

// logSpecial is log(base, num) with a special operand.
func logSpecial(base, num decimal.Decimal) (decimal.Decimal, error) {
	switch {
	case anyNaN(base, num):
		return nan, nil
	case base.Sign() < 0 || num.Sign() < 0:
		return negativeLogError()
	case base.Sign() == 0 || num.Sign() == 0:
		return decimal.Decimal{}, pgerr.New(invalidArgumentForLog, "cannot take logarithm of zero")
	case isSpecial(base) && isSpecial(num):
		return nan, nil // Inf / Inf
	case isSpecial(base):
		return decimal.Zero, nil
	}
	return pinf, nil
}

// powerSpecial is power(base, exp) with a special operand, by the rules
// POSIX gives pow(3): NaN ^ 0 and 1 ^ NaN are 1.
func powerSpecial(base, exp decimal.Decimal) (decimal.Decimal, error) {
	if isNaN(base) {
		if !isSpecial(exp) && exp.IsZero() {
			return decOne, nil
		}
		return nan, nil
	}
	if isNaN(exp) {
		if !isSpecial(base) && base.Equal(decOne) {
			return decOne, nil
		}
		return nan, nil
	}
	if base.Sign() == 0 && exp.Sign() < 0 {
		return decimal.Decimal{}, pgerr.New(invalidArgumentForPower, "zero raised to a negative power is undefined")
	}
	if base.Sign() < 0 && !isSpecial(exp) && !exp.IsInteger() {
		return decimal.Decimal{}, pgerr.New(invalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result")
	}
	if !isSpecial(base) && base.Equal(decOne) {
		return decOne, nil
	}
	if exp.Sign() == 0 {
		return decOne, nil
	}
	if isSpecial(exp) {
		absGreaterThanOne := true
		if !isSpecial(base) {
			if base.Equal(decOne.Neg()) {
				return decOne, nil
			}
			absGreaterThanOne = base.Abs().Cmp(decOne) > 0
		}
		if absGreaterThanOne == (exp.Sign() > 0) {
			return pinf, nil
		}
		return decimal.Zero, nil
	}
	// base is an infinity, exp a non-zero number.
	if exp.Sign() < 0 {
		return decimal.Zero, nil
	}
	if base.Sign() < 0 && exp.IsInteger() && exp.Mod(decimal.New(2, 0)).Sign() != 0 {
		return ninf, nil
	}
	return pinf, nil
}

// numericToFloat converts a numeric to double precision, the special
// values to their float twins.
func numericToFloat(d decimal.Decimal) float64 {
	if isSpecial(d) {
		switch d.Sign() {
		case 0:
			return math.NaN()
		case 1:
			return math.Inf(1)
		}
		return math.Inf(-1)
	}
	f, _ := d.Float64()
	return f
}

// specialNumericToInt is the error converting a special value to an
// integer type.
func specialNumericToInt(d decimal.Decimal, k types.Kind) error {
	what := "infinity"
	if isNaN(d) {
		what = "NaN"
	}
	return pgerr.New(pgerr.FeatureNotSupported, "cannot convert %s to %s", what, types.Type{Kind: k}.BaseName())
}

// registerSpecialAware registers signatures whose implementations give
// numeric's special values their own answers.
func registerSpecialAware(sigs []funcSig, names ...string) {
	for _, n := range names {
		functions[n] = append(functions[n], sigs...)
	}
}

// refuseNumericSpecials guards the signatures with a numeric parameter
// registered without registerSpecialAware: their implementations compute
// with numbers only, so a NaN or infinite argument is refused rather than
// computed with.
func refuseNumericSpecials(sigs []funcSig, name string) []funcSig {
	out := make([]funcSig, len(sigs))
	for i, sig := range sigs {
		out[i] = sig
		for _, p := range sig.params {
			if p.Kind == types.Numeric {
				out[i].impl = refuseSpecialArguments(name, sig.impl)
				break
			}
		}
	}
	return out
}

func refuseSpecialArguments(name string, impl funcImpl) funcImpl {
	return func(fc *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		for _, a := range args {
			if a.Type.Physical() != types.PhysDecimal {
				continue
			}
			m := rowMask(a, n)
			for i := 0; i < n; i++ {
				if r := i & m; !a.IsNull(r) && isSpecial(a.Dec[r]) {
					return pgerr.NotSupported("NaN or infinity as an argument of " + name)
				}
			}
		}
		return impl(fc, args, n, out)
	}
}

// numericScaleOf is scale(numeric) or, minimal, min_scale(numeric): NULL
// for the special values, which have no digits.
func numericScaleOf(minimal bool) funcImpl {
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		a := args[0]
		m := rowMask(a, n)
		for i := 0; i < n; i++ {
			if out.Nulls.Get(i) {
				continue
			}
			d := a.Dec[i&m]
			switch {
			case isSpecial(d):
				out.SetNull(i)
			case minimal:
				out.Int[i] = int64(minScale(d))
			default:
				out.Int[i] = int64(scaleOf(d))
			}
		}
		return nil
	}
}

// nanIfSpecial lifts a function of two numbers to one that is NaN when
// either argument is special, as gcd and lcm are.
func nanIfSpecial(f func(a, b decimal.Decimal) (decimal.Decimal, error)) func(a, b decimal.Decimal) (decimal.Decimal, error) {
	return func(a, b decimal.Decimal) (decimal.Decimal, error) {
		if anySpecial(a, b) {
			return nan, nil
		}
		return f(a, b)
	}
}
