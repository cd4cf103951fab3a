package planner

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// bitwiseFuncs are the functions PostgreSQL implements the integer
// bitwise operators with, by operator, after the operand's type name.
var bitwiseFuncs = map[string]string{"&": "and", "|": "or", "#": "xor", "<<": "shl", ">>": "shr"}

// bitwiseOperator binds &, |, # (xor), << and >> over integers as
// PostgreSQL resolves them: and/or/xor take both operands at the wider of
// their types (an unknown literal takes the other's), a shift keeps the
// left operand's type and counts in int4. ok is false for operands that
// are not integers, which other operators may take.
func (b *binder) bitwiseOperator(op string, l, r plan.Expr) (plan.Expr, bool, error) {
	suffix, isBitwise := bitwiseFuncs[op]
	lt, rt := integerOperand(l, r), integerOperand(r, l)
	if !isBitwise || lt.Kind == types.Unknown || rt.Kind == types.Unknown {
		return nil, false, nil
	}
	t := lt
	if suffix == "shl" || suffix == "shr" {
		rt = types.TInt4
	} else if numericRank(rt.Kind) > numericRank(t.Kind) {
		t = rt
	} else {
		rt = t
	}
	var err error
	if l, err = b.coerce(l, t); err != nil {
		return nil, true, err
	}
	if r, err = b.coerce(r, rt); err != nil {
		return nil, true, err
	}
	e, err := b.callFunction(intFuncPrefix(t)+suffix, []plan.Expr{l, r})
	return e, true, err
}

// bitwiseNot binds ~ over an integer; ok is false for other operands.
func (b *binder) bitwiseNot(r plan.Expr) (plan.Expr, bool, error) {
	t := integerOperand(r, nil)
	if t.Kind == types.Unknown {
		return nil, false, nil
	}
	r, err := b.coerce(r, t)
	if err != nil {
		return nil, true, err
	}
	e, err := b.callFunction(intFuncPrefix(t)+"not", []plan.Expr{r})
	return e, true, err
}

// integerOperand is e's integer type, int4 for an unknown literal beside
// an integer (or alone), or Unknown when e is no integer.
func integerOperand(e, other plan.Expr) types.Type {
	t := e.Type()
	switch {
	case t.IsInteger():
		return types.Type{Kind: t.Kind}
	case t.Kind == types.Unknown && (other == nil || other.Type().IsInteger() || other.Type().Kind == types.Unknown):
		return types.TInt4
	}
	return types.TUnknown
}

func intFuncPrefix(t types.Type) string {
	switch t.Kind {
	case types.Int2:
		return "int2"
	case types.Int8:
		return "int8"
	}
	return "int4"
}
