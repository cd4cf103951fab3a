package functions

import (
	"regexp"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// This file is the library's surface for the expression compiler and the
// operators of package executor; everything behind it keeps the library's
// own vocabulary (register, funcSig, funcImpl, ...).

// Call is a scalar function resolved for its argument types.
type Call struct {
	sig *funcSig
	fc  funcCall
}

// Lookup resolves a call of the scalar function name (lower case) with
// arguments of the given types, made in a statement with context ctx; ok
// is false when no signature fits (see ResolveFunc).
func Lookup(name string, args []types.Type, ctx *Context) (call *Call, ok bool) {
	sig, params, ok := resolveSig(name, args)
	if !ok {
		return nil, false
	}
	return &Call{sig: sig, fc: funcCall{rt: ctx, argTypes: params}}, true
}

// Params are the types the arguments must have, after casts.
func (c *Call) Params() []types.Type { return c.fc.argTypes }

// Result is the type the function returns.
func (c *Call) Result() types.Type { return sigResult(c.sig, c.fc.argTypes) }

// Eval computes the function for n rows of arguments (full or constant
// vectors of the Params types) as a vector of type t, constant when every
// argument is.
func (c *Call) Eval(args []*vector.Vector, n int, t types.Type) (*vector.Vector, error) {
	if !c.sig.lenient {
		for _, a := range args {
			if isNullConst(a, n) {
				return nullConst(t), nil
			}
		}
	}
	if allConst(args, n) && !c.sig.volatile {
		n = 1
	}
	out := newVector(t, n)
	if !c.sig.lenient {
		out.Nulls = strictNulls(n, args...)
	}
	if err := c.sig.impl(&c.fc, args, n, out); err != nil {
		return nil, err
	}
	return out, nil
}

// SetCall is a set-returning function resolved for its argument types.
type SetCall struct {
	fn     *setFunc
	params []types.Type
}

// LookupSet resolves a call of the set-returning function name (lower
// case) with arguments of the given types (see ResolveSetFunc).
func LookupSet(name string, args []types.Type) (*SetCall, bool) {
	fn, params, ok := resolveSetFunc(name, args)
	if !ok {
		return nil, false
	}
	return &SetCall{fn: fn, params: params}, true
}

// Params are the types the arguments must have, after casts.
func (c *SetCall) Params() []types.Type { return c.params }

// Columns are the columns of the rows the function produces.
func (c *SetCall) Columns() []plan.Column { return c.fn.columns(c.params) }

// Start begins the set for one call's argument values, none of them NULL:
// every set-returning function is strict.
func (c *SetCall) Start(args []types.Datum) (*SetRows, error) {
	gen, err := c.fn.rows(c.params, args)
	if err != nil {
		return nil, err
	}
	return &SetRows{gen: gen}, nil
}

// SetRows produces a set-returning function's rows one at a time.
type SetRows struct{ gen rowGenerator }

// Next writes the next row into row and reports whether there was one.
func (r *SetRows) Next(row []types.Datum) (bool, error) { return r.gen.next(row) }

// Kernels of operators and casts, for the expression compiler.

// CastIsIdentity reports whether converting from one type to the other
// leaves every value as it is.
func CastIsIdentity(from, to types.Type) bool { return castIsIdentity(from, to) }

// CastKernel converts values of type from to type to.
func CastKernel(from, to types.Type) (Kernel1, error) { return castKernel(from, to) }

// TypmodKernel restricts time, timestamp and interval values to t's
// modifier.
func TypmodKernel(t types.Type) Kernel1 { return typmodKernel(t) }

// ArithKernel computes the arithmetic operator op over l and r into t.
func ArithKernel(op string, l, r, t types.Type) (Kernel2, error) { return arithKernel(op, l, r, t) }

// NegKernel is unary minus over t.
func NegKernel(t types.Type) (Kernel1, error) { return negKernel(t) }

// ConcatKernel is the || operator over l and r.
func ConcatKernel(l, r types.Type) (Kernel2, error) { return concatKernel(l, r) }

// OperatorError is PostgreSQL's error for an operator without a
// signature for its operand types.
func OperatorError(op string, l, r types.Type) error { return operatorError(op, l, r) }

// CmpEq is the equality comparison.
const CmpEq = cmpEq

// Comparison is the comparison operator op (=, <>, <, ...); ok is false
// for other operators.
func Comparison(op string) (cmp CmpOp, ok bool) {
	cmp, ok = cmpOps[op]
	return cmp, ok
}

// CompareVectors compares n rows of a and b (full or constant vectors of
// one physical type) into a boolean vector, NULL where either is.
func CompareVectors(op CmpOp, a, b *vector.Vector, n int) *vector.Vector {
	return compareVectors(op, a, b, n)
}

// CompareRows orders row i of a and row j of b (not NULL).
func CompareRows(a *vector.Vector, i int, b *vector.Vector, j int) int {
	return compareRows(a, i, b, j)
}

// CompareKeys orders two rows by ORDER BY keys, placing NULLs first or
// last per key.
func CompareKeys(cols []*vector.Vector, keys []plan.SortKey, i, j int) int {
	return compareKeys(cols, keys, i, j)
}

// CompareKeysAcross is CompareKeys for rows of two sets of key columns,
// as merging sorted runs needs.
func CompareKeysAcross(a []*vector.Vector, i int, b []*vector.Vector, j int, keys []plan.SortKey) int {
	return compareKeysAcross(a, i, b, j, keys)
}

// Equality and hashing of values with PostgreSQL's semantics, for the
// operators that group and join.

// CompareFloat orders floats with NaN above every other value.
func CompareFloat(a, b float64) int { return compareFloat(a, b) }

// CompareInterval orders intervals by their length.
func CompareInterval(a, b types.IntervalValue) int { return compareInterval(a, b) }

// IntervalSpan is an interval's length in days and microseconds, equal
// for intervals that compare equal.
func IntervalSpan(iv types.IntervalValue) (days, micros int64) { return intervalSpan(iv) }

// TrimBlanks drops the trailing blanks character(n) ignores.
func TrimBlanks(s string) string { return trimBlanks(s) }

// CompileRegex compiles a POSIX regular expression, case-insensitive with
// fold, with PostgreSQL's errors.
func CompileRegex(pattern string, fold bool) (*regexp.Regexp, error) {
	return compileRegex(pattern, fold)
}

// AppendArrayText appends an array element's text to an array literal,
// quoted when it needs to be.
func AppendArrayText(buf []byte, s string) []byte { return appendArrayText(buf, s) }

// StringOrder is the three-way comparison of values of t stored as
// strings (text in code-point order, character(n) without trailing
// blanks, jsonb, arrays and records by their elements).
func StringOrder(t types.Type) func(a, b string) int { return stringOrder(t) }

// StringHashKey is the form of a string value of t that equal values
// share, for hashing.
func StringHashKey(t types.Type) func(string) string { return stringHashKey(t) }
