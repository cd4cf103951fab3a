package sqlgen_test

import (
	"testing"

	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func outer(i int) plan.Expr { return &plan.OuterRef{Index: i, T: types.TInt4} }

func eq(a, b plan.Expr) plan.Expr {
	return &plan.Op{Op: plan.OpEq, Args: []plan.Expr{a, b}, T: types.TBool}
}

// sumWhere is SELECT sum(y) FROM b WHERE b.x = outer column 0.
func sumWhere() *plan.Subquery {
	return &plan.Subquery{Kind: plan.ScalarSubquery, Correlated: true, T: types.TInt8,
		Plan: &plan.Aggregate{
			Input: &plan.Filter{Input: scan("b", "x", "y"), Pred: eq(col(0), outer(0))},
			Aggs:  []plan.AggCall{{Func: "sum", Arg: col(1), T: types.TInt8}},
			Cols:  []plan.Column{{Name: "sum", Type: types.TInt8}},
		}}
}

// Subqueries whose tables are in the same source render inside the
// statement, reading the enclosing query's columns through its aliases.
func TestRenderSubqueries(t *testing.T) {
	d := &postgres.Dialect{}
	cases := []renderCase{
		{
			"correlated scalar subquery in WHERE",
			&plan.Filter{Input: scan("a", "x", "y"), Pred: &plan.Op{Op: plan.OpGt, Args: []plan.Expr{col(1), sumWhere()}, T: types.TBool}},
			`SELECT t1."x", t1."y" FROM "a" t1 WHERE (t1."y" > (SELECT sum(t2."y") FROM "b" t2 WHERE (t2."x" = t1."x")))`,
		},
		{
			"IN subquery",
			&plan.Filter{Input: scan("a", "x"), Pred: &plan.Subquery{Kind: plan.InSubquery, Arg: col(0), T: types.TBool,
				Plan: &plan.Project{Input: scan("b", "z"), Exprs: []plan.Expr{col(0)}, Cols: []plan.Column{{Name: "z", Type: types.TInt4}}}}},
			`SELECT t1."x" FROM "a" t1 WHERE (t1."x" IN (SELECT t2."z" FROM "b" t2))`,
		},
		{
			"anti join becomes NOT EXISTS",
			&plan.Join{Kind: plan.Anti, Left: scan("a", "x"), Right: &plan.Filter{Input: scan("b", "x"), Pred: gt(col(0), 3)},
				Cond: eq(col(0), col(1))},
			`SELECT t1."x" FROM "a" t1 WHERE (NOT EXISTS (SELECT 1 FROM "b" t2 WHERE (t2."x" > 3) AND (t1."x" = t2."x")))`,
		},
		{
			"a correlated subquery over a grouped query reads the groups from a derived table",
			&plan.Filter{
				Input: &plan.Aggregate{Input: scan("a", "x"), GroupBy: []plan.Expr{col(0)}, Aggs: []plan.AggCall{{Func: "count", T: types.TInt8}},
					Cols: []plan.Column{{Name: "x", Type: types.TInt4}, {Name: "count", Type: types.TInt8}}},
				Pred: &plan.Op{Op: plan.OpLt, Args: []plan.Expr{&plan.ColRef{Index: 1, T: types.TInt8}, sumWhere()}, T: types.TBool},
			},
			`SELECT t2."c0", t2."c1" FROM (SELECT t1."x" AS "c0", count(*) AS "c1" FROM "a" t1 GROUP BY t1."x") t2 WHERE (t2."c1" < (SELECT sum(t3."y") FROM "b" t3 WHERE (t3."x" = t2."c0")))`,
		},
	}
	checkRenders(t, d, cases)
}

// Subqueries the source would answer differently stay in Junction.
func TestRenderDeclinesSubqueries(t *testing.T) {
	other := scan("b", "x", "y")
	other.Table.Source = "elsewhere"
	outerSum := &plan.Subquery{Kind: plan.ScalarSubquery, Correlated: true, T: types.TInt8,
		Plan: &plan.Aggregate{Input: scan("b", "x"), Aggs: []plan.AggCall{{Func: "sum", Arg: outer(0), T: types.TInt8}},
			Cols: []plan.Column{{Name: "sum", Type: types.TInt8}}}}
	limited := &plan.Limit{Input: &plan.Filter{Input: scan("b", "x"), Pred: eq(col(0), outer(0))}, Count: 1}
	textOuter := scan("a", "s")
	textOuter.Cols[0].Type = types.TText
	textCorrelated := &plan.Subquery{Kind: plan.ExistsSubquery, Correlated: true, T: types.TBool,
		Plan: &plan.Filter{Input: scan("b", "x"), Pred: &plan.IsNull{Arg: &plan.OuterRef{Index: 0, T: types.TText}}}}
	cases := []struct {
		name string
		d    sqlgen.Dialect
		q    plan.Node
	}{
		{"a subquery over another source's table", &postgres.Dialect{},
			&plan.Filter{Input: scan("a", "x"), Pred: &plan.Subquery{Kind: plan.ExistsSubquery, T: types.TBool, Plan: other}}},
		{"an aggregate of outer columns only, which SQL gives to the outer query", &postgres.Dialect{},
			&plan.Project{Input: scan("a", "x"), Exprs: []plan.Expr{outerSum}, Cols: []plan.Column{{Name: "s", Type: types.TInt8}}}},
		{"MariaDB: a correlated derived table", mysql.Dialect{},
			&plan.Filter{Input: scan("a", "x"), Pred: &plan.Op{Op: plan.OpGt, T: types.TBool, Args: []plan.Expr{col(0),
				&plan.Subquery{Kind: plan.ScalarSubquery, Correlated: true, T: types.TInt4, Plan: &plan.Filter{Input: limited, Pred: gt(col(0), 3)}}}}}},
		{"MariaDB: a correlation on text, whose subquery cache folds case", mysql.Dialect{},
			&plan.Filter{Input: textOuter, Pred: textCorrelated}},
	}
	for _, c := range cases {
		if sql, err := sqlgen.Render(c.d, c.q); err == nil {
			t.Errorf("%s was rendered: %s", c.name, sql)
		}
	}
}
