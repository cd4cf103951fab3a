package functions

import (
	"testing"

	"github.com/junction-db/junction/types"
)

func TestRandomIsDrawnForEveryRow(t *testing.T) {
	call, ok := Lookup("random", nil, NewContext(0))
	if !ok {
		t.Fatal("random() does not resolve")
	}
	v, err := call.Eval(nil, 100, types.TFloat8)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Float) != 100 {
		t.Fatalf("random() gave %d values for 100 rows", len(v.Float))
	}
	seen := map[float64]bool{}
	for _, f := range v.Float {
		if f < 0 || f >= 1 {
			t.Fatalf("random() gave %v, outside [0, 1)", f)
		}
		seen[f] = true
	}
	if len(seen) < 90 {
		t.Fatalf("random() gave only %d distinct values in 100 rows", len(seen))
	}
}

// The numbers are PostgreSQL 15's after the same setseed.
func TestSetseedDrawsPostgresNumbers(t *testing.T) {
	r := NewRandom()
	for _, c := range []struct {
		seed float64
		want []float64
	}{
		{0.5, []float64{0.9851677175347999, 0.825301858027981}},
		{-1, []float64{0.725656831544149}},
		{0, []float64{0.8702553105818676}},
	} {
		if err := r.SetSeed(c.seed); err != nil {
			t.Fatal(err)
		}
		for i, want := range c.want {
			if got := r.Float64(); got != want {
				t.Errorf("after setseed(%v), number %d = %v, want %v", c.seed, i+1, got, want)
			}
		}
	}
	if err := r.SetSeed(2); err == nil {
		t.Error("setseed(2) is accepted")
	}
}
