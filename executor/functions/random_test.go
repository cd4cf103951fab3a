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
