package executor

import (
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// Inside the executor an evaluated expression may be a constant vector: a
// vector with one value standing for every row of the batch. It is told
// apart by its length: a vector whose length differs from the batch's row
// count is constant (for a one-row batch both readings agree). Constants
// never leave the package: Eval and the operators expand them.

// isConst reports whether v is a constant vector for a batch of n rows.
func isConst(v *vector.Vector, n int) bool { return v.Len() != n }

// rowMask turns a row number into v's index with i&mask: 0 for a constant
// vector, all ones otherwise. It lets one loop serve both layouts.
func rowMask(v *vector.Vector, n int) int {
	if isConst(v, n) {
		return 0
	}
	return -1
}

// allConst reports whether every vector is constant for n rows.
func allConst(vs []*vector.Vector, n int) bool {
	for _, v := range vs {
		if !isConst(v, n) {
			return false
		}
	}
	return true
}

// newVector returns a vector of type t holding n zero values.
func newVector(t types.Type, n int) *vector.Vector {
	v := &vector.Vector{Type: t}
	switch t.Physical() {
	case types.PhysBool:
		v.Bool = make([]bool, n)
	case types.PhysInt:
		v.Int = make([]int64, n)
	case types.PhysFloat:
		v.Float = make([]float64, n)
	case types.PhysDecimal:
		v.Dec = make([]decimal.Decimal, n)
	case types.PhysString:
		v.Str = make([]string, n)
	case types.PhysBytes:
		v.Bytes = make([][]byte, n)
	case types.PhysInterval:
		v.Iv = make([]types.IntervalValue, n)
	}
	return v
}

// constVector is the constant vector holding d.
func constVector(t types.Type, d types.Datum) *vector.Vector {
	v := vector.New(t, 1)
	v.AppendDatum(d)
	return v
}

// nullConst is the constant NULL of type t.
func nullConst(t types.Type) *vector.Vector { return constVector(t, types.NullDatum) }

// isNullConst reports whether v is a constant NULL for n rows.
func isNullConst(v *vector.Vector, n int) bool { return isConst(v, n) && v.IsNull(0) }

// materialize returns v with one value per row, expanding a constant.
func materialize(v *vector.Vector, n int) *vector.Vector {
	if !isConst(v, n) {
		return v
	}
	out := newVector(v.Type, n)
	if v.IsNull(0) {
		out.Nulls = allNulls(n)
		return out
	}
	switch v.Type.Physical() {
	case types.PhysBool:
		fill(out.Bool, v.Bool[0])
	case types.PhysInt:
		fill(out.Int, v.Int[0])
	case types.PhysFloat:
		fill(out.Float, v.Float[0])
	case types.PhysDecimal:
		fill(out.Dec, v.Dec[0])
	case types.PhysString:
		fill(out.Str, v.Str[0])
	case types.PhysBytes:
		fill(out.Bytes, v.Bytes[0])
	case types.PhysInterval:
		fill(out.Iv, v.Iv[0])
	}
	return out
}

func fill[T any](s []T, x T) {
	for i := range s {
		s[i] = x
	}
}

// words is the length of a null bitmap for n rows.
func words(n int) int { return (n + 63) >> 6 }

// allNulls is a bitmap marking n rows null.
func allNulls(n int) vector.Nulls {
	ns := make(vector.Nulls, words(n))
	for i := range ns {
		ns[i] = ^uint64(0)
	}
	if r := n & 63; r != 0 {
		ns[len(ns)-1] = 1<<uint(r) - 1
	}
	return ns
}

// setNull marks row i null in a bitmap of the right length.
func setNull(ns vector.Nulls, i int) { ns[i>>6] |= 1 << (uint(i) & 63) }

// strictNulls is the null bitmap of an operation that is NULL whenever one
// of its arguments is; nil when no row is null.
func strictNulls(n int, args ...*vector.Vector) vector.Nulls {
	var out vector.Nulls
	for _, a := range args {
		if isConst(a, n) {
			if a.IsNull(0) {
				return allNulls(n)
			}
			continue
		}
		if !a.HasNulls() {
			continue
		}
		if out == nil {
			out = make(vector.Nulls, words(n))
		}
		for w := 0; w < len(out) && w < len(a.Nulls); w++ {
			out[w] |= a.Nulls[w]
		}
	}
	return out
}

// selectTrue lists the rows where a boolean vector is true (not NULL); nil
// with all=true when every one of n rows is. The loop has no data-dependent
// branch, as predicates are often true for half the rows at random.
func selectTrue(v *vector.Vector, n int) (sel []int32, all bool) {
	if isConst(v, n) {
		if !v.IsNull(0) && v.Bool[0] {
			return nil, true
		}
		return []int32{}, false
	}
	sel = make([]int32, n)
	k := 0
	if v.HasNulls() {
		nulls := v.Nulls
		for i, b := range v.Bool[:n] {
			sel[k] = int32(i)
			notNull := 1
			if w := i >> 6; w < len(nulls) {
				notNull = int(nulls[w]>>(uint(i)&63)&1) ^ 1
			}
			k += b2i(b) & notNull
		}
	} else {
		for i, b := range v.Bool[:n] {
			sel[k] = int32(i)
			k += b2i(b)
		}
	}
	if k == n {
		return nil, true
	}
	return sel[:k], false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// gather returns the rows sel of v (a full or constant vector) as a new
// full vector. A negative index yields NULL.
func gather(v *vector.Vector, sel []int32) *vector.Vector {
	out := newVector(v.Type, len(sel))
	switch v.Type.Physical() {
	case types.PhysBool:
		gatherValues(out.Bool, v.Bool, sel)
	case types.PhysInt:
		gatherValues(out.Int, v.Int, sel)
	case types.PhysFloat:
		gatherValues(out.Float, v.Float, sel)
	case types.PhysDecimal:
		gatherValues(out.Dec, v.Dec, sel)
	case types.PhysString:
		gatherValues(out.Str, v.Str, sel)
	case types.PhysBytes:
		gatherValues(out.Bytes, v.Bytes, sel)
	case types.PhysInterval:
		gatherValues(out.Iv, v.Iv, sel)
	}
	out.Nulls = gatherNulls(v.Nulls, v.Len(), sel)
	return out
}

// gatherValues copies src[sel[i]] to dst[i]; a one-value src is a constant.
func gatherValues[T any](dst, src []T, sel []int32) {
	if len(src) == 1 {
		for i, j := range sel {
			if j >= 0 {
				dst[i] = src[0]
			}
		}
		return
	}
	for i, j := range sel {
		if j >= 0 {
			dst[i] = src[j]
		}
	}
}

func gatherNulls(ns vector.Nulls, srcLen int, sel []int32) vector.Nulls {
	var out vector.Nulls
	hasNulls := false
	for _, w := range ns {
		if w != 0 {
			hasNulls = true
			break
		}
	}
	constNull := srcLen == 1 && ns.Get(0)
	for i, j := range sel {
		null := j < 0
		if !null && hasNulls {
			if srcLen == 1 {
				null = constNull
			} else {
				null = ns.Get(int(j))
			}
		}
		if null {
			if out == nil {
				out = make(vector.Nulls, words(len(sel)))
			}
			setNull(out, i)
		}
	}
	return out
}

// gatherBatch returns the rows sel of b. Only the columns listed in cols
// are copied (the others are left nil), or all when cols is nil.
func gatherBatch(b *vector.Batch, sel []int32, cols []int) *vector.Batch {
	out := &vector.Batch{Cols: make([]*vector.Vector, len(b.Cols)), Len: len(sel)}
	if cols == nil {
		for c, v := range b.Cols {
			out.Cols[c] = gather(v, sel)
		}
		return out
	}
	for _, c := range cols {
		if c < len(b.Cols) && b.Cols[c] != nil {
			out.Cols[c] = gather(b.Cols[c], sel)
		}
	}
	return out
}

// scatter writes src (values for the rows sel, full or constant) into the
// full vector dst at those rows.
func scatter(dst, src *vector.Vector, sel []int32) {
	m := rowMask(src, len(sel))
	switch dst.Type.Physical() {
	case types.PhysBool:
		scatterValues(dst.Bool, src.Bool, sel, m)
	case types.PhysInt:
		scatterValues(dst.Int, src.Int, sel, m)
	case types.PhysFloat:
		scatterValues(dst.Float, src.Float, sel, m)
	case types.PhysDecimal:
		scatterValues(dst.Dec, src.Dec, sel, m)
	case types.PhysString:
		scatterValues(dst.Str, src.Str, sel, m)
	case types.PhysBytes:
		scatterValues(dst.Bytes, src.Bytes, sel, m)
	case types.PhysInterval:
		scatterValues(dst.Iv, src.Iv, sel, m)
	}
	if !src.HasNulls() {
		return
	}
	n := dst.Len()
	for i, j := range sel {
		if src.IsNull(i & m) {
			if dst.Nulls == nil {
				dst.Nulls = make(vector.Nulls, words(n))
			}
			setNull(dst.Nulls, int(j))
		}
	}
}

func scatterValues[T any](dst, src []T, sel []int32, m int) {
	for i, j := range sel {
		dst[j] = src[i&m]
	}
}

// sliceVector returns rows [from, to) of a full vector, sharing its values.
func sliceVector(v *vector.Vector, from, to int) *vector.Vector {
	out := &vector.Vector{Type: v.Type}
	switch v.Type.Physical() {
	case types.PhysBool:
		out.Bool = v.Bool[from:to:to]
	case types.PhysInt:
		out.Int = v.Int[from:to:to]
	case types.PhysFloat:
		out.Float = v.Float[from:to:to]
	case types.PhysDecimal:
		out.Dec = v.Dec[from:to:to]
	case types.PhysString:
		out.Str = v.Str[from:to:to]
	case types.PhysBytes:
		out.Bytes = v.Bytes[from:to:to]
	case types.PhysInterval:
		out.Iv = v.Iv[from:to:to]
	}
	if !v.HasNulls() {
		return out
	}
	if from&63 == 0 {
		lo, hi := from>>6, min(words(to), len(v.Nulls))
		if lo < hi {
			out.Nulls = append(vector.Nulls(nil), v.Nulls[lo:hi]...)
			if r := (to - from) & 63; r != 0 && len(out.Nulls) == words(to-from) {
				out.Nulls[len(out.Nulls)-1] &= 1<<uint(r) - 1
			}
		}
		return out
	}
	for i := from; i < to; i++ {
		if v.Nulls.Get(i) {
			if out.Nulls == nil {
				out.Nulls = make(vector.Nulls, words(to-from))
			}
			setNull(out.Nulls, i-from)
		}
	}
	return out
}

// sliceBatch returns rows [from, to) of a batch of full vectors.
func sliceBatch(b *vector.Batch, from, to int) *vector.Batch {
	if from == 0 && to == b.Len {
		return b
	}
	out := &vector.Batch{Cols: make([]*vector.Vector, len(b.Cols)), Len: to - from}
	for c, v := range b.Cols {
		out.Cols[c] = sliceVector(v, from, to)
	}
	return out
}

// appendVector appends the n rows of src (full or constant) to dst.
func appendVector(dst, src *vector.Vector, n int) {
	if isConst(src, n) {
		src = materialize(src, n)
	}
	base := dst.Len()
	switch dst.Type.Physical() {
	case types.PhysBool:
		dst.Bool = append(dst.Bool, src.Bool...)
	case types.PhysInt:
		dst.Int = append(dst.Int, src.Int...)
	case types.PhysFloat:
		dst.Float = append(dst.Float, src.Float...)
	case types.PhysDecimal:
		dst.Dec = append(dst.Dec, src.Dec...)
	case types.PhysString:
		dst.Str = append(dst.Str, src.Str...)
	case types.PhysBytes:
		dst.Bytes = append(dst.Bytes, src.Bytes...)
	case types.PhysInterval:
		dst.Iv = append(dst.Iv, src.Iv...)
	}
	if !src.HasNulls() {
		return
	}
	total := base + n
	for len(dst.Nulls) < words(total) {
		dst.Nulls = append(dst.Nulls, 0)
	}
	if base&63 == 0 {
		for w := 0; w < len(src.Nulls) && w < words(n); w++ {
			bits := src.Nulls[w]
			if w == words(n)-1 && n&63 != 0 {
				bits &= 1<<uint(n&63) - 1 // rows past n are not appended
			}
			dst.Nulls[base>>6+w] |= bits
		}
		return
	}
	for i := 0; i < n; i++ {
		if src.Nulls.Get(i) {
			setNull(dst.Nulls, base+i)
		}
	}
}

// concatBatches puts batches of the given column types into one.
func concatBatches(ts []types.Type, bs []*vector.Batch) *vector.Batch {
	total := 0
	for _, b := range bs {
		total += b.Len
	}
	out := vector.NewBatch(ts, total)
	for _, b := range bs {
		appendBatch(out, b)
	}
	return out
}

// columnTypes lists the types of a batch's columns.
func columnTypes(b *vector.Batch) []types.Type {
	out := make([]types.Type, len(b.Cols))
	for i, v := range b.Cols {
		out[i] = v.Type
	}
	return out
}

// appendBatch appends all rows of src to dst (same column types).
func appendBatch(dst, src *vector.Batch) {
	for c, v := range dst.Cols {
		appendVector(v, src.Cols[c], src.Len)
	}
	dst.Len += src.Len
}

// batchBytes estimates the payload size of a batch, for EXPLAIN ANALYZE.
func batchBytes(b *vector.Batch) int64 {
	var total int64
	for _, v := range b.Cols {
		switch v.Type.Physical() {
		case types.PhysBool:
			total += int64(len(v.Bool))
		case types.PhysInt, types.PhysFloat:
			total += 8 * int64(b.Len)
		case types.PhysDecimal:
			total += 16 * int64(b.Len)
		case types.PhysString:
			for _, s := range v.Str {
				total += int64(len(s))
			}
		case types.PhysBytes:
			for _, s := range v.Bytes {
				total += int64(len(s))
			}
		case types.PhysInterval:
			total += 16 * int64(b.Len)
		}
	}
	return total
}

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

// setDatum stores d as row i of a full vector.
func setDatum(v *vector.Vector, i int, d types.Datum) {
	if d.Null {
		if len(v.Nulls) < words(v.Len()) {
			v.Nulls = append(v.Nulls, make(vector.Nulls, words(v.Len())-len(v.Nulls))...)
		}
		setNull(v.Nulls, i)
		return
	}
	switch v.Type.Physical() {
	case types.PhysBool:
		v.Bool[i] = d.Bool
	case types.PhysInt:
		v.Int[i] = d.Int
	case types.PhysFloat:
		v.Float[i] = d.Float
	case types.PhysDecimal:
		v.Dec[i] = d.Dec
	case types.PhysString:
		v.Str[i] = d.Str
	case types.PhysBytes:
		v.Bytes[i] = d.Bytes
	case types.PhysInterval:
		v.Iv[i] = d.Iv
	}
}
