package executor

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// function compiles a scalar function call.
func (b *builder) function(e *plan.Func) (evaluator, error) {
	if e.Impl != nil {
		args, err := b.exprs(e.Args)
		if err != nil {
			return nil, err
		}
		return rowFuncEval{args: args, t: e.T, impl: e.Impl}, nil
	}
	if e.Name == "coalesce" {
		return b.coalesce(e)
	}
	argTypes := make([]types.Type, len(e.Args))
	for i, a := range e.Args {
		argTypes[i] = a.Type()
	}
	call, ok := functions.Lookup(e.Name, argTypes, b.rt.fn)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s does not exist", e.String()).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	params := call.Params()
	args := make([]evaluator, len(e.Args))
	for i, a := range e.Args {
		var x plan.Expr = a
		if params[i].Kind != a.Type().Kind {
			x = &plan.Cast{Arg: a, T: params[i]}
		}
		ev, err := b.expr(x)
		if err != nil {
			return nil, err
		}
		args[i] = ev
	}
	t := e.T
	if t.Physical() != call.Result().Physical() {
		return nil, pgerr.New(pgerr.InternalError, "function %s returns %s, not %s", e.Name, call.Result().String(), t.String())
	}
	return funcEval{args: args, t: t, call: call}, nil
}

type funcEval struct {
	args []evaluator
	t    types.Type
	call *functions.Call
}

func (e funcEval) eval(b *vector.Batch) (*vector.Vector, error) {
	args, err := evalAll(e.args, b)
	if err != nil {
		return nil, err
	}
	return e.call.Eval(args, b.Len, e.t)
}

// rowFuncEval calls a function implemented outside the executor row by row.
type rowFuncEval struct {
	args []evaluator
	t    types.Type
	impl plan.RowFunc
}

func (e rowFuncEval) eval(b *vector.Batch) (*vector.Vector, error) {
	args, err := evalAll(e.args, b)
	if err != nil {
		return nil, err
	}
	n := b.Len
	if vector.AllConst(args, n) {
		n = 1
	}
	out := vector.Make(e.t, n)
	row := make([]types.Datum, len(args))
	for i := 0; i < n; i++ {
		for a, v := range args {
			row[a] = v.Datum(i & vector.RowMask(v, n))
		}
		d, err := e.impl(row)
		if err != nil {
			return nil, err
		}
		vector.SetDatum(out, i, d)
	}
	return out, nil
}

// coalesceEval returns the first non-NULL argument, evaluating an argument
// only for the rows still NULL.
type coalesceEval struct {
	args []partial
	t    types.Type
}

func (b *builder) coalesce(e *plan.Func) (evaluator, error) {
	out := coalesceEval{t: e.T}
	for _, a := range e.Args {
		if a.Type().Physical() != e.T.Physical() {
			a = &plan.Cast{Arg: a, T: e.T}
		}
		p, err := b.partial(a)
		if err != nil {
			return nil, err
		}
		out.args = append(out.args, p)
	}
	return out, nil
}

func (e coalesceEval) eval(b *vector.Batch) (*vector.Vector, error) {
	n := b.Len
	out := vector.Make(e.t, n)
	rest := vector.Identity(n)
	for _, p := range e.args {
		v, err := p.evalRows(b, rest)
		if err != nil {
			return nil, err
		}
		m := vector.RowMask(v, len(rest))
		var stillNull []int32
		var got []int32
		for k, r := range rest {
			if v.IsNull(k & m) {
				stillNull = append(stillNull, r)
			} else {
				got = append(got, int32(k))
			}
		}
		if len(got) == len(rest) {
			vector.Scatter(out, v, rest)
			return out, nil
		}
		if len(got) > 0 {
			sel := make([]int32, len(got))
			for i, k := range got {
				sel[i] = rest[k]
			}
			vector.Scatter(out, vector.Gather(v, got), sel)
		}
		rest = stillNull
		if len(rest) == 0 {
			return out, nil
		}
	}
	vector.Scatter(out, vector.NullConst(e.t), rest)
	return out, nil
}
