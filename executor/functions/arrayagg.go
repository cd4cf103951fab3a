package functions

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// arrayAggState is array_agg(x): each group's values, NULLs included, in
// the order they arrive, as a one-dimensional array. With DISTINCT it
// keeps the first of equal values itself, since the generic DISTINCT
// filter drops NULLs, which array_agg keeps (one of them).
type arrayAggState struct {
	elem, t  types.Type
	distinct bool
	elems    [][]arrayElem
	has      []bool
	seen     []map[arrayElem]bool
	size     int
}

func (s *arrayAggState) resize(n int) {
	s.elems = grow(s.elems, n, nil)
	s.has = grow(s.has, n, false)
	if s.distinct {
		s.seen = grow(s.seen, n, nil)
	}
}

func (s *arrayAggState) update(groups []int32, args []*vector.Vector) error {
	v := args[0]
	for i, g := range groups {
		e := arrayElem{null: v.IsNull(i)}
		if !e.null {
			e.text = types.FormatText(s.elem, v.Datum(i))
		}
		if s.distinct {
			if s.seen[g] == nil {
				s.seen[g] = map[arrayElem]bool{}
			}
			if s.seen[g][e] {
				continue
			}
			s.seen[g][e] = true
		}
		s.elems[g] = append(s.elems[g], e)
		s.has[g] = true
		s.size += len(e.text) + 1
		if s.size > maxResultByteCount {
			return pgerr.New(pgerr.ProgramLimitExceeded, "array_agg result exceeds the maximum array size")
		}
	}
	return nil
}

func (s *arrayAggState) result() (*vector.Vector, error) {
	out := newVector(s.t, len(s.elems))
	for g, elems := range s.elems {
		if !s.has[g] {
			out.SetNull(g)
			continue
		}
		a := &arrayValue{lower: []int{1}, dims: []int{len(elems)}, elems: elems}
		out.Str[g] = a.format(s.t)
	}
	return out, nil
}

// filteredState is agg(...) FILTER (WHERE cond) for an aggregate that
// does not skip NULL values (array_agg): cond is the last argument, and
// only the rows where it is true reach the inner aggregate.
type filteredState struct {
	inner aggState
}

func (s *filteredState) resize(n int) { s.inner.resize(n) }

func (s *filteredState) update(groups []int32, args []*vector.Vector) error {
	cond := args[len(args)-1]
	var keep []int32
	for i := range groups {
		if !cond.IsNull(i) && cond.Bool[i] {
			keep = append(keep, int32(i))
		}
	}
	gs := make([]int32, len(keep))
	for i, r := range keep {
		gs[i] = groups[r]
	}
	rest := make([]*vector.Vector, len(args)-1)
	for i, v := range args[:len(args)-1] {
		rest[i] = gather(v, keep)
	}
	return s.inner.update(gs, rest)
}

func (s *filteredState) result() (*vector.Vector, error) { return s.inner.result() }

// arrayAggregate builds array_agg over an element type with an array
// type; nil for other types.
func arrayAggregate(call plan.AggCall, argTypes []types.Type) aggState {
	t, ok := ArrayOf(argTypes[0])
	if !ok || t.Kind != call.T.Kind {
		return nil
	}
	var state aggState = &arrayAggState{elem: argTypes[0], t: call.T, distinct: call.Distinct}
	if len(call.Order) > 0 {
		state = newOrderedState(state, call.Order)
	}
	return state
}
