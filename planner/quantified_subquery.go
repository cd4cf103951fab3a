package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// quantifiedComparison binds x op ANY (subquery) and x op ALL (subquery)
// for a row (a, b) or a single value x, where = ANY (IN) and <> ALL (NOT
// IN) over a single value have a plan of their own. A subquery row
// compares field by field; with SQL's three-valued logic
//
//	x op ANY (s) = CASE WHEN EXISTS (SELECT FROM s WHERE x op s) THEN true
//	                    WHEN EXISTS (SELECT FROM s WHERE (x op s) IS NULL) THEN NULL
//	                    ELSE false END
//
// and x op ALL (s) is the same with NOT (x op s) deciding false. The
// compared values must be columns of the enclosing query or constants,
// which the subqueries read as outer references.
func (x *exprBinder) quantifiedComparison(sl *pg.SubLink, args []*pg.Node, sub plan.Node) (plan.Expr, error) {
	op := "="
	if len(sl.OperName) > 0 {
		op = opName(sl.OperName)
	}
	if op == "!=" {
		op = plan.OpNe
	}
	switch op {
	case plan.OpEq, plan.OpNe, plan.OpLt, plan.OpLe, plan.OpGt, plan.OpGe:
	default:
		return nil, pgerr.NotSupported(op + " ANY/ALL (subquery)")
	}
	all := sl.SubLinkType == pg.SubLinkType_ALL_SUBLINK
	fields, _, err := x.rowFields(args, false)
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
			return nil, pgerr.NotSupported(op + " ANY/ALL (subquery) of an expression that is not a column or a constant")
		}
	}
	inner := make([]plan.Expr, len(cols))
	for i, c := range cols {
		inner[i] = &plan.ColRef{Index: i, T: c.Type, Name: c.Name}
	}
	match, err := x.compareFields(op, outer, inner)
	if err != nil {
		return nil, err
	}
	exists := func(pred plan.Expr) plan.Expr {
		return &plan.Subquery{Kind: plan.ExistsSubquery, Plan: &plan.Filter{Input: sub, Pred: pred}, Correlated: true, T: types.TBool}
	}
	decide, decided := match, true
	if all {
		decide, decided = &plan.Op{Op: plan.OpNot, Args: []plan.Expr{match}, T: types.TBool}, false
	}
	return &plan.Case{
		Whens: []plan.When{
			{Cond: exists(decide), Result: &plan.Const{Value: types.BoolDatum(decided), T: types.TBool}},
			{Cond: exists(&plan.IsNull{Arg: match}), Result: &plan.Const{Value: types.NullDatum, T: types.TBool}},
		},
		Else: &plan.Const{Value: types.BoolDatum(!decided), T: types.TBool},
		T:    types.TBool,
	}, nil
}
