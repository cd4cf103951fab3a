package executor

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// applyCacheRows bounds the right-side rows an Apply remembers.
const applyCacheRows = 1 << 16

// applyOp runs a LATERAL join: for each left row it runs the right plan
// with OuterRef reading that row, as a correlated subquery runs, and
// remembers the result for the outer values the plan reads, so left rows
// that agree on them share one run.
type applyOp struct {
	b          *builder
	node       *plan.Apply
	left       operator
	cond       evaluator
	leftTypes  []types.Type
	rightTypes []types.Type
	outerCols  []int
	cache      map[string][]*vector.Batch
	cached     int
	key        []byte
	pending    []*vector.Batch
}

func (b *builder) apply(n *plan.Apply) (operator, error) {
	left, err := b.build(n.Left)
	if err != nil {
		return nil, err
	}
	op := &applyOp{b: b, node: n, left: left, leftTypes: plan.ColumnTypes(n.Left), rightTypes: plan.ColumnTypes(n.Right),
		outerCols: outerRefs(n.Right), cache: map[string][]*vector.Batch{}}
	if n.Cond != nil {
		if op.cond, err = b.expr(n.Cond); err != nil {
			left.close()
			return nil, err
		}
	}
	return op, nil
}

func (o *applyOp) next() (*vector.Batch, error) {
	for len(o.pending) == 0 {
		lb, err := o.left.next()
		if err != nil || lb == nil {
			return nil, err
		}
		for i := 0; i < lb.Len; i++ {
			if err := o.row(lb, i); err != nil {
				return nil, err
			}
		}
	}
	b := o.pending[0]
	o.pending = o.pending[1:]
	return b, nil
}

// row joins left row i of lb to the rows the right plan returns for it.
func (o *applyOp) row(lb *vector.Batch, i int) error {
	right, err := o.rightRows(lb, i)
	if err != nil {
		return err
	}
	matched := false
	for _, rb := range right {
		sel := make([]int32, rb.Len)
		for r := range sel {
			sel[r] = int32(i)
		}
		out := &vector.Batch{Cols: make([]*vector.Vector, 0, len(lb.Cols)+len(rb.Cols)), Len: rb.Len}
		for _, c := range lb.Cols {
			out.Cols = append(out.Cols, vector.Gather(c, sel))
		}
		out.Cols = append(out.Cols, relabel(rb, o.rightTypes).Cols...)
		if o.cond != nil {
			v, err := o.cond.eval(out)
			if err != nil {
				return err
			}
			keep, all := vector.SelectTrue(v, out.Len)
			if !all {
				if len(keep) == 0 {
					continue
				}
				out = vector.GatherBatch(out, keep, nil)
			}
		}
		matched = true
		o.pending = append(o.pending, out)
	}
	if !matched && o.node.Kind == plan.Left {
		out := &vector.Batch{Len: 1}
		for _, c := range lb.Cols {
			out.Cols = append(out.Cols, vector.Gather(c, []int32{int32(i)}))
		}
		for _, t := range o.rightTypes {
			v := vector.New(t, 1)
			v.AppendNull()
			out.Cols = append(out.Cols, v)
		}
		o.pending = append(o.pending, out)
	}
	return nil
}

// rightRows runs the right plan for left row i, or recalls its result.
func (o *applyOp) rightRows(lb *vector.Batch, i int) ([]*vector.Batch, error) {
	o.key = o.key[:0]
	for _, c := range o.outerCols {
		o.key = appendKeyValue(o.key, lb.Cols[c], i)
	}
	if rows, ok := o.cache[string(o.key)]; ok {
		return rows, nil
	}
	var rows []*vector.Batch
	n := 0
	sub := &builder{rt: o.b.rt, outer: lb, outerRow: i}
	err := runSubplan(sub, o.node.Right, func(b *vector.Batch) (bool, error) {
		rows = append(rows, b)
		n += b.Len
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	if o.cached+n > applyCacheRows {
		clear(o.cache)
		o.cached = 0
	}
	if n <= applyCacheRows {
		o.cache[string(o.key)] = rows
		o.cached += n
	}
	return rows, nil
}

func (o *applyOp) close() { o.left.close() }
