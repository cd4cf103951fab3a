package functions

import (
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// (start1, end1) OVERLAPS (start2, end2) for times, timestamps and
// timestamps with time zone, each end given as a value or as an interval
// after the start. The result follows PostgreSQL's overlaps_timestamp,
// including its answers when ends are NULL.

// periodEnd reads one period's end from argument vector v at row i: a
// value of the period's type, or an interval added to start.
type periodEnd func(v *vector.Vector, i int, start int64, startNull bool) (end int64, null bool, err error)

func valueEnd(v *vector.Vector, i int, _ int64, _ bool) (int64, bool, error) {
	return v.Int[i], v.IsNull(i), nil
}

// intervalEnd adds an interval to a start with add, NULL if either is.
func intervalEnd(add func(int64, types.IntervalValue) (int64, error)) periodEnd {
	return func(v *vector.Vector, i int, start int64, startNull bool) (int64, bool, error) {
		if startNull || v.IsNull(i) {
			return 0, true, nil
		}
		end, err := add(start, v.Iv[i])
		return end, false, err
	}
}

// overlapsImpl computes OVERLAPS; end reads the second and fourth
// arguments.
func overlapsImpl(end1, end2 periodEnd) funcImpl {
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		masks := [4]int{}
		for k, a := range args {
			masks[k] = rowMask(a, n)
		}
		for i := range n {
			s1, s1Null := args[0].Int[i&masks[0]], args[0].IsNull(i&masks[0])
			e1, e1Null, err := end1(args[1], i&masks[1], s1, s1Null)
			if err != nil {
				return err
			}
			s2, s2Null := args[2].Int[i&masks[2]], args[2].IsNull(i&masks[2])
			e2, e2Null, err := end2(args[3], i&masks[3], s2, s2Null)
			if err != nil {
				return err
			}
			r, null := overlaps(s1, e1, s2, e2, s1Null, e1Null, s2Null, e2Null)
			if null {
				out.SetNull(i)
				continue
			}
			out.Bool[i] = r
		}
		return nil
	}
}

// overlaps is overlaps_timestamp: each period is put in order (a NULL end
// taken as the other end), then compared.
func overlaps(s1, e1, s2, e2 int64, s1Null, e1Null, s2Null, e2Null bool) (result, null bool) {
	order := func(s, e int64, sNull, eNull bool) (int64, int64, bool, bool) {
		switch {
		case sNull && eNull:
			return 0, 0, false, true
		case sNull:
			return e, 0, true, false
		case !eNull && s > e:
			return e, s, false, false
		}
		return s, e, eNull, false
	}
	s1, e1, e1Null, null1 := order(s1, e1, s1Null, e1Null)
	s2, e2, e2Null, null2 := order(s2, e2, s2Null, e2Null)
	if null1 || null2 {
		return false, true
	}
	switch {
	case s1 > s2:
		if e2Null {
			return false, true
		}
		if s1 < e2 {
			return true, false
		}
		return false, e1Null
	case s1 < s2:
		if e1Null {
			return false, true
		}
		if s2 < e1 {
			return true, false
		}
		return false, e2Null
	}
	return true, e1Null || e2Null
}

func init() {
	var sigs []funcSig
	for _, t := range []types.Type{types.TTimestamp, types.TTimestampTZ, types.TTime} {
		add := timestampAddInterval
		if t.Kind == types.Time {
			add = timeAddInterval
		}
		byInterval := intervalEnd(add)
		iv := types.TInterval
		for _, shape := range []struct {
			end1, end2   periodEnd
			type1, type2 types.Type
		}{
			{valueEnd, valueEnd, t, t},
			{byInterval, byInterval, iv, iv},
			{valueEnd, byInterval, t, iv},
			{byInterval, valueEnd, iv, t},
		} {
			sigs = append(sigs, funcSig{
				params:  []types.Type{t, shape.type1, t, shape.type2},
				result:  types.TBool,
				impl:    overlapsImpl(shape.end1, shape.end2),
				lenient: true,
			})
		}
	}
	register(sigs, "overlaps")
}
