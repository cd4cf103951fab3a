package executor

import (
	"fmt"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// aggregateOp is a hash aggregation: rows are numbered by group in a
// keyTable (NULL keys form a group of their own) and every aggregate keeps
// one state slot per group. Without GROUP BY there is exactly one group,
// even over no rows.
type aggregateOp struct {
	rt      *runtime
	input   operator
	groupBy []evaluator
	aggs    []*aggregator
	groups  *keyTable // nil without GROUP BY
	types   []types.Type

	loaded bool
	out    *vector.Batch // every result row
	pos    int
}

// aggregator is one aggregate call of an aggregation.
type aggregator struct {
	args     []evaluator // none for count(*)
	state    aggState
	distinct *distinctValues // for aggregate(DISTINCT x)
}

func (b *builder) aggregate(n *plan.Aggregate) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	op := &aggregateOp{rt: b.rt, input: in, types: plan.ColumnTypes(n)}
	if op.groupBy, err = b.exprs(n.GroupBy); err != nil {
		return nil, err
	}
	if len(n.GroupBy) > 0 {
		keyTypes := make([]types.Type, len(n.GroupBy))
		for i, g := range n.GroupBy {
			keyTypes[i] = g.Type()
		}
		op.groups = newKeyTable(keyTypes)
	}
	for _, call := range n.Aggs {
		a, err := b.aggregator(call)
		if err != nil {
			return nil, err
		}
		op.aggs = append(op.aggs, a)
	}
	return op, nil
}

func (o *aggregateOp) next() (*vector.Batch, error) {
	if !o.loaded {
		if err := o.load(); err != nil {
			return nil, err
		}
		o.loaded = true
	}
	if o.out == nil || o.pos >= o.out.Len {
		return nil, nil
	}
	end := min(o.pos+vector.BatchSize, o.out.Len)
	b := sliceBatch(o.out, o.pos, end)
	o.pos = end
	return b, nil
}

func (o *aggregateOp) load() error {
	var (
		zeros, ids []int32
		hashes     []uint64
	)
	err := drain(o.rt, o.input, func(b *vector.Batch) error {
		var groups []int32
		ngroups := 1
		if o.groups == nil {
			if len(zeros) < b.Len {
				zeros = make([]int32, b.Len)
			}
			groups = zeros[:b.Len]
		} else {
			keys, err := evalAll(o.groupBy, b)
			if err != nil {
				return err
			}
			for i, k := range keys {
				keys[i] = materialize(k, b.Len)
			}
			if cap(hashes) < b.Len {
				hashes, ids = make([]uint64, b.Len), make([]int32, b.Len)
			}
			groups = ids[:b.Len]
			hashRows(keys, b.Len, hashes[:b.Len])
			o.groups.insert(keys, hashes[:b.Len], nil, groups)
			ngroups = o.groups.len()
		}
		for _, a := range o.aggs {
			if err := a.update(b, groups, ngroups); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return o.finish()
}

// finish computes the result rows: group keys, then aggregates.
func (o *aggregateOp) finish() error {
	ngroups := 1
	var cols []*vector.Vector
	if o.groups != nil {
		ngroups = o.groups.len()
		cols = append(cols, o.groups.keys...)
	}
	if ngroups == 0 {
		return nil
	}
	for _, a := range o.aggs {
		a.state.resize(ngroups)
		v, err := a.state.result()
		if err != nil {
			return err
		}
		cols = append(cols, v)
	}
	o.out = relabel(&vector.Batch{Cols: cols, Len: ngroups}, o.types)
	return nil
}

func (b *builder) aggregator(call plan.AggCall) (*aggregator, error) {
	args := call.Args
	if len(args) == 0 && call.Arg != nil {
		args = []plan.Expr{call.Arg}
	}
	if len(args) == 0 && call.Func != "count" {
		return nil, pgerr.New(pgerr.SyntaxError, "%s(*) is not allowed; only count(*) takes *", call.Func)
	}
	a := &aggregator{}
	argTypes := make([]types.Type, len(args))
	for i, e := range args {
		ev, err := b.expr(e)
		if err != nil {
			return nil, err
		}
		a.args = append(a.args, ev)
		argTypes[i] = e.Type()
	}
	if call.Distinct && len(args) > 0 {
		a.distinct = newDistinctValues(argTypes[0])
	}
	var err error
	a.state, err = newAggState(call, argTypes)
	return a, err
}

func (a *aggregator) update(b *vector.Batch, groups []int32, ngroups int) error {
	a.state.resize(ngroups)
	args, err := evalAll(a.args, b)
	if err != nil {
		return err
	}
	for i, v := range args {
		args[i] = materialize(v, b.Len)
	}
	if a.distinct != nil {
		keep := a.distinct.filter(groups, args[0])
		kept := make([]int32, len(keep))
		for i, r := range keep {
			kept[i] = groups[r]
		}
		groups = kept
		for i, v := range args {
			args[i] = gather(v, keep)
		}
	}
	return a.state.update(groups, args)
}

func (o *aggregateOp) close() {
	o.input.close()
	o.out = nil
}

// distinctValues passes on the first occurrence of each (group, value)
// pair, for aggregate(DISTINCT x). NULLs are dropped: aggregates ignore
// them anyway.
type distinctValues struct {
	table *keyTable
}

func newDistinctValues(t types.Type) *distinctValues {
	return &distinctValues{table: newKeyTable([]types.Type{types.TInt8, t})}
}

// filter lists the rows whose (group, value) pair is new.
func (d *distinctValues) filter(groups []int32, v *vector.Vector) []int32 {
	n := len(groups)
	gv := newVector(types.TInt8, n)
	for i, g := range groups {
		gv.Int[i] = int64(g)
	}
	cols := []*vector.Vector{gv, v}
	hashes := make([]uint64, n)
	hashRows(cols, n, hashes)
	sel := make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if !v.IsNull(i) {
			sel = append(sel, int32(i))
		}
	}
	ids := make([]int32, n)
	next := int32(d.table.len())
	d.table.insert(cols, hashes, sel, ids)
	keep := sel[:0]
	for _, r := range sel {
		if ids[r] == next {
			keep = append(keep, r)
			next++
		}
	}
	return keep
}

// aggState accumulates one aggregate for every group.
type aggState interface {
	// resize makes room for n groups.
	resize(n int)
	// update adds row i of the arguments (none for count(*)) to group
	// groups[i]; NULL values are ignored.
	update(groups []int32, args []*vector.Vector) error
	// result returns the aggregate of every group.
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
		if len(argTypes) == 2 && argType.Physical() == types.PhysString && argTypes[1].Physical() == types.PhysString {
			state = &stringAggState{}
		}
	default:
		return nil, pgerr.NotSupported(fmt.Sprintf("aggregate function %s", call.Func))
	}
	if state == nil {
		names := make([]string, len(argTypes))
		for i, t := range argTypes {
			names[i] = t.String()
		}
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", call.Func, strings.Join(names, ", "))
	}
	return state, nil
}
