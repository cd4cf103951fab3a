package executor

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// aggregateOp is a hash aggregation: rows are numbered by group in a
// keyTable (NULL keys form a group of their own) and every aggregate keeps
// one state slot per group. Without GROUP BY there is exactly one group,
// even over no rows.
//
// A large input is aggregated by several partial aggregations at once
// (see parallelAggregation), merged at the end; the operator's goroutine
// evaluates the keys and arguments of every batch and runs one of them.
type aggregateOp struct {
	rt       *runtime
	input    operator
	groupBy  []evaluator
	keyTypes []types.Type // nil without GROUP BY
	aggs     []*aggregator
	types    []types.Type

	result // every result row
}

// aggregator is one aggregate call of an aggregation.
type aggregator struct {
	args     []evaluator // none for count(*)
	call     plan.AggCall
	argTypes []types.Type
}

// aggInput is what a batch gives an aggregation: its group keys and each
// aggregate's arguments, as full vectors of n rows.
type aggInput struct {
	keys []*vector.Vector
	args [][]*vector.Vector
	n    int
}

// aggPartial aggregates some of the input: its own groups and states.
type aggPartial struct {
	groups   *keyTable // nil without GROUP BY
	states   []*functions.Agg
	distinct []*distinctValues // per aggregate, for aggregate(DISTINCT x)

	hashes []uint64
	ids    []int32
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
	for _, g := range n.GroupBy {
		op.keyTypes = append(op.keyTypes, g.Type())
	}
	for _, call := range n.Aggs {
		a, err := b.aggregator(call)
		if err != nil {
			return nil, err
		}
		op.aggs = append(op.aggs, a)
	}
	if n.Sets != nil {
		return &groupingSetsOp{agg: op, sets: n.Sets}, nil
	}
	return op, nil
}

func (o *aggregateOp) next() (*vector.Batch, error) { return o.emit(o.load) }

// newPartial starts a partial aggregation.
func (o *aggregateOp) newPartial() (*aggPartial, error) {
	p := &aggPartial{}
	if o.keyTypes != nil {
		p.groups = newKeyTable(o.keyTypes)
	}
	for _, a := range o.aggs {
		st, err := functions.NewAgg(a.call, a.argTypes)
		if err != nil {
			return nil, err
		}
		var d *distinctValues
		if a.call.Distinct && len(a.argTypes) > 0 && a.call.Func != "array_agg" {
			d = newDistinctValues(a.argTypes[0])
		}
		p.states = append(p.states, st)
		p.distinct = append(p.distinct, d)
	}
	return p, nil
}

func (o *aggregateOp) load() error {
	p, err := o.newPartial()
	if err != nil {
		return err
	}
	par := o.parallel()
	defer par.stop()
	rows := 0
	err = drain(o.rt, o.input, func(b *vector.Batch) error {
		in, err := o.evaluate(b)
		if err != nil {
			return err
		}
		rows += b.Len
		if par != nil && rows > parallelRows && par.workers == nil && !p.fewGroups(rows) {
			par = nil // every partial would hold most groups, and merging cost as much again
		}
		if par != nil && rows > parallelRows {
			if handled, err := par.add(in); handled || err != nil {
				return err
			}
		}
		return p.add(in)
	})
	if err != nil {
		return err
	}
	if err := par.mergeInto(p); err != nil {
		return err
	}
	return o.finish(p)
}

// evaluate computes a batch's group keys and aggregate arguments.
func (o *aggregateOp) evaluate(b *vector.Batch) (aggInput, error) {
	in := aggInput{n: b.Len, args: make([][]*vector.Vector, len(o.aggs))}
	keys, err := evalAll(o.groupBy, b)
	if err != nil {
		return in, err
	}
	for i, k := range keys {
		keys[i] = vector.Materialize(k, b.Len)
	}
	in.keys = keys
	for a, agg := range o.aggs {
		args, err := evalAll(agg.args, b)
		if err != nil {
			return in, err
		}
		for i, v := range args {
			args[i] = vector.Materialize(v, b.Len)
		}
		in.args[a] = args
	}
	return in, nil
}

// fewGroups reports whether p found few groups in the rows it read: at
// most one in four rows started a new one.
func (p *aggPartial) fewGroups(rows int) bool {
	return p.groups == nil || 4*p.groups.len() <= rows
}

// add aggregates a batch.
func (p *aggPartial) add(in aggInput) error {
	if cap(p.ids) < in.n {
		p.hashes, p.ids = make([]uint64, in.n), make([]int32, in.n)
	}
	groups := p.ids[:in.n]
	ngroups := 1
	if p.groups == nil {
		clear(groups)
	} else {
		hashes := p.hashes[:in.n]
		p.groups.hash(in.keys, in.n, hashes)
		p.groups.insert(in.keys, hashes, nil, groups)
		ngroups = p.groups.len()
	}
	for a, st := range p.states {
		st.Resize(ngroups)
		gs, args := groups, in.args[a]
		if d := p.distinct[a]; d != nil {
			keep := d.filter(groups, args[0])
			gs = make([]int32, len(keep))
			for i, r := range keep {
				gs[i] = groups[r]
			}
			kept := make([]*vector.Vector, len(args))
			for i, v := range args {
				kept[i] = vector.Gather(v, keep)
			}
			args = kept
		}
		if err := st.Update(gs, args); err != nil {
			return err
		}
	}
	return nil
}

// merge adds the groups and states of q, which aggregated other rows.
func (p *aggPartial) merge(q *aggPartial) error {
	ids := []int32{0}
	ngroups := 1
	if p.groups != nil {
		n := q.groups.len()
		if n == 0 {
			return nil
		}
		hashes := make([]uint64, n)
		ids = make([]int32, n)
		p.groups.hash(q.groups.keys, n, hashes)
		p.groups.insert(q.groups.keys, hashes, nil, ids)
		ngroups = p.groups.len()
	}
	for a, st := range p.states {
		st.Resize(ngroups)
		q.states[a].Resize(len(ids))
		if err := st.Merge(q.states[a], ids); err != nil {
			return err
		}
	}
	return nil
}

// finish computes the result rows of the whole aggregation p: group keys,
// then aggregates.
func (o *aggregateOp) finish(p *aggPartial) error {
	b, err := p.result()
	if b != nil {
		o.out = relabel(b, o.types)
	}
	return err
}

// result is the aggregation's rows, nil when it has none.
func (p *aggPartial) result() (*vector.Batch, error) {
	ngroups := 1
	var cols []*vector.Vector
	if p.groups != nil {
		ngroups = p.groups.len()
		cols = append(cols, p.groups.keys...)
	}
	if ngroups == 0 {
		return nil, nil
	}
	for _, st := range p.states {
		st.Resize(ngroups)
		v, err := st.Result()
		if err != nil {
			return nil, err
		}
		cols = append(cols, v)
	}
	return &vector.Batch{Cols: cols, Len: ngroups}, nil
}

func (b *builder) aggregator(call plan.AggCall) (*aggregator, error) {
	args := call.Args
	if len(args) == 0 && call.Arg != nil {
		args = []plan.Expr{call.Arg}
	}
	if len(args) == 0 && call.Func != "count" {
		return nil, pgerr.New(pgerr.SyntaxError, "%s(*) is not allowed; only count(*) takes *", call.Func)
	}
	if groupingCall(call) {
		args = nil // grouping() reads which keys a set groups by, not values
	}
	a := &aggregator{call: call}
	a.argTypes = make([]types.Type, len(args))
	for i, e := range args {
		ev, err := b.expr(e)
		if err != nil {
			return nil, err
		}
		a.args = append(a.args, ev)
		a.argTypes[i] = e.Type()
	}
	// The state is made here too, to report an aggregate that does not
	// exist when the plan is built.
	_, err := functions.NewAgg(call, a.argTypes)
	return a, err
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
	gv := vector.Make(types.TInt8, n)
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
