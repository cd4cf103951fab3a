package functions

import (
	"math"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// Statistical aggregates: the variance family over one argument and the
// regression family (corr, covar_*, regr_*) over (Y, X). They follow
// PostgreSQL's float.c and numeric.c step for step, so that the last
// digits of a float result agree with PostgreSQL's: floats use the
// Youngs-Cramer updates of float8_accum and float8_regr_accum, numerics
// exact sums of x and x². None of them merges partial states, since a
// merged float state differs from a sequential one in its last bits.

// floatMoments accumulates float8_accum's (N, Sx, Sxx) per group, and with
// two arguments float8_regr_accum's (N, Sx, Sxx, Sy, Syy, Sxy).
type floatMoments struct {
	fn                       string
	two                      bool
	n, sx, sxx, sy, syy, sxy []float64
}

func (s *floatMoments) resize(n int) {
	for _, p := range []*[]float64{&s.n, &s.sx, &s.sxx, &s.sy, &s.syy, &s.sxy} {
		*p = grow(*p, n, 0)
	}
}

func (s *floatMoments) update(groups []int32, args []*vector.Vector) error {
	for i, g := range groups {
		if args[0].IsNull(i) || s.two && args[1].IsNull(i) {
			continue
		}
		var err error
		if s.two {
			// regr_*(Y, X): the first argument is the dependent one.
			err = s.addPair(g, args[1].Float[i], args[0].Float[i])
		} else {
			err = s.addOne(g, args[0].Float[i])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var floatOverflow = pgerr.New(pgerr.NumericOutOfRange, "value out of range: overflow")

// addOne is float8_accum.
func (s *floatMoments) addOne(g int32, x float64) error {
	oldN, oldSx := s.n[g], s.sx[g]
	n := oldN + 1
	sx := oldSx + x
	sxx := s.sxx[g]
	if oldN > 0 {
		tmp := x*n - sx
		sxx += tmp * tmp / (n * oldN)
		if math.IsInf(sx, 0) || math.IsInf(sxx, 0) {
			if !math.IsInf(oldSx, 0) && !math.IsInf(x, 0) {
				return floatOverflow
			}
			sxx = math.NaN()
		}
	} else if math.IsNaN(x) || math.IsInf(x, 0) {
		// An infinite or NaN first value makes the variance NaN even if
		// no other value follows.
		sxx = math.NaN()
	}
	s.n[g], s.sx[g], s.sxx[g] = n, sx, sxx
	return nil
}

// addPair is float8_regr_accum.
func (s *floatMoments) addPair(g int32, x, y float64) error {
	oldN, oldSx, oldSy := s.n[g], s.sx[g], s.sy[g]
	n := oldN + 1
	sx, sy := oldSx+x, oldSy+y
	sxx, syy, sxy := s.sxx[g], s.syy[g], s.sxy[g]
	if oldN > 0 {
		tmpX, tmpY := x*n-sx, y*n-sy
		scale := 1.0 / (n * oldN)
		sxx += tmpX * tmpX * scale
		syy += tmpY * tmpY * scale
		sxy += tmpX * tmpY * scale
		if math.IsInf(sx, 0) || math.IsInf(sxx, 0) {
			if !math.IsInf(oldSx, 0) && !math.IsInf(x, 0) {
				return floatOverflow
			}
			sxx = math.NaN()
		}
		if math.IsInf(sy, 0) || math.IsInf(syy, 0) {
			if !math.IsInf(oldSy, 0) && !math.IsInf(y, 0) {
				return floatOverflow
			}
			syy = math.NaN()
		}
		if math.IsInf(sxy, 0) {
			if !math.IsInf(oldSx, 0) && !math.IsInf(x, 0) && !math.IsInf(oldSy, 0) && !math.IsInf(y, 0) {
				return floatOverflow
			}
			sxy = math.NaN()
		}
	} else {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			sxx, sxy = math.NaN(), math.NaN()
		}
		if math.IsNaN(y) || math.IsInf(y, 0) {
			syy, sxy = math.NaN(), math.NaN()
		}
	}
	s.n[g], s.sx[g], s.sxx[g], s.sy[g], s.syy[g], s.sxy[g] = n, sx, sxx, sy, syy, sxy
	return nil
}

func (s *floatMoments) result() (*vector.Vector, error) {
	t := types.TFloat8
	if s.fn == "regr_count" {
		t = types.TInt8
	}
	out := newVector(t, len(s.n))
	for g := range s.n {
		v, ok := s.final(g)
		switch {
		case !ok:
			out.SetNull(g)
		case s.fn == "regr_count":
			out.Int[g] = int64(v)
		default:
			out.Float[g] = v
		}
	}
	return out, nil
}

// final computes group g's result; ok is false for NULL.
func (s *floatMoments) final(g int) (float64, bool) {
	n, sx, sxx, sy, syy, sxy := s.n[g], s.sx[g], s.sxx[g], s.sy[g], s.syy[g], s.sxy[g]
	switch s.fn {
	case "regr_count":
		return n, true
	case "var_pop":
		return sxx / n, n > 0
	case "var_samp", "variance":
		return sxx / (n - 1), n > 1
	case "stddev_pop":
		return math.Sqrt(sxx / n), n > 0
	case "stddev_samp", "stddev":
		return math.Sqrt(sxx / (n - 1)), n > 1
	}
	if n < 1 {
		return 0, false
	}
	switch s.fn {
	case "regr_sxx":
		return sxx, true
	case "regr_syy":
		return syy, true
	case "regr_sxy":
		return sxy, true
	case "regr_avgx":
		return sx / n, true
	case "regr_avgy":
		return sy / n, true
	case "covar_pop":
		return sxy / n, true
	case "covar_samp":
		return sxy / (n - 1), n > 1
	case "corr":
		// Horizontal and vertical lines have no correlation.
		return sxy / math.Sqrt(sxx*syy), sxx != 0 && syy != 0
	case "regr_r2":
		if syy == 0 {
			return 1, sxx != 0
		}
		return sxy * sxy / (sxx * syy), sxx != 0
	case "regr_slope":
		return sxy / sxx, sxx != 0
	case "regr_intercept":
		return (sy - sx*sxy/sxx) / n, sxx != 0
	}
	return 0, false
}

// numericMoments is the variance family over integers and numeric: exact
// per-group N, Σx and Σx², the result computed as numeric.c's
// numeric_stddev_internal does.
type numericMoments struct {
	fn      string
	ints    bool
	n       []int64
	sum, sq []decimal.Decimal
}

func (s *numericMoments) resize(n int) {
	s.n = grow(s.n, n, 0)
	s.sum = grow(s.sum, n, decimal.Zero)
	s.sq = grow(s.sq, n, decimal.Zero)
}

func (s *numericMoments) update(groups []int32, args []*vector.Vector) error {
	arg := args[0]
	for i, g := range groups {
		if arg.IsNull(i) {
			continue
		}
		var x decimal.Decimal
		if s.ints {
			x = decimal.NewFromInt(arg.Int[i])
		} else {
			x = arg.Dec[i]
		}
		s.n[g]++
		s.sum[g] = s.sum[g].Add(x)
		s.sq[g] = s.sq[g].Add(x.Mul(x))
	}
	return nil
}

func (s *numericMoments) result() (*vector.Vector, error) {
	out := newVector(types.TNumeric, len(s.n))
	for g := range s.n {
		d, ok := s.final(g)
		if !ok {
			out.SetNull(g)
			continue
		}
		out.Dec[g] = d
	}
	return out, nil
}

func (s *numericMoments) final(g int) (decimal.Decimal, bool) {
	sample := s.fn == "var_samp" || s.fn == "variance" || s.fn == "stddev_samp" || s.fn == "stddev"
	n := s.n[g]
	if n == 0 || sample && n == 1 {
		return decimal.Decimal{}, false
	}
	vn := decimal.NewFromInt(n)
	num := vn.Mul(s.sq[g]).Sub(s.sum[g].Mul(s.sum[g]))
	if num.Sign() <= 0 {
		// Rounding cannot make the numerator negative here (the sums are
		// exact), but PostgreSQL answers a bare zero all the same.
		return decimal.Zero, true
	}
	den := vn.Mul(vn)
	if sample {
		den = vn.Mul(decimal.NewFromInt(n - 1))
	}
	rscale := selectDivScale(num, den)
	v := num.DivRound(den, rscale)
	if s.fn == "stddev_pop" || s.fn == "stddev_samp" || s.fn == "stddev" {
		return numericSqrtScale(v, rscale), true
	}
	return v, true
}

// bitState is bit_and, bit_or and bit_xor over an integer type.
type bitState struct {
	fn   string
	t    types.Type
	vals []int64
	has  []bool
}

func (s *bitState) resize(n int) {
	s.vals = grow(s.vals, n, 0)
	s.has = grow(s.has, n, false)
}

func (s *bitState) update(groups []int32, args []*vector.Vector) error {
	arg := args[0]
	for i, g := range groups {
		if arg.IsNull(i) {
			continue
		}
		s.fold(g, arg.Int[i])
	}
	return nil
}

func (s *bitState) fold(g int32, v int64) {
	switch {
	case !s.has[g]:
		s.vals[g] = v
	case s.fn == "bit_and":
		s.vals[g] &= v
	case s.fn == "bit_or":
		s.vals[g] |= v
	default:
		s.vals[g] ^= v
	}
	s.has[g] = true
}

func (s *bitState) mergeable() bool { return true }

func (s *bitState) merge(from aggState, ids []int32) error {
	f := from.(*bitState)
	for g, id := range ids {
		if f.has[g] {
			s.fold(id, f.vals[g])
		}
	}
	return nil
}

func (s *bitState) result() (*vector.Vector, error) {
	out := newVector(s.t, len(s.vals))
	copy(out.Int, s.vals)
	for g, ok := range s.has {
		if !ok {
			out.SetNull(g)
		}
	}
	return out, nil
}

// statsState builds the statistical and bitwise aggregates; nil when the
// argument types have no such aggregate.
func statsState(fn string, argTypes []types.Type, t types.Type) aggState {
	switch fn {
	case "bit_and", "bit_or", "bit_xor":
		if argTypes[0].IsInteger() {
			return &bitState{fn: fn, t: t}
		}
		return nil
	case "var_pop", "var_samp", "variance", "stddev_pop", "stddev_samp", "stddev":
		switch k := argTypes[0].Kind; {
		case k == types.Float4 || k == types.Float8:
			return &floatMoments{fn: fn}
		case argTypes[0].IsInteger():
			return &numericMoments{fn: fn, ints: true}
		case k == types.Numeric:
			return &numericMoments{fn: fn}
		}
		return nil
	}
	if len(argTypes) == 2 && argTypes[0].Kind == types.Float8 && argTypes[1].Kind == types.Float8 {
		return &floatMoments{fn: fn, two: true}
	}
	return nil
}

// statsAggregates are the aggregates statsState builds.
var statsAggregates = map[string]bool{
	"bit_and": true, "bit_or": true, "bit_xor": true,
	"var_pop": true, "var_samp": true, "variance": true, "stddev_pop": true, "stddev_samp": true, "stddev": true,
	"corr": true, "covar_pop": true, "covar_samp": true, "regr_count": true, "regr_sxx": true, "regr_syy": true,
	"regr_sxy": true, "regr_avgx": true, "regr_avgy": true, "regr_r2": true, "regr_slope": true, "regr_intercept": true,
}
