package executor

import (
	"context"
	"fmt"
	"sort"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// evaluator computes a compiled expression over a batch. The result has
// one value per row of the batch or is a constant vector (see isConst);
// it may be one of the batch's own vectors and must not be modified.
type evaluator interface {
	eval(b *vector.Batch) (*vector.Vector, error)
}

// Eval evaluates one expression over a batch and returns one value per
// row. A nil batch stands for one row without columns, which is what
// constant folding needs.
func Eval(ctx context.Context, e plan.Expr, b *vector.Batch, env *Env) (v *vector.Vector, err error) {
	defer recoverInternal(&err)
	rt := newRuntime(ctx, env)
	defer rt.cancel()
	if b == nil {
		b = &vector.Batch{Len: 1}
	}
	ev, err := (&builder{rt: rt}).expr(e)
	if err != nil {
		return nil, err
	}
	v, err = ev.eval(b)
	if err != nil {
		return nil, err
	}
	return vector.Materialize(v, b.Len), nil
}

// expr compiles an expression.
func (b *builder) expr(e plan.Expr) (evaluator, error) {
	switch e := e.(type) {
	case *plan.ColRef:
		return colRef{index: e.Index}, nil
	case *plan.Const:
		return constEval{vector.Const(e.T, e.Value)}, nil
	case *plan.Param:
		if e.Index < 0 || e.Index >= len(b.rt.env.Params) {
			return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $%d", e.Index+1)
		}
		return constEval{vector.Const(e.T, b.rt.env.Params[e.Index])}, nil
	case *plan.OuterRef:
		if b.outer == nil || e.Index < 0 || e.Index >= len(b.outer.Cols) || b.outer.Cols[e.Index] == nil {
			return nil, pgerr.New(pgerr.InternalError, "outer reference %s outside a correlated subquery", e.String())
		}
		return constEval{vector.Const(e.T, b.outer.Cols[e.Index].Datum(b.outerRow))}, nil
	case *plan.Op:
		return b.op(e)
	case *plan.Cast:
		return b.cast(e)
	case *plan.Func:
		return b.function(e)
	case *plan.Case:
		return b.caseExpr(e)
	case *plan.InList:
		return b.inList(e)
	case *plan.Like:
		return b.like(e)
	case *plan.IsNull:
		arg, err := b.expr(e.Arg)
		if err != nil {
			return nil, err
		}
		return isNullEval{arg: arg, negated: e.Negated}, nil
	case *plan.IsBool:
		return b.isBool(e)
	case *plan.Subquery:
		return b.subquery(e)
	}
	return nil, pgerr.NotSupported(fmt.Sprintf("expression %s", e.String()))
}

// exprs compiles a list of expressions.
func (b *builder) exprs(es []plan.Expr) ([]evaluator, error) {
	out := make([]evaluator, len(es))
	for i, e := range es {
		ev, err := b.expr(e)
		if err != nil {
			return nil, err
		}
		out[i] = ev
	}
	return out, nil
}

// evalAll evaluates a list of expressions over one batch.
func evalAll(evs []evaluator, b *vector.Batch) ([]*vector.Vector, error) {
	out := make([]*vector.Vector, len(evs))
	for i, ev := range evs {
		v, err := ev.eval(b)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

type colRef struct{ index int }

func (c colRef) eval(b *vector.Batch) (*vector.Vector, error) {
	if c.index < 0 || c.index >= len(b.Cols) || b.Cols[c.index] == nil {
		return nil, pgerr.New(pgerr.InternalError, "column #%d is not part of the operator's input", c.index)
	}
	return b.Cols[c.index], nil
}

type constEval struct{ v *vector.Vector }

func (c constEval) eval(*vector.Batch) (*vector.Vector, error) { return c.v, nil }

// partial evaluates an expression on some rows of a batch only, for the
// parts of CASE, AND, OR and COALESCE that PostgreSQL evaluates only when
// the earlier parts leave the outcome open: an error (division by zero, a
// bad cast) in a row whose branch is not taken must not be raised.
type partial struct {
	ev evaluator
	t  types.Type
	// cols are the input columns the expression reads.
	cols []int
	// mayFail says whether evaluating rows not asked for could raise an
	// error or run a subquery; otherwise evaluating every row is harmless.
	mayFail bool
}

func (b *builder) partial(e plan.Expr) (partial, error) {
	ev, err := b.expr(e)
	if err != nil {
		return partial{}, err
	}
	return partial{ev: ev, t: e.Type(), cols: inputColumns(e), mayFail: mayFail(e)}, nil
}

// evalRows evaluates the expression for the rows sel of b (all rows when
// sel is nil); the result has len(sel) rows or is constant.
func (p partial) evalRows(b *vector.Batch, sel []int32) (*vector.Vector, error) {
	if sel == nil || len(sel) == b.Len {
		return p.ev.eval(b)
	}
	if len(sel) == 0 {
		return vector.Make(p.t, 0), nil
	}
	if !p.mayFail && 2*len(sel) >= b.Len {
		v, err := p.ev.eval(b)
		if err != nil || vector.IsConst(v, b.Len) {
			return v, err
		}
		return vector.Gather(v, sel), nil
	}
	return p.ev.eval(vector.GatherBatch(b, sel, p.cols))
}

// inputColumns lists the input columns an expression reads, including
// those a correlated subquery inside it reads through OuterRef.
func inputColumns(e plan.Expr) []int {
	set := map[int]bool{}
	plan.ColsUsed(e, set)
	plan.Walk(e, func(x plan.Expr) bool {
		if sq, ok := x.(*plan.Subquery); ok && sq.Correlated {
			for _, i := range outerRefs(sq.Plan) {
				set[i] = true
			}
		}
		return true
	})
	out := make([]int, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Ints(out)
	return out
}

// mayFail reports whether evaluating e could raise an error or do work
// that must not happen for rows PostgreSQL would not evaluate it for.
func mayFail(e plan.Expr) bool {
	fails := false
	plan.Walk(e, func(x plan.Expr) bool {
		switch x := x.(type) {
		case *plan.Op:
			switch x.Op {
			case plan.OpAdd, plan.OpSub, plan.OpMul, plan.OpDiv, plan.OpMod, plan.OpNeg:
				fails = true
			case plan.OpRegex, plan.OpRegexI, plan.OpNRegex, plan.OpNRegexI:
				if _, ok := x.Args[1].(*plan.Const); !ok {
					fails = true
				}
			}
		case *plan.Cast:
			if !x.T.IsString() || x.T.Kind == types.Unknown {
				fails = true
			}
		case *plan.Func, *plan.Subquery:
			fails = true
		case *plan.Like:
			if _, ok := x.Pattern.(*plan.Const); !ok {
				fails = true
			}
		}
		return !fails
	})
	return fails
}
