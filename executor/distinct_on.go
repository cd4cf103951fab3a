package executor

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/vector"
)

// rowKey encodes the key columns of row i exactly (NULLs equal), so that
// two rows agree on the keys when their encodings are equal.
func rowKey(buf []byte, b *vector.Batch, keys []int, i int) []byte {
	buf = buf[:0]
	for _, c := range keys {
		buf = appendKeyValue(buf, b.Cols[c], i)
	}
	return buf
}

// distinctOnOp keeps the first row of each run of rows with equal keys.
type distinctOnOp struct {
	input operator
	keys  []int
	last  []byte
	cur   []byte
	any   bool
}

func (b *builder) distinctOn(n *plan.DistinctOn) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	return &distinctOnOp{input: in, keys: n.Keys}, nil
}

func (o *distinctOnOp) next() (*vector.Batch, error) {
	for {
		b, err := o.input.next()
		if err != nil || b == nil {
			return nil, err
		}
		var sel []int32
		for i := 0; i < b.Len; i++ {
			o.cur = rowKey(o.cur, b, o.keys, i)
			if o.any && string(o.cur) == string(o.last) {
				continue
			}
			o.any = true
			o.last = append(o.last[:0], o.cur...)
			sel = append(sel, int32(i))
		}
		switch len(sel) {
		case 0:
			continue
		case b.Len:
			return b, nil
		}
		return gatherBatch(b, sel, nil), nil
	}
}

func (o *distinctOnOp) close() { o.input.close() }

// limitTiesOp is FETCH FIRST n ROWS WITH TIES: after the offset and the
// first count rows it passes the rows equal to the last one on the keys.
type limitTiesOp struct {
	input   operator
	count   int64
	offset  int64
	keys    []int
	skipped int64
	taken   int64
	last    []byte
	cur     []byte
	done    bool
}

func (b *builder) limitTies(n *plan.LimitTies) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	return &limitTiesOp{input: in, count: n.Count, offset: max(n.Offset, 0), keys: n.Keys}, nil
}

func (o *limitTiesOp) next() (*vector.Batch, error) {
	for !o.done {
		if o.count == 0 {
			o.finish()
			break
		}
		b, err := o.input.next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			o.finish()
			break
		}
		start := 0
		if o.skipped < o.offset {
			k := min(o.offset-o.skipped, int64(b.Len))
			o.skipped += k
			start = int(k)
		}
		end := start
		for ; end < b.Len; end++ {
			if o.taken < o.count {
				o.taken++
				if o.taken == o.count {
					o.last = rowKey(o.last, b, o.keys, end)
				}
				continue
			}
			o.cur = rowKey(o.cur, b, o.keys, end)
			if string(o.cur) != string(o.last) {
				o.finish()
				break
			}
		}
		if end > start {
			return sliceBatch(b, start, end), nil
		}
	}
	return nil, nil
}

// finish stops pulling and releases the input at once.
func (o *limitTiesOp) finish() {
	if !o.done {
		o.done = true
		o.input.close()
	}
}

func (o *limitTiesOp) close() { o.finish() }
