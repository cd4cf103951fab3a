package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Arrays are values of Junction's array types (an array type for each
// scalar type, and int2vector; see types.ArrayOf) in PostgreSQL's text
// form; the executor evaluates the constructor, subscripts and
// concatenation as the functions "array", "array_subscript", array_cat,
// array_append and array_prepend, and @>, <@ and && as arraycontains,
// arraycontained and arrayoverlap.

func isArrayKind(k types.Kind) bool {
	_, ok := functions.ArrayElement(types.Type{Kind: k})
	return ok
}

// arrayElement is the element type of an array type.
func arrayElement(t types.Type) types.Type {
	e, _ := functions.ArrayElement(t)
	return e
}

// arrayConstructor binds ARRAY[...]: the elements are unified to one type
// (text when all are untyped); elements that are arrays make an array of
// one more dimension.
func (x *exprBinder) arrayConstructor(ae *pg.A_ArrayExpr) (plan.Expr, error) {
	if len(ae.Elements) == 0 {
		return nil, emptyArrayError()
	}
	elems, err := x.exprs(ae.Elements)
	if err != nil {
		return nil, err
	}
	if elems, err = x.unifySubArrays(elems); err != nil {
		return nil, err
	}
	elems, t, err := x.coerceAll(elems, "ARRAY")
	if err != nil {
		return nil, err
	}
	arrayType := t
	if !isArrayKind(t.Kind) {
		var ok bool
		if arrayType, ok = functions.ArrayOf(t); !ok {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "arrays of type %s are not supported", t.String()).
				WithHint("Junction has arrays of text, oid and smallint.")
		}
	}
	return &plan.Func{Name: "array", Args: elems, T: arrayType}, nil
}

// emptyArrayCast binds ARRAY[]::type[], the one place an empty ARRAY[]
// gets a type.
func emptyArrayCast(t types.Type) (plan.Expr, error) {
	if !isArrayKind(t.Kind) {
		return nil, emptyArrayError()
	}
	return &plan.Const{Value: types.StrDatum("{}"), T: t}, nil
}

func emptyArrayError() error {
	return pgerr.New(pgerr.IndeterminateDatatype, "cannot determine type of empty array").
		WithHint("Explicitly cast to the desired type, for example ARRAY[]::text[].")
}

// indirection binds subscripts, arr[i] and arr[i][j]; int2vector counts
// from 0, other arrays from their lower bound (1 unless written
// otherwise). A subscript out of bounds yields NULL.
func (x *exprBinder) indirection(ind *pg.A_Indirection) (plan.Expr, error) {
	if fc := ind.Arg.GetFuncCall(); fc != nil && len(ind.Indirection) == 1 && ind.Indirection[0].GetString_() != nil && functions.IsSetFunc(functionName(fc)) {
		return x.setCall(functionName(fc), fc, ind.Indirection[0].GetString_().Sval)
	}
	arr, err := x.expr(ind.Arg)
	if err != nil {
		return nil, err
	}
	args := []plan.Expr{arr}
	for i, n := range ind.Indirection {
		if f := n.GetString_(); f != nil && len(args) == 1 {
			rec, err := fieldSelection(arr, f.Sval)
			if err != nil {
				return nil, err
			}
			if i == len(ind.Indirection)-1 {
				return rec, nil
			}
			arr = rec
			args[0] = rec
			continue
		}
		idx := n.GetAIndices()
		if idx == nil {
			return nil, pgerr.NotSupported("field selection")
		}
		if idx.IsSlice {
			return nil, pgerr.NotSupported("array slices")
		}
		sub, err := x.expr(idx.Uidx)
		if err != nil {
			return nil, err
		}
		if !sub.Type().IsInteger() && !isUnknown(sub) {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "array subscript must have type integer")
		}
		if sub, err = x.coerce(sub, types.TInt4); err != nil {
			return nil, err
		}
		args = append(args, sub)
	}
	if !isArrayKind(arr.Type().Kind) {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", arr.Type().String())
	}
	return &plan.Func{Name: "array_subscript", Args: args, T: arrayElement(arr.Type())}, nil
}

// arrayConcat types || with an array operand: array || array is
// array_cat, array || element array_append and element || array
// array_prepend. An untyped literal beside an array reads as an array of
// its type, as PostgreSQL resolves it.
func (b *binder) arrayConcat(l, r plan.Expr) (plan.Expr, error) {
	lt, rt := l.Type(), r.Type()
	la, ra := isArrayKind(lt.Kind), isArrayKind(rt.Kind)
	var err error
	switch {
	case la && isUnknown(r):
		if r, err = b.coerce(r, lt); err != nil {
			return nil, err
		}
		ra, rt = true, lt
	case ra && isUnknown(l):
		if l, err = b.coerce(l, rt); err != nil {
			return nil, err
		}
		la, lt = true, rt
	}
	switch {
	case la && ra:
		if lt.Kind != rt.Kind {
			return nil, operatorMismatch("||", l, r)
		}
		return &plan.Func{Name: "array_cat", Args: []plan.Expr{l, r}, T: lt}, nil
	case la:
		elem, err := b.arrayItem(r, lt, func() error { return operatorMismatch("||", l, r) })
		if err != nil {
			return nil, err
		}
		return &plan.Func{Name: "array_append", Args: []plan.Expr{l, elem}, T: lt}, nil
	}
	elem, err := b.arrayItem(l, rt, func() error { return operatorMismatch("||", l, r) })
	if err != nil {
		return nil, err
	}
	return &plan.Func{Name: "array_prepend", Args: []plan.Expr{elem, r}, T: rt}, nil
}

// arrayItem converts e to the element type of arrays of type t where
// PostgreSQL converts implicitly, and fails with mismatch() elsewhere.
func (b *binder) arrayItem(e plan.Expr, t types.Type, mismatch func() error) (plan.Expr, error) {
	elem := arrayElement(t)
	u, ok := unify(elem, e.Type())
	if !ok || u.Kind != elem.Kind && !(elem.IsString() && u.IsString()) {
		return nil, mismatch()
	}
	return b.coerce(e, elem)
}

// arrayTypeByName resolves the names PostgreSQL's catalog gives array
// types: int2vector, and an element type's name after an underscore
// (_text, _oid, _int2).
func arrayTypeByName(name string) (types.Type, bool) {
	if name == "int2vector" {
		return types.Type{Kind: types.Int2Vector}, true
	}
	if elem, ok := types.ByName(strings.TrimPrefix(name, "_")); ok && strings.HasPrefix(name, "_") {
		return functions.ArrayOf(elem)
	}
	return types.Type{}, false
}

// arraySubqueryType is the type of ARRAY(subquery) over values of type t;
// for element types Junction has no array type of, the elements travel as
// text[].
func arraySubqueryType(t types.Type) types.Type {
	if a, ok := functions.ArrayOf(t); ok {
		return a
	}
	return types.Type{Kind: types.TextArray}
}

// unifySubArrays brings the sub-arrays of a multidimensional ARRAY[[...],
// [...]] to one element type, as PostgreSQL types all their elements
// together: ARRAY[[0.5], [1]] is numeric[].
func (x *exprBinder) unifySubArrays(elems []plan.Expr) ([]plan.Expr, error) {
	var common types.Type
	for i, e := range elems {
		if !isArrayKind(e.Type().Kind) {
			return elems, nil
		}
		elem := arrayElement(e.Type())
		if i == 0 {
			common = elem
			continue
		}
		u, ok := unify(common, elem)
		if !ok {
			return elems, nil
		}
		common = u
	}
	at, ok := functions.ArrayOf(common)
	if !ok {
		return elems, nil
	}
	out := make([]plan.Expr, len(elems))
	for i, e := range elems {
		c, err := x.coerce(e, at)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}
