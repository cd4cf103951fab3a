package functions

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// The functions behind the integer arithmetic operators, callable by
// name as in PostgreSQL: int4mul(a, b) is a * b, with the operator's
// overflow and division-by-zero errors.
func init() {
	ops := []struct{ suffix, op string }{
		{"pl", plan.OpAdd}, {"mi", plan.OpSub}, {"mul", plan.OpMul}, {"div", plan.OpDiv}, {"mod", plan.OpMod},
	}
	for _, t := range []struct {
		name string
		typ  types.Type
	}{{"int2", types.TInt2}, {"int4", types.TInt4}, {"int8", types.TInt8}} {
		for _, o := range ops {
			k, err := intArith(o.op, t.typ)
			if err != nil {
				panic(err)
			}
			register([]funcSig{fn(t.typ, fromKernel(k), t.typ, t.typ)}, t.name+o.suffix)
		}
	}
}
