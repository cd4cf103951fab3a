package sqlgen

import "github.com/junction-db/junction/plan"

// constantKey reports whether a GROUP BY or ORDER BY key over input is a
// constant. Such a key groups and orders nothing, and SQL does not read it
// as a value: PostgreSQL and MySQL take an integer literal there for a
// select-list position, and PostgreSQL rejects any other literal.
func constantKey(e plan.Expr, input plan.Node) bool {
	switch x := e.(type) {
	case *plan.Const:
		return true
	case *plan.ColRef:
		switch in := input.(type) {
		case *plan.Project:
			return x.Index < len(in.Exprs) && constantKey(in.Exprs[x.Index], in.Input)
		case *plan.Aggregate:
			return x.Index < len(in.GroupBy) && constantKey(in.GroupBy[x.Index], in.Input)
		case *plan.Filter:
			return constantKey(e, in.Input)
		case *plan.Sort:
			return constantKey(e, in.Input)
		case *plan.Limit:
			return constantKey(e, in.Input)
		case *plan.Distinct:
			return constantKey(e, in.Input)
		}
	}
	return false
}
