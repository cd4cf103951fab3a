package planner

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// powerOperator binds ^ as PostgreSQL resolves it: numeric_power when one
// operand is numeric and the other an integer, a numeric or an unknown
// literal (numeric ^ integer matches numeric ^ numeric exactly on one
// side), dpow over double precision otherwise (integer ^ integer prefers
// the numeric category's preferred type). ok is false for operands that
// are not numbers.
func (b *binder) powerOperator(l, r plan.Expr) (plan.Expr, bool, error) {
	lt, rt := l.Type().Kind, r.Type().Kind
	number := func(k types.Kind) bool { return numericRank(k) > 0 || k == types.Unknown }
	if !number(lt) || !number(rt) || (lt == types.Unknown && rt == types.Unknown) {
		return nil, false, nil
	}
	exact := func(k, other types.Kind) bool {
		return k == types.Numeric && (numericRank(other) <= numericRank(types.Numeric))
	}
	name, t := "dpow", types.TFloat8
	if exact(lt, rt) || exact(rt, lt) {
		name, t = "numeric_power", types.TNumeric
	}
	var err error
	if l, err = b.coerce(l, t); err != nil {
		return nil, true, err
	}
	if r, err = b.coerce(r, t); err != nil {
		return nil, true, err
	}
	e, err := b.callFunction(name, []plan.Expr{l, r})
	return e, true, err
}

// prefixMathFuncs are the functions behind the prefix operators @ (absolute
// value), |/ (square root) and ||/ (cube root).
var prefixMathFuncs = map[string]string{"@": "abs", "|/": "sqrt", "||/": "cbrt"}

// prefixMathOperator binds @, |/ and ||/; |/ and ||/ take double
// precision, @ keeps its operand's type. ok is false for other operators.
func (b *binder) prefixMathOperator(op string, r plan.Expr) (plan.Expr, bool, error) {
	name, isMath := prefixMathFuncs[op]
	k := r.Type().Kind
	if !isMath || (numericRank(k) == 0 && k != types.Unknown) {
		return nil, false, nil
	}
	t := r.Type()
	if op != "@" || k == types.Unknown {
		t = types.TFloat8
	}
	r, err := b.coerce(r, t)
	if err != nil {
		return nil, true, err
	}
	e, err := b.callFunction(name, []plan.Expr{r})
	return e, true, err
}
