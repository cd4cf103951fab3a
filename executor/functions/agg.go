package functions

import (
	"fmt"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// aggState accumulates one aggregate for every group.
type aggState interface {
	// resize makes room for n groups.
	resize(n int)
	// update adds row i of the arguments (none for count(*)) to group
	// groups[i]; NULL values are ignored.
	update(groups []int32, args []*vector.Vector) error
	// result returns the aggregate of every group. It leaves the state
	// as it was: window aggregation reads running results between updates.
	result() (*vector.Vector, error)
}

// newAggState creates the state of an aggregate over arguments of the
// given types, with PostgreSQL's result types (call.T).
func newAggState(call plan.AggCall, argTypes []types.Type) (aggState, error) {
	argType := types.TUnknown
	if len(argTypes) > 0 {
		argType = argTypes[0]
	}
	var state aggState
	switch call.Func {
	case "count":
		return &countState{}, nil
	case "sum", "avg":
		state = sumState(call.Func == "avg", argType, call.T)
	case "min", "max":
		state = minMaxState(call.Func == "max", argType, call.T)
	case "bool_and", "bool_or":
		if argType.Kind == types.Bool {
			state = &boolState{and: call.Func == "bool_and"}
		}
	case "string_agg":
		if len(argTypes) >= 2 && argType.Physical() == types.PhysString && argTypes[1].Physical() == types.PhysString {
			state = &stringAggState{}
			if len(call.Order) > 0 {
				state = newOrderedState(state, call.Order)
			}
		}
	case "json_agg", "jsonb_agg":
		state = newJSONAggState(call.T, false, argTypes)
	case "json_object_agg", "jsonb_object_agg":
		if len(argTypes) == 2 {
			state = newJSONAggState(call.T, true, argTypes)
		}
	case "grouping":
		return &groupingState{}, nil
	case "array_agg":
		state = arrayAggregate(call, argTypes)
	default:
		switch {
		case statsAggregates[call.Func]:
			state = statsState(call.Func, argTypes, call.T)
		case orderedAggState(call) != nil:
			state = orderedAggState(call)
		default:
			return nil, pgerr.NotSupported(fmt.Sprintf("aggregate function %s", call.Func))
		}
	}
	if state == nil {
		names := make([]string, len(argTypes))
		for i, t := range argTypes {
			names[i] = t.String()
		}
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", call.Func, strings.Join(names, ", "))
	}
	if call.Filter {
		state = &filteredState{inner: state}
	}
	return state, nil
}

// groupingState is grouping(): the same value for every group of one
// grouping set (0 under a plain GROUP BY, where every key is grouped).
type groupingState struct {
	value int64
	n     int
}

func (s *groupingState) resize(n int) { s.n = max(s.n, n) }

func (s *groupingState) update([]int32, []*vector.Vector) error { return nil }

func (s *groupingState) mergeable() bool { return true }

func (s *groupingState) merge(aggState, []int32) error { return nil }

func (s *groupingState) result() (*vector.Vector, error) {
	out := newVector(types.TInt4, s.n)
	for i := range out.Int {
		out.Int[i] = s.value
	}
	return out, nil
}

// Agg is one aggregate call's state for every group of an aggregation:
// the operators' handle on the aggregate implementations.
type Agg struct{ state aggState }

// NewAgg creates the state of an aggregate over arguments of the given
// types, with PostgreSQL's result type (call.T).
func NewAgg(call plan.AggCall, argTypes []types.Type) (*Agg, error) {
	st, err := newAggState(call, argTypes)
	if err != nil {
		return nil, err
	}
	return &Agg{state: st}, nil
}

// NewGroupingAgg is grouping() within one grouping set, whose value is
// the same for every group.
func NewGroupingAgg(value int64) *Agg { return &Agg{state: &groupingState{value: value}} }

// Resize makes room for n groups.
func (a *Agg) Resize(n int) { a.state.resize(n) }

// Update adds row i of the arguments (none for count(*)) to group
// groups[i].
func (a *Agg) Update(groups []int32, args []*vector.Vector) error {
	return a.state.update(groups, args)
}

// Result returns the aggregate of every group, leaving the state as it
// was.
func (a *Agg) Result() (*vector.Vector, error) { return a.state.result() }

// Mergeable reports whether states that each took some of the rows merge
// into exactly the result of one state taking them all.
func (a *Agg) Mergeable() bool {
	m, ok := a.state.(mergeableState)
	return ok && m.mergeable()
}

// Merge adds group g of from, a state of the same aggregate, to group
// ids[g]; both must be Mergeable.
func (a *Agg) Merge(from *Agg, ids []int32) error {
	return a.state.(mergeableState).merge(from.state, ids)
}
