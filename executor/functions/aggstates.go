package functions

import (
	"bytes"
	"cmp"
	"math"
	"math/bits"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// mergeableState is an aggregate state that can take in another one's
// groups, for aggregating parts of the input apart.
type mergeableState interface {
	aggState
	// mergeable reports whether merging gives exactly the result of
	// aggregating all rows in one state.
	mergeable() bool
	// merge adds group g of from, a state of the same aggregate, to
	// group ids[g].
	merge(from aggState, ids []int32) error
}

func grow[T any](s []T, n int, zero T) []T {
	for len(s) < n {
		s = append(s, zero)
	}
	return s
}

// countState is count(*) and count(x).
type countState struct{ counts []int64 }

func (s *countState) resize(n int) { s.counts = grow(s.counts, n, 0) }

func (s *countState) update(groups []int32, args []*vector.Vector) error {
	if len(args) == 0 || !args[0].HasNulls() {
		addCounts(s.counts, groups)
		return nil
	}
	for i, g := range groups {
		if !args[0].IsNull(i) {
			s.counts[g]++
		}
	}
	return nil
}

func (s *countState) mergeable() bool { return true }

func (s *countState) merge(from aggState, ids []int32) error {
	for g, n := range from.(*countState).counts[:len(ids)] {
		s.counts[ids[g]] += n
	}
	return nil
}

// addCounts counts each row for its group.
func addCounts(counts []int64, groups []int32) {
	if len(counts) == 1 {
		counts[0] += int64(len(groups)) // a single group: every row is its
		return
	}
	for _, g := range groups {
		counts[g]++
	}
}

func (s *countState) result() (*vector.Vector, error) {
	out := newVector(types.TInt8, len(s.counts))
	copy(out.Int, s.counts)
	return out, nil
}

// accumulator is sum and avg: per group a running total of type Acc over
// input values of type In, and the number of values; final turns them into
// the result (NULL for no values). addAll, when set, adds a whole batch
// without NULLs in one loop, sparing add's call per value.
type accumulator[In, Acc any] struct {
	sums   []Acc
	counts []int64
	values func(*vector.Vector) []In
	add    func(Acc, In) (Acc, error)
	addAll func(sums []Acc, groups []int32, vals []In)
	// combine adds two totals; nil when totals of parts of the input do
	// not add up to exactly the total of all of it.
	combine func(Acc, Acc) (Acc, error)
	final   func(Acc, int64) (types.Datum, error)
	t       types.Type
}

func (s *accumulator[In, Acc]) resize(n int) {
	var zero Acc
	s.sums = grow(s.sums, n, zero)
	s.counts = grow(s.counts, n, 0)
}

func (s *accumulator[In, Acc]) update(groups []int32, args []*vector.Vector) error {
	arg := args[0]
	vals := s.values(arg)
	hasNulls := arg.HasNulls()
	if s.addAll != nil && !hasNulls {
		s.addAll(s.sums, groups, vals[:len(groups)])
		addCounts(s.counts, groups)
		return nil
	}
	for i, g := range groups {
		if hasNulls && arg.IsNull(i) {
			continue
		}
		acc, err := s.add(s.sums[g], vals[i])
		if err != nil {
			return err
		}
		s.sums[g] = acc
		s.counts[g]++
	}
	return nil
}

func (s *accumulator[In, Acc]) mergeable() bool { return s.combine != nil }

func (s *accumulator[In, Acc]) merge(from aggState, ids []int32) error {
	f := from.(*accumulator[In, Acc])
	for g, id := range ids {
		if f.counts[g] == 0 {
			continue
		}
		acc, err := s.combine(s.sums[id], f.sums[g])
		if err != nil {
			return err
		}
		s.sums[id] = acc
		s.counts[id] += f.counts[g]
	}
	return nil
}

func (s *accumulator[In, Acc]) result() (*vector.Vector, error) {
	out := newVector(s.t, len(s.sums))
	for g, acc := range s.sums {
		if s.counts[g] == 0 {
			setDatum(out, g, types.NullDatum)
			continue
		}
		d, err := s.final(acc, s.counts[g])
		if err != nil {
			return nil, err
		}
		setDatum(out, g, d)
	}
	return out, nil
}

// int128 is a two's complement 128-bit integer, enough to sum any number
// of bigints exactly.
type int128 struct {
	hi int64
	lo uint64
}

func (a int128) add(v int64) int128 {
	lo, carry := bits.Add64(a.lo, uint64(v), 0)
	hi := a.hi + int64(carry)
	if v < 0 {
		hi-- // the sign extension of v
	}
	return int128{hi: hi, lo: lo}
}

// addAll adds every value of vals.
func (a int128) addAll(vals []int64) int128 {
	// Sums of 64-bit halves cannot overflow an int64 before 2^31 values.
	var lo, hi int64
	for _, v := range vals {
		lo += int64(uint32(v))
		hi += v >> 32
	}
	return a.add(lo).plus(int128{hi: hi >> 32, lo: uint64(hi) << 32})
}

func (a int128) plus(b int128) int128 {
	lo, carry := bits.Add64(a.lo, b.lo, 0)
	return int128{hi: a.hi + b.hi + int64(carry), lo: lo}
}

func (a int128) decimal() decimal.Decimal {
	if (a.hi == 0 && a.lo <= math.MaxInt64) || (a.hi == -1 && a.lo > math.MaxInt64) {
		return decimal.NewFromInt(int64(a.lo))
	}
	return decimal.NewFromBigInt(a.big(), 0)
}

// sumState builds sum or avg over argType with result type t: sum of
// smallint/integer is bigint, of bigint and numeric numeric, of a float
// its own type, of interval interval; avg of integers and numeric is
// numeric with numeric division's scale, of floats double precision, of
// interval interval. nil when the type has no such aggregate.
func sumState(avg bool, argType, t types.Type) aggState {
	intAdd := func(acc int128, v int64) (int128, error) { return acc.add(v), nil }
	intCombine := func(a, b int128) (int128, error) { return a.plus(b), nil }
	intAddAll := func(sums []int128, groups []int32, vals []int64) {
		if len(sums) == 1 {
			sums[0] = sums[0].addAll(vals)
			return
		}
		for i, g := range groups {
			sums[g] = sums[g].add(vals[i])
		}
	}
	numericAvg := func(sum decimal.Decimal, count int64) (types.Datum, error) {
		d, err := numericDiv(sum, decimal.NewFromInt(count))
		return types.DecDatum(d), err
	}
	ivAdd := func(acc, v types.IntervalValue) (types.IntervalValue, error) {
		return addIntervals(acc, v)
	}
	switch k := argType.Kind; {
	case argType.IsInteger() && avg:
		return &accumulator[int64, int128]{values: ints, add: intAdd, addAll: intAddAll, combine: intCombine, t: t,
			final: func(sum int128, count int64) (types.Datum, error) { return numericAvg(sum.decimal(), count) }}
	case (k == types.Int2 || k == types.Int4) && t.Kind == types.Int8:
		add := func(acc, v int64) (int64, error) {
			r := acc + v
			if (acc^r)&(v^r) < 0 {
				return 0, pgerr.New(pgerr.NumericOutOfRange, "bigint out of range")
			}
			return r, nil
		}
		return &accumulator[int64, int64]{values: ints, t: t, add: add, combine: add,
			final: func(sum int64, _ int64) (types.Datum, error) { return types.IntDatum(sum), nil }}
	case argType.IsInteger():
		return &accumulator[int64, int128]{values: ints, add: intAdd, addAll: intAddAll, combine: intCombine, t: t,
			final: func(sum int128, _ int64) (types.Datum, error) { return types.DecDatum(sum.decimal()), nil }}
	case k == types.Numeric:
		return &numericSum{avg: avg, t: t}
	case k == types.Float4 || k == types.Float8:
		single := k == types.Float4 && !avg
		final := func(sum float64, _ int64) (types.Datum, error) { return types.FloatDatum(sum), nil }
		if avg {
			final = func(sum float64, count int64) (types.Datum, error) {
				return types.FloatDatum(sum / float64(count)), nil
			}
		}
		return &accumulator[float64, float64]{values: floats, final: final, t: t,
			add: func(acc, v float64) (float64, error) {
				r := acc + v
				if single {
					r = float64(float32(r))
				}
				return r, checkFloatResult(r, acc, v, false)
			}}
	case k == types.Interval:
		final := func(sum types.IntervalValue, _ int64) (types.Datum, error) { return types.Datum{Iv: sum}, nil }
		if avg {
			final = func(sum types.IntervalValue, count int64) (types.Datum, error) {
				iv, err := divideInterval(sum, float64(count))
				return types.Datum{Iv: iv}, err
			}
		}
		return &accumulator[types.IntervalValue, types.IntervalValue]{values: intervals, add: ivAdd, combine: ivAdd, final: final, t: t}
	}
	return nil
}

// extremum is min and max: per group the smallest (or largest) value so far.
type extremum[T any] struct {
	vals    []T
	has     []bool
	sign    int // 1 for max, -1 for min
	compare func(a, b T) int
	values  func(*vector.Vector) []T
	t       types.Type
}

func (s *extremum[T]) resize(n int) {
	var zero T
	s.vals = grow(s.vals, n, zero)
	s.has = grow(s.has, n, false)
}

func (s *extremum[T]) update(groups []int32, args []*vector.Vector) error {
	arg := args[0]
	vals := s.values(arg)
	hasNulls := arg.HasNulls()
	for i, g := range groups {
		if hasNulls && arg.IsNull(i) {
			continue
		}
		if !s.has[g] || s.compare(vals[i], s.vals[g])*s.sign > 0 {
			s.vals[g], s.has[g] = vals[i], true
		}
	}
	return nil
}

func (s *extremum[T]) mergeable() bool { return true }

func (s *extremum[T]) merge(from aggState, ids []int32) error {
	f := from.(*extremum[T])
	for g, id := range ids {
		if f.has[g] && (!s.has[id] || s.compare(f.vals[g], s.vals[id])*s.sign > 0) {
			s.vals[id], s.has[id] = f.vals[g], true
		}
	}
	return nil
}

func (s *extremum[T]) result() (*vector.Vector, error) {
	out := newVector(s.t, len(s.vals))
	copy(s.values(out), s.vals)
	for g, ok := range s.has {
		if !ok {
			setDatum(out, g, types.NullDatum)
		}
	}
	return out, nil
}

func newExtremum[T any](max bool, values func(*vector.Vector) []T, compare func(a, b T) int, t types.Type) aggState {
	sign := -1
	if max {
		sign = 1
	}
	return &extremum[T]{sign: sign, compare: compare, values: values, t: t}
}

// minMaxState builds min or max for any comparable type.
func minMaxState(max bool, argType, t types.Type) aggState {
	switch argType.Physical() {
	case types.PhysInt:
		return newExtremum(max, ints, cmp.Compare[int64], t)
	case types.PhysFloat:
		return newExtremum(max, floats, compareFloat, t)
	case types.PhysDecimal:
		return newExtremum(max, decs, types.CompareNumeric, t)
	case types.PhysString:
		return newExtremum(max, strs, stringOrder(argType), t)
	case types.PhysBytes:
		return newExtremum(max, byteSlices, bytes.Compare, t)
	case types.PhysBool:
		return newExtremum(max, bools, compareBool, t)
	case types.PhysInterval:
		return newExtremum(max, intervals, compareInterval, t)
	}
	return nil
}

// boolState is bool_and and bool_or.
type boolState struct {
	and  bool
	vals []bool
	has  []bool
}

func (s *boolState) resize(n int) {
	s.vals = grow(s.vals, n, s.and)
	s.has = grow(s.has, n, false)
}

func (s *boolState) update(groups []int32, args []*vector.Vector) error {
	arg := args[0]
	for i, g := range groups {
		if arg.IsNull(i) {
			continue
		}
		s.fold(g, arg.Bool[i])
	}
	return nil
}

// fold takes value v into group g.
func (s *boolState) fold(g int32, v bool) {
	if s.and {
		s.vals[g] = s.vals[g] && v
	} else {
		s.vals[g] = s.vals[g] || v
	}
	s.has[g] = true
}

func (s *boolState) mergeable() bool { return true }

func (s *boolState) merge(from aggState, ids []int32) error {
	f := from.(*boolState)
	for g, id := range ids {
		if f.has[g] {
			s.fold(id, f.vals[g])
		}
	}
	return nil
}

func (s *boolState) result() (*vector.Vector, error) {
	out := newVector(types.TBool, len(s.vals))
	copy(out.Bool, s.vals)
	for g, ok := range s.has {
		if !ok {
			setDatum(out, g, types.NullDatum)
		}
	}
	return out, nil
}

// stringAggState is string_agg(value, delimiter): the non-NULL values of a
// group joined, each after the first preceded by its own row's delimiter
// (nothing for a NULL delimiter).
type stringAggState struct {
	bufs [][]byte
	has  []bool
}

func (s *stringAggState) resize(n int) {
	s.bufs = grow(s.bufs, n, nil)
	s.has = grow(s.has, n, false)
}

func (s *stringAggState) update(groups []int32, args []*vector.Vector) error {
	vals, delims := args[0], args[1]
	for i, g := range groups {
		if vals.IsNull(i) {
			continue
		}
		if s.has[g] && !delims.IsNull(i) {
			s.bufs[g] = append(s.bufs[g], delims.Str[i]...)
		}
		s.bufs[g] = append(s.bufs[g], vals.Str[i]...)
		s.has[g] = true
		if len(s.bufs[g]) > maxResultByteCount {
			return pgerr.New(pgerr.ProgramLimitExceeded, "string_agg result exceeds the maximum text size")
		}
	}
	return nil
}

func (s *stringAggState) result() (*vector.Vector, error) {
	out := newVector(types.TText, len(s.bufs))
	for g, b := range s.bufs {
		if !s.has[g] {
			setDatum(out, g, types.NullDatum)
			continue
		}
		out.Str[g] = string(b)
	}
	return out, nil
}
