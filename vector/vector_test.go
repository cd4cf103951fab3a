package vector

import (
	"testing"

	"github.com/junction-db/junction/types"
)

// TestBatchColumnsGrowApart fills columns of one physical type past the
// room they were made with and checks that none overwrote another.
func TestBatchColumnsGrowApart(t *testing.T) {
	b := NewBatch([]types.Type{types.TInt4, types.TText, types.TInt8, types.TText, types.TInt4}, 2)
	const rows = 5
	for r := range rows {
		for c, v := range b.Cols {
			if v.Type.Physical() == types.PhysInt {
				v.Int = append(v.Int, int64(c*100+r))
			} else {
				v.Str = append(v.Str, string(rune('a'+c))+string(rune('0'+r)))
			}
		}
	}
	for c, v := range b.Cols {
		for r := range rows {
			if v.Type.Physical() == types.PhysInt {
				if v.Int[r] != int64(c*100+r) {
					t.Fatalf("column %d row %d = %d, want %d", c, r, v.Int[r], c*100+r)
				}
			} else if want := string(rune('a'+c)) + string(rune('0'+r)); v.Str[r] != want {
				t.Fatalf("column %d row %d = %q, want %q", c, r, v.Str[r], want)
			}
		}
	}
}
