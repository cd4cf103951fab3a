package executor

import "math/bits"

// intTable is keyTable's index for a single integer key column: open
// addressing with linear probing over slots that hold the key itself next
// to its id, so that a lookup touches one cache line and compares without
// going back to the stored keys. NULL, a value like any other for
// grouping, has an id of its own outside the slots.
//
// When the keys to come are known to lie in a narrow range (the build side
// of a join over dense surrogate keys) the table is a plain array indexed
// by key instead, which needs no hashing, no probing and at most half the
// memory; a key outside the range turns it back into a hash table.
type intTable struct {
	slots  []intSlot
	count  int   // keys in the table
	nullID int32 // id of NULL, -1 while there is none
	// dense, when not nil, replaces slots: dense[key-lo] is the key's
	// id+1, 0 for an absent key.
	dense []int32
	lo    int64
}

// denseSpan is how many array entries per key the dense form may use.
const denseSpan = 4

// intSlot holds a key and its id+1; id 0 marks an empty slot.
type intSlot struct {
	key int64
	id  int32
}

func newIntTable() *intTable { return &intTable{slots: make([]intSlot, 64), nullID: -1} }

// slotOf is a key's first slot, by Fibonacci hashing: the high bits of
// the key times 2^64 over the golden ratio, which depend on all of the
// key's bits, cost one multiplication.
func slotOf(key int64, shift uint) uint64 { return uint64(key) * 0x9e3779b97f4a7c15 >> shift }

// slotMath returns the mask that wraps a slot number and the shift slotOf
// needs for a table of size slots.
func slotMath(size int) (mask uint64, shift uint) {
	return uint64(size - 1), uint(bits.LeadingZeros64(uint64(size))) + 1
}

// intCapacity is how many keys a table of size slots holds: half as many,
// a quarter while the table is small enough for the caches to hold a
// sparser one, since every collision is a branch mispredicted.
func intCapacity(size int) int {
	if size < 1<<16 {
		return size / 4
	}
	return size / 2
}

// slotsFor is the number of slots for n keys.
func slotsFor(n int) int {
	size := 64
	for intCapacity(size) < n {
		size *= 2
	}
	return size
}

// reserve sizes an empty table for n keys.
func (t *intTable) reserve(n int) {
	if size := slotsFor(n); size > len(t.slots) && t.count == 0 {
		t.slots = make([]intSlot, size)
	}
}

// reserveRange prepares an empty table for n keys between lo and hi.
func (t *intTable) reserveRange(n int, lo, hi int64) {
	if t.count > 0 {
		return
	}
	if span := uint64(hi) - uint64(lo); hi >= lo && span < uint64(denseSpan*n+64) {
		t.dense, t.lo, t.slots = make([]int32, span+1), lo, nil
		return
	}
	t.reserve(n)
}

// inRange reports whether every value lies in the dense array's range.
func (t *intTable) inRange(vals []int64) bool {
	size := uint64(len(t.dense))
	for _, v := range vals {
		if uint64(v)-uint64(t.lo) >= size {
			return false
		}
	}
	return true
}

// toSlots turns the dense array into a hash table.
func (t *intTable) toSlots() {
	size := slotsFor(t.count)
	t.slots = make([]intSlot, size)
	mask, shift := slotMath(size)
	for off, id := range t.dense {
		if id == 0 {
			continue
		}
		key := t.lo + int64(off)
		pos := slotOf(key, shift)
		for t.slots[pos].id != 0 {
			pos = (pos + 1) & mask
		}
		t.slots[pos] = intSlot{key: key, id: id}
	}
	t.dense = nil
}

// insert finds each of vals, adding the keys not yet present with the ids
// next, next+1, ...; added[k] lists the rows whose key got id next+k. It
// returns the number of keys added.
func (t *intTable) insert(vals []int64, ids []int32, next int32, added []int32) int {
	if t.dense != nil && !t.inRange(vals) {
		t.toSlots()
	}
	n := 0
	if t.dense != nil {
		for i, v := range vals {
			d := &t.dense[uint64(v)-uint64(t.lo)]
			if *d == 0 {
				*d = next + int32(n) + 1
				added[n] = int32(i)
				n++
			}
			ids[i] = *d - 1
		}
		t.count += n
		return n
	}
	slots := t.slots
	mask, shift := slotMath(len(slots))
	for i, v := range vals {
		pos := slotOf(v, shift)
		for {
			s := &slots[pos]
			if s.key == v && s.id != 0 {
				ids[i] = s.id - 1
				break
			}
			if s.id == 0 {
				id := next + int32(n)
				*s = intSlot{key: v, id: id + 1}
				added[n] = int32(i)
				n++
				t.count++
				if t.count > intCapacity(len(slots)) {
					t.grow()
					slots = t.slots
					mask, shift = slotMath(len(slots))
				}
				ids[i] = id
				break
			}
			pos = (pos + 1) & mask
		}
	}
	return n
}

// find is insert without adding: absent keys get id -1.
func (t *intTable) find(vals []int64, ids []int32) {
	if dense := t.dense; dense != nil {
		size := uint64(len(dense))
		for i, v := range vals {
			ids[i] = -1
			if off := uint64(v) - uint64(t.lo); off < size {
				ids[i] = dense[off] - 1
			}
		}
		return
	}
	slots := t.slots
	mask, shift := slotMath(len(slots))
	for i, v := range vals {
		pos := slotOf(v, shift)
		for {
			s := slots[pos]
			if s.key == v || s.id == 0 {
				ids[i] = s.id - 1
				break
			}
			pos = (pos + 1) & mask
		}
	}
}

func (t *intTable) grow() {
	slots := make([]intSlot, slotsFor(t.count))
	mask, shift := slotMath(len(slots))
	for _, s := range t.slots {
		if s.id == 0 {
			continue
		}
		pos := slotOf(s.key, shift)
		for slots[pos].id != 0 {
			pos = (pos + 1) & mask
		}
		slots[pos] = s
	}
	t.slots = slots
}
