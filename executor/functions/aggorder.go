package functions

import (
	"math"
	"slices"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// orderedState feeds an aggregate its rows in an order, for
// string_agg(x, d ORDER BY k) and the WITHIN GROUP (ORDER BY k) of
// ordered-set and hypothetical-set aggregates. It keeps every row's
// arguments (the sort keys are the last of them) and, at the end, sorts
// them by group and keys and passes them all to the inner aggregate in
// one update. Sorting is stable, so ties keep the order rows came in.
type orderedState struct {
	inner  aggState
	keys   []plan.SortKey
	rows   []*vector.Batch
	groups []int32
	n      int
}

func newOrderedState(inner aggState, order []plan.SortOrder) *orderedState {
	keys := make([]plan.SortKey, len(order))
	for i, o := range order {
		keys[i] = plan.SortKey{Desc: o.Desc, NullsFirst: o.NullsFirst}
	}
	return &orderedState{inner: inner, keys: keys}
}

func (s *orderedState) resize(n int) { s.n = max(s.n, n) }

func (s *orderedState) update(groups []int32, args []*vector.Vector) error {
	if len(groups) == 0 {
		return nil
	}
	s.groups = append(s.groups, groups...)
	s.rows = append(s.rows, &vector.Batch{Cols: args, Len: len(groups)})
	return nil
}

func (s *orderedState) result() (*vector.Vector, error) {
	s.inner.resize(s.n)
	if len(s.rows) > 0 {
		all := vector.ConcatBatches(vector.ColumnTypes(s.rows[0]), s.rows)
		keyCols := all.Cols[len(all.Cols)-len(s.keys):]
		perm := identity(all.Len)
		slices.SortStableFunc(perm, func(i, j int32) int {
			if c := int(s.groups[i]) - int(s.groups[j]); c != 0 {
				return c
			}
			return compareKeys(keyCols, s.keys, int(i), int(j))
		})
		groups := make([]int32, len(perm))
		for i, r := range perm {
			groups[i] = s.groups[r]
		}
		args := make([]*vector.Vector, len(all.Cols))
		for i, v := range all.Cols {
			args[i] = gather(v, perm)
		}
		s.rows, s.groups = nil, nil
		if err := s.inner.update(groups, args); err != nil {
			return nil, err
		}
	}
	return s.inner.result()
}

// orderedSetState is percentile_cont, percentile_disc and mode: it keeps
// each group's non-NULL values of the first argument, in the order they
// arrive (sorted by orderedState), and the group's fraction, the second
// argument.
type orderedSetState struct {
	fn   string
	t    types.Type
	vals [][]types.Datum
	frac []types.Datum
}

func (s *orderedSetState) resize(n int) {
	s.vals = grow(s.vals, n, nil)
	s.frac = grow(s.frac, n, types.NullDatum)
}

func (s *orderedSetState) update(groups []int32, args []*vector.Vector) error {
	for i, g := range groups {
		if s.fn != "mode" && len(s.vals[g]) == 0 {
			s.frac[g] = args[1].Datum(i)
		}
		if !args[0].IsNull(i) {
			s.vals[g] = append(s.vals[g], args[0].Datum(i))
		}
	}
	return nil
}

func (s *orderedSetState) result() (*vector.Vector, error) {
	out := newVector(s.t, len(s.vals))
	for g, vals := range s.vals {
		d, err := s.final(vals, s.frac[g])
		if err != nil {
			return nil, err
		}
		setDatum(out, g, d)
	}
	return out, nil
}

func (s *orderedSetState) final(vals []types.Datum, frac types.Datum) (types.Datum, error) {
	if len(vals) == 0 || s.fn != "mode" && frac.Null {
		return types.NullDatum, nil
	}
	if s.fn == "mode" {
		return modeOf(vals, s.t), nil
	}
	if elem, ok := ArrayElement(s.t); ok {
		return s.percentiles(vals, frac, elem)
	}
	return s.percentile(vals, frac.Float)
}

// percentiles computes an array of fractions into an array of the same
// shape, NULL where a fraction is NULL, as PostgreSQL's
// percentile_cont(float8[]) and percentile_disc(float8[]) do.
func (s *orderedSetState) percentiles(vals []types.Datum, fracs types.Datum, elem types.Type) (types.Datum, error) {
	a, err := parseArray(types.Type{Kind: types.Float8Array}, fracs.Str)
	if err != nil {
		return types.Datum{}, err
	}
	out := &arrayValue{lower: a.lower, dims: a.dims, elems: make([]arrayElem, len(a.elems))}
	for i, e := range a.elems {
		if e.null {
			out.elems[i].null = true
			continue
		}
		p, err := types.ParseText(types.TFloat8, e.text)
		if err != nil {
			return types.Datum{}, err
		}
		d, err := s.percentile(vals, p.Float)
		if err != nil {
			return types.Datum{}, err
		}
		out.elems[i].text = types.FormatText(elem, d)
	}
	return arrayDatum(out, s.t)
}

// percentile is percentile_disc or percentile_cont of sorted values at
// fraction p.
func (s *orderedSetState) percentile(vals []types.Datum, p float64) (types.Datum, error) {
	n := float64(len(vals))
	if s.fn == "percentile_disc" {
		if p < 0 || p > 1 || math.IsNaN(p) {
			return types.Datum{}, percentileRange(p)
		}
		row := max(int(math.Ceil(p*n)), 1)
		return vals[row-1], nil
	}
	if p < 0 || p > 1 || math.IsNaN(p) {
		return types.Datum{}, percentileRange(p)
	}
	at := p * (n - 1)
	lo, hi := math.Floor(at), math.Ceil(at)
	first := vals[int(lo)].Float
	if lo == hi {
		return types.FloatDatum(first), nil
	}
	second := vals[int(hi)].Float
	return types.FloatDatum(first + (second-first)*(at-lo)), nil
}

func percentileRange(p float64) error {
	return pgerr.New(pgerr.NumericOutOfRange, "percentile value %s is not between 0 and 1", types.FormatText(types.TFloat8, types.FloatDatum(p)))
}

// modeOf is the most frequent of sorted values, the first of the most
// frequent on a tie.
func modeOf(vals []types.Datum, t types.Type) types.Datum {
	single := newVector(t, 2)
	equal := func(a, b types.Datum) bool {
		setDatum(single, 0, a)
		setDatum(single, 1, b)
		return compareRows(single, 0, single, 1) == 0
	}
	best, bestN := 0, 0
	for i := 0; i < len(vals); {
		j := i + 1
		for j < len(vals) && equal(vals[i], vals[j]) {
			j++
		}
		if j-i > bestN {
			best, bestN = i, j-i
		}
		i = j
	}
	return vals[best]
}

// hypotheticalState is rank, dense_rank, percent_rank and cume_dist
// WITHIN GROUP: where the hypothetical row of its arguments would fall
// among the group's rows. Its arguments are the hypothetical row's values
// then the sort keys, and the rows arrive sorted (by orderedState).
type hypotheticalState struct {
	fn    string
	keys  []plan.SortKey
	rows  []int64 // per group: rows
	less  []int64 // rows sorting before the hypothetical row
	peers []int64 // rows sorting equal to it
	dense []int64 // distinct values among the rows before it
	last  []int   // per group the last row before it seen, -1 for none
}

func newHypotheticalState(fn string, order []plan.SortOrder) *hypotheticalState {
	s := &hypotheticalState{fn: fn}
	for _, o := range order {
		s.keys = append(s.keys, plan.SortKey{Desc: o.Desc, NullsFirst: o.NullsFirst})
	}
	return s
}

func (s *hypotheticalState) resize(n int) {
	s.rows = grow(s.rows, n, 0)
	s.less = grow(s.less, n, 0)
	s.peers = grow(s.peers, n, 0)
	s.dense = grow(s.dense, n, 0)
	s.last = grow(s.last, n, -1)
}

func (s *hypotheticalState) update(groups []int32, args []*vector.Vector) error {
	k := len(s.keys)
	hyp, keys := args[:k], args[k:]
	for i, g := range groups {
		s.rows[g]++
		c := s.compare(keys, i, hyp, i)
		switch {
		case c < 0:
			s.less[g]++
			if s.last[g] < 0 || s.compare(keys, s.last[g], keys, i) != 0 {
				s.dense[g]++
			}
			s.last[g] = i
		case c == 0:
			s.peers[g]++
		}
	}
	return nil
}

// compare orders row i of a against row j of b by the sort keys.
func (s *hypotheticalState) compare(a []*vector.Vector, i int, b []*vector.Vector, j int) int {
	for k, key := range s.keys {
		an, bn := a[k].IsNull(i), b[k].IsNull(j)
		switch {
		case an && bn:
			continue
		case an || bn:
			if an == key.NullsFirst {
				return -1
			}
			return 1
		}
		c := compareRows(a[k], i, b[k], j)
		if key.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func (s *hypotheticalState) result() (*vector.Vector, error) {
	t := types.TInt8
	if s.fn == "percent_rank" || s.fn == "cume_dist" {
		t = types.TFloat8
	}
	out := newVector(t, len(s.rows))
	for g, n := range s.rows {
		switch s.fn {
		case "rank":
			out.Int[g] = s.less[g] + 1
		case "dense_rank":
			out.Int[g] = s.dense[g] + 1
		case "percent_rank":
			if n > 0 {
				out.Float[g] = float64(s.less[g]) / float64(n)
			}
		case "cume_dist":
			out.Float[g] = float64(s.less[g]+s.peers[g]+1) / float64(n+1)
		}
	}
	return out, nil
}

// orderedAggState builds the aggregates whose result depends on the order
// of their rows; nil when fn is none of them.
func orderedAggState(call plan.AggCall) aggState {
	switch call.Func {
	case "percentile_cont", "percentile_disc", "mode":
		return newOrderedState(&orderedSetState{fn: call.Func, t: call.T}, call.Order)
	case "rank", "dense_rank", "percent_rank", "cume_dist":
		return newOrderedState(newHypotheticalState(call.Func, call.Order), call.Order)
	}
	return nil
}
