package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// rowInSubquery binds (a, b) IN (SELECT x, y ...) and (a, b) NOT IN (...)
// (= ANY and <> ALL). Rows compare field by field, so a subquery row
// matches when every pair is equal, and when no pair differs but one is
// NULL the answer is NULL unless another row matches:
//
//	CASE WHEN EXISTS (SELECT FROM s WHERE x = a AND y = b) THEN true
//	     WHEN EXISTS (SELECT FROM s WHERE (x = a AND y = b) IS NULL) THEN NULL
//	     ELSE false END
//
// The row's fields must be columns of the enclosing query or constants,
// which the subqueries read as outer references.
func (x *exprBinder) rowInSubquery(sl *pg.SubLink, row *pg.RowExpr, sub plan.Node) (plan.Expr, error) {
	op := "="
	if len(sl.OperName) > 0 {
		op = opName(sl.OperName)
	}
	negated := false
	switch {
	case sl.SubLinkType == pg.SubLinkType_ANY_SUBLINK && op == "=":
	case sl.SubLinkType == pg.SubLinkType_ALL_SUBLINK && (op == "<>" || op == "!="):
		negated = true
	default:
		return nil, pgerr.NotSupported("a row " + op + " ANY/ALL (subquery) other than IN and NOT IN")
	}
	fields, _, err := x.rowFields(row.Args, false)
	if err != nil {
		return nil, err
	}
	cols := sub.Columns()
	switch {
	case len(cols) > len(fields):
		return nil, pgerr.New(pgerr.SyntaxError, "subquery has too many columns")
	case len(cols) < len(fields):
		return nil, pgerr.New(pgerr.SyntaxError, "subquery has too few columns")
	}
	outer := make([]plan.Expr, len(fields))
	for i, f := range fields {
		switch f := f.(type) {
		case *plan.ColRef:
			outer[i] = &plan.OuterRef{Index: f.Index, T: f.T, Name: f.Name}
		case *plan.Const:
			outer[i] = f
		default:
			return nil, pgerr.NotSupported("a row IN (subquery) whose fields are not columns or constants")
		}
	}
	inner := make([]plan.Expr, len(cols))
	for i, c := range cols {
		inner[i] = &plan.ColRef{Index: i, T: c.Type, Name: c.Name}
	}
	match, err := x.compareFields(plan.OpEq, inner, outer)
	if err != nil {
		return nil, err
	}
	exists := func(pred plan.Expr) plan.Expr {
		return &plan.Subquery{Kind: plan.ExistsSubquery, Plan: &plan.Filter{Input: sub, Pred: pred}, Correlated: true, T: types.TBool}
	}
	var e plan.Expr = &plan.Case{
		Whens: []plan.When{
			{Cond: exists(match), Result: &plan.Const{Value: types.BoolDatum(true), T: types.TBool}},
			{Cond: exists(&plan.IsNull{Arg: match}), Result: &plan.Const{Value: types.NullDatum, T: types.TBool}},
		},
		Else: &plan.Const{Value: types.BoolDatum(false), T: types.TBool},
		T:    types.TBool,
	}
	if negated {
		e = &plan.Op{Op: plan.OpNot, Args: []plan.Expr{e}, T: types.TBool}
	}
	return e, nil
}
