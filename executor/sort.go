package executor

import (
	"container/heap"
	"slices"
	"sync/atomic"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/executor/spill"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// sortOp reads its whole input, then emits it ordered by the keys. The sort
// is stable, so rows with equal keys keep their input order.
//
// The rows it holds are reserved from the query's memory budget. When the
// budget runs out, it sorts what it holds and writes it, with its keys, to
// a temporary file as a sorted run, and goes on reading; at the end it
// merges the runs, preferring the earlier run among equal keys, which
// keeps the sort stable.
type sortOp struct {
	rt       *runtime
	input    operator
	keys     []plan.SortKey
	exprs    []evaluator
	rowTypes []types.Type
	keyTypes []types.Type
	res      *memory.Reservation
	spilled  *atomic.Int64

	sorted bool
	rows   *vector.Batch
	perm   []int32
	pos    int

	held, heldKeys []*vector.Batch
	runs           []*spill.File
	merge          *runMerge
}

// sortRowOverhead is the permutation's share of memory per row.
const sortRowOverhead = 4

func (b *builder) sort(n *plan.Sort) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	op := &sortOp{rt: b.rt, input: in, keys: n.Keys, rowTypes: plan.ColumnTypes(n.Input),
		res: b.rt.mem.Reserve("sort"), spilled: b.rt.spillStats(n)}
	for _, k := range n.Keys {
		ev, err := b.expr(k.Expr)
		if err != nil {
			return nil, err
		}
		op.exprs = append(op.exprs, ev)
		op.keyTypes = append(op.keyTypes, k.Expr.Type())
	}
	return op, nil
}

func (o *sortOp) next() (*vector.Batch, error) {
	if !o.sorted {
		if err := o.load(); err != nil {
			return nil, err
		}
		o.sorted = true
	}
	if o.merge != nil {
		return o.merge.next()
	}
	if o.pos >= len(o.perm) {
		return nil, nil
	}
	end := min(o.pos+vector.BatchSize, len(o.perm))
	out := vector.GatherBatch(o.rows, o.perm[o.pos:end], nil)
	o.pos = end
	return out, nil
}

// load reads the input with its sort keys and orders the rows, in memory
// or, when they do not fit, as merged runs.
func (o *sortOp) load() error {
	err := drain(o.rt, o.input, func(b *vector.Batch) error {
		k, err := evalAll(o.exprs, b)
		if err != nil {
			return err
		}
		keys := &vector.Batch{Cols: k, Len: b.Len}
		size := memory.BatchBytes(b) + memory.BatchBytes(keys) + sortRowOverhead*int64(b.Len)
		if !o.res.Grow(size) && len(o.held) > 0 {
			if err := o.writeRun(); err != nil {
				return err
			}
			// A batch larger than the whole budget is held anyway: a
			// run needs at least one.
			o.res.Grow(size)
		}
		o.held = append(o.held, b)
		o.heldKeys = append(o.heldKeys, keys)
		return nil
	})
	if err != nil || len(o.held) == 0 && len(o.runs) == 0 {
		return err
	}
	if len(o.runs) > 0 {
		if err := o.writeRun(); err != nil {
			return err
		}
		return o.startMerge()
	}
	o.rows, o.perm = o.sortHeld()
	o.rows.Cols = o.rows.Cols[:len(o.rowTypes)]
	o.held, o.heldKeys = nil, nil
	return nil
}

// sortHeld orders the held rows, returning them with their keys appended
// as columns and the order.
func (o *sortOp) sortHeld() (*vector.Batch, []int32) {
	rows := vector.ConcatBatches(o.rowTypes, o.held)
	keys := vector.ConcatBatches(o.keyTypes, o.heldKeys)
	perm := vector.Identity(rows.Len)
	slices.SortStableFunc(perm, func(i, j int32) int { return functions.CompareKeys(keys.Cols, o.keys, int(i), int(j)) })
	rows.Cols = append(rows.Cols, keys.Cols...)
	return rows, perm
}

// writeRun writes the held rows, sorted, with their keys, as a run and
// gives their memory back.
func (o *sortOp) writeRun() error {
	rows, perm := o.sortHeld()
	o.held, o.heldKeys = nil, nil
	f, err := spill.Create(o.rt.mem, append(slices.Clip(o.rowTypes), o.keyTypes...))
	if err != nil {
		return err
	}
	o.runs = append(o.runs, f)
	for from := 0; from < len(perm); from += vector.BatchSize {
		if err := o.rt.checkCanceled(); err != nil {
			return err
		}
		if err := f.Write(vector.GatherBatch(rows, perm[from:min(from+vector.BatchSize, len(perm))], nil)); err != nil {
			return err
		}
	}
	if err := f.Rewind(); err != nil {
		return err
	}
	if o.spilled != nil {
		o.spilled.Add(f.Bytes())
	}
	o.res.Free()
	return o.mergeRuns()
}

// maxMergeWidth bounds the runs merged at once, and so the temporary files
// a sort keeps open and the batches its merge holds.
const maxMergeWidth = 64

func (o *sortOp) startMerge() error {
	m, err := o.newMerge(o.rowTypes)
	o.merge = m
	return err
}

// newMerge merges the runs, emitting the columns of types ts (the rows, or
// the rows with their keys).
func (o *sortOp) newMerge(ts []types.Type) (*runMerge, error) {
	m := &runMerge{keys: o.keys, nRow: len(o.rowTypes), rowTypes: ts}
	for i, f := range o.runs {
		c := &runCursor{file: f, order: i}
		ok, err := c.advance()
		if err != nil {
			return m, err
		}
		if ok {
			m.cursors = append(m.cursors, c)
		}
	}
	heap.Init(m)
	return m, nil
}

// mergeRuns merges the runs into one, when there are as many as a merge
// takes at once.
func (o *sortOp) mergeRuns() error {
	if len(o.runs) < maxMergeWidth {
		return nil
	}
	all := append(slices.Clip(o.rowTypes), o.keyTypes...)
	m, err := o.newMerge(all)
	if err != nil {
		return err
	}
	f, err := spill.Create(o.rt.mem, all)
	if err != nil {
		return err
	}
	for {
		if err := o.rt.checkCanceled(); err != nil {
			f.Close()
			return err
		}
		b, err := m.next()
		if err == nil && b != nil {
			err = f.Write(b)
		}
		if err != nil {
			f.Close()
			return err
		}
		if b == nil {
			break
		}
	}
	if err := f.Rewind(); err != nil {
		f.Close()
		return err
	}
	if o.spilled != nil {
		o.spilled.Add(f.Bytes())
	}
	for _, r := range o.runs {
		r.Close()
	}
	o.runs = append(o.runs[:0], f)
	return nil
}

func (o *sortOp) close() {
	o.input.close()
	for _, f := range o.runs {
		f.Close()
	}
	o.runs, o.merge = nil, nil
	o.res.Free()
	o.rows, o.perm, o.held, o.heldKeys = nil, nil, nil, nil
}

// runCursor is the next row of a sorted run.
type runCursor struct {
	file  *spill.File
	order int // the run's place in the input, for stability
	batch *vector.Batch
	row   int
}

// advance moves to the next row; false at the run's end.
func (c *runCursor) advance() (bool, error) {
	c.row++
	if c.batch != nil && c.row < c.batch.Len {
		return true, nil
	}
	b, err := c.file.Read()
	if err != nil || b == nil {
		c.batch = nil
		return false, err
	}
	c.batch, c.row = b, 0
	return true, nil
}

// runMerge merges sorted runs; it is a heap of their cursors.
type runMerge struct {
	keys     []plan.SortKey
	nRow     int
	rowTypes []types.Type
	cursors  []*runCursor
}

func (m *runMerge) Len() int { return len(m.cursors) }
func (m *runMerge) Less(i, j int) bool {
	a, b := m.cursors[i], m.cursors[j]
	c := functions.CompareKeysAcross(a.batch.Cols[m.nRow:], a.row, b.batch.Cols[m.nRow:], b.row, m.keys)
	return c < 0 || c == 0 && a.order < b.order
}
func (m *runMerge) Swap(i, j int) { m.cursors[i], m.cursors[j] = m.cursors[j], m.cursors[i] }
func (m *runMerge) Push(x any)    { m.cursors = append(m.cursors, x.(*runCursor)) }
func (m *runMerge) Pop() any {
	c := m.cursors[len(m.cursors)-1]
	m.cursors = m.cursors[:len(m.cursors)-1]
	return c
}

func (m *runMerge) next() (*vector.Batch, error) {
	if len(m.cursors) == 0 {
		return nil, nil
	}
	out := vector.NewBatch(m.rowTypes, vector.BatchSize)
	for out.Len < vector.BatchSize && len(m.cursors) > 0 {
		c := m.cursors[0]
		out.AppendRow(c.batch, c.row)
		ok, err := c.advance()
		if err != nil {
			return nil, err
		}
		if ok {
			heap.Fix(m, 0)
		} else {
			heap.Pop(m)
		}
	}
	return out, nil
}
