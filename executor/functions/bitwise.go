package functions

import (
	"github.com/junction-db/junction/types"
)

// The integer bitwise operators are PostgreSQL's functions int2and,
// int4or, int8shl and their kin, which the planner binds &, |, #, ~, <<
// and >> to. A shift keeps its operand's width (1::int4 << 31 is
// negative) and takes its count modulo the width of the int it is
// computed in, int4 for int2 and int4 operands, as PostgreSQL's C code
// does on the machines it runs on.
func init() {
	widths := []struct {
		name string
		t    types.Type
		wrap func(int64) int64
	}{
		{"int2", types.TInt2, func(v int64) int64 { return int64(int16(v)) }},
		{"int4", types.TInt4, func(v int64) int64 { return int64(int32(v)) }},
		{"int8", types.TInt8, func(v int64) int64 { return v }},
	}
	pure := func(f func(a, b int64) int64) funcImpl {
		return strict2(ints, ints, ints, func(a, b int64) (int64, error) { return f(a, b), nil })
	}
	for _, w := range widths {
		t, wrap := w.t, w.wrap
		countMask := uint64(31)
		if t.Kind == types.Int8 {
			countMask = 63
		}
		register([]funcSig{fn(t, pure(func(a, b int64) int64 { return a & b }), t, t)}, w.name+"and")
		register([]funcSig{fn(t, pure(func(a, b int64) int64 { return a | b }), t, t)}, w.name+"or")
		register([]funcSig{fn(t, pure(func(a, b int64) int64 { return a ^ b }), t, t)}, w.name+"xor")
		register([]funcSig{fn(t, pure(func(a, b int64) int64 { return wrap(a << (uint64(b) & countMask)) }), t, types.TInt4)}, w.name+"shl")
		register([]funcSig{fn(t, pure(func(a, b int64) int64 { return wrap(a >> (uint64(b) & countMask)) }), t, types.TInt4)}, w.name+"shr")
		register([]funcSig{fn(t, strict1(ints, ints, func(a int64) (int64, error) { return ^a, nil }), t)}, w.name+"not")
	}
}
