package executor

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/vector"
)

// groupingSetsOp is GROUP BY GROUPING SETS (and ROLLUP and CUBE, which
// the planner expands into sets). It computes every set in one pass over
// the input: each batch's keys and arguments are evaluated once and added
// to one partial aggregation per set, grouped by that set's keys. A union
// of one aggregation per set would read and evaluate the input — often a
// remote query or a join — once per set instead.
type groupingSetsOp struct {
	agg  *aggregateOp // evaluates keys and arguments
	sets [][]int

	loaded bool
	out    []*vector.Batch
	pos    int // rows of out[0] already returned
}

func (o *groupingSetsOp) next() (*vector.Batch, error) {
	if !o.loaded {
		if err := o.load(); err != nil {
			return nil, err
		}
		o.loaded = true
	}
	for len(o.out) > 0 && o.pos >= o.out[0].Len {
		o.out, o.pos = o.out[1:], 0
	}
	if len(o.out) == 0 {
		return nil, nil
	}
	end := min(o.pos+vector.BatchSize, o.out[0].Len)
	b := vector.SliceBatch(o.out[0], o.pos, end)
	o.pos = end
	return b, nil
}

func (o *groupingSetsOp) load() error {
	parts := make([]*aggPartial, len(o.sets))
	for i, set := range o.sets {
		p, err := o.agg.setPartial(set)
		if err != nil {
			return err
		}
		parts[i] = p
	}
	err := drain(o.agg.rt, o.agg.input, func(b *vector.Batch) error {
		in, err := o.agg.evaluate(b)
		if err != nil {
			return err
		}
		for i, set := range o.sets {
			sub := aggInput{keys: make([]*vector.Vector, len(set)), args: in.args, n: in.n}
			for j, k := range set {
				sub.keys[j] = in.keys[k]
			}
			if err := parts[i].add(sub); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, set := range o.sets {
		b, err := parts[i].result()
		if err != nil || b == nil {
			if err != nil {
				return err
			}
			continue
		}
		o.out = append(o.out, relabel(o.widen(b, set), o.agg.types))
	}
	return nil
}

// widen turns the rows of one set (its keys, then the aggregates) into
// rows of the whole aggregation: NULL for the keys the set leaves out.
func (o *groupingSetsOp) widen(b *vector.Batch, set []int) *vector.Batch {
	nk := len(o.agg.keyTypes)
	cols := make([]*vector.Vector, 0, nk+len(o.agg.aggs))
	for k := 0; k < nk; k++ {
		v := vector.Materialize(vector.NullConst(o.agg.keyTypes[k]), b.Len)
		for j, sk := range set {
			if sk == k {
				v = b.Cols[j]
			}
		}
		cols = append(cols, v)
	}
	cols = append(cols, b.Cols[len(set):]...)
	return &vector.Batch{Cols: cols, Len: b.Len}
}

// setPartial starts the aggregation of one grouping set.
func (o *aggregateOp) setPartial(set []int) (*aggPartial, error) {
	sub := *o
	sub.keyTypes = nil
	for _, k := range set {
		sub.keyTypes = append(sub.keyTypes, o.keyTypes[k])
	}
	p, err := sub.newPartial()
	if err != nil {
		return nil, err
	}
	for a, agg := range o.aggs {
		if agg.call.Func == "grouping" {
			p.states[a] = functions.NewGroupingAgg(groupingValue(agg.call.GroupingKeys, set))
		}
	}
	return p, nil
}

func (o *groupingSetsOp) close() {
	o.agg.close()
	o.out = nil
}

// groupingValue is grouping(args) for a set: a bit per argument, the
// first the most significant, set when the set leaves the argument out.
func groupingValue(keys []int, set []int) int64 {
	var v int64
	for _, k := range keys {
		v <<= 1
		in := false
		for _, s := range set {
			in = in || s == k
		}
		if !in {
			v |= 1
		}
	}
	return v
}

// groupingCall reports whether call is grouping(), whose arguments are
// never evaluated.
func groupingCall(call plan.AggCall) bool { return call.Func == "grouping" }
