package executor

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// filterOp keeps the rows for which the predicate is true.
type filterOp struct {
	input operator
	pred  evaluator
}

func (b *builder) filter(n *plan.Filter) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	pred, err := b.expr(n.Pred)
	if err != nil {
		return nil, err
	}
	return &filterOp{input: in, pred: pred}, nil
}

func (o *filterOp) next() (*vector.Batch, error) {
	for {
		b, err := o.input.next()
		if err != nil || b == nil {
			return nil, err
		}
		v, err := o.pred.eval(b)
		if err != nil {
			return nil, err
		}
		sel, all := vector.SelectTrue(v, b.Len)
		if all {
			return b, nil
		}
		if len(sel) > 0 {
			return vector.GatherBatch(b, sel, nil), nil
		}
	}
}

func (o *filterOp) close() { o.input.close() }

// projectOp computes expressions over each row.
type projectOp struct {
	input operator
	exprs []evaluator
	types []types.Type
}

func (b *builder) project(n *plan.Project) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	exprs, err := b.exprs(n.Exprs)
	if err != nil {
		return nil, err
	}
	return &projectOp{input: in, exprs: exprs, types: plan.ColumnTypes(n)}, nil
}

func (o *projectOp) next() (*vector.Batch, error) {
	b, err := o.input.next()
	if err != nil || b == nil {
		return nil, err
	}
	cols, err := evalAll(o.exprs, b)
	if err != nil {
		return nil, err
	}
	for i, v := range cols {
		cols[i] = vector.Materialize(v, b.Len)
	}
	return relabel(&vector.Batch{Cols: cols, Len: b.Len}, o.types), nil
}

func (o *projectOp) close() { o.input.close() }

// limitOp skips Offset rows and passes at most Count; once it has them it
// closes its input, which cancels remote queries below.
type limitOp struct {
	input          operator
	count, offset  int64
	skipped, taken int64
	done           bool
}

func (b *builder) limit(n *plan.Limit) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	return &limitOp{input: in, count: n.Count, offset: max(n.Offset, 0)}, nil
}

func (o *limitOp) next() (*vector.Batch, error) {
	if o.count >= 0 && o.taken >= o.count {
		o.finish()
		return nil, nil
	}
	b, err := o.pull()
	if err != nil || b == nil {
		return nil, err
	}
	if o.count >= 0 && int64(b.Len) >= o.count-o.taken {
		b = vector.SliceBatch(b, 0, int(o.count-o.taken))
		o.finish()
	}
	o.taken += int64(b.Len)
	return b, nil
}

// pull returns the next input batch past the offset, or nil at the end.
func (o *limitOp) pull() (*vector.Batch, error) {
	for !o.done {
		b, err := o.input.next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			o.finish()
			break
		}
		if o.skipped < o.offset {
			k := min(o.offset-o.skipped, int64(b.Len))
			o.skipped += k
			if k == int64(b.Len) {
				continue
			}
			b = vector.SliceBatch(b, int(k), b.Len)
		}
		return b, nil
	}
	return nil, nil
}

// finish stops pulling and releases the input at once.
func (o *limitOp) finish() {
	if !o.done {
		o.done = true
		o.input.close()
	}
}

func (o *limitOp) close() { o.finish() }
