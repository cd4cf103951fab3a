package functions

import (
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// Accessors of a vector's value slice, for the generic kernels.
func ints(v *vector.Vector) []int64                    { return v.Int }
func floats(v *vector.Vector) []float64                { return v.Float }
func decs(v *vector.Vector) []decimal.Decimal          { return v.Dec }
func strs(v *vector.Vector) []string                   { return v.Str }
func bools(v *vector.Vector) []bool                    { return v.Bool }
func byteSlices(v *vector.Vector) [][]byte             { return v.Bytes }
func intervals(v *vector.Vector) []types.IntervalValue { return v.Iv }

// pairKernel builds a strict binary kernel from a function of two values;
// NULL rows are skipped.
func pairKernel[A, B, R any](first func(*vector.Vector) []A, second func(*vector.Vector) []B, result func(*vector.Vector) []R, f func(A, B) (R, error)) kernel2 {
	return func(a, b *vector.Vector, n int, out *vector.Vector) error {
		x, y, res := first(a), second(b), result(out)
		am, bm := rowMask(a, n), rowMask(b, n)
		for i := range res {
			if out.Nulls.Get(i) {
				continue
			}
			r, err := f(x[i&am], y[i&bm])
			if err != nil {
				return err
			}
			res[i] = r
		}
		return nil
	}
}

// mapKernel builds a strict unary kernel from a function of one value.
func mapKernel[A, R any](arg func(*vector.Vector) []A, result func(*vector.Vector) []R, f func(A) (R, error)) kernel1 {
	return func(a *vector.Vector, n int, out *vector.Vector) error {
		x, res := arg(a), result(out)
		for i := range res {
			if out.Nulls.Get(i) {
				continue
			}
			r, err := f(x[i])
			if err != nil {
				return err
			}
			res[i] = r
		}
		return nil
	}
}

// swapped passes a binary kernel its operands in the other order.
func swapped(k kernel2) kernel2 {
	return func(a, b *vector.Vector, n int, out *vector.Vector) error { return k(b, a, n, out) }
}

// The library's short names for the vector package's helpers of the
// executor's vector conventions (constant vectors, null bitmaps), the
// vocabulary every function implementation here is written in.

func isConst(v *vector.Vector, n int) bool                   { return vector.IsConst(v, n) }
func rowMask(v *vector.Vector, n int) int                    { return vector.RowMask(v, n) }
func newVector(t types.Type, n int) *vector.Vector           { return vector.Make(t, n) }
func strictNulls(n int, args ...*vector.Vector) vector.Nulls { return vector.StrictNulls(n, args...) }
func gather(v *vector.Vector, sel []int32) *vector.Vector    { return vector.Gather(v, sel) }
func setDatum(v *vector.Vector, i int, d types.Datum)        { vector.SetDatum(v, i, d) }
func identity(n int) []int32                                 { return vector.Identity(n) }
func fill[T any](s []T, x T)                                 { vector.Fill(s, x) }
func allConst(vs []*vector.Vector, n int) bool               { return vector.AllConst(vs, n) }
func constVector(t types.Type, d types.Datum) *vector.Vector { return vector.Const(t, d) }
func nullConst(t types.Type) *vector.Vector                  { return vector.NullConst(t) }
func isNullConst(v *vector.Vector, n int) bool               { return vector.IsNullConst(v, n) }
