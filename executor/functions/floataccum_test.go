package functions

import (
	"slices"
	"testing"
)

// The expected states are PostgreSQL's answers in its aggregates
// regression test.
func TestFloat8AccumulatorsAndCombiners(t *testing.T) {
	cases := []struct {
		name   string
		f      func([][]float64, []float64) ([]float64, error)
		states [][]float64
		vals   []float64
		want   []float64
	}{
		{"float8_accum", float8Accum, [][]float64{{4, 140, 2900}}, []float64{100}, []float64{5, 240, 6280}},
		{"float8_regr_accum", float8RegrAccum, [][]float64{{4, 140, 2900, 1290, 83075, 15050}}, []float64{200, 100}, []float64{5, 240, 6280, 1490, 95080, 8680}},
		{"float8_combine, empty right", float8Combine, [][]float64{{3, 60, 200}, {0, 0, 0}}, nil, []float64{3, 60, 200}},
		{"float8_combine, empty left", float8Combine, [][]float64{{0, 0, 0}, {2, 180, 200}}, nil, []float64{2, 180, 200}},
		{"float8_combine", float8Combine, [][]float64{{3, 60, 200}, {2, 180, 200}}, nil, []float64{5, 240, 6280}},
		{"float8_regr_combine", float8Combine, [][]float64{{3, 60, 200, 750, 20000, 2000}, {2, 180, 200, 740, 57800, -3400}}, nil, []float64{5, 240, 6280, 1490, 95080, 8680}},
	}
	for _, c := range cases {
		got, err := c.f(c.states, c.vals)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	if _, err := float8Accum([][]float64{{1, 1e308, 0}}, []float64{1e308}); err == nil {
		t.Error("float8_accum overflowing Sx: no error")
	}
}
