package executor

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// variadicCall compiles f(a, ..., VARIADIC arr).
func (b *builder) variadicCall(e *plan.Func) (evaluator, error) {
	last := len(e.Args) - 1
	fixed := make([]types.Type, last)
	for i, a := range e.Args[:last] {
		fixed[i] = a.Type()
	}
	call, ok := functions.LookupVariadic(e.Name, fixed, e.Args[last].Type(), b.rt.fn)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s does not exist", e.String())
	}
	args, err := b.exprs(e.Args)
	if err != nil {
		return nil, err
	}
	return variadicEval{args: args, t: e.T, call: call}, nil
}

type variadicEval struct {
	args []evaluator // the fixed arguments, then the array
	t    types.Type
	call *functions.VariadicCall
}

func (e variadicEval) eval(b *vector.Batch) (*vector.Vector, error) {
	vecs, err := evalAll(e.args, b)
	if err != nil {
		return nil, err
	}
	return e.call.Eval(vecs, b.Len, e.t)
}
