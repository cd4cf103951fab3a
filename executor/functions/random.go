package functions

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"sync"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// Random is a session's random number generator: random() draws from it
// and setseed seeds it. It is PostgreSQL's (xoroshiro128**, seeded through
// splitmix64), so that after the same setseed a session draws the numbers
// PostgreSQL draws.
type Random struct {
	mu     sync.Mutex
	s0, s1 uint64
}

// NewRandom is a generator seeded at random.
func NewRandom() *Random {
	r := &Random{}
	r.seed(rand.Uint64())
	return r
}

func splitmix64(state *uint64) uint64 {
	*state += 0x9E3779B97F4A7C15
	v := *state
	v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9
	v = (v ^ (v >> 27)) * 0x94D049BB133111EB
	return v ^ (v >> 31)
}

func (r *Random) seed(s uint64) {
	r.s0, r.s1 = splitmix64(&s), splitmix64(&s)
	if r.s0 == 0 && r.s1 == 0 {
		r.s0, r.s1 = 0x5851F42D4C957F2D, 0x14057B7EF767814F
	}
}

// SetSeed is setseed(seed), seed in [-1, 1].
func (r *Random) SetSeed(seed float64) error {
	if seed < -1 || seed > 1 || math.IsNaN(seed) {
		return pgerr.New(invalidParameterValue, "setseed parameter %s is out of allowed range [-1,1]", strconv.FormatFloat(seed, 'g', -1, 64))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seed(uint64(int64(float64(1<<52-1) * seed)))
	return nil
}

// Float64 is the next number, uniform in [0, 1).
func (r *Random) Float64() float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	s0 := r.s0
	sx := r.s1 ^ s0
	v := bits.RotateLeft64(s0*5, 7) * 9
	r.s0 = bits.RotateLeft64(s0, 24) ^ sx ^ (sx << 16)
	r.s1 = bits.RotateLeft64(sx, 37)
	return math.Ldexp(float64(v>>(64-52)), -52)
}

// processRandom serves calls made without a session's generator.
var processRandom = NewRandom()

// random is the generator of a call's session.
func (fc *funcCall) random() *Random {
	if fc.rt != nil && fc.rt.random != nil {
		return fc.rt.random
	}
	return processRandom
}

// randomImpl is random(): a value uniform in [0, 1), drawn anew for every
// row.
func randomImpl(fc *funcCall, _ []*vector.Vector, n int, out *vector.Vector) error {
	r := fc.random()
	for i := range out.Float[:n] {
		out.Float[i] = r.Float64()
	}
	return nil
}

// setseedImpl is setseed(seed), which returns nothing.
func setseedImpl(fc *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
	r := fc.random()
	for i := 0; i < n; i++ {
		if out.Nulls.Get(i) {
			continue
		}
		if err := r.SetSeed(args[0].Float[i&rowMask(args[0], n)]); err != nil {
			return err
		}
	}
	return nil
}

func init() {
	register([]funcSig{{result: types.TFloat8, impl: randomImpl, volatile: true}}, "random")
	register([]funcSig{{params: []types.Type{types.TFloat8}, result: types.TVoid, impl: setseedImpl, volatile: true}}, "setseed")
}
