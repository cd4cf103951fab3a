package executor

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/vector"
)

// sameKeys reports whether row i of a and row j of b are equal on the key
// columns, as GROUP BY compares them (NULLs equal, 1.0 = 1.00).
func sameKeys(a *vector.Batch, i int, b *vector.Batch, j int, keys []int) bool {
	for _, c := range keys {
		if !valuesEqual(a.Cols[c], i, b.Cols[c], j) {
			return false
		}
	}
	return true
}

// rowOf copies row i of b, to compare later rows with.
func rowOf(b *vector.Batch, i int) *vector.Batch {
	return vector.GatherBatch(b, []int32{int32(i)}, nil)
}

// distinctOnOp keeps the first row of each run of rows with equal keys.
type distinctOnOp struct {
	input operator
	keys  []int
	// last is the previous row, nil before the first.
	last *vector.Batch
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
		if b.Len == 0 {
			continue
		}
		var sel []int32
		for i := 0; i < b.Len; i++ {
			prev, j := o.last, 0
			if i > 0 {
				prev, j = b, i-1
			}
			if prev == nil || !sameKeys(prev, j, b, i, o.keys) {
				sel = append(sel, int32(i))
			}
		}
		o.last = rowOf(b, b.Len-1)
		switch len(sel) {
		case 0:
			continue
		case b.Len:
			return b, nil
		}
		return vector.GatherBatch(b, sel, nil), nil
	}
}

func (o *distinctOnOp) close() { o.input.close() }

// limitTiesOp is FETCH FIRST n ROWS WITH TIES: after the offset and the
// first count rows it passes the rows equal to the last one on the keys.
type limitTiesOp struct {
	limitOp
	keys []int
	// last is the last of the first count rows, once passed.
	last *vector.Batch
}

func (b *builder) limitTies(n *plan.LimitTies) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	return &limitTiesOp{limitOp: limitOp{input: in, count: n.Count, offset: max(n.Offset, 0)}, keys: n.Keys}, nil
}

func (o *limitTiesOp) next() (*vector.Batch, error) {
	if o.count == 0 {
		o.finish()
		return nil, nil
	}
	b, err := o.pull()
	if err != nil || b == nil {
		return nil, err
	}
	end := 0
	for ; end < b.Len; end++ {
		if o.taken < o.count {
			o.taken++
			if o.taken == o.count {
				o.last = rowOf(b, end)
			}
			continue
		}
		if !sameKeys(o.last, 0, b, end, o.keys) {
			o.finish()
			break
		}
	}
	if end == 0 {
		return nil, nil
	}
	return vector.SliceBatch(b, 0, end), nil
}
