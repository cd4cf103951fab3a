// Package vector owns the columnar batches that flow between connectors, the
// executor and the wire layer: typed column vectors with null bitmaps, a few
// thousand rows at a time. A vector stores its values in the one slice that
// matches its type's physical representation, so no value is boxed.
//
// ops.go holds the helpers the executor and its function library share:
// constant vectors (one value standing for every row), null bitmaps,
// gathering, scattering and slicing rows.
package vector

import (
	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

// BatchSize is the number of rows operators aim to put in one batch.
const BatchSize = 4096

// Nulls is a null bitmap; a nil Nulls means no value is null.
type Nulls []uint64

// Get reports whether row i is null.
func (n Nulls) Get(i int) bool {
	w := i >> 6
	return w < len(n) && n[w]&(1<<(uint(i)&63)) != 0
}

// Vector is one column of a batch.
type Vector struct {
	Type  types.Type
	Nulls Nulls

	Bool  []bool
	Int   []int64
	Float []float64
	Dec   []decimal.Decimal
	Str   []string
	Bytes [][]byte
	Iv    []types.IntervalValue
}

// New returns an empty vector of type t with room for capacity values.
func New(t types.Type, capacity int) *Vector {
	v := &Vector{Type: t}
	switch t.Physical() {
	case types.PhysBool:
		v.Bool = make([]bool, 0, capacity)
	case types.PhysInt:
		v.Int = make([]int64, 0, capacity)
	case types.PhysFloat:
		v.Float = make([]float64, 0, capacity)
	case types.PhysDecimal:
		v.Dec = make([]decimal.Decimal, 0, capacity)
	case types.PhysString:
		v.Str = make([]string, 0, capacity)
	case types.PhysBytes:
		v.Bytes = make([][]byte, 0, capacity)
	case types.PhysInterval:
		v.Iv = make([]types.IntervalValue, 0, capacity)
	}
	return v
}

// Len is the number of values in the vector.
func (v *Vector) Len() int {
	switch v.Type.Physical() {
	case types.PhysBool:
		return len(v.Bool)
	case types.PhysInt:
		return len(v.Int)
	case types.PhysFloat:
		return len(v.Float)
	case types.PhysDecimal:
		return len(v.Dec)
	case types.PhysString:
		return len(v.Str)
	case types.PhysBytes:
		return len(v.Bytes)
	case types.PhysInterval:
		return len(v.Iv)
	}
	return 0
}

// IsNull reports whether row i is null.
func (v *Vector) IsNull(i int) bool { return v.Nulls.Get(i) }

// SetNull marks row i null. Row i must already exist.
func (v *Vector) SetNull(i int) {
	w := i >> 6
	for len(v.Nulls) <= w {
		v.Nulls = append(v.Nulls, 0)
	}
	v.Nulls[w] |= 1 << (uint(i) & 63)
}

// HasNulls reports whether any value may be null.
func (v *Vector) HasNulls() bool {
	for _, w := range v.Nulls {
		if w != 0 {
			return true
		}
	}
	return false
}

// AppendNull appends a null value.
func (v *Vector) AppendNull() {
	n := v.Len()
	v.appendZero()
	v.SetNull(n)
}

func (v *Vector) appendZero() {
	switch v.Type.Physical() {
	case types.PhysBool:
		v.Bool = append(v.Bool, false)
	case types.PhysInt:
		v.Int = append(v.Int, 0)
	case types.PhysFloat:
		v.Float = append(v.Float, 0)
	case types.PhysDecimal:
		v.Dec = append(v.Dec, decimal.Decimal{})
	case types.PhysString:
		v.Str = append(v.Str, "")
	case types.PhysBytes:
		v.Bytes = append(v.Bytes, nil)
	case types.PhysInterval:
		v.Iv = append(v.Iv, types.IntervalValue{})
	}
}

// AppendDatum appends one value.
func (v *Vector) AppendDatum(d types.Datum) {
	if d.Null {
		v.AppendNull()
		return
	}
	switch v.Type.Physical() {
	case types.PhysBool:
		v.Bool = append(v.Bool, d.Bool)
	case types.PhysInt:
		v.Int = append(v.Int, d.Int)
	case types.PhysFloat:
		v.Float = append(v.Float, d.Float)
	case types.PhysDecimal:
		v.Dec = append(v.Dec, d.Dec)
	case types.PhysString:
		v.Str = append(v.Str, d.Str)
	case types.PhysBytes:
		v.Bytes = append(v.Bytes, d.Bytes)
	case types.PhysInterval:
		v.Iv = append(v.Iv, d.Iv)
	}
}

// Datum returns row i as a single value.
func (v *Vector) Datum(i int) types.Datum {
	if v.IsNull(i) {
		return types.NullDatum
	}
	switch v.Type.Physical() {
	case types.PhysBool:
		return types.Datum{Bool: v.Bool[i]}
	case types.PhysInt:
		return types.Datum{Int: v.Int[i]}
	case types.PhysFloat:
		return types.Datum{Float: v.Float[i]}
	case types.PhysDecimal:
		return types.Datum{Dec: v.Dec[i]}
	case types.PhysString:
		return types.Datum{Str: v.Str[i]}
	case types.PhysBytes:
		return types.Datum{Bytes: v.Bytes[i]}
	case types.PhysInterval:
		return types.Datum{Iv: v.Iv[i]}
	}
	return types.NullDatum
}

// AppendFrom appends row i of src, which must have the same physical type.
func (v *Vector) AppendFrom(src *Vector, i int) {
	if src.IsNull(i) {
		v.AppendNull()
		return
	}
	switch v.Type.Physical() {
	case types.PhysBool:
		v.Bool = append(v.Bool, src.Bool[i])
	case types.PhysInt:
		v.Int = append(v.Int, src.Int[i])
	case types.PhysFloat:
		v.Float = append(v.Float, src.Float[i])
	case types.PhysDecimal:
		v.Dec = append(v.Dec, src.Dec[i])
	case types.PhysString:
		v.Str = append(v.Str, src.Str[i])
	case types.PhysBytes:
		v.Bytes = append(v.Bytes, src.Bytes[i])
	case types.PhysInterval:
		v.Iv = append(v.Iv, src.Iv[i])
	}
}

// Batch is a set of equally long column vectors.
type Batch struct {
	Cols []*Vector
	Len  int
}

// NewBatch returns an empty batch with one vector per type.
func NewBatch(ts []types.Type, capacity int) *Batch {
	b := &Batch{Cols: make([]*Vector, len(ts))}
	for i, t := range ts {
		b.Cols[i] = New(t, capacity)
	}
	return b
}

// AppendRow appends row i of src (same column types) to b.
func (b *Batch) AppendRow(src *Batch, i int) {
	for c, col := range b.Cols {
		col.AppendFrom(src.Cols[c], i)
	}
	b.Len++
}
