package executor

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// binaryEval applies a strict binary kernel.
type binaryEval struct {
	left, right evaluator
	t           types.Type
	kernel      functions.Kernel2
}

func (e binaryEval) eval(b *vector.Batch) (*vector.Vector, error) {
	x, err := e.left.eval(b)
	if err != nil {
		return nil, err
	}
	y, err := e.right.eval(b)
	if err != nil {
		return nil, err
	}
	n := b.Len
	if vector.IsNullConst(x, n) || vector.IsNullConst(y, n) {
		return vector.NullConst(e.t), nil
	}
	if vector.IsConst(x, n) && vector.IsConst(y, n) {
		n = 1
	}
	out := vector.Make(e.t, n)
	out.Nulls = vector.StrictNulls(n, x, y)
	if err := e.kernel(x, y, n, out); err != nil {
		return nil, err
	}
	return out, nil
}

type unaryEval struct {
	arg    evaluator
	t      types.Type
	kernel functions.Kernel1
}

func (e unaryEval) eval(b *vector.Batch) (*vector.Vector, error) {
	x, err := e.arg.eval(b)
	if err != nil {
		return nil, err
	}
	n := b.Len
	if vector.IsNullConst(x, n) {
		return vector.NullConst(e.t), nil
	}
	if vector.IsConst(x, n) {
		n = 1
	}
	out := vector.Make(e.t, n)
	out.Nulls = vector.StrictNulls(n, x)
	if err := e.kernel(x, n, out); err != nil {
		return nil, err
	}
	return out, nil
}

// op compiles an operator.
func (b *builder) op(e *plan.Op) (evaluator, error) {
	switch e.Op {
	case plan.OpAnd, plan.OpOr:
		return b.logic(e)
	}
	args, err := b.exprs(e.Args)
	if err != nil {
		return nil, err
	}
	want := 2
	if e.Op == plan.OpNot || e.Op == plan.OpNeg {
		want = 1
	}
	if len(args) != want {
		return nil, pgerr.New(pgerr.InternalError, "operator %s takes %d arguments, got %d", e.Op, want, len(args))
	}
	if want == 1 {
		if e.Op == plan.OpNot {
			return notEval{arg: args[0]}, nil
		}
		k, err := functions.NegKernel(e.Args[0].Type())
		if err != nil {
			return nil, err
		}
		return unaryEval{arg: args[0], t: e.T, kernel: k}, nil
	}
	lt, rt := e.Args[0].Type(), e.Args[1].Type()
	if op, ok := functions.Comparison(e.Op); ok {
		if lt.Physical() != rt.Physical() {
			return nil, functions.OperatorError(e.Op, lt, rt)
		}
		return compareEval{op: op, left: args[0], right: args[1]}, nil
	}
	switch e.Op {
	case plan.OpDistinct, plan.OpNotDist:
		if lt.Physical() != rt.Physical() {
			return nil, functions.OperatorError(e.Op, lt, rt)
		}
		return distinctEval{left: args[0], right: args[1], negated: e.Op == plan.OpNotDist}, nil
	case plan.OpRegex, plan.OpRegexI, plan.OpNRegex, plan.OpNRegexI:
		return b.regex(e, args)
	case plan.OpConcat:
		k, err := functions.ConcatKernel(lt, rt)
		if err != nil {
			return nil, err
		}
		return binaryEval{left: args[0], right: args[1], t: e.T, kernel: k}, nil
	}
	k, err := functions.ArithKernel(e.Op, lt, rt, e.T)
	if err != nil {
		return nil, err
	}
	return binaryEval{left: args[0], right: args[1], t: e.T, kernel: k}, nil
}

type compareEval struct {
	op          functions.CmpOp
	left, right evaluator
}

func (e compareEval) eval(b *vector.Batch) (*vector.Vector, error) {
	x, err := e.left.eval(b)
	if err != nil {
		return nil, err
	}
	y, err := e.right.eval(b)
	if err != nil {
		return nil, err
	}
	if vector.IsNullConst(x, b.Len) || vector.IsNullConst(y, b.Len) {
		return vector.NullConst(types.TBool), nil
	}
	return functions.CompareVectors(e.op, x, y, b.Len), nil
}

// distinctEval is IS [NOT] DISTINCT FROM: equality where NULL equals NULL.
type distinctEval struct {
	left, right evaluator
	negated     bool // IS NOT DISTINCT FROM
}

func (e distinctEval) eval(b *vector.Batch) (*vector.Vector, error) {
	x, err := e.left.eval(b)
	if err != nil {
		return nil, err
	}
	y, err := e.right.eval(b)
	if err != nil {
		return nil, err
	}
	eq := functions.CompareVectors(functions.CmpEq, x, y, b.Len)
	n := eq.Len()
	xm, ym := vector.RowMask(x, n), vector.RowMask(y, n)
	for i := range eq.Bool {
		xn, yn := x.IsNull(i&xm), y.IsNull(i&ym)
		same := eq.Bool[i]
		if xn || yn {
			same = xn && yn
		}
		eq.Bool[i] = same == e.negated
	}
	eq.Nulls = nil
	return eq, nil
}
