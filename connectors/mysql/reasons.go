package mysql

import (
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

var _ sqlgen.Explainer = Dialect{}

// Declined names, for EXPLAIN, what MySQL does differently with a
// construct this dialect does not push (see the Dialect documentation).
func (Dialect) Declined(what string, ts []types.Type) string {
	anyOf := func(pred func(types.Type) bool) bool {
		for _, t := range ts {
			if pred(t) {
				return true
			}
		}
		return false
	}
	switch what {
	case "lower", "upper", "ILIKE":
		return "collation"
	case "window function":
		return "only row_number, rank, dense_rank and the aggregates it computes exactly are sent"
	case "window frame":
		return "no GROUPS frames, exclusions or RANGE offsets"
	case "greatest", "least":
		return "comparison under collation"
	case "mod", plan.OpMod:
		return "modulo by zero is NULL"
	case plan.OpDiv:
		if anyOf(types.Type.IsInteger) {
			return "integer division semantics"
		}
		return "division by zero is NULL"
	case plan.OpAdd, plan.OpSub, plan.OpMul, plan.OpNeg:
		if anyOf(func(t types.Type) bool { return t.Kind == types.Int2 || t.Kind == types.Int4 }) {
			return "integer overflow is no error"
		}
		return "decimal scale"
	case "GROUP BY", "DISTINCT":
		if anyOf(func(t types.Type) bool { return t.Kind == types.Bool }) {
			return "booleans are integers"
		}
	case "avg":
		return "result scale"
	}
	if anyOf(func(t types.Type) bool { return t.Kind == types.Bpchar }) {
		return "character(n) padding"
	}
	return ""
}
