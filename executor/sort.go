package executor

import (
	"slices"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/vector"
)

// sortOp reads its whole input, then emits it ordered by the keys. The sort
// is stable, so rows with equal keys keep their input order.
type sortOp struct {
	rt    *runtime
	input operator
	keys  []plan.SortKey
	exprs []evaluator

	sorted bool
	rows   *vector.Batch
	perm   []int32
	pos    int
}

func (b *builder) sort(n *plan.Sort) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	op := &sortOp{rt: b.rt, input: in, keys: n.Keys}
	for _, k := range n.Keys {
		ev, err := b.expr(k.Expr)
		if err != nil {
			return nil, err
		}
		op.exprs = append(op.exprs, ev)
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
	if o.pos >= len(o.perm) {
		return nil, nil
	}
	end := min(o.pos+vector.BatchSize, len(o.perm))
	out := vector.GatherBatch(o.rows, o.perm[o.pos:end], nil)
	o.pos = end
	return out, nil
}

// load reads the input with its sort keys and orders the rows.
func (o *sortOp) load() error {
	var batches, keyBatches []*vector.Batch
	err := drain(o.rt, o.input, func(b *vector.Batch) error {
		k, err := evalAll(o.exprs, b)
		if err != nil {
			return err
		}
		batches = append(batches, b)
		keyBatches = append(keyBatches, &vector.Batch{Cols: k, Len: b.Len})
		return nil
	})
	if err != nil || len(batches) == 0 {
		return err
	}
	rows := vector.ConcatBatches(vector.ColumnTypes(batches[0]), batches)
	keys := vector.ConcatBatches(vector.ColumnTypes(keyBatches[0]), keyBatches)
	o.rows = rows
	o.perm = vector.Identity(rows.Len)
	slices.SortStableFunc(o.perm, func(i, j int32) int { return functions.CompareKeys(keys.Cols, o.keys, int(i), int(j)) })
	return nil
}

func (o *sortOp) close() {
	o.input.close()
	o.rows, o.perm = nil, nil
}
