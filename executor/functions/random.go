package functions

import (
	"math/rand/v2"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// randomImpl is random(): a value uniform in [0, 1), drawn anew for every
// row.
func randomImpl(_ *funcCall, _ []*vector.Vector, n int, out *vector.Vector) error {
	for i := range out.Float[:n] {
		out.Float[i] = rand.Float64()
	}
	return nil
}

func init() {
	register([]funcSig{{result: types.TFloat8, impl: randomImpl, volatile: true}}, "random")
}
