package sqlgen_test

import (
	"testing"

	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func TestExprReason(t *testing.T) {
	text := &plan.ColRef{Index: 0, T: types.TText}
	lower := &plan.Func{Name: "lower", Args: []plan.Expr{text}, T: types.TText}
	eq := &plan.Op{Op: plan.OpEq, Args: []plan.Expr{lower, &plan.Const{Value: types.StrDatum("x"), T: types.TText}}, T: types.TBool}
	div := &plan.Op{Op: plan.OpDiv, Args: []plan.Expr{col(0), col(1)}, T: types.TInt4}
	for _, c := range []struct {
		name string
		d    sqlgen.Dialect
		e    plan.Expr
		want string
	}{
		{"renderable", &postgres.Dialect{}, eq, ""},
		{"the innermost declined part is named, with the dialect's cause", mysql.Dialect{}, eq,
			"lower() is computed in Junction for mysql sources (collation)"},
		{"operators name their argument types", mysql.Dialect{}, gt(div, 1),
			"division on integer and integer is computed in Junction for mysql sources (integer division semantics)"},
		{"subqueries", &postgres.Dialect{}, &plan.Subquery{Kind: plan.ExistsSubquery, T: types.TBool},
			"subqueries are evaluated in Junction"},
	} {
		why, ok := sqlgen.ExprReason(c.d, c.e)
		if ok != (c.want == "") || why != c.want {
			t.Errorf("%s: ExprReason = %q, %v; want %q", c.name, why, ok, c.want)
		}
	}
}

func TestWhy(t *testing.T) {
	d := mysql.Dialect{}
	orders := scan("orders", "id", "customer_id")
	cases := []struct {
		name string
		q    plan.Node
		want string
	}{
		{"renders", &plan.Limit{Input: orders, Count: 1}, ""},
		{"full join", &plan.Join{Kind: plan.Full, Left: orders, Right: scan("c", "id")}, "full joins are not sent to mysql sources"},
		{"aggregate", &plan.Aggregate{Input: orders, Aggs: []plan.AggCall{{Func: "avg", Arg: col(0), T: types.TNumeric}}},
			"avg() is computed in Junction for mysql sources (result scale)"},
		{"group key", &plan.Aggregate{Input: orders, GroupBy: []plan.Expr{gt(col(0), 1)}, Cols: []plan.Column{{Name: "k", Type: types.TBool}}},
			"GROUP BY on boolean is computed in Junction for mysql sources (booleans are integers)"},
	}
	for _, c := range cases {
		if got := sqlgen.Why(d, c.q); got != c.want {
			t.Errorf("%s: Why = %q, want %q", c.name, got, c.want)
		}
	}
}
