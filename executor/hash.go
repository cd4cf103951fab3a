package executor

import (
	"bytes"
	"hash/maphash"
	"math"
	"slices"
	"strings"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// Hashing and equality here follow PostgreSQL's notion of "the same value"
// for grouping, DISTINCT, set operations and hash joins: 1.0 = 1.00 for
// numeric, 0 = -0 and NaN = NaN for floats, '1 day' = '24 hours' for
// intervals, trailing blanks do not count for character(n). For grouping
// NULL is a value like any other; joins leave NULL keys out beforehand.

var hashSeed = maphash.MakeSeed()

const nullHash = 0x9e3779b97f4a7c15

// mix64 is MurmurHash3's finalizer: it spreads every input bit over the
// low bits the hash table indexes with.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// hashColumn folds column v (a full vector of n rows) into hashes; first
// says whether it is the first column of the key.
func hashColumn(v *vector.Vector, n int, hashes []uint64, first bool) {
	ns := v.Nulls
	if !v.HasNulls() {
		ns = nil
	}
	switch v.Type.Physical() {
	case types.PhysInt:
		hashValues(v.Int[:n], ns, hashes, first, func(x int64) uint64 { return mix64(uint64(x)) })
	case types.PhysFloat:
		hashValues(v.Float[:n], ns, hashes, first, hashFloat)
	case types.PhysBool:
		hashValues(v.Bool[:n], ns, hashes, first, func(x bool) uint64 {
			if x {
				return mix64(2)
			}
			return mix64(1)
		})
	case types.PhysDecimal:
		hashValues(v.Dec[:n], ns, hashes, first, hashDecimal)
	case types.PhysString:
		if v.Type.Kind == types.Bpchar {
			hashValues(v.Str[:n], ns, hashes, first, func(s string) uint64 { return maphash.String(hashSeed, trimBlanks(s)) })
		} else {
			hashValues(v.Str[:n], ns, hashes, first, func(s string) uint64 { return maphash.String(hashSeed, s) })
		}
	case types.PhysBytes:
		hashValues(v.Bytes[:n], ns, hashes, first, func(b []byte) uint64 { return maphash.Bytes(hashSeed, b) })
	case types.PhysInterval:
		hashValues(v.Iv[:n], ns, hashes, first, func(iv types.IntervalValue) uint64 {
			days, micros := intervalSpan(iv)
			return mix64(uint64(days)*0x9e3779b97f4a7c15 ^ uint64(micros))
		})
	}
}

// hashValues hashes each value with h (nullHash for a NULL, whatever its
// slot holds) and folds it into hashes.
func hashValues[T any](vals []T, nulls vector.Nulls, hashes []uint64, first bool, h func(T) uint64) {
	for i, x := range vals {
		var hx uint64
		if nulls != nil && nulls.Get(i) {
			hx = nullHash
		} else {
			hx = h(x)
		}
		if first {
			hashes[i] = hx
		} else {
			hashes[i] = combineHash(hashes[i], hx)
		}
	}
}

func combineHash(h, x uint64) uint64 { return mix64(h*31 ^ x) }

func hashFloat(f float64) uint64 {
	switch {
	case f == 0:
		f = 0 // -0 groups with 0
	case f != f:
		return mix64(0x7ff8000000000001)
	}
	return mix64(math.Float64bits(f))
}

// hashDecimal hashes the value with trailing zeros removed, so that 1.0 and
// 1.00 meet.
func hashDecimal(d decimal.Decimal) uint64 {
	if d.IsZero() {
		return mix64(0)
	}
	if d.NumDigits() <= 18 {
		c, e := d.CoefficientInt64(), int64(d.Exponent())
		for c%10 == 0 {
			c /= 10
			e++
		}
		return mix64(uint64(c)) ^ mix64(uint64(e)+0x51)
	}
	s := d.Coefficient().String()
	e := int64(d.Exponent())
	for strings.HasSuffix(s, "0") {
		s = s[:len(s)-1]
		e++
	}
	return maphash.String(hashSeed, s) ^ mix64(uint64(e)+0x51)
}

// trimBlanks drops the trailing blanks character(n) ignores.
func trimBlanks(s string) string { return strings.TrimRight(s, " ") }

// valuesEqual compares row i of a with row j of b (same physical type,
// full vectors), treating two NULLs as equal.
func valuesEqual(a *vector.Vector, i int, b *vector.Vector, j int) bool {
	an, bn := a.IsNull(i), b.IsNull(j)
	if an || bn {
		return an && bn
	}
	switch a.Type.Physical() {
	case types.PhysInt:
		return a.Int[i] == b.Int[j]
	case types.PhysFloat:
		return compareFloat(a.Float[i], b.Float[j]) == 0
	case types.PhysBool:
		return a.Bool[i] == b.Bool[j]
	case types.PhysDecimal:
		return a.Dec[i].Cmp(b.Dec[j]) == 0
	case types.PhysString:
		if a.Type.Kind == types.Bpchar || b.Type.Kind == types.Bpchar {
			return trimBlanks(a.Str[i]) == trimBlanks(b.Str[j])
		}
		return a.Str[i] == b.Str[j]
	case types.PhysBytes:
		return bytes.Equal(a.Bytes[i], b.Bytes[j])
	case types.PhysInterval:
		return compareInterval(a.Iv[i], b.Iv[j]) == 0
	}
	return false
}

// keyTable numbers distinct key tuples: the first tuple seen gets id 0, the
// next new one id 1, and so on. It stores each tuple once, column-wise, and
// finds tuples by open addressing with linear probing. A slot holds the
// tuple's id and the high half of its hash, so that most mismatches are
// rejected without touching the stored tuples.
type keyTable struct {
	keys   []*vector.Vector // stored tuples; a tuple's id is its row
	hashes []uint64         // hash of each stored tuple, for growing
	slots  []uint64         // hash tag | id+1; 0 = empty
	// intKey marks a single integer-like key column, compared inline.
	intKey bool
	// first holds each looked-up row's first slot during a find.
	first []uint64
}

const tagMask = 0xffffffff00000000

func newKeyTable(ts []types.Type) *keyTable {
	t := &keyTable{keys: make([]*vector.Vector, len(ts)), slots: make([]uint64, 64)}
	for i, typ := range ts {
		t.keys[i] = vector.New(typ, 0)
	}
	t.intKey = len(ts) == 1 && ts[0].Physical() == types.PhysInt
	return t
}

// reserve sizes the table for n tuples, sparing the rehashing of growth.
func (t *keyTable) reserve(n int) {
	size := len(t.slots)
	for size < 2*n {
		size *= 2
	}
	if size > len(t.slots) && t.len() == 0 {
		t.slots = make([]uint64, size)
		t.hashes = slices.Grow(t.hashes, n)
		if t.intKey {
			t.keys[0].Int = slices.Grow(t.keys[0].Int, n)
		}
	}
}

// len is the number of distinct tuples.
func (t *keyTable) len() int { return len(t.hashes) }

// hashRows computes the hash of every row of the key columns (full vectors).
func hashRows(cols []*vector.Vector, n int, hashes []uint64) {
	for c, v := range cols {
		hashColumn(v, n, hashes, c == 0)
	}
	if len(cols) == 0 {
		for i := range hashes[:n] {
			hashes[i] = nullHash
		}
	}
}

// insert finds the tuple of each row in sel (every row of cols when sel is
// nil), adding the tuples not yet present, and stores their ids in
// ids[row].
func (t *keyTable) insert(cols []*vector.Vector, hashes []uint64, sel []int32, ids []int32) {
	if t.intKey && sel == nil && !cols[0].HasNulls() && !t.keys[0].HasNulls() {
		t.insertInts(cols[0].Int, hashes, ids)
		return
	}
	if sel == nil {
		for i, h := range hashes {
			ids[i] = t.insertRow(cols, i, h)
		}
		return
	}
	for _, r := range sel {
		ids[r] = t.insertRow(cols, int(r), hashes[r])
	}
}

// find is insert without adding: absent tuples get id -1. It first loads
// the first slot of every row, so that the memory accesses of different
// rows overlap, then resolves the rows one by one.
func (t *keyTable) find(cols []*vector.Vector, hashes []uint64, sel []int32, ids []int32) {
	n := len(hashes)
	if sel != nil {
		n = len(sel)
	}
	if cap(t.first) < n {
		t.first = make([]uint64, n)
	}
	first := t.first[:n]
	mask := uint64(len(t.slots) - 1)
	row := func(k int) int {
		if sel == nil {
			return k
		}
		return int(sel[k])
	}
	for k := range first {
		first[k] = t.slots[hashes[row(k)]&mask]
	}
	fastInt := t.intKey && !cols[0].HasNulls() && !t.keys[0].HasNulls()
	for k, s := range first {
		r := row(k)
		h := hashes[r]
		switch {
		case s == 0:
			ids[r] = -1
			continue
		case s&tagMask == h&tagMask:
			id := int(uint32(s)) - 1
			if fastInt && t.keys[0].Int[id] == cols[0].Int[r] || !fastInt && t.equalRow(cols, r, id) {
				ids[r] = int32(id)
				continue
			}
		}
		_, id := t.probe(cols, r, h, (h+1)&mask)
		ids[r] = int32(id)
	}
}

// probe looks for row's tuple from slot pos on; it returns the empty slot
// where the search ended and -1 when the tuple is absent.
func (t *keyTable) probe(cols []*vector.Vector, row int, h, pos uint64) (uint64, int) {
	mask := uint64(len(t.slots) - 1)
	tag := h & tagMask
	for {
		s := t.slots[pos]
		if s == 0 {
			return pos, -1
		}
		if s&tagMask == tag {
			if id := int(uint32(s)) - 1; t.equalRow(cols, row, id) {
				return pos, id
			}
		}
		pos = (pos + 1) & mask
	}
}

// insertInts is insert for a single integer key without NULLs, with the
// comparison inline.
func (t *keyTable) insertInts(vals []int64, hashes []uint64, ids []int32) {
	key := t.keys[0]
	for i, v := range vals {
		h := hashes[i]
		mask := uint64(len(t.slots) - 1)
		pos, tag := h&mask, h&tagMask
		for {
			s := t.slots[pos]
			if s == 0 {
				id := len(t.hashes)
				key.Int = append(key.Int, v)
				t.hashes = append(t.hashes, h)
				t.slots[pos] = tag | uint64(id+1)
				if 2*len(t.hashes) > len(t.slots) {
					t.grow()
				}
				ids[i] = int32(id)
				break
			}
			if id := int(uint32(s)) - 1; s&tagMask == tag && key.Int[id] == v {
				ids[i] = int32(id)
				break
			}
			pos = (pos + 1) & mask
		}
	}
}

func (t *keyTable) insertRow(cols []*vector.Vector, row int, h uint64) int32 {
	pos, id := t.probe(cols, row, h, h&uint64(len(t.slots)-1))
	if id >= 0 {
		return int32(id)
	}
	id = len(t.hashes)
	for c, v := range t.keys {
		v.AppendFrom(cols[c], row)
	}
	t.hashes = append(t.hashes, h)
	t.slots[pos] = h&tagMask | uint64(id+1)
	if 2*len(t.hashes) > len(t.slots) {
		t.grow()
	}
	return int32(id)
}

func (t *keyTable) equalRow(cols []*vector.Vector, row, id int) bool {
	if t.intKey {
		k, c := t.keys[0], cols[0]
		if k.Nulls == nil && c.Nulls == nil {
			return k.Int[id] == c.Int[row]
		}
		return valuesEqual(k, id, c, row)
	}
	for c, k := range t.keys {
		if !valuesEqual(k, id, cols[c], row) {
			return false
		}
	}
	return true
}

func (t *keyTable) grow() {
	slots := make([]uint64, 2*len(t.slots))
	mask := uint64(len(slots) - 1)
	for id, h := range t.hashes {
		pos := h & mask
		for slots[pos] != 0 {
			pos = (pos + 1) & mask
		}
		slots[pos] = h&tagMask | uint64(id+1)
	}
	t.slots = slots
}
