package functions

import (
	"math"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// The transition and combine functions of PostgreSQL's float aggregates
// (variance, stddev, the regr_* and corr family), callable by name: the
// state is a float8 array {N, Sx, Sxx} for one variable and
// {N, Sx, Sxx, Sy, Syy, Sxy} for two, where Sxx is the sum of squared
// deviations from the mean, updated by the Youngs-Cramer algorithm as
// PostgreSQL does, so every element comes out bit for bit the same.
func init() {
	f8 := types.TFloat8
	f8s, _ := types.ArrayOf(f8)
	sig := func(f func(states [][]float64, vals []float64) ([]float64, error), name string, arrays, lengths int, params ...types.Type) funcSig {
		return funcSig{params: params, result: f8s, impl: perRow(func(fc *funcCall, row []types.Datum) (types.Datum, error) {
			states := make([][]float64, arrays)
			for i := range states {
				s, err := float8State(fc, row, i, name, lengths)
				if err != nil {
					return types.Datum{}, err
				}
				states[i] = s
			}
			vals := make([]float64, len(row)-arrays)
			for i := range vals {
				vals[i] = row[arrays+i].Float
			}
			out, err := f(states, vals)
			if err != nil {
				return types.Datum{}, err
			}
			return float8ArrayDatum(out, f8s)
		})}
	}
	register([]funcSig{sig(float8Accum, "float8_accum", 1, 3, f8s, f8)}, "float8_accum")
	register([]funcSig{sig(float8RegrAccum, "float8_regr_accum", 1, 6, f8s, f8, f8)}, "float8_regr_accum")
	register([]funcSig{sig(float8Combine, "float8_combine", 2, 3, f8s, f8s)}, "float8_combine")
	register([]funcSig{sig(float8Combine, "float8_regr_combine", 2, 6, f8s, f8s)}, "float8_regr_combine")
}

// float8State reads argument i as a state array of n elements, with
// PostgreSQL's error for any other shape.
func float8State(fc *funcCall, row []types.Datum, i int, caller string, n int) ([]float64, error) {
	a, err := arrayArg(fc, row, i)
	if err != nil {
		return nil, err
	}
	if len(a.dims) != 1 || a.dims[0] != n {
		return nil, pgerr.New(pgerr.InternalError, "%s: expected %d-element float8 array", caller, n)
	}
	out := make([]float64, n)
	for j, e := range a.elems {
		if e.null {
			return nil, pgerr.New(pgerr.InternalError, "%s: expected %d-element float8 array", caller, n)
		}
		d, err := types.ParseText(types.TFloat8, e.text)
		if err != nil {
			return nil, err
		}
		out[j] = d.Float
	}
	return out, nil
}

func float8ArrayDatum(vals []float64, t types.Type) (types.Datum, error) {
	a := &arrayValue{lower: []int{1}, dims: []int{len(vals)}}
	for _, v := range vals {
		a.elems = append(a.elems, arrayElem{text: types.FormatText(types.TFloat8, types.FloatDatum(v))})
	}
	return arrayDatum(a, t)
}

func isNaNOrInf(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// float8Accum adds a value to {N, Sx, Sxx}.
func float8Accum(states [][]float64, vals []float64) ([]float64, error) {
	s, x := states[0], vals[0]
	n, sx, sxx := s[0]+1, s[1]+x, s[2]
	if s[0] > 0 {
		tmp := x*n - sx
		sxx += tmp * tmp / (n * s[0])
		if math.IsInf(sx, 0) || math.IsInf(sxx, 0) {
			if !math.IsInf(s[1], 0) && !math.IsInf(x, 0) {
				return nil, floatOverflow
			}
			sxx = math.NaN()
		}
	} else if isNaNOrInf(x) {
		sxx = math.NaN()
	}
	return []float64{n, sx, sxx}, nil
}

// float8RegrAccum adds a (y, x) pair to {N, Sx, Sxx, Sy, Syy, Sxy}.
func float8RegrAccum(states [][]float64, vals []float64) ([]float64, error) {
	s, y, x := states[0], vals[0], vals[1]
	n, sx, sxx, sy, syy, sxy := s[0]+1, s[1]+x, s[2], s[3]+y, s[4], s[5]
	if s[0] > 0 {
		tmpX, tmpY := x*n-sx, y*n-sy
		scale := 1.0 / (n * s[0])
		sxx += tmpX * tmpX * scale
		syy += tmpY * tmpY * scale
		sxy += tmpX * tmpY * scale
		if math.IsInf(sx, 0) || math.IsInf(sxx, 0) || math.IsInf(sy, 0) || math.IsInf(syy, 0) || math.IsInf(sxy, 0) {
			if ((math.IsInf(sx, 0) || math.IsInf(sxx, 0)) && !math.IsInf(s[1], 0) && !math.IsInf(x, 0)) ||
				((math.IsInf(sy, 0) || math.IsInf(syy, 0)) && !math.IsInf(s[3], 0) && !math.IsInf(y, 0)) ||
				(math.IsInf(sxy, 0) && !math.IsInf(s[1], 0) && !math.IsInf(x, 0) && !math.IsInf(s[3], 0) && !math.IsInf(y, 0)) {
				return nil, floatOverflow
			}
			if math.IsInf(sxx, 0) {
				sxx = math.NaN()
			}
			if math.IsInf(syy, 0) {
				syy = math.NaN()
			}
			if math.IsInf(sxy, 0) {
				sxy = math.NaN()
			}
		}
	} else {
		if isNaNOrInf(x) {
			sxx, sxy = math.NaN(), math.NaN()
		}
		if isNaNOrInf(y) {
			syy, sxy = math.NaN(), math.NaN()
		}
	}
	return []float64{n, sx, sxx, sy, syy, sxy}, nil
}

// float8Combine merges two states of either shape: the sums add, and
// each sum of squared (co)deviations gains the term for the distance
// between the two means.
func float8Combine(states [][]float64, _ []float64) ([]float64, error) {
	a, b := states[0], states[1]
	switch {
	case a[0] == 0:
		return b, nil
	case b[0] == 0:
		return a, nil
	}
	n := a[0] + b[0]
	out := make([]float64, len(a))
	out[0] = n
	// pairs of (sum, sum of squared deviations): Sx/Sxx, then Sy/Syy.
	var diffs []float64
	for i := 1; i+1 < len(a) && i <= 3; i += 2 {
		sum := a[i] + b[i]
		if math.IsInf(sum, 0) && !math.IsInf(a[i], 0) && !math.IsInf(b[i], 0) {
			return nil, floatOverflow
		}
		d := a[i]/a[0] - b[i]/b[0]
		sq := a[i+1] + b[i+1] + a[0]*b[0]*d*d/n
		if math.IsInf(sq, 0) && !math.IsInf(a[i+1], 0) && !math.IsInf(b[i+1], 0) {
			return nil, floatOverflow
		}
		out[i], out[i+1] = sum, sq
		diffs = append(diffs, d)
	}
	if len(a) == 6 {
		sxy := a[5] + b[5] + a[0]*b[0]*diffs[0]*diffs[1]/n
		if math.IsInf(sxy, 0) && !math.IsInf(a[5], 0) && !math.IsInf(b[5], 0) {
			return nil, floatOverflow
		}
		out[5] = sxy
	}
	return out, nil
}
