package executor

import (
	"math"
	"math/rand"
	"testing"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// intKeyBatch is a bigint column of the given values; nil is NULL.
func intKeyBatch(vals []*int64) *vector.Vector {
	v := vector.New(types.TInt8, len(vals))
	for _, x := range vals {
		if x == nil {
			v.AppendNull()
		} else {
			v.AppendDatum(types.IntDatum(*x))
		}
	}
	return v
}

// TestIntKeyTable checks the integer key index, in its hashed and dense
// forms, against a map: ids follow first appearance, NULL is a key of its
// own, find leaves absent keys at -1, and a key outside the dense range
// turns the table into a hash table without losing what it holds.
func TestIntKeyTable(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, c := range []struct {
		name  string
		key   func() int64
		dense bool
	}{
		{"sparse", func() int64 { return rng.Int63() - math.MaxInt64/2 }, false},
		{"dense", func() int64 { return 1000 + rng.Int63n(3000) }, true},
		{"extremes", func() int64 { return []int64{math.MinInt64, math.MaxInt64, 0, -1}[rng.Intn(4)] }, false},
	} {
		table := newKeyTable([]types.Type{types.TInt8})
		want := map[any]int32{}
		for batch := range 6 {
			n := 1 + rng.Intn(3000)
			vals := make([]*int64, n)
			for i := range vals {
				if rng.Intn(50) > 0 {
					x := c.key()
					if batch == 4 && i == n/2 {
						x = math.MaxInt64 // leaves any dense range
					}
					vals[i] = &x
				}
			}
			col := intKeyBatch(vals)
			cols := []*vector.Vector{col}
			if batch == 0 {
				table.reserveFor(cols, n)
				if got := table.ints.dense != nil; got != c.dense {
					t.Fatalf("%s: dense form %v, want %v", c.name, got, c.dense)
				}
			}
			hashes := make([]uint64, n)
			table.hash(cols, n, hashes)
			ids := make([]int32, n)
			var sel []int32
			if batch%2 == 1 {
				for i := range int32(n) {
					if i%3 != 0 {
						sel = append(sel, i)
					}
				}
			}
			add := batch != 5
			if add {
				table.insert(cols, hashes, sel, ids)
			} else {
				table.find(cols, hashes, sel, ids)
			}
			rows := sel
			if rows == nil {
				for i := range int32(n) {
					rows = append(rows, i)
				}
			}
			for _, r := range rows {
				var k any = "NULL"
				if vals[r] != nil {
					k = *vals[r]
				}
				id, ok := want[k]
				switch {
				case !ok && add:
					id = int32(len(want))
					want[k] = id
				case !ok:
					id = -1
				}
				if ids[r] != id {
					t.Fatalf("%s batch %d row %d (%v): id %d, want %d", c.name, batch, r, k, ids[r], id)
				}
			}
		}
		if table.len() != len(want) {
			t.Fatalf("%s: %d keys, want %d", c.name, table.len(), len(want))
		}
		for k, id := range want {
			if got := table.keys[0].Datum(int(id)); k == "NULL" && !got.Null || k != "NULL" && got.Int != k {
				t.Fatalf("%s: key of id %d is %v, want %v", c.name, id, got, k)
			}
		}
	}
}
