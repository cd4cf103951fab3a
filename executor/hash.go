package executor

import (
	"bytes"
	"hash/maphash"
	"math"
	"slices"
	"strings"

	"github.com/junction-db/junction/executor/functions"
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
		if ns == nil && first {
			for i, x := range v.Int[:n] {
				hashes[i] = hashInt(x)
			}
			return
		}
		hashValues(v.Int[:n], ns, hashes, first, hashInt)
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
		key := functions.StringHashKey(v.Type)
		hashValues(v.Str[:n], ns, hashes, first, func(s string) uint64 { return maphash.String(hashSeed, key(s)) })
	case types.PhysBytes:
		hashValues(v.Bytes[:n], ns, hashes, first, func(b []byte) uint64 { return maphash.Bytes(hashSeed, b) })
	case types.PhysInterval:
		hashValues(v.Iv[:n], ns, hashes, first, func(iv types.IntervalValue) uint64 {
			days, micros := functions.IntervalSpan(iv)
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

func hashInt(x int64) uint64 { return mix64(uint64(x)) }

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
// 1.00 meet. NaN hashes as zero, which equality tells apart.
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
		return functions.CompareFloat(a.Float[i], b.Float[j]) == 0
	case types.PhysBool:
		return a.Bool[i] == b.Bool[j]
	case types.PhysDecimal:
		return types.CompareNumeric(a.Dec[i], b.Dec[j]) == 0
	case types.PhysString:
		if a.Type.Kind == types.Bpchar || b.Type.Kind == types.Bpchar {
			return functions.TrimBlanks(a.Str[i]) == functions.TrimBlanks(b.Str[j])
		}
		if a.Type.Kind == types.JSONB || a.Type.IsArray() || a.Type.Kind == types.Record {
			return a.Str[i] == b.Str[j] || functions.StringOrder(a.Type)(a.Str[i], b.Str[j]) == 0
		}
		return a.Str[i] == b.Str[j]
	case types.PhysBytes:
		return bytes.Equal(a.Bytes[i], b.Bytes[j])
	case types.PhysInterval:
		return functions.CompareInterval(a.Iv[i], b.Iv[j]) == 0
	}
	return false
}

// keyTable numbers distinct key tuples: the first tuple seen gets id 0, the
// next new one id 1, and so on. It stores each tuple once, column-wise, and
// finds tuples by open addressing with linear probing. A slot holds the
// tuple's id and the high half of its hash, so that most mismatches are
// rejected without touching the stored tuples. A single integer key column
// has an index of its own (intTable) that keeps the keys in the slots.
type keyTable struct {
	keys   []*vector.Vector // stored tuples; a tuple's id is its row
	hashes []uint64         // hash of each stored tuple, for growing
	slots  []uint64         // hash tag | id+1; 0 = empty
	ints   *intTable        // the index of a single integer key instead
	// first holds each looked-up row's first slot during a find.
	first []uint64
	// scratch for compacting rows before they reach ints.
	all, kept, ids, added []int32
	vals                  []int64
}

const tagMask = 0xffffffff00000000

func newKeyTable(ts []types.Type) *keyTable {
	t := &keyTable{keys: make([]*vector.Vector, len(ts)), slots: make([]uint64, 64)}
	for i, typ := range ts {
		t.keys[i] = vector.New(typ, 0)
	}
	if len(ts) == 1 && ts[0].Physical() == types.PhysInt {
		t.ints, t.slots = newIntTable(), nil
	}
	return t
}

// reserve sizes the table for n tuples, sparing the rehashing of growth.
func (t *keyTable) reserve(n int) {
	if t.len() > 0 {
		return
	}
	for _, k := range t.keys {
		if k.Type.Physical() == types.PhysInt {
			k.Int = slices.Grow(k.Int, n)
		}
	}
	if t.ints != nil {
		t.ints.reserve(n)
		return
	}
	size := len(t.slots)
	for size < 2*n {
		size *= 2
	}
	if size > len(t.slots) {
		t.slots = make([]uint64, size)
		t.hashes = slices.Grow(t.hashes, n)
	}
}

// reserveFor sizes an empty table for the tuples of cols (n rows, full
// vectors), which are about to be inserted.
func (t *keyTable) reserveFor(cols []*vector.Vector, n int) {
	if t.ints == nil || t.len() > 0 {
		t.reserve(n)
		return
	}
	col := cols[0]
	lo, hi, any := int64(math.MaxInt64), int64(math.MinInt64), false
	for i, v := range col.Int[:n] {
		if col.Nulls == nil || !col.IsNull(i) {
			lo, hi, any = min(lo, v), max(hi, v), true
		}
	}
	if !any {
		return
	}
	t.keys[0].Int = slices.Grow(t.keys[0].Int, n)
	t.ints.reserveRange(n, lo, hi)
}

// len is the number of distinct tuples.
func (t *keyTable) len() int {
	if t.ints != nil {
		return len(t.keys[0].Int)
	}
	return len(t.hashes)
}

// hash computes the hashes insert and find take for the key columns (n
// rows, full vectors); a single integer column's table hashes its keys
// itself, while it probes, and ignores them.
func (t *keyTable) hash(cols []*vector.Vector, n int, hashes []uint64) {
	if t.ints == nil {
		hashRows(cols, n, hashes)
	}
}

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
	if t.ints != nil {
		t.intRows(cols[0], sel, ids, true)
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
	if t.ints != nil {
		t.intRows(cols[0], sel, ids, false)
		return
	}
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
	for k, s := range first {
		r := row(k)
		h := hashes[r]
		switch {
		case s == 0:
			ids[r] = -1
			continue
		case s&tagMask == h&tagMask:
			if id := int(uint32(s)) - 1; t.equalRow(cols, r, id) {
				ids[r] = int32(id)
				continue
			}
		}
		_, id := t.probe(cols, r, h, (h+1)&mask)
		ids[r] = int32(id)
	}
}

// intRows is insert (add) or find for a single integer key column: the
// rows in sel with a value go to the intTable together, NULLs get the
// NULL tuple's id.
func (t *keyTable) intRows(col *vector.Vector, sel []int32, ids []int32, add bool) {
	n := len(ids)
	if sel == nil && !col.HasNulls() {
		t.intValues(col.Int[:n], ids, add)
		return
	}
	rows := sel
	if rows == nil {
		rows = growInt32s(&t.all, n)
		for i := range rows {
			rows[i] = int32(i)
		}
	}
	if add && t.ints.nullID < 0 {
		// Ids follow first appearance, so NULL's comes after those of
		// the tuples before its first row.
		for k, r := range rows {
			if col.IsNull(int(r)) {
				t.intList(col, rows[:k], ids, add)
				t.ints.nullID = int32(t.len())
				t.keys[0].AppendNull()
				rows = rows[k:]
				break
			}
		}
	}
	t.intList(col, rows, ids, add)
}

// intList is intRows for the rows listed, NULL's id being settled.
func (t *keyTable) intList(col *vector.Vector, rows []int32, ids []int32, add bool) {
	kept, vals := t.kept[:0], t.vals[:0]
	for _, r := range rows {
		if col.IsNull(int(r)) {
			ids[r] = t.ints.nullID
			continue
		}
		kept, vals = append(kept, r), append(vals, col.Int[r])
	}
	found := growInt32s(&t.ids, len(kept))
	t.intValues(vals, found, add)
	for k, r := range kept {
		ids[r] = found[k]
	}
	t.kept, t.vals = kept, vals
}

// intValues is intRows for values without NULLs, ids[i] receiving the id
// of vals[i].
func (t *keyTable) intValues(vals []int64, ids []int32, add bool) {
	if !add {
		t.ints.find(vals, ids)
		return
	}
	key := t.keys[0]
	added := growInt32s(&t.added, len(vals))
	n := t.ints.insert(vals, ids, int32(len(key.Int)), added)
	for _, i := range added[:n] {
		key.Int = append(key.Int, vals[i])
	}
}

// growInt32s returns (*buf)[:n], reallocating the buffer when it is short.
func growInt32s(buf *[]int32, n int) []int32 {
	if cap(*buf) < n {
		*buf = make([]int32, n)
	}
	return (*buf)[:n]
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
