package planner

import (
	"slices"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/plan"
)

// pointLookup reports whether remote query q reads at most one row (see
// plan.Remote.PointLookup): a scan, filtered, perhaps projected, whose
// filter has a conjunct setting a column that is alone the table's
// primary key or a unique constraint equal to a client parameter of the
// column's own type. Nothing above the filter can read more rows.
func pointLookup(env *Env, q plan.Node) bool {
	if p, ok := q.(*plan.Project); ok {
		q = p.Input
	}
	filter, ok := q.(*plan.Filter)
	if !ok {
		return false
	}
	scan, ok := filter.Input.(*plan.Scan)
	if !ok {
		return false
	}
	table, ok := env.table(scan.Table)
	if !ok {
		return false
	}
	for _, c := range plan.SplitAnd(filter.Pred) {
		col, ok := paramEquality(c)
		if ok && slices.ContainsFunc(table.Keys, func(k connectors.Key) bool {
			return (k.Kind == connectors.PrimaryKey || k.Kind == connectors.UniqueKey) && len(k.Columns) == 1 && k.Columns[0] == scan.RemoteCols[col]
		}) {
			return true
		}
	}
	return false
}

// paramEquality reports whether c is column = parameter (either way
// round), both of one type, and which column.
func paramEquality(c plan.Expr) (int, bool) {
	op, ok := c.(*plan.Op)
	if !ok || op.Op != plan.OpEq || len(op.Args) != 2 {
		return 0, false
	}
	col, isCol := op.Args[0].(*plan.ColRef)
	param, isParam := op.Args[1].(*plan.Param)
	if !isCol || !isParam {
		col, isCol = op.Args[1].(*plan.ColRef)
		param, isParam = op.Args[0].(*plan.Param)
	}
	if !isCol || !isParam || param.T.OID() != col.T.OID() {
		return 0, false
	}
	return col.Index, true
}
