package functions

import (
	"strconv"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// Array functions and operators. ARRAY[...] is the function "array" and a
// subscript arr[i][j] the function "array_subscript", names no SQL text
// can call without quoting; || between arrays and elements is array_cat,
// array_append or array_prepend, as in PostgreSQL.

// rowImpl computes a function from one row's argument values; it sees
// NULL arguments only when its signature is lenient.
type rowImpl func(fc *funcCall, row []types.Datum) (types.Datum, error)

// perRow turns a computation over one row's values into a function
// implementation.
func perRow(f rowImpl) funcImpl {
	return func(fc *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		row := make([]types.Datum, len(args))
		for i := 0; i < n; i++ {
			if out.Nulls.Get(i) {
				continue
			}
			for a, v := range args {
				row[a] = v.Datum(i & rowMask(v, n))
			}
			d, err := f(fc, row)
			if err != nil {
				return err
			}
			setDatum(out, i, d)
		}
		return nil
	}
}

// arrayArg reads argument i, an array of the call's parameter type; NULL
// reads as nil.
func arrayArg(fc *funcCall, row []types.Datum, i int) (*arrayValue, error) {
	if row[i].Null {
		return nil, nil
	}
	return parseArray(fc.argTypes[i], row[i].Str)
}

// arrayDatum writes an array as a value of type t.
func arrayDatum(a *arrayValue, t types.Type) (types.Datum, error) {
	if t.Kind == types.Int2Vector {
		if err := checkVector(a); err != nil {
			return types.Datum{}, err
		}
	}
	return types.StrDatum(a.format(t)), nil
}

// dimensionFunc answers a question about one dimension of an array:
// NULL for a dimension the array does not have.
func dimensionFunc(f func(a *arrayValue, d int) int) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		a, err := arrayArg(fc, row, 0)
		if err != nil {
			return types.Datum{}, err
		}
		d := row[1].Int
		if d < 1 || d > int64(len(a.dims)) {
			return types.NullDatum, nil
		}
		return types.IntDatum(int64(f(a, int(d-1)))), nil
	}
}

// wholeArrayFunc computes a property of an array.
func wholeArrayFunc(f func(a *arrayValue) types.Datum) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		a, err := arrayArg(fc, row, 0)
		if err != nil {
			return types.Datum{}, err
		}
		return f(a), nil
	}
}

func arrayCat(fc *funcCall, row []types.Datum) (types.Datum, error) {
	switch {
	case row[0].Null:
		return row[1], nil
	case row[1].Null:
		return row[0], nil
	}
	a, err := arrayArg(fc, row, 0)
	if err != nil {
		return types.Datum{}, err
	}
	b, err := arrayArg(fc, row, 1)
	if err != nil {
		return types.Datum{}, err
	}
	out, err := concatArrays(a, b)
	if err != nil {
		return types.Datum{}, err
	}
	return arrayDatum(out, fc.argTypes[0])
}

// arrayPush is array_append (front false: arguments array, element) and
// array_prepend (element, array); a NULL array counts as empty.
func arrayPush(front bool) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		ai, ei := 0, 1
		if front {
			ai, ei = 1, 0
		}
		a, err := arrayArg(fc, row, ai)
		if err != nil {
			return types.Datum{}, err
		}
		if a == nil {
			a = emptyArray
		}
		e := arrayElem{null: row[ei].Null}
		if !e.null {
			e.text = types.FormatText(fc.argTypes[ei], row[ei])
		}
		out, err := a.push(e, front)
		if err != nil {
			return types.Datum{}, err
		}
		return arrayDatum(out, fc.argTypes[ai])
	}
}

func arraySubscript(fc *funcCall, row []types.Datum) (types.Datum, error) {
	a, err := arrayArg(fc, row, 0)
	if err != nil {
		return types.Datum{}, err
	}
	idx := make([]int64, len(row)-1)
	for i := range idx {
		idx[i] = row[i+1].Int
	}
	e := a.subscript(idx)
	if e.null {
		return types.NullDatum, nil
	}
	elem, _ := ArrayElement(fc.argTypes[0])
	return types.ParseText(elem, e.text)
}

// arrayConstructor is ARRAY[...]: of elements a one-dimensional array,
// of arrays one with a dimension more.
func arrayConstructor(fc *funcCall, row []types.Datum) (types.Datum, error) {
	t := fc.argTypes[0]
	if isArrayKind(t.Kind) {
		items := make([]*arrayValue, len(row))
		for i := range row {
			a, err := arrayArg(fc, row, i)
			if err != nil {
				return types.Datum{}, err
			}
			items[i] = a
		}
		out, err := buildArray(items)
		if err != nil {
			return types.Datum{}, err
		}
		return arrayDatum(out, t)
	}
	out := &arrayValue{lower: []int{1}, dims: []int{len(row)}, elems: make([]arrayElem, len(row))}
	for i, d := range row {
		if d.Null {
			out.elems[i].null = true
		} else {
			out.elems[i].text = types.FormatText(t, d)
		}
	}
	at, _ := ArrayOf(t)
	return arrayDatum(out, at)
}

// arrayTypeOf is the type ARRAY[...] builds from elements of type t.
func arrayTypeOf(params []types.Type) types.Type {
	if isArrayKind(params[0].Kind) {
		return params[0]
	}
	t, _ := ArrayOf(params[0])
	return t
}

func firstParam(params []types.Type) types.Type { return params[0] }

func elementOfFirst(params []types.Type) types.Type {
	t, _ := ArrayElement(params[0])
	return t
}

func init() {
	i4, text := types.TInt4, types.TText
	strictRow := func(result types.Type, f rowImpl, params ...types.Type) funcSig {
		return funcSig{params: params, result: result, impl: perRow(f)}
	}
	register([]funcSig{strictRow(i4, dimensionFunc(func(a *arrayValue, d int) int { return a.lower[d] + a.dims[d] - 1 }), anyArray, i4)}, "array_upper")
	register([]funcSig{strictRow(i4, dimensionFunc(func(a *arrayValue, d int) int { return a.lower[d] }), anyArray, i4)}, "array_lower")
	register([]funcSig{strictRow(i4, dimensionFunc(func(a *arrayValue, d int) int { return a.dims[d] }), anyArray, i4)}, "array_length")
	register([]funcSig{strictRow(i4, wholeArrayFunc(func(a *arrayValue) types.Datum {
		if len(a.dims) == 0 {
			return types.NullDatum
		}
		return types.IntDatum(int64(len(a.dims)))
	}), anyArray)}, "array_ndims")
	register([]funcSig{strictRow(i4, wholeArrayFunc(func(a *arrayValue) types.Datum { return types.IntDatum(int64(a.count())) }), anyArray)}, "cardinality")
	register([]funcSig{strictRow(text, wholeArrayFunc(func(a *arrayValue) types.Datum {
		if len(a.dims) == 0 {
			return types.NullDatum
		}
		var buf []byte
		for d := range a.dims {
			buf = append(buf, '[')
			buf = strconv.AppendInt(buf, int64(a.lower[d]), 10)
			buf = append(buf, ':')
			buf = strconv.AppendInt(buf, int64(a.lower[d]+a.dims[d]-1), 10)
			buf = append(buf, ']')
		}
		return types.StrDatum(string(buf))
	}), anyArray)}, "array_dims")
	register([]funcSig{{params: []types.Type{anyArray, anyArray}, resultOf: firstParam, lenient: true, impl: perRow(arrayCat)}}, "array_cat")
	register([]funcSig{{params: []types.Type{anyArray, anyElement}, resultOf: firstParam, lenient: true, impl: perRow(arrayPush(false))}}, "array_append")
	register([]funcSig{{params: []types.Type{anyElement, anyArray}, resultOf: func(p []types.Type) types.Type { return p[1] }, lenient: true, impl: perRow(arrayPush(true))}}, "array_prepend")
	register([]funcSig{{params: []types.Type{anyArray, i4}, variadic: true, resultOf: elementOfFirst, impl: perRow(arraySubscript)}}, "array_subscript")
	register([]funcSig{{params: []types.Type{commonType}, variadic: true, result: commonType, resultOf: arrayTypeOf, lenient: true, impl: perRow(arrayConstructor)}}, "array")
}
