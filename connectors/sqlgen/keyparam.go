package sqlgen

import (
	"fmt"
	"slices"

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

// OneInList is implemented by dialects whose source reads a long IN list
// faster than the same keys split into several lists joined by OR (DuckDB
// takes about seven times as long over three lists of 1000 keys as over
// one of 3000): dynamic filters send it their keys in one list.
type OneInList interface {
	OneInList()
}

// ScalarParams is implemented by dialects whose source binds a scalar
// parameter apart from the statement text (see connectors.ParamQuerier),
// so that a plan made once for any parameter values sends the client's
// parameters on as parameters.
type ScalarParams interface {
	// Param renders parameter $n, whose values have type t.
	Param(n int, t types.Type) (string, bool)
}

// param numbers the client's parameters in the order they first appear;
// the same parameter used twice is bound once.
func (r *renderer) param(p *plan.Param) (string, error) {
	sp, ok := r.d.(ScalarParams)
	if !ok {
		return "", ErrNotRenderable
	}
	n := slices.IndexFunc(r.params, func(q *plan.Param) bool { return q.Index == p.Index })
	if n < 0 {
		r.params = append(r.params, p)
		n = len(r.params) - 1
	}
	s, ok := sp.Param(n+1, p.T)
	if !ok {
		return "", ErrNotRenderable
	}
	return s, nil
}
