package executor

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// Set operations and DISTINCT treat NULLs as equal, as PostgreSQL does.

// distinctRows passes on the first occurrence of each row, streaming.
type distinctRows struct {
	table *keyTable
}

func newDistinctRows(ts []types.Type) *distinctRows {
	return &distinctRows{table: newKeyTable(ts)}
}

// filter returns the rows of b not seen before, or nil if there are none.
func (d *distinctRows) filter(b *vector.Batch) *vector.Batch {
	hashes := make([]uint64, b.Len)
	ids := make([]int32, b.Len)
	hashRows(b.Cols, b.Len, hashes)
	next := int32(d.table.len())
	d.table.insert(b.Cols, hashes, nil, ids)
	sel := make([]int32, 0, b.Len)
	for i, id := range ids {
		if id == next {
			sel = append(sel, int32(i))
			next++
		}
	}
	switch len(sel) {
	case 0:
		return nil
	case b.Len:
		return b
	}
	return vector.GatherBatch(b, sel, nil)
}

type distinctOp struct {
	input operator
	rows  *distinctRows
}

func (b *builder) distinct(n *plan.Distinct) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	return &distinctOp{input: in, rows: newDistinctRows(plan.ColumnTypes(n))}, nil
}

func (o *distinctOp) next() (*vector.Batch, error) {
	for {
		b, err := o.input.next()
		if err != nil || b == nil {
			return nil, err
		}
		if out := o.rows.filter(b); out != nil {
			return out, nil
		}
	}
}

func (o *distinctOp) close() { o.input.close() }

func (b *builder) setOp(n *plan.SetOp) (operator, error) {
	ins, err := b.inputs(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	ts := plan.ColumnTypes(n)
	if n.Kind == plan.Union {
		op := &unionOp{inputs: ins, types: ts}
		if !n.All {
			op.distinct = newDistinctRows(ts)
		}
		return op, nil
	}
	return &countedSetOp{rt: b.rt, left: ins[0], right: ins[1], kind: n.Kind, all: n.All, table: newKeyTable(ts), types: ts}, nil
}

// unionOp streams its inputs one after the other, without duplicates
// unless UNION ALL.
type unionOp struct {
	inputs   []operator
	types    []types.Type
	distinct *distinctRows
	current  int
}

func (o *unionOp) next() (*vector.Batch, error) {
	for o.current < len(o.inputs) {
		b, err := o.inputs[o.current].next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			o.inputs[o.current].close()
			o.current++
			continue
		}
		b = relabel(b, o.types)
		if o.distinct != nil {
			if b = o.distinct.filter(b); b == nil {
				continue
			}
		}
		return b, nil
	}
	return nil, nil
}

func (o *unionOp) close() {
	for _, in := range o.inputs {
		in.close()
	}
}

// relabel gives the columns of b an operator's output types where they
// differ only in name or modifier (a set operation's inputs, an
// expression typed unknown), so that consumers see the plan's types.
func relabel(b *vector.Batch, ts []types.Type) *vector.Batch {
	var out *vector.Batch
	for c, v := range b.Cols {
		if c >= len(ts) || v.Type == ts[c] || v.Type.Physical() != ts[c].Physical() {
			continue
		}
		if out == nil {
			out = &vector.Batch{Cols: append([]*vector.Vector(nil), b.Cols...), Len: b.Len}
		}
		cp := *v
		cp.Type = ts[c]
		out.Cols[c] = &cp
	}
	if out == nil {
		return b
	}
	return out
}

// countedSetOp is INTERSECT and EXCEPT: it counts the occurrences of each
// distinct row on both sides, then emits each row as often as the
// operation says.
type countedSetOp struct {
	rt          *runtime
	left, right operator
	kind        plan.SetOpKind
	all         bool
	table       *keyTable
	types       []types.Type

	loaded bool
	emit   []int32 // row ids to emit, repeated as needed
	pos    int
}

func (o *countedSetOp) next() (*vector.Batch, error) {
	if !o.loaded {
		if err := o.load(); err != nil {
			return nil, err
		}
		o.loaded = true
	}
	if o.pos >= len(o.emit) {
		return nil, nil
	}
	end := min(o.pos+vector.BatchSize, len(o.emit))
	out := &vector.Batch{Cols: make([]*vector.Vector, len(o.table.keys)), Len: end - o.pos}
	for c, v := range o.table.keys {
		out.Cols[c] = vector.Gather(v, o.emit[o.pos:end])
	}
	o.pos = end
	return relabel(out, o.types), nil
}

func (o *countedSetOp) load() error {
	var left, right []int64
	err := drain(o.rt, o.left, func(b *vector.Batch) error {
		ids := o.lookup(b, true)
		for len(left) < o.table.len() {
			left = append(left, 0)
		}
		for _, id := range ids {
			left[id]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	right = make([]int64, len(left))
	err = drain(o.rt, o.right, func(b *vector.Batch) error {
		for _, id := range o.lookup(b, false) {
			if id >= 0 {
				right[id]++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for id, l := range left {
		r := right[id]
		var times int64
		switch {
		case o.kind == plan.Intersect && o.all:
			times = min(l, r)
		case o.kind == plan.Intersect:
			times = min(l, r, 1)
		case o.all:
			times = max(l-r, 0)
		case r == 0:
			times = 1
		}
		for ; times > 0; times-- {
			o.emit = append(o.emit, int32(id))
		}
	}
	return nil
}

// lookup finds (or with add, inserts) the rows of b in the table.
func (o *countedSetOp) lookup(b *vector.Batch, add bool) []int32 {
	hashes := make([]uint64, b.Len)
	ids := make([]int32, b.Len)
	hashRows(b.Cols, b.Len, hashes)
	if add {
		o.table.insert(b.Cols, hashes, nil, ids)
	} else {
		o.table.find(b.Cols, hashes, nil, ids)
	}
	return ids
}

func (o *countedSetOp) close() {
	o.left.close()
	o.right.close()
}
