package planner

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// variadicCall binds f(a, ..., VARIADIC arr): the array's elements are
// the arguments of f's variadic parameter.
func (b *binder) variadicCall(name string, args []plan.Expr) (plan.Expr, error) {
	last := len(args) - 1
	arr := args[last]
	if isUnknown(arr) {
		// '{a,b}' is read as text[], the array type unknown elements take.
		c, err := b.coerce(arr, types.Type{Kind: types.TextArray})
		if err != nil {
			return nil, err
		}
		arr = c
	}
	if _, ok := functions.ArrayElement(arr.Type()); !ok {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "VARIADIC argument must be an array")
	}
	fixed := make([]types.Type, last)
	for i, a := range args[:last] {
		fixed[i] = a.Type()
		if fixed[i].Kind == types.Unknown {
			fixed[i] = types.TText
		}
	}
	result, castTo, ok := functions.ResolveVariadicFunc(name, fixed, arr.Type())
	if !ok {
		return nil, undefinedFunction(name, args)
	}
	out := make([]plan.Expr, len(args))
	for i, a := range args[:last] {
		want := fixed[i]
		if castTo != nil {
			want = castTo[i]
		}
		c, err := b.coerce(a, want)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	out[last] = arr
	return &plan.Func{Name: name, Args: out, T: result, Variadic: true}, nil
}
