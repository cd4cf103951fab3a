package executor

import (
	"sync/atomic"

	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/vector"
)

// A hash aggregation reserves an estimate of each group it adds: the
// group's keys, a state slot per aggregate and, for aggregates that keep
// their input (array_agg, string_agg, DISTINCT, ...), the arguments. When
// the budget runs out, the groups it holds stay and go on taking the rows
// of their keys, while rows of new keys are written to partition files by
// key hash; every group is therefore either wholly in memory or wholly in
// one partition, and each partition is aggregated afterwards by an
// aggregation of its own, which may partition again.

// aggGroupOverhead is the estimated memory of a group's table entry and
// one state slot, per aggregate.
const (
	aggGroupOverhead = 32
	aggStateOverhead = 32
)

// collectingAggs are the aggregates whose state grows with their input.
var collectingAggs = map[string]bool{"array_agg": true, "string_agg": true, "json_agg": true, "jsonb_agg": true,
	"json_object_agg": true, "jsonb_object_agg": true, "mode": true, "percentile_cont": true, "percentile_disc": true}

// aggSpill is the state of an aggregation over its budget.
type aggSpill struct {
	parts  *partitionFiles
	hashes []uint64
	ids    []int32
}

// collects reports whether some aggregate keeps its input.
func (o *aggregateOp) collects() bool {
	for _, a := range o.aggs {
		if a.call.Distinct || collectingAggs[a.call.Func] {
			return true
		}
	}
	return false
}

// inputBytes estimates what a batch's new groups (grown of its n rows)
// and, for collecting aggregates, its arguments add to the aggregation.
func (o *aggregateOp) inputBytes(in aggInput, grown int) int64 {
	var total int64
	if grown > 0 && in.n > 0 {
		var keys int64
		for _, k := range in.keys {
			keys += memory.VectorBytes(k)
		}
		total += int64(grown) * (keys/int64(in.n) + aggGroupOverhead + aggStateOverhead*int64(len(o.aggs)))
	}
	if o.collects() {
		for _, args := range in.args {
			for _, v := range args {
				total += memory.VectorBytes(v)
			}
		}
	}
	return total
}

// startSpill begins writing rows of new groups to partition files.
func (o *aggregateOp) startSpill() {
	o.spill = &aggSpill{parts: newPartitionFiles(o.rt, o.inputTypes, o.groupBy, o.depth)}
}

// addSpilling aggregates the rows of b whose groups p holds and writes the
// others to their partitions.
func (o *aggregateOp) addSpilling(p *aggPartial, b *vector.Batch, in aggInput) error {
	s := o.spill
	if cap(s.ids) < in.n {
		s.hashes, s.ids = make([]uint64, in.n), make([]int32, in.n)
	}
	hashes, ids := s.hashes[:in.n], s.ids[:in.n]
	p.groups.hash(in.keys, in.n, hashes)
	p.groups.find(in.keys, hashes, nil, ids)
	var held, spilled []int32
	for r, id := range ids {
		if id >= 0 {
			held = append(held, int32(r))
		} else {
			spilled = append(spilled, int32(r))
		}
	}
	if len(spilled) > 0 {
		if err := s.parts.add(vector.GatherBatch(b, spilled, nil)); err != nil {
			return err
		}
	}
	if len(held) == 0 {
		return nil
	}
	sub := aggInput{n: len(held), keys: gatherAll(in.keys, held), args: make([][]*vector.Vector, len(in.args))}
	for a, args := range in.args {
		sub.args[a] = gatherAll(args, held)
	}
	if o.collects() {
		if err := o.res.MustGrow(o.inputBytes(sub, 0)); err != nil {
			return err
		}
	}
	return p.add(sub)
}

func gatherAll(vs []*vector.Vector, sel []int32) []*vector.Vector {
	out := make([]*vector.Vector, len(vs))
	for i, v := range vs {
		out[i] = vector.Gather(v, sel)
	}
	return out
}

// partitionAggregate is the aggregation of one partition of a spilled one.
func (o *aggregateOp) partitionAggregate(input operator) *aggregateOp {
	return &aggregateOp{rt: o.rt, input: input, groupBy: o.groupBy, keyTypes: o.keyTypes, aggs: o.aggs,
		types: o.types, inputTypes: o.inputTypes, depth: o.depth + 1,
		res: o.rt.mem.Reserve(o.res.Operator), spilled: o.spilled}
}

// spilledAggregation emits the partitions' aggregations one after another.
type spilledAggregation struct {
	parent  *aggregateOp
	parts   *partitionFiles
	part    int
	current *aggregateOp
}

func (s *spilledAggregation) next() (*vector.Batch, error) {
	for {
		if s.current == nil {
			if s.part == partitionFanout {
				return nil, nil
			}
			if s.parts.files[s.part] == nil {
				s.part++
				continue
			}
			s.current = s.parent.partitionAggregate(s.parts.input(s.part))
			s.part++
		}
		b, err := s.current.next()
		if err != nil || b != nil {
			return b, err
		}
		s.current.close()
		s.current = nil
	}
}

func (s *spilledAggregation) close() {
	if s.current != nil {
		s.current.close()
		s.current = nil
	}
	s.parts.close()
}

// finishSpill ends writing the partitions and makes what emits them.
func (o *aggregateOp) finishSpill(counter *atomic.Int64) error {
	if err := o.spill.parts.finish(counter); err != nil {
		return err
	}
	o.rest = &spilledAggregation{parent: o, parts: o.spill.parts}
	return nil
}
