package planner

import (
	"github.com/junction-db/junction/plan"
)

// arrayOperator types @>, <@ and && between arrays as calls of
// arraycontains, arraycontained and arrayoverlap. Both operands have one
// array type; an untyped literal takes the other's. ok is false when op
// with these operands is not an array operator.
func (b *binder) arrayOperator(op string, l, r plan.Expr) (plan.Expr, bool, error) {
	names := map[string]string{"@>": "arraycontains", "<@": "arraycontained", "&&": "arrayoverlap"}
	name, isOp := names[op]
	la, ra := isArrayKind(l.Type().Kind), isArrayKind(r.Type().Kind)
	if !isOp || !la && !ra {
		return nil, false, nil
	}
	var err error
	switch {
	case la && isUnknown(r):
		r, err = b.coerce(r, l.Type())
	case ra && isUnknown(l):
		l, err = b.coerce(l, r.Type())
	case !la || !ra || l.Type().Kind != r.Type().Kind:
		return nil, true, operatorMismatch(op, l, r)
	}
	if err != nil {
		return nil, true, err
	}
	e, err := b.callFunction(name, []plan.Expr{l, r})
	return e, true, err
}
