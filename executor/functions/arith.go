package functions

import (
	"math"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// Kernel2 computes a strict binary operation for n rows into out, whose
// null bitmap is already set; a, b are full or constant vectors. Rows that
// are NULL must not raise errors.
type Kernel2 func(a, b *vector.Vector, n int, out *vector.Vector) error

type kernel2 = Kernel2

// Kernel1 is the unary counterpart of Kernel2.
type Kernel1 func(a *vector.Vector, n int, out *vector.Vector) error

type kernel1 = Kernel1

// intRange is the range of an integer type and the error for leaving it.
func intRange(k types.Kind) (lo, hi int64, msg string) {
	switch k {
	case types.Int2:
		return math.MinInt16, math.MaxInt16, "smallint out of range"
	case types.Int4:
		return math.MinInt32, math.MaxInt32, "integer out of range"
	}
	return math.MinInt64, math.MaxInt64, "bigint out of range"
}

func divisionByZero() error { return pgerr.New(pgerr.DivisionByZero, "division by zero") }

// arithKernel picks the kernel of an arithmetic operator for its operand
// and result types.
func arithKernel(op string, l, r, t types.Type) (kernel2, error) {
	if k, ok := datetimeKernel(op, l, r, t); ok {
		return k, nil
	}
	if l.Kind != r.Kind && !(l.IsInteger() && r.IsInteger()) {
		return nil, operatorError(op, l, r)
	}
	switch {
	case l.IsInteger() && t.IsInteger():
		return intArith(op, t)
	case l.Kind == types.Float4 || l.Kind == types.Float8:
		return floatArith(op, l, r, t)
	case l.Kind == types.Numeric:
		return decimalArith(op, l, r)
	case l.Kind == types.Interval && (op == plan.OpAdd || op == plan.OpSub):
		return intervalAddSub(op == plan.OpSub), nil
	}
	return nil, operatorError(op, l, r)
}

// intArith is integer arithmetic in the result type t, with PostgreSQL's
// overflow and division-by-zero errors. Division truncates toward zero and
// the remainder takes the dividend's sign, as in Go.
func intArith(op string, t types.Type) (kernel2, error) {
	lo, hi, msg := intRange(t.Kind)
	rangeErr := func() error { return pgerr.New(pgerr.NumericOutOfRange, "%s", msg) }
	var f func(p, q int64) (int64, bool, bool) // result, overflow, division by zero
	switch op {
	case plan.OpAdd:
		f = func(p, q int64) (int64, bool, bool) {
			r := p + q
			return r, (p^r)&(q^r) < 0, false
		}
	case plan.OpSub:
		f = func(p, q int64) (int64, bool, bool) {
			r := p - q
			return r, (p^q)&(p^r) < 0, false
		}
	case plan.OpMul:
		f = func(p, q int64) (int64, bool, bool) {
			r := p * q
			if int64(int32(p)) == p && int64(int32(q)) == q {
				return r, false, false
			}
			return r, p != 0 && (r/p != q || (p == -1 && q == math.MinInt64)), false
		}
	case plan.OpDiv:
		f = func(p, q int64) (int64, bool, bool) {
			if q == 0 {
				return 0, false, true
			}
			if q == -1 {
				return -p, p == math.MinInt64, false
			}
			return p / q, false, false
		}
	case plan.OpMod:
		f = func(p, q int64) (int64, bool, bool) {
			if q == 0 {
				return 0, false, true
			}
			if q == -1 {
				return 0, false, false
			}
			return p % q, false, false
		}
	default:
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", t.String(), op, t.String())
	}
	return func(a, b *vector.Vector, n int, out *vector.Vector) error {
		x, y := a.Int, b.Int
		am, bm := rowMask(a, n), rowMask(b, n)
		res := out.Int
		for i := range res {
			r, ovf, zero := f(x[i&am], y[i&bm])
			if ovf || zero || r < lo || r > hi {
				if out.Nulls.Get(i) {
					continue
				}
				if zero {
					return divisionByZero()
				}
				return rangeErr()
			}
			res[i] = r
		}
		return nil
	}, nil
}

// floatArith is IEEE arithmetic with PostgreSQL's checks: an infinite
// result from finite operands is an overflow, a zero result from non-zero
// operands of a multiplication or division an underflow. float4 rounds
// every result to single precision.
func floatArith(op string, l, r, t types.Type) (kernel2, error) {
	var f func(p, q float64) float64
	switch op {
	case plan.OpAdd:
		f = func(p, q float64) float64 { return p + q }
	case plan.OpSub:
		f = func(p, q float64) float64 { return p - q }
	case plan.OpMul:
		f = func(p, q float64) float64 { return p * q }
	case plan.OpDiv:
		f = func(p, q float64) float64 { return p / q }
	default:
		return nil, operatorError(op, l, r)
	}
	single := t.Kind == types.Float4
	checkUnderflow := op == plan.OpMul || op == plan.OpDiv
	return func(a, b *vector.Vector, n int, out *vector.Vector) error {
		x, y := a.Float, b.Float
		am, bm := rowMask(a, n), rowMask(b, n)
		res := out.Float
		for i := range res {
			p, q := x[i&am], y[i&bm]
			if op == plan.OpDiv && q == 0 && !math.IsNaN(p) {
				if out.Nulls.Get(i) {
					continue
				}
				return divisionByZero()
			}
			v := f(p, q)
			if single {
				v = float64(float32(v))
			}
			if err := checkFloatResult(v, p, q, checkUnderflow); err != nil && !out.Nulls.Get(i) {
				return err
			}
			res[i] = v
		}
		return nil
	}, nil
}

func checkFloatResult(v, p, q float64, underflow bool) error {
	if math.IsInf(v, 0) && !math.IsInf(p, 0) && !math.IsInf(q, 0) {
		return pgerr.New(pgerr.NumericOutOfRange, "value out of range: overflow")
	}
	if underflow && v == 0 && p != 0 && !math.IsInf(q, 0) && (q != 0) {
		return pgerr.New(pgerr.NumericOutOfRange, "value out of range: underflow")
	}
	return nil
}

// decimalArith is exact numeric arithmetic with PostgreSQL's result
// scales: + and - keep the larger scale, * adds the scales, / and %
// follow numeric.c (see numeric.go).
func decimalArith(op string, l, r types.Type) (kernel2, error) {
	var f func(p, q decimal.Decimal) (decimal.Decimal, error)
	switch op {
	case plan.OpAdd:
		f = func(p, q decimal.Decimal) (decimal.Decimal, error) { return p.Add(q), nil }
	case plan.OpSub:
		f = func(p, q decimal.Decimal) (decimal.Decimal, error) { return p.Sub(q), nil }
	case plan.OpMul:
		f = func(p, q decimal.Decimal) (decimal.Decimal, error) { return numericMul(p, q), nil }
	case plan.OpDiv:
		f = numericDiv
	case plan.OpMod:
		f = numericMod
	default:
		return nil, operatorError(op, l, r)
	}
	return pairKernel(decs, decs, decs, func(p, q decimal.Decimal) (decimal.Decimal, error) {
		v, err := f(p, q)
		return displayScale(v), err
	}), nil
}

// negKernel is unary minus.
func negKernel(t types.Type) (kernel1, error) {
	switch {
	case t.IsInteger():
		lo, hi, msg := intRange(t.Kind)
		return mapKernel(ints, ints, func(p int64) (int64, error) {
			if p == math.MinInt64 || -p < lo || -p > hi {
				return 0, pgerr.New(pgerr.NumericOutOfRange, "%s", msg)
			}
			return -p, nil
		}), nil
	case t.Kind == types.Float4 || t.Kind == types.Float8:
		return mapKernel(floats, floats, func(p float64) (float64, error) { return -p, nil }), nil
	case t.Kind == types.Numeric:
		return mapKernel(decs, decs, func(p decimal.Decimal) (decimal.Decimal, error) { return p.Neg(), nil }), nil
	case t.Kind == types.Interval:
		return mapKernel(intervals, intervals, func(p types.IntervalValue) (types.IntervalValue, error) {
			v, ok := negateInterval(p)
			if !ok {
				return v, intervalOutOfRange()
			}
			return v, nil
		}), nil
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: - %s", t.String())
}

// concatKernel is || on strings or bytea.
func concatKernel(l, r types.Type) (kernel2, error) {
	switch {
	case l.Physical() == types.PhysString && r.Physical() == types.PhysString:
		return pairKernel(strs, strs, strs, func(p, q string) (string, error) { return p + q, nil }), nil
	case l.Kind == types.Bytea && r.Kind == types.Bytea:
		return pairKernel(byteSlices, byteSlices, byteSlices, func(p, q []byte) ([]byte, error) {
			return append(append(make([]byte, 0, len(p)+len(q)), p...), q...), nil
		}), nil
	}
	return nil, operatorError(plan.OpConcat, l, r)
}

func operatorError(op string, l, r types.Type) error {
	return pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", l.String(), op, r.String()).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
}
