package functions

import (
	"math"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// funcImpl computes a scalar function for n rows into out. Arguments are
// full or constant vectors of the signature's parameter types; for a strict
// function out's null bitmap already marks the rows with a NULL argument.
type funcImpl func(fc *funcCall, args []*vector.Vector, n int, out *vector.Vector) error

// funcCall is what a function implementation knows about its call.
type funcCall struct {
	rt       *Context
	argTypes []types.Type
}

// funcSig is one signature of a scalar function.
type funcSig struct {
	params   []types.Type // anyType accepts every type
	variadic bool         // the last parameter repeats (at least once)
	result   types.Type   // commonType: the common type of the arguments
	// resultOf computes the result type of a polymorphic function from
	// its resolved parameter types; result is unused then.
	resultOf func(params []types.Type) types.Type
	impl     funcImpl
	// lenient functions see NULL arguments and decide themselves.
	lenient bool
	// volatile functions compute a new value for every row, even when
	// every argument is constant.
	volatile bool
}

// Markers used in signatures only; their kinds are outside types.Kind's
// range and never reach a plan.
var (
	anyType    = types.Type{Kind: math.MaxUint8}
	commonType = types.Type{Kind: math.MaxUint8 - 1}
	// anyArray accepts any array type, the same one for every anyArray
	// parameter of a call; anyElement is that array type's element type.
	anyArray   = types.Type{Kind: math.MaxUint8 - 2}
	anyElement = types.Type{Kind: math.MaxUint8 - 3}
)

// functions maps a lower-case name to its signatures.
var functions = map[string][]funcSig{}

// register adds signatures under one or more names.
func register(sigs []funcSig, names ...string) {
	for _, n := range names {
		functions[n] = append(functions[n], refuseNumericSpecials(sigs, n)...)
	}
}

// ResolveFunc is the catalog of scalar functions the executor evaluates:
// given a lower-case name and the argument types, it returns the result
// type and the types the arguments must be cast to (nil if they are used
// as they are), or ok=false if no such function or signature exists.
// Among several signatures the one needing the fewest conversions wins,
// then the one converting more arguments to their category's preferred
// type (double precision, text, timestamptz), as in PostgreSQL.
func ResolveFunc(name string, args []types.Type) (result types.Type, castTo []types.Type, ok bool) {
	sig, params, ok := resolveSig(name, args)
	if !ok {
		return types.Type{}, nil, false
	}
	return sigResult(sig, params), castTargets(params, args), true
}

// castTargets is the castTo answer of a resolution: the parameter types,
// or nil when every argument already has its parameter's type.
func castTargets(params, args []types.Type) []types.Type {
	for i, p := range params {
		if p.Kind != args[i].Kind {
			return params
		}
	}
	return nil
}

// resolveSig picks a signature and the type each argument takes.
func resolveSig(name string, args []types.Type) (*funcSig, []types.Type, bool) {
	sigs := functions[name]
	i, params := bestMatch(len(sigs), func(i int) *funcSig { return &sigs[i] }, args)
	if i < 0 {
		return nil, nil, false
	}
	return &sigs[i], params, true
}

// bestMatch returns the index of the signature among n that fits args
// with the lowest cost, with the type each argument takes; -1 if none
// fits.
func bestMatch(n int, sig func(i int) *funcSig, args []types.Type) (int, []types.Type) {
	best, bestCost := -1, math.MaxInt
	var bestParams []types.Type
	for i := 0; i < n; i++ {
		params, cost, ok := matchSig(sig(i), args)
		if ok && cost < bestCost {
			best, bestParams, bestCost = i, params, cost
		}
	}
	return best, bestParams
}

func matchSig(sig *funcSig, args []types.Type) ([]types.Type, int, bool) {
	n := len(sig.params)
	if len(args) != n && !(sig.variadic && len(args) >= n) {
		return nil, 0, false
	}
	params := make([]types.Type, len(args))
	for i := range args {
		params[i] = sig.params[min(i, n-1)]
	}
	if sig.result == commonType {
		common, ok := commonTypeOf(args)
		if !ok {
			return nil, 0, false
		}
		for i := range params {
			params[i] = common
		}
	}
	array, ok := arrayArgument(params, args)
	if !ok {
		return nil, 0, false
	}
	cost := 0
	for i, a := range args {
		p := params[i]
		switch p {
		case anyArray:
			params[i] = a
			continue
		case anyElement:
			p, _ = ArrayElement(array)
			params[i] = p
		}
		switch {
		case p == anyType:
			params[i] = a
		case p.Kind == a.Kind:
			if p.Kind == types.Numeric || p.Kind == types.Varchar || p.Kind == types.Bpchar || p.Kind == types.Record {
				params[i] = a // keep the argument's modifier (a record's fields)
			}
		case implicitCast(a.Kind, p.Kind):
			// Conversions count first, conversions to a non-preferred
			// type break ties.
			cost += len(args) + 1
			if !preferredType(p.Kind) {
				cost++
			}
		case a.Kind == types.Unknown:
			// An untyped literal reads as any type, but a signature that
			// takes it as a string fits better.
			cost += 2 * (len(args) + 1)
		default:
			return nil, 0, false
		}
	}
	return params, cost, true
}

// arrayArgument is the type of the arguments in a signature's anyArray
// positions; ok is false when one is not an array or they differ, or when
// the signature has anyElement parameters but no array.
func arrayArgument(params, args []types.Type) (types.Type, bool) {
	var array types.Type
	found, needed := false, false
	for i, p := range params {
		switch p {
		case anyElement:
			needed = true
		case anyArray:
			a := args[i]
			if !isArrayKind(a.Kind) || found && a.Kind != array.Kind {
				return types.Type{}, false
			}
			array, found = a, true
		}
	}
	return array, found || !needed
}

// numberRank orders the number types so that each converts implicitly to
// the ones ranked above it.
var numberRank = map[types.Kind]int{types.Int2: 1, types.Int4: 2, types.Int8: 3, types.Numeric: 4, types.Float4: 5, types.Float8: 6}

// implicitCast reports whether PostgreSQL converts from one kind to the
// other without an explicit cast.
func implicitCast(from, to types.Kind) bool {
	if rf, rt := numberRank[from], numberRank[to]; rf > 0 && rt > 0 {
		return rf < rt
	}
	switch from {
	case types.Text, types.Varchar, types.Bpchar, types.Name, types.Unknown:
		return to == types.Text || to == types.Varchar
	case types.Date:
		return to == types.Timestamp || to == types.TimestampTZ
	case types.Timestamp:
		return to == types.TimestampTZ
	case types.Time:
		return to == types.Interval || to == types.TimeTZ
	}
	return false
}

func preferredType(k types.Kind) bool {
	switch k {
	case types.Float8, types.Text, types.TimestampTZ, types.Interval, types.Bool:
		return true
	}
	return false
}

// commonTypeOf is the type a set of values is converted to (COALESCE,
// GREATEST): the one every other converts to implicitly. Unknown values
// take the others' type, and text when all are unknown.
func commonTypeOf(ts []types.Type) (types.Type, bool) {
	var common types.Type
	found := false
	for _, t := range ts {
		switch {
		case t.Kind == types.Unknown:
		case !found:
			common, found = t, true
		case t.Kind == common.Kind:
			if t != common {
				common = types.Type{Kind: t.Kind} // modifiers differ
			}
		case implicitCast(common.Kind, t.Kind):
			common = t
		case implicitCast(t.Kind, common.Kind):
		default:
			return types.Type{}, false
		}
	}
	if !found {
		return types.TText, true
	}
	return common, true
}

func sigResult(sig *funcSig, params []types.Type) types.Type {
	switch {
	case sig.resultOf != nil:
		return sig.resultOf(params)
	case sig.result == commonType:
		return params[0]
	}
	return sig.result
}
