package functions

import "github.com/junction-db/junction/types"

// The functions behind the boolean comparison operators: booleq(a, b) is
// a = b, with false ordered before true; and the strict transition
// functions of bool_and and bool_or.
func init() {
	b := types.TBool
	cmp := func(f func(x, y bool) bool) []funcSig {
		return []funcSig{fn(b, strict2(bools, bools, bools, func(x, y bool) (bool, error) { return f(x, y), nil }), b, b)}
	}
	register(cmp(func(x, y bool) bool { return x == y }), "booleq")
	register(cmp(func(x, y bool) bool { return x != y }), "boolne")
	register(cmp(func(x, y bool) bool { return !x && y }), "boollt")
	register(cmp(func(x, y bool) bool { return x && !y }), "boolgt")
	register(cmp(func(x, y bool) bool { return !x || y }), "boolle")
	register(cmp(func(x, y bool) bool { return x || !y }), "boolge")
	register(cmp(func(x, y bool) bool { return x && y }), "booland_statefunc")
	register(cmp(func(x, y bool) bool { return x || y }), "boolor_statefunc")
}
