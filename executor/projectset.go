package executor

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// projectSetOp runs the set-returning functions of a select list
// (plan.ProjectSet), streaming: it keeps the input batch and the current
// row's generators between calls, so a long series never sits in memory.
type projectSetOp struct {
	input operator
	funcs []*functions.SetCall
	args  [][]evaluator
	types []types.Type

	batch  *vector.Batch
	values [][]*vector.Vector // the arguments of each function over batch
	row    int
	gens   []*functions.SetRows // the current row's; nil once one has ended
	// rowBufs receive each function's rows, of which column cols[f] is
	// the one the query reads.
	rowBufs [][]types.Datum
	cols    []int
	active  bool // gens belong to row
	done    bool
}

func (b *builder) projectSet(n *plan.ProjectSet) (operator, error) {
	in, err := b.build(n.Input)
	if err != nil {
		return nil, err
	}
	o := &projectSetOp{input: in, types: plan.ColumnTypes(n)}
	for _, f := range n.Funcs {
		fn, args, err := b.setCall(f.Name, f.Args)
		if err != nil {
			in.close()
			return nil, err
		}
		o.funcs, o.args = append(o.funcs, fn), append(o.args, args)
		o.rowBufs = append(o.rowBufs, make([]types.Datum, len(fn.Columns())))
		o.cols = append(o.cols, f.Col)
	}
	o.gens = make([]*functions.SetRows, len(n.Funcs))
	return o, nil
}

func (o *projectSetOp) next() (*vector.Batch, error) {
	cols := make([]*vector.Vector, len(o.types))
	for i, t := range o.types {
		cols[i] = vector.New(t, vector.BatchSize)
	}
	nIn := len(o.types) - len(o.funcs)
	vals := make([]types.Datum, len(o.funcs))
	n := 0
	for n < vector.BatchSize && !o.done {
		if o.batch == nil || o.row >= o.batch.Len {
			if err := o.nextBatch(); err != nil {
				return nil, err
			}
			continue
		}
		if !o.active {
			if err := o.startRow(); err != nil {
				return nil, err
			}
		}
		produced := false
		for f, g := range o.gens {
			vals[f] = types.NullDatum
			if g == nil {
				continue
			}
			ok, err := g.Next(o.rowBufs[f])
			if err != nil {
				return nil, err
			}
			if ok {
				vals[f], produced = o.rowBufs[f][o.cols[f]], true
			} else {
				o.gens[f] = nil
			}
		}
		if !produced {
			o.row++
			o.active = false
			continue
		}
		for c := 0; c < nIn; c++ {
			cols[c].AppendDatum(o.batch.Cols[c].Datum(o.row))
		}
		for f, d := range vals {
			cols[nIn+f].AppendDatum(d)
		}
		n++
	}
	if n == 0 {
		return nil, nil
	}
	return &vector.Batch{Cols: cols, Len: n}, nil
}

// nextBatch reads the next input batch and evaluates the arguments over
// it.
func (o *projectSetOp) nextBatch() error {
	b, err := o.input.next()
	if err != nil || b == nil {
		o.done = true
		return err
	}
	o.batch, o.row, o.active = b, 0, false
	o.values = o.values[:0]
	for _, args := range o.args {
		vs, err := evalAll(args, b)
		if err != nil {
			return err
		}
		o.values = append(o.values, vs)
	}
	return nil
}

// startRow starts every function for the current row; a NULL argument
// makes a function's set empty, since they are all strict.
func (o *projectSetOp) startRow() error {
	for f, fn := range o.funcs {
		o.gens[f] = nil
		args := make([]types.Datum, len(o.values[f]))
		isNull := false
		for i, v := range o.values[f] {
			args[i] = v.Datum(o.row & vector.RowMask(v, o.batch.Len))
			isNull = isNull || args[i].Null
		}
		if isNull {
			continue
		}
		g, err := fn.Start(args)
		if err != nil {
			return err
		}
		o.gens[f] = g
	}
	o.active = true
	return nil
}

func (o *projectSetOp) close() { o.input.close() }
