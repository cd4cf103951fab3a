package executor

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

func (b *builder) cast(e *plan.Cast) (evaluator, error) {
	arg, err := b.expr(e.Arg)
	if err != nil {
		return nil, err
	}
	from := e.Arg.Type()
	if functions.CastIsIdentity(from, e.T) {
		return retyped{arg: arg, t: e.T}, nil
	}
	if e.T.HasTimeTypmod() {
		// Converting to the unmodified type, then keeping the modifier's
		// fields and digits, as PostgreSQL's length coercion does.
		if from.Kind != e.T.Kind {
			base, err := b.cast(&plan.Cast{Arg: e.Arg, T: types.Type{Kind: e.T.Kind}})
			if err != nil {
				return nil, err
			}
			arg = base
		}
		return unaryEval{arg: arg, t: e.T, kernel: functions.TypmodKernel(e.T)}, nil
	}
	k, err := functions.CastKernel(from, e.T)
	if err != nil {
		return nil, err
	}
	return unaryEval{arg: arg, t: e.T, kernel: k}, nil
}

// retyped relabels a vector whose values need no conversion.
type retyped struct {
	arg evaluator
	t   types.Type
}

func (e retyped) eval(b *vector.Batch) (*vector.Vector, error) {
	v, err := e.arg.eval(b)
	if err != nil || v.Type == e.t {
		return v, err
	}
	out := *v
	out.Type = e.t
	return &out, nil
}
