package executor

import (
	"encoding/binary"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// bindJoinFirstBatch is the outer rows of the first lookup when the plan
// does not size it: small, so that a LIMIT met by the first rows costs one
// small query. Each further batch doubles, up to the dynamic filter's key
// limit.
const bindJoinFirstBatch = 64

// bindJoinOp runs a plan.BindJoin: it takes a batch of outer rows, reads
// the inner side restricted to their keys, and emits each outer row's
// matches in outer order.
type bindJoinOp struct {
	rt         *runtime
	b          *builder // builds the inner side once per batch
	node       *plan.BindJoin
	remote     *plan.Remote // the inner side's Remote, which takes the keys
	outer      operator
	outerKeys  []evaluator
	innerKeys  []evaluator
	innerTypes []types.Type

	batch   int           // outer rows per lookup
	pending *vector.Batch // outer rows not yet looked up
	out     []*vector.Batch
}

func (b *builder) bindJoin(n *plan.BindJoin) (operator, error) {
	remote := probeRemote(n.Inner)
	if remote == nil || remote.Dynamic == nil {
		return nil, pgerr.New(pgerr.InternalError, "bind join without a dynamic filter on its inner side")
	}
	outer, err := b.build(n.Outer)
	if err != nil {
		return nil, err
	}
	first := bindJoinFirstBatch
	if n.FirstBatch > 0 {
		first = min(n.FirstBatch, remote.Dynamic.MaxKeys, vector.BatchSize)
	}
	// The outer side is read only as far as the limit above needs, its
	// first part as large as the first lookup.
	for _, r := range b.remotes {
		if r.node == n.Outer {
			r.cursor, r.firstFetch = true, first
		}
	}
	op := &bindJoinOp{rt: b.rt, b: b, node: n, remote: remote, outer: outer,
		innerTypes: plan.ColumnTypes(n.Inner), batch: first}
	for i := range n.OuterKeys {
		ok, err := b.expr(n.OuterKeys[i])
		if err != nil {
			return nil, err
		}
		ik, err := b.expr(n.InnerKeys[i])
		if err != nil {
			return nil, err
		}
		op.outerKeys = append(op.outerKeys, ok)
		op.innerKeys = append(op.innerKeys, ik)
	}
	return op, nil
}

func (o *bindJoinOp) next() (*vector.Batch, error) {
	for len(o.out) == 0 {
		if err := o.rt.checkCanceled(); err != nil {
			return nil, err
		}
		chunk, err := o.nextOuter()
		if err != nil || chunk == nil {
			return nil, err
		}
		if err := o.join(chunk); err != nil {
			return nil, err
		}
	}
	b := o.out[0]
	o.out = o.out[1:]
	return b, nil
}

// nextOuter returns the next batch of outer rows to look up, nil at the end.
func (o *bindJoinOp) nextOuter() (*vector.Batch, error) {
	if o.pending == nil {
		b, err := o.outer.next()
		if err != nil || b == nil {
			return nil, err
		}
		o.pending = b
	}
	n := min(o.batch, o.pending.Len)
	chunk := vector.SliceBatch(o.pending, 0, n)
	if n == o.pending.Len {
		o.pending = nil
	} else {
		o.pending = vector.SliceBatch(o.pending, n, o.pending.Len)
	}
	o.batch = min(2*o.batch, o.remote.Dynamic.MaxKeys, vector.BatchSize)
	return chunk, nil
}

// join reads the inner rows matching chunk's keys and queues the pairs.
func (o *bindJoinOp) join(chunk *vector.Batch) error {
	keys, err := evalKeyVectors(o.outerKeys, chunk)
	if err != nil {
		return err
	}
	f := o.remote.Dynamic
	sets := make([]*keySet, len(keys))
	for i, k := range keys {
		sets[i] = newKeySet(f.Keys[i].T, f.MaxKeys)
		sets[i].add(k, chunk.Len)
		if !sets[i].any {
			return nil // NULL keys only: nothing matches
		}
	}
	inner, err := o.readInner(sets)
	if err != nil || inner.Len == 0 {
		return err
	}
	innerKeys, err := evalKeyVectors(o.innerKeys, inner)
	if err != nil {
		return err
	}
	rows := map[string][]int32{}
	var buf []byte
	for r := 0; r < inner.Len; r++ {
		var ok bool
		if buf, ok = appendKey(buf[:0], innerKeys, r); ok {
			rows[string(buf)] = append(rows[string(buf)], int32(r))
		}
	}
	var li, ri []int32
	for r := 0; r < chunk.Len; r++ {
		var ok bool
		if buf, ok = appendKey(buf[:0], keys, r); ok {
			for _, m := range rows[string(buf)] {
				li, ri = append(li, int32(r)), append(ri, m)
			}
		}
	}
	for start := 0; start < len(li); start += vector.BatchSize {
		end := min(start+vector.BatchSize, len(li))
		o.out = append(o.out, o.pairs(chunk, inner, li[start:end], ri[start:end]))
	}
	return nil
}

// readInner builds and drains the inner side with its Remote narrowed to
// the keys.
func (o *bindJoinOp) readInner(sets []*keySet) (*vector.Batch, error) {
	t, err := o.b.tree(o.node.Inner)
	if err != nil {
		return nil, err
	}
	for _, r := range t.remotes {
		if r.node == o.remote {
			r.restrict(o.remote.Dynamic, sets)
		}
	}
	t.start()
	var batches []*vector.Batch
	err = drain(o.rt, t.root, func(b *vector.Batch) error {
		batches = append(batches, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return vector.ConcatBatches(o.innerTypes, batches), nil
}

func (o *bindJoinOp) pairs(chunk, inner *vector.Batch, li, ri []int32) *vector.Batch {
	out := &vector.Batch{Len: len(li)}
	first, second := vector.GatherBatch(chunk, li, nil), vector.GatherBatch(inner, ri, nil)
	if o.node.OuterRight {
		first, second = second, first
	}
	out.Cols = append(append(out.Cols, first.Cols...), second.Cols...)
	return out
}

func (o *bindJoinOp) close() {
	o.outer.close()
	o.pending, o.out = nil, nil
}

// evalKeyVectors evaluates key expressions over a batch as full vectors.
func evalKeyVectors(evs []evaluator, b *vector.Batch) ([]*vector.Vector, error) {
	keys, err := evalAll(evs, b)
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		keys[i] = vector.Materialize(k, b.Len)
	}
	return keys, nil
}

// appendKey encodes row r's key tuple so that equal keys (ints and text,
// compared by bytes) encode equally; false when a key is NULL, which
// matches nothing.
func appendKey(buf []byte, keys []*vector.Vector, r int) ([]byte, bool) {
	for _, k := range keys {
		if k.IsNull(r) {
			return buf, false
		}
		if k.Type.Physical() == types.PhysInt {
			buf = binary.LittleEndian.AppendUint64(buf, uint64(k.Int[r]))
		} else {
			buf = binary.AppendUvarint(buf, uint64(len(k.Str[r])))
			buf = append(buf, k.Str[r]...)
		}
	}
	return buf, true
}
