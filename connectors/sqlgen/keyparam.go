package sqlgen

import (
	"fmt"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// KeyParam is Arg = ANY($N): Arg is among the elements of array parameter
// N, bound when the query is sent (a join's keys, for a dynamic filter).
// Only dialects implementing ArrayParams render it.
type KeyParam struct {
	Arg plan.Expr
	N   int
}

func (e *KeyParam) Type() types.Type { return types.TBool }
func (e *KeyParam) String() string   { return fmt.Sprintf("%s = ANY($%d)", e.Arg, e.N) }

// ArrayParams is implemented by dialects whose source binds an array
// parameter (see connectors.ParamQuerier).
type ArrayParams interface {
	// AnyParam renders arg = ANY($n) for an array parameter whose elements
	// have arg's type t.
	AnyParam(arg string, n int, t types.Type) (string, bool)
}
