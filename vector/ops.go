package vector

import (
	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

// Inside the executor an evaluated expression may be a constant vector: a
// vector with one value standing for every row of the batch. It is told
// apart by its length: a vector whose length differs from the batch's row
// count is constant (for a one-row batch both readings agree). Constants
// never leave the executor and its function library: Eval and the
// operators expand them.

// IsConst reports whether v is a constant vector for a batch of n rows.
func IsConst(v *Vector, n int) bool { return v.Len() != n }

// RowMask turns a row number into v's index with i&mask: 0 for a constant
// vector, all ones otherwise. It lets one loop serve both layouts.
func RowMask(v *Vector, n int) int {
	if IsConst(v, n) {
		return 0
	}
	return -1
}

// AllConst reports whether every vector is constant for n rows.
func AllConst(vs []*Vector, n int) bool {
	for _, v := range vs {
		if !IsConst(v, n) {
			return false
		}
	}
	return true
}

// Make returns a vector of type t holding n zero values.
func Make(t types.Type, n int) *Vector {
	v := &Vector{Type: t}
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

// Const is the constant vector holding d.
func Const(t types.Type, d types.Datum) *Vector {
	v := New(t, 1)
	v.AppendDatum(d)
	return v
}

// NullConst is the constant NULL of type t.
func NullConst(t types.Type) *Vector { return Const(t, types.NullDatum) }

// IsNullConst reports whether v is a constant NULL for n rows.
func IsNullConst(v *Vector, n int) bool { return IsConst(v, n) && v.IsNull(0) }

// Materialize returns v with one value per row, expanding a constant.
func Materialize(v *Vector, n int) *Vector {
	if !IsConst(v, n) {
		return v
	}
	out := Make(v.Type, n)
	if v.IsNull(0) {
		out.Nulls = AllNulls(n)
		return out
	}
	switch v.Type.Physical() {
	case types.PhysBool:
		Fill(out.Bool, v.Bool[0])
	case types.PhysInt:
		Fill(out.Int, v.Int[0])
	case types.PhysFloat:
		Fill(out.Float, v.Float[0])
	case types.PhysDecimal:
		Fill(out.Dec, v.Dec[0])
	case types.PhysString:
		Fill(out.Str, v.Str[0])
	case types.PhysBytes:
		Fill(out.Bytes, v.Bytes[0])
	case types.PhysInterval:
		Fill(out.Iv, v.Iv[0])
	}
	return out
}

func Fill[T any](s []T, x T) {
	for i := range s {
		s[i] = x
	}
}

// Words is the length of a null bitmap for n rows.
func Words(n int) int { return (n + 63) >> 6 }

// AllNulls is a bitmap marking n rows null.
func AllNulls(n int) Nulls {
	ns := make(Nulls, Words(n))
	for i := range ns {
		ns[i] = ^uint64(0)
	}
	if r := n & 63; r != 0 {
		ns[len(ns)-1] = 1<<uint(r) - 1
	}
	return ns
}

// SetNullBit marks row i null in a bitmap of the right length.
func SetNullBit(ns Nulls, i int) { ns[i>>6] |= 1 << (uint(i) & 63) }

// StrictNulls is the null bitmap of an operation that is NULL whenever one
// of its arguments is; nil when no row is null.
func StrictNulls(n int, args ...*Vector) Nulls {
	var out Nulls
	for _, a := range args {
		if IsConst(a, n) {
			if a.IsNull(0) {
				return AllNulls(n)
			}
			continue
		}
		if !a.HasNulls() {
			continue
		}
		if out == nil {
			out = make(Nulls, Words(n))
		}
		for w := 0; w < len(out) && w < len(a.Nulls); w++ {
			out[w] |= a.Nulls[w]
		}
	}
	return out
}

// SelectTrue lists the rows where a boolean vector is true (not NULL); nil
// with all=true when every one of n rows is. The loop has no data-dependent
// branch, as predicates are often true for half the rows at random.
func SelectTrue(v *Vector, n int) (sel []int32, all bool) {
	if IsConst(v, n) {
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

// Gather returns the rows sel of v (a full or constant vector) as a new
// full  A negative index yields NULL.
func Gather(v *Vector, sel []int32) *Vector {
	out := Make(v.Type, len(sel))
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

func gatherNulls(ns Nulls, srcLen int, sel []int32) Nulls {
	var out Nulls
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
				out = make(Nulls, Words(len(sel)))
			}
			SetNullBit(out, i)
		}
	}
	return out
}

// GatherBatch returns the rows sel of b. Only the columns listed in cols
// are copied (the others are left nil), or all when cols is nil.
func GatherBatch(b *Batch, sel []int32, cols []int) *Batch {
	out := &Batch{Cols: make([]*Vector, len(b.Cols)), Len: len(sel)}
	if cols == nil {
		for c, v := range b.Cols {
			out.Cols[c] = Gather(v, sel)
		}
		return out
	}
	for _, c := range cols {
		if c < len(b.Cols) && b.Cols[c] != nil {
			out.Cols[c] = Gather(b.Cols[c], sel)
		}
	}
	return out
}

// Scatter writes src (values for the rows sel, full or constant) into the
// full vector dst at those rows.
func Scatter(dst, src *Vector, sel []int32) {
	m := RowMask(src, len(sel))
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
				dst.Nulls = make(Nulls, Words(n))
			}
			SetNullBit(dst.Nulls, int(j))
		}
	}
}

func scatterValues[T any](dst, src []T, sel []int32, m int) {
	for i, j := range sel {
		dst[j] = src[i&m]
	}
}

// Slice returns rows [from, to) of a full vector, sharing its values.
func Slice(v *Vector, from, to int) *Vector {
	out := &Vector{Type: v.Type}
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
		lo, hi := from>>6, min(Words(to), len(v.Nulls))
		if lo < hi {
			out.Nulls = append(Nulls(nil), v.Nulls[lo:hi]...)
			if r := (to - from) & 63; r != 0 && len(out.Nulls) == Words(to-from) {
				out.Nulls[len(out.Nulls)-1] &= 1<<uint(r) - 1
			}
		}
		return out
	}
	for i := from; i < to; i++ {
		if v.Nulls.Get(i) {
			if out.Nulls == nil {
				out.Nulls = make(Nulls, Words(to-from))
			}
			SetNullBit(out.Nulls, i-from)
		}
	}
	return out
}

// SliceBatch returns rows [from, to) of a batch of full vectors.
func SliceBatch(b *Batch, from, to int) *Batch {
	if from == 0 && to == b.Len {
		return b
	}
	out := &Batch{Cols: make([]*Vector, len(b.Cols)), Len: to - from}
	for c, v := range b.Cols {
		out.Cols[c] = Slice(v, from, to)
	}
	return out
}

// AppendVector appends the n rows of src (full or constant) to dst.
func AppendVector(dst, src *Vector, n int) {
	if IsConst(src, n) {
		src = Materialize(src, n)
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
	for len(dst.Nulls) < Words(total) {
		dst.Nulls = append(dst.Nulls, 0)
	}
	if base&63 == 0 {
		for w := 0; w < len(src.Nulls) && w < Words(n); w++ {
			bits := src.Nulls[w]
			if w == Words(n)-1 && n&63 != 0 {
				bits &= 1<<uint(n&63) - 1 // rows past n are not appended
			}
			dst.Nulls[base>>6+w] |= bits
		}
		return
	}
	for i := 0; i < n; i++ {
		if src.Nulls.Get(i) {
			SetNullBit(dst.Nulls, base+i)
		}
	}
}

// ConcatBatches puts batches of the given column types into one.
func ConcatBatches(ts []types.Type, bs []*Batch) *Batch {
	total := 0
	for _, b := range bs {
		total += b.Len
	}
	out := NewBatch(ts, total)
	for _, b := range bs {
		AppendBatch(out, b)
	}
	return out
}

// ColumnTypes lists the types of a batch's columns.
func ColumnTypes(b *Batch) []types.Type {
	out := make([]types.Type, len(b.Cols))
	for i, v := range b.Cols {
		out[i] = v.Type
	}
	return out
}

// AppendBatch appends all rows of src to dst (same column types).
func AppendBatch(dst, src *Batch) {
	for c, v := range dst.Cols {
		AppendVector(v, src.Cols[c], src.Len)
	}
	dst.Len += src.Len
}

// BatchBytes estimates the payload size of a batch, for EXPLAIN ANALYZE.
func BatchBytes(b *Batch) int64 {
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

// SetDatum stores d as row i of a full
func SetDatum(v *Vector, i int, d types.Datum) {
	if d.Null {
		if len(v.Nulls) < Words(v.Len()) {
			v.Nulls = append(v.Nulls, make(Nulls, Words(v.Len())-len(v.Nulls))...)
		}
		SetNullBit(v.Nulls, i)
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

// Identity lists the rows 0..n-1.
func Identity(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i)
	}
	return out
}
