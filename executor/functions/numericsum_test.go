package functions

import (
	"math/rand"
	"testing"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// TestNumericSum checks numeric sum and avg against adding decimals one by
// one, digit for digit and scale for scale: values of one scale, of mixed
// scales, with coefficients too long for 64 bits, in one state or split
// over two merged ones.
func TestNumericSum(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	value := func(kind int) decimal.Decimal {
		switch kind {
		case 0: // numeric(15,2)
			return decimal.New(rng.Int63n(2_000_000_000)-1_000_000_000, -2)
		case 1: // mixed scales, some positive exponents
			return decimal.New(rng.Int63n(200_000)-100_000, int32(rng.Intn(7)-4))
		default: // now and then more than 18 digits
			if rng.Intn(300) == 0 {
				d, _ := decimal.NewFromString("123456789012345678901.5")
				return d
			}
			return decimal.New(rng.Int63n(1_000_000_000_000_000_000), -3)
		}
	}
	for trial := range 60 {
		kind, split := trial%3, trial%2 == 1
		for _, avg := range []bool{false, true} {
			states := []*numericSum{{avg: avg, t: types.TNumeric}, {avg: avg, t: types.TNumeric}}
			const ngroups = 7
			want := make([]decimal.Decimal, ngroups)
			counts := make([]int64, ngroups)
			for batch := range 5 {
				n := 1 + rng.Intn(500)
				v := vector.New(types.TNumeric, n)
				groups := make([]int32, n)
				for i := range n {
					groups[i] = int32(rng.Intn(ngroups - 1)) // the last group gets nothing
					if rng.Intn(20) == 0 {
						v.AppendNull()
						continue
					}
					d := value(kind)
					v.AppendDatum(types.DecDatum(d))
					want[groups[i]] = want[groups[i]].Add(d)
					counts[groups[i]]++
				}
				st := states[0]
				if split && batch%2 == 1 {
					st = states[1]
				}
				st.resize(ngroups)
				if err := st.update(groups, []*vector.Vector{v}); err != nil {
					t.Fatal(err)
				}
			}
			st := states[0]
			if split {
				states[1].resize(ngroups)
				ids := []int32{0, 1, 2, 3, 4, 5, 6}
				if err := st.merge(states[1], ids); err != nil {
					t.Fatal(err)
				}
			}
			got, err := st.result()
			if err != nil {
				t.Fatal(err)
			}
			for g := range ngroups {
				wantText := "NULL"
				if counts[g] > 0 {
					w := want[g]
					if avg {
						w, _ = numericDiv(w, decimal.NewFromInt(counts[g]))
					}
					wantText = types.FormatText(types.TNumeric, types.DecDatum(w))
				}
				gotText := "NULL"
				if !got.IsNull(g) {
					gotText = types.FormatText(got.Type, got.Datum(g))
				}
				if gotText != wantText {
					t.Fatalf("trial %d (kind %d, split %v, avg %v) group %d: %s, want %s", trial, kind, split, avg, g, gotText, wantText)
				}
			}
		}
	}
}
