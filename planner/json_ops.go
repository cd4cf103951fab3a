package planner

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// jsonOperator types the json and jsonb operators as calls of the
// functions PostgreSQL implements them with (json_object_field for ->,
// jsonb_contains for @>, ...), so that they are evaluated and pushed down
// like any function. ok is false when op with these operands is not a
// JSON operator.
func (b *binder) jsonOperator(op string, l, r plan.Expr) (plan.Expr, bool, error) {
	lk, rk := l.Type().Kind, r.Type().Kind
	isJSON := lk == types.JSON || lk == types.JSONB
	isJSONB := lk == types.JSONB
	prefix := l.Type().BaseName()
	textArray := types.Type{Kind: types.TextArray}
	var (
		name  string
		rtype types.Type
	)
	switch {
	case (lk == types.JSON || rk == types.JSON) && (op == "=" || op == "<>" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">="):
		// json has no equality or ordering; jsonb has.
		return nil, true, operatorMismatch(op, l, r)
	case (op == "->" || op == "->>") && isJSON:
		name, rtype = prefix+"_object_field", types.TText
		if r.Type().IsInteger() {
			name, rtype = prefix+"_array_element", types.TInt4
		}
		if op == "->>" {
			name += "_text"
		}
	case (op == "#>" || op == "#>>") && isJSON:
		name, rtype = prefix+"_extract_path", textArray
		if op == "#>>" {
			name += "_text"
		}
	case op == "@>" && isJSONB:
		name, rtype = "jsonb_contains", types.TJSONB
	case op == "<@" && isJSONB:
		name, rtype = "jsonb_contained", types.TJSONB
	case op == "?" && isJSONB:
		name, rtype = "jsonb_exists", types.TText
	case op == "?|" && isJSONB:
		name, rtype = "jsonb_exists_any", textArray
	case op == "?&" && isJSONB:
		name, rtype = "jsonb_exists_all", textArray
	case op == "||" && (isJSONB && (rk == types.JSONB || rk == types.Unknown) || lk == types.Unknown && rk == types.JSONB):
		name, rtype = "jsonb_concat", types.TJSONB
		if lk == types.Unknown {
			var err error
			if l, err = b.coerce(l, types.TJSONB); err != nil {
				return nil, false, err
			}
		}
	case op == "-" && isJSONB:
		name, rtype = "jsonb_delete", types.TText
		switch {
		case r.Type().IsInteger():
			rtype = types.TInt4
		case rk == types.TextArray:
			rtype = textArray
		}
	default:
		return nil, false, nil
	}
	r, err := b.coerce(r, rtype)
	if err != nil {
		return nil, true, operatorMismatch(op, l, r)
	}
	e, err := b.callFunction(name, []plan.Expr{l, r})
	return e, true, err
}
