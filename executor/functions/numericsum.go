package functions

import (
	"math/big"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// numericSum is sum and avg of numeric. Adding decimals allocates for
// every value, so while the values have coefficients of at most 18 digits
// and no more decimal places than the first (the common case: a
// numeric(p,s) column or products of such), each group's total is kept as
// an int128 coefficient at the first value's exponent; a value that does
// not fit turns every total into a decimal, and decimals take the rest.
//
// The results are those of adding decimals: a group's total has as many
// decimal places as the most precise of its values (never fewer than
// none), as PostgreSQL's numeric sum does.
type numericSum struct {
	avg bool
	t   types.Type

	decimals bool  // totals are in decs, not coefs
	exp      int32 // exponent of coefs, once set
	expSet   bool
	coefs    []int128
	minExp   []int32 // per group the smallest exponent added, at most 0
	decs     []decimal.Decimal
	counts   []int64
}

// maxCoefDigits is the most digits of a coefficient that surely fits in
// an int64.
const maxCoefDigits = 18

var pow10 = func() (p [maxCoefDigits + 1]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

func (s *numericSum) resize(n int) {
	s.counts = grow(s.counts, n, 0)
	if s.decimals {
		s.decs = grow(s.decs, n, decimal.Decimal{})
		return
	}
	s.coefs = grow(s.coefs, n, int128{})
	s.minExp = grow(s.minExp, n, 0)
}

func (s *numericSum) update(groups []int32, args []*vector.Vector) error {
	arg := args[0]
	hasNulls := arg.HasNulls()
	for i, g := range groups {
		if hasNulls && arg.IsNull(i) {
			continue
		}
		d := arg.Dec[i]
		if s.decimals || !s.addExact(g, d) {
			s.toDecimals()
			s.decs[g] = s.decs[g].Add(d)
		}
		s.counts[g]++
	}
	return nil
}

// addExact adds d to group g's coefficient if it fits.
func (s *numericSum) addExact(g int32, d decimal.Decimal) bool {
	e := d.Exponent()
	if !s.expSet {
		s.exp, s.expSet = e, true
	}
	shift := e - s.exp
	if shift < 0 || shift > maxCoefDigits || d.NumDigits()+int(shift) > maxCoefDigits {
		return false
	}
	s.coefs[g] = s.coefs[g].add(d.CoefficientInt64() * pow10[shift])
	s.minExp[g] = min(s.minExp[g], e)
	return true
}

// toDecimals turns the totals into decimals, once.
func (s *numericSum) toDecimals() {
	if s.decimals {
		return
	}
	s.decimals = true
	s.decs = make([]decimal.Decimal, len(s.counts))
	for g := range s.decs {
		s.decs[g] = s.exactTotal(g)
	}
	s.coefs, s.minExp = nil, nil
}

// exactTotal is group g's coefficient total as a decimal with the
// group's own number of decimal places.
func (s *numericSum) exactTotal(g int) decimal.Decimal {
	if s.counts[g] == 0 {
		return decimal.Decimal{}
	}
	return decimal.NewFromBigInt(s.coefs[g].big(), s.exp).Round(-s.minExp[g])
}

func (s *numericSum) mergeable() bool { return true }

func (s *numericSum) merge(from aggState, ids []int32) error {
	f := from.(*numericSum)
	if !s.decimals && !f.decimals && (!s.expSet || !f.expSet || s.exp == f.exp) {
		if !s.expSet {
			s.exp, s.expSet = f.exp, f.expSet
		}
		for g, id := range ids {
			s.coefs[id] = s.coefs[id].plus(f.coefs[g])
			s.minExp[id] = min(s.minExp[id], f.minExp[g])
			s.counts[id] += f.counts[g]
		}
		return nil
	}
	s.toDecimals()
	f.toDecimals()
	for g, id := range ids {
		if f.counts[g] > 0 {
			s.decs[id] = s.decs[id].Add(f.decs[g])
			s.counts[id] += f.counts[g]
		}
	}
	return nil
}

func (s *numericSum) result() (*vector.Vector, error) {
	out := newVector(s.t, len(s.counts))
	for g, n := range s.counts {
		if n == 0 {
			setDatum(out, g, types.NullDatum)
			continue
		}
		var sum decimal.Decimal
		if s.decimals {
			sum = s.decs[g]
		} else {
			sum = s.exactTotal(g)
		}
		if !s.avg {
			setDatum(out, g, types.DecDatum(sum))
			continue
		}
		avg, err := numericDiv(sum, decimal.NewFromInt(n))
		if err != nil {
			return nil, err
		}
		setDatum(out, g, types.DecDatum(avg))
	}
	return out, nil
}

// big is a as a big.Int.
func (a int128) big() *big.Int {
	b := new(big.Int).Lsh(big.NewInt(a.hi), 64)
	return b.Add(b, new(big.Int).SetUint64(a.lo))
}
