package functions

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// The array operators @> (arraycontains), <@ (arraycontained) and &&
// (arrayoverlap) look at elements alone, whatever the dimensions: a
// contains b when every element of b equals one of a, and a NULL element
// equals nothing. x op ANY (array) and x op ALL (array) compare x with
// every element.

// arrayElemEqual reports whether two non-NULL elements of type t are
// equal.
func arrayElemEqual(t types.Type, a, b string) bool {
	return a == b || compareElementText(t, a, b) == 0
}

// arrayContains reports whether every non-NULL element of b equals an
// element of a; a NULL element of b is never contained.
func arrayContains(elem types.Type, a, b *arrayValue) bool {
	for _, y := range b.elems {
		if y.null {
			return false
		}
		found := false
		for _, x := range a.elems {
			if !x.null && arrayElemEqual(elem, x.text, y.text) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func arrayOverlaps(elem types.Type, a, b *arrayValue) bool {
	for _, y := range b.elems {
		if y.null {
			continue
		}
		for _, x := range a.elems {
			if !x.null && arrayElemEqual(elem, x.text, y.text) {
				return true
			}
		}
	}
	return false
}

// arrayPair reads both array arguments of a binary array operator.
func arrayPair(fc *funcCall, row []types.Datum) (a, b *arrayValue, elem types.Type, err error) {
	if a, err = arrayArg(fc, row, 0); err != nil {
		return nil, nil, elem, err
	}
	if b, err = arrayArg(fc, row, 1); err != nil {
		return nil, nil, elem, err
	}
	elem, _ = ArrayElement(fc.argTypes[0])
	return a, b, elem, nil
}

func arrayRelation(f func(elem types.Type, a, b *arrayValue) bool, swap bool) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		a, b, elem, err := arrayPair(fc, row)
		if err != nil {
			return types.Datum{}, err
		}
		if swap {
			a, b = b, a
		}
		return types.BoolDatum(f(elem, a, b)), nil
	}
}

// ArrayMembership computes x op ANY (array) or, with all set, x op ALL
// (array) for the comparison operators: x is of type cmpType, and the
// array's elements are read as values of that type. As in PostgreSQL the
// answer is NULL when no element decides it and one comparison was with
// NULL.
func ArrayMembership(op string, all bool, cmpType, arrayType types.Type) (plan.RowFunc, error) {
	c, ok := cmpOps[op]
	if !ok {
		return nil, pgerr.NotSupported(op + " ANY/ALL over an array")
	}
	truth := &cmpTruth[c]
	return func(args []types.Datum) (types.Datum, error) {
		if args[1].Null {
			return types.NullDatum, nil
		}
		a, err := parseArray(arrayType, args[1].Str)
		if err != nil {
			return types.Datum{}, err
		}
		sawNull := false
		for _, e := range a.elems {
			if e.null || args[0].Null {
				sawNull = true
				continue
			}
			d, err := types.ParseText(cmpType, e.text)
			if err != nil {
				return types.Datum{}, err
			}
			if truth[compareDatums(cmpType, args[0], d)+1] != all {
				return types.BoolDatum(!all), nil
			}
		}
		if sawNull {
			return types.NullDatum, nil
		}
		return types.BoolDatum(all), nil
	}, nil
}

func init() {
	b := types.TBool
	register([]funcSig{{params: []types.Type{anyArray, anyArray}, result: b, impl: perRow(arrayRelation(arrayContains, false))}}, "arraycontains")
	register([]funcSig{{params: []types.Type{anyArray, anyArray}, result: b, impl: perRow(arrayRelation(arrayContains, true))}}, "arraycontained")
	register([]funcSig{{params: []types.Type{anyArray, anyArray}, result: b, impl: perRow(arrayRelation(arrayOverlaps, false))}}, "arrayoverlap")
}
