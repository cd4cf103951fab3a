package functions

import (
	"math"
	"math/rand"
	"testing"
)

// TestInt128AddAll checks the batch sum against adding value by value.
func TestInt128AddAll(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for range 200 {
		vals := make([]int64, rng.Intn(5000))
		for i := range vals {
			switch rng.Intn(4) {
			case 0:
				vals[i] = math.MaxInt64 - rng.Int63n(3)
			case 1:
				vals[i] = math.MinInt64 + rng.Int63n(3)
			default:
				vals[i] = rng.Int63() - math.MaxInt64/2
			}
		}
		start := int128{hi: rng.Int63n(5) - 2, lo: rng.Uint64()}
		want := start
		for _, v := range vals {
			want = want.add(v)
		}
		if got := start.addAll(vals); got != want {
			t.Fatalf("addAll = %+v, want %+v", got, want)
		}
	}
}
