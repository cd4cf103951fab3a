package executor

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// funcScanOp runs a set-returning function: it evaluates the arguments
// once, on its first call, and then streams the rows.
type funcScanOp struct {
	node  *plan.FuncScan
	fn    *functions.SetCall
	args  []evaluator
	types []types.Type
	gen   *functions.SetRows
	// ordinal numbers the rows for WITH ORDINALITY.
	ordinal int64
	started bool
	done    bool
}

// setCall resolves a call of a set-returning function and builds the
// evaluators of its arguments, cast to the signature's types.
func (b *builder) setCall(name string, argExprs []plan.Expr) (*functions.SetCall, []evaluator, error) {
	argTypes := make([]types.Type, len(argExprs))
	for i, a := range argExprs {
		argTypes[i] = a.Type()
	}
	fn, ok := functions.LookupSet(name, argTypes)
	if !ok {
		return nil, nil, pgerr.New(pgerr.UndefinedFunction, "function %s does not exist", (&plan.Func{Name: name, Args: argExprs}).String())
	}
	params := fn.Params()
	args := make([]evaluator, len(argExprs))
	for i, a := range argExprs {
		x := a
		if params[i].Kind != a.Type().Kind {
			x = &plan.Cast{Arg: a, T: params[i]}
		}
		ev, err := b.expr(x)
		if err != nil {
			return nil, nil, err
		}
		args[i] = ev
	}
	return fn, args, nil
}

func (b *builder) funcScan(n *plan.FuncScan) (operator, error) {
	fn, args, err := b.setCall(n.Name, n.Args)
	if err != nil {
		return nil, err
	}
	width := len(fn.Columns())
	if n.Ordinality {
		width++
	}
	if width != len(n.Cols) {
		return nil, pgerr.New(pgerr.InternalError, "function %s produces %d columns, the plan expects %d", n.Name, width, len(n.Cols))
	}
	return &funcScanOp{node: n, fn: fn, args: args, types: plan.ColumnTypes(n)}, nil
}

func (o *funcScanOp) next() (*vector.Batch, error) {
	if o.done {
		return nil, nil
	}
	if !o.started {
		o.started = true
		if err := o.start(); err != nil || o.done {
			return nil, err
		}
	}
	width := len(o.types)
	if o.node.Ordinality {
		width--
	}
	cols := make([]*vector.Vector, len(o.types))
	for i, t := range o.types {
		cols[i] = vector.New(t, vector.BatchSize)
	}
	row := make([]types.Datum, width)
	n := 0
	for n < vector.BatchSize {
		ok, err := o.gen.Next(row)
		if err != nil {
			return nil, err
		}
		if !ok {
			o.done = true
			break
		}
		for i, d := range row {
			cols[i].AppendDatum(d)
		}
		if o.node.Ordinality {
			o.ordinal++
			cols[width].AppendDatum(types.IntDatum(o.ordinal))
		}
		n++
	}
	if n == 0 {
		return nil, nil
	}
	return &vector.Batch{Cols: cols, Len: n}, nil
}

// start evaluates the arguments; a NULL one makes the set empty.
func (o *funcScanOp) start() error {
	one := &vector.Batch{Len: 1}
	values := make([]types.Datum, len(o.args))
	for i, ev := range o.args {
		v, err := ev.eval(one)
		if err != nil {
			return err
		}
		if v.IsNull(0) {
			o.done = true
			return nil
		}
		values[i] = v.Datum(0)
	}
	gen, err := o.fn.Start(values)
	o.gen = gen
	return err
}

func (o *funcScanOp) close() { o.done = true }
