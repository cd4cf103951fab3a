package functions

import (
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// Calls with VARIADIC: f(a, VARIADIC arr) passes the elements of arr as
// the variadic arguments of f, as many as each row's array holds.

// ResolveVariadicFunc resolves f(fixed..., VARIADIC array) against the
// variadic signatures of f: it returns the result type and the types the
// fixed arguments must be cast to (nil if none), or ok=false.
func ResolveVariadicFunc(name string, fixed []types.Type, array types.Type) (result types.Type, castTo []types.Type, ok bool) {
	sig, params, ok := resolveVariadic(name, fixed, array)
	if !ok {
		return types.Type{}, nil, false
	}
	return sigResult(sig, params), castTargets(params[:len(fixed)], fixed), true
}

// resolveVariadic picks the variadic signature taking the fixed
// arguments and the array's elements, given as one argument.
func resolveVariadic(name string, fixed []types.Type, array types.Type) (*funcSig, []types.Type, bool) {
	elem, ok := ArrayElement(array)
	if !ok {
		return nil, nil, false
	}
	var sigs []*funcSig
	for i := range functions[name] {
		if s := &functions[name][i]; s.variadic && len(s.params) == len(fixed)+1 {
			sigs = append(sigs, s)
		}
	}
	args := append(append([]types.Type{}, fixed...), elem)
	i, params := bestMatch(len(sigs), func(i int) *funcSig { return sigs[i] }, args)
	if i < 0 || params[len(fixed)].Kind != elem.Kind {
		// The elements are passed as they are, never converted.
		return nil, nil, false
	}
	return sigs[i], params, true
}

// nullArrayIsNoArguments names the functions for which a NULL VARIADIC
// array means no variadic arguments rather than a NULL result.
var nullArrayIsNoArguments = map[string]bool{"format": true}

// VariadicCall is f(fixed..., VARIADIC array) resolved for its argument
// types.
type VariadicCall struct {
	name      string
	sig       *funcSig
	params    []types.Type // the fixed parameters, then the element type
	arrayType types.Type
	ctx       *Context
}

// LookupVariadic resolves f(fixed..., VARIADIC array) made in a statement
// with context ctx.
func LookupVariadic(name string, fixed []types.Type, array types.Type, ctx *Context) (*VariadicCall, bool) {
	sig, params, ok := resolveVariadic(name, fixed, array)
	if !ok {
		return nil, false
	}
	return &VariadicCall{name: name, sig: sig, params: params, arrayType: array, ctx: ctx}, true
}

// Eval computes the call for n rows of arguments, the fixed ones then the
// array, as a vector of type t.
func (e *VariadicCall) Eval(vecs []*vector.Vector, n int, t types.Type) (*vector.Vector, error) {
	if allConst(vecs, n) {
		n = 1
	}
	out := newVector(t, n)
	for i := 0; i < n; i++ {
		d, err := e.row(vecs, n, i, t)
		if err != nil {
			return nil, err
		}
		setDatum(out, i, d)
	}
	return out, nil
}

// row computes the call for row i of n.
func (e *VariadicCall) row(vecs []*vector.Vector, n, i int, t types.Type) (types.Datum, error) {
	last := len(vecs) - 1
	arr := vecs[last].Datum(i & rowMask(vecs[last], n))
	var elems []arrayElem
	if arr.Null {
		if !nullArrayIsNoArguments[e.name] {
			return types.NullDatum, nil
		}
	} else {
		a, err := parseArray(e.arrayType, arr.Str)
		if err != nil {
			return types.Datum{}, err
		}
		elems = a.elems
	}
	elem := e.params[last]
	params := make([]types.Type, 0, last+len(elems))
	args := make([]*vector.Vector, 0, last+len(elems))
	for k, v := range vecs[:last] {
		params = append(params, e.params[k])
		args = append(args, constVector(e.params[k], v.Datum(i&rowMask(v, n))))
	}
	for _, el := range elems {
		d := types.NullDatum
		if !el.null {
			var err error
			if d, err = types.ParseText(elem, el.text); err != nil {
				return types.Datum{}, err
			}
		}
		params = append(params, elem)
		args = append(args, constVector(elem, d))
	}
	out := newVector(t, 1)
	if !e.sig.lenient {
		for _, a := range args {
			if a.IsNull(0) {
				return types.NullDatum, nil
			}
		}
	}
	if err := e.sig.impl(&funcCall{rt: e.ctx, argTypes: params}, args, 1, out); err != nil {
		return types.Datum{}, err
	}
	return out.Datum(0), nil
}
