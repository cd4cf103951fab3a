package executor

import (
	"slices"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// windowOp computes window functions. It reads its whole input, orders it
// by the partition keys and then the window's ORDER BY (the sort
// operator's comparison, stable, so peers keep their input order), and
// computes each function over one partition at a time. Rows leave in that
// order, the input's columns followed by one column per function.
type windowOp struct {
	rt    *runtime
	input operator
	node  *plan.Window
	// evs evaluates, per input batch, everything the functions read:
	// partition keys, order keys, then each function's columns.
	evs   []evaluator
	nPart int
	nOrd  int
	funcs []*windowFunc
	types []types.Type

	result
}

// windowFunc is one function of a window operator; its fields index the
// operator's evaluated columns (-1: none).
type windowFunc struct {
	fn   plan.WindowFunc
	args []int
	// agg is set for an aggregate used as a window function, whose
	// arguments have types aggTypes.
	agg                  *plan.AggCall
	aggTypes             []types.Type
	startOff, endOff     int
	startValue, endValue int
	rangeKey             int
	// orderDesc is the direction of the ORDER BY key RANGE offsets read.
	orderDesc bool
}

func (b *builder) window(n *plan.Window) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	op := &windowOp{rt: b.rt, input: in, node: n, types: plan.ColumnTypes(n), nPart: len(n.PartitionBy), nOrd: len(n.OrderBy)}
	add := func(e plan.Expr) (int, error) {
		if e == nil {
			return -1, nil
		}
		ev, err := b.expr(e)
		if err != nil {
			return -1, err
		}
		op.evs = append(op.evs, ev)
		return len(op.evs) - 1, nil
	}
	keys := append([]plan.Expr{}, n.PartitionBy...)
	for _, k := range n.OrderBy {
		keys = append(keys, k.Expr)
	}
	for _, k := range keys {
		if _, err := add(k); err != nil {
			return nil, err
		}
	}
	for _, f := range n.Funcs {
		wf := &windowFunc{fn: f, orderDesc: len(n.OrderBy) > 0 && n.OrderBy[0].Desc}
		args := f.Args
		if f.Agg != nil {
			wf.agg, args = f.Agg, aggCallArgs(*f.Agg)
			for _, a := range args {
				wf.aggTypes = append(wf.aggTypes, a.Type())
			}
			// An aggregate that does not exist is reported now.
			if _, err := functions.NewAgg(*f.Agg, wf.aggTypes); err != nil {
				return nil, err
			}
		}
		for _, a := range args {
			i, err := add(a)
			if err != nil {
				return nil, err
			}
			wf.args = append(wf.args, i)
		}
		for _, p := range []struct {
			dst *int
			e   plan.Expr
		}{{&wf.startOff, f.Frame.Start.Offset}, {&wf.endOff, f.Frame.End.Offset},
			{&wf.startValue, f.Frame.Start.Value}, {&wf.endValue, f.Frame.End.Value}, {&wf.rangeKey, f.Frame.Key}} {
			if *p.dst, err = add(p.e); err != nil {
				return nil, err
			}
		}
		op.funcs = append(op.funcs, wf)
	}
	return op, nil
}

// aggCallArgs lists an aggregate call's arguments as the aggregator
// evaluates them.
func aggCallArgs(call plan.AggCall) []plan.Expr {
	if len(call.Args) == 0 && call.Arg != nil {
		return []plan.Expr{call.Arg}
	}
	return call.Args
}

func (o *windowOp) next() (*vector.Batch, error) { return o.emit(o.load) }

// load reads the input, sorts it and computes every function.
func (o *windowOp) load() error {
	var batches, evBatches []*vector.Batch
	err := drain(o.rt, o.input, func(b *vector.Batch) error {
		vs, err := evalAll(o.evs, b)
		if err != nil {
			return err
		}
		batches = append(batches, b)
		evBatches = append(evBatches, &vector.Batch{Cols: vs, Len: b.Len})
		return nil
	})
	if err != nil || len(batches) == 0 {
		return err
	}
	rows := vector.ConcatBatches(vector.ColumnTypes(batches[0]), batches)
	evs := vector.ConcatBatches(vector.ColumnTypes(evBatches[0]), evBatches)
	keys := make([]plan.SortKey, 0, o.nPart+o.nOrd)
	for range o.node.PartitionBy {
		keys = append(keys, plan.SortKey{})
	}
	keys = append(keys, o.node.OrderBy...)
	if len(keys) > 0 {
		perm := vector.Identity(rows.Len)
		keyCols := evs.Cols[:len(keys)]
		slices.SortStableFunc(perm, func(i, j int32) int { return functions.CompareKeys(keyCols, keys, int(i), int(j)) })
		rows = vector.GatherBatch(rows, perm, nil)
		evs = vector.GatherBatch(evs, perm, nil)
	}
	w := &windowRows{n: rows.Len, cols: evs.Cols, part: evs.Cols[:o.nPart], order: evs.Cols[o.nPart : o.nPart+o.nOrd]}
	results := make([]*windowResult, len(o.funcs))
	for i, f := range o.funcs {
		results[i] = &windowResult{vals: vector.New(f.fn.T, 0), idx: make([]int32, w.n)}
	}
	for ps := 0; ps < w.n; {
		if err := o.rt.checkCanceled(); err != nil {
			return err
		}
		pe := w.partitionEnd(ps)
		p := w.partition(ps, pe)
		for i, f := range o.funcs {
			if err := f.compute(p, results[i]); err != nil {
				return err
			}
		}
		ps = pe
	}
	cols := append([]*vector.Vector{}, rows.Cols...)
	for _, r := range results {
		v, err := r.vector()
		if err != nil {
			return err
		}
		cols = append(cols, v)
	}
	o.out = relabel(&vector.Batch{Cols: cols, Len: rows.Len}, o.types)
	return nil
}

func (o *windowOp) close() {
	o.input.close()
	o.out = nil
}

// windowRows is the sorted input: every evaluated column, the partition
// keys and the order keys among them.
type windowRows struct {
	n     int
	cols  []*vector.Vector
	part  []*vector.Vector
	order []*vector.Vector
}

// sameRowKeys reports whether rows i and j are equal on cols, NULLs equal.
func sameRowKeys(cols []*vector.Vector, i, j int) bool {
	for _, v := range cols {
		in, jn := v.IsNull(i), v.IsNull(j)
		if in != jn || !in && functions.CompareRows(v, i, v, j) != 0 {
			return false
		}
	}
	return true
}

// partitionEnd is the end of the partition starting at row ps.
func (w *windowRows) partitionEnd(ps int) int {
	pe := ps + 1
	for pe < w.n && sameRowKeys(w.part, ps, pe) {
		pe++
	}
	return pe
}

// partition describes rows [ps, pe) and their peer groups.
func (w *windowRows) partition(ps, pe int) *windowPartition {
	p := &windowPartition{rows: w, start: ps, end: pe, groupOf: make([]int, pe-ps), nonNull: map[int]segment{}}
	p.groupStart = append(p.groupStart, ps)
	for i := ps + 1; i < pe; i++ {
		if !sameRowKeys(w.order, i-1, i) {
			p.groupEnd = append(p.groupEnd, i)
			p.groupStart = append(p.groupStart, i)
		}
		p.groupOf[i-ps] = len(p.groupStart) - 1
	}
	p.groupEnd = append(p.groupEnd, pe)
	return p
}

// windowPartition is one partition: rows [start, end) of the sorted
// input, with peer group g (rows equal on the ORDER BY keys; all rows
// without ORDER BY) being rows [groupStart[g], groupEnd[g]).
type windowPartition struct {
	rows       *windowRows
	start, end int
	groupOf    []int // by row - start
	groupStart []int
	groupEnd   []int
	// nonNull caches, per RANGE key column, the rows whose key is not NULL.
	nonNull map[int]segment
}

func (p *windowPartition) group(i int) int { return p.groupOf[i-p.start] }

// windowResult collects a function's results for the whole input: row i
// takes value idx[i] of vals (-1: NULL).
type windowResult struct {
	vals *vector.Vector
	idx  []int32
}

// add appends the values v (all of its n rows) and returns the index of
// the first.
func (r *windowResult) add(v *vector.Vector, n int) int32 {
	first := int32(r.vals.Len())
	vector.AppendVector(r.vals, v, n)
	return first
}

func (r *windowResult) vector() (*vector.Vector, error) {
	return vector.Gather(r.vals, r.idx), nil
}
