package sqlgen_test

import (
	"testing"

	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func scan(table string, cols ...string) *plan.Scan {
	s := &plan.Scan{Table: plan.TableRef{Source: "s", Name: table, RemoteName: table}}
	for i, c := range cols {
		s.ColIdx = append(s.ColIdx, i)
		s.RemoteCols = append(s.RemoteCols, c)
		s.Cols = append(s.Cols, plan.Column{Name: c, Type: types.TInt4})
	}
	return s
}

func col(i int) plan.Expr { return &plan.ColRef{Index: i, T: types.TInt4} }

func gt(e plan.Expr, v int64) plan.Expr {
	return &plan.Op{Op: plan.OpGt, Args: []plan.Expr{e, &plan.Const{Value: types.IntDatum(v), T: types.TInt4}}, T: types.TBool}
}

// renderCase is a plan and the SQL it must render as.
type renderCase struct {
	name string
	q    plan.Node
	want string
}

func checkRenders(t *testing.T, d sqlgen.Dialect, cases []renderCase) {
	t.Helper()
	for _, c := range cases {
		got, err := sqlgen.Render(d, c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// The renderer nests a derived table exactly where SQL's clause order
// would otherwise change the meaning.
func TestRenderNesting(t *testing.T) {
	d := &postgres.Dialect{}
	cases := []renderCase{
		{
			"filter below limit stays in WHERE",
			&plan.Limit{Input: &plan.Filter{Input: scan("a", "x", "y"), Pred: gt(col(0), 1)}, Count: 5, Offset: -0},
			`SELECT t1."x", t1."y" FROM "a" t1 WHERE (t1."x" > 1) LIMIT 5`,
		},
		{
			"filter above limit nests",
			&plan.Filter{Input: &plan.Limit{Input: scan("a", "x"), Count: 5}, Pred: gt(col(0), 1)},
			`SELECT t2."c0" FROM (SELECT t1."x" AS "c0" FROM "a" t1 LIMIT 5) t2 WHERE (t2."c0" > 1)`,
		},
		{
			"filter above aggregate becomes HAVING",
			&plan.Filter{Input: &plan.Aggregate{Input: scan("a", "x", "y"), GroupBy: []plan.Expr{col(0)},
				Aggs: []plan.AggCall{{Func: "count", T: types.TInt8}}}, Pred: gt(&plan.ColRef{Index: 1, T: types.TInt8}, 2)},
			`SELECT t1."x", count(*) FROM "a" t1 GROUP BY t1."x" HAVING (count(*) > 2)`,
		},
		{
			"inner joins become a FROM list, leaving the order to the source",
			&plan.Join{Kind: plan.Inner, Left: &plan.Join{Kind: plan.Cross, Left: scan("a", "x"), Right: scan("b", "x")}, Right: scan("c", "x"),
				Cond: &plan.Op{Op: plan.OpEq, Args: []plan.Expr{col(0), col(2)}, T: types.TBool}},
			`SELECT t1."x", t2."x", t3."x" FROM "a" t1, "b" t2, "c" t3 WHERE (t1."x" = t3."x")`,
		},
		{
			"an outer join over an inner join nests the comma list",
			&plan.Join{Kind: plan.Left, Left: &plan.Join{Kind: plan.Cross, Left: scan("a", "x"), Right: scan("b", "x")}, Right: scan("c", "x"),
				Cond: &plan.Op{Op: plan.OpEq, Args: []plan.Expr{col(0), col(2)}, T: types.TBool}},
			`SELECT t4."c0", t4."c1", t3."x" FROM (SELECT t1."x" AS "c0", t2."x" AS "c1" FROM "a" t1, "b" t2) t4 LEFT JOIN "c" t3 ON (t4."c0" = t3."x")`,
		},
		{
			"left join keeps the right side's filter inside it",
			&plan.Join{Kind: plan.Left, Left: scan("a", "x"), Right: &plan.Filter{Input: scan("b", "x"), Pred: gt(col(0), 3)},
				Cond: &plan.Op{Op: plan.OpEq, Args: []plan.Expr{col(0), col(1)}, T: types.TBool}},
			`SELECT t1."x", t3."c0" FROM "a" t1 LEFT JOIN (SELECT t2."x" AS "c0" FROM "b" t2 WHERE (t2."x" > 3)) t3 ON (t1."x" = t3."c0")`,
		},
	}
	checkRenders(t, d, cases)
}

// A construct the dialect declines makes the whole rendering fail, so the
// planner keeps that operator local.
func TestRenderDeclines(t *testing.T) {
	d := &postgres.Dialect{}
	q := &plan.Filter{Input: scan("a", "x"), Pred: &plan.Func{Name: "random", T: types.TFloat8}}
	if _, err := sqlgen.Render(d, q); err == nil {
		t.Fatal("random() was rendered for a remote source")
	}
}

// Arithmetic on unconstrained numerics reaches the dialect with the
// precision and scale PostgreSQL's rules give it, so a MySQL source can
// take price * (1 - discount) knowing the product's scale.
func TestNumericShapeOfArithmetic(t *testing.T) {
	price := &plan.ColRef{Index: 0, T: types.Type{Kind: types.Numeric, Precision: 15, Scale: 2}}
	one, _ := types.ParseText(types.TNumeric, "1")
	discount := &plan.ColRef{Index: 1, T: types.Type{Kind: types.Numeric, Precision: 15, Scale: 2}}
	oneMinus := &plan.Op{Op: plan.OpSub, T: types.TNumeric, Args: []plan.Expr{&plan.Const{Value: one, T: types.TNumeric}, discount}}
	product := &plan.Op{Op: plan.OpMul, T: types.TNumeric, Args: []plan.Expr{price, oneMinus}}
	q := &plan.Aggregate{
		Input: &plan.Scan{Table: plan.TableRef{Source: "s", Name: "lineitem", RemoteName: "lineitem"},
			ColIdx: []int{0, 1}, RemoteCols: []string{"price", "discount"},
			Cols: []plan.Column{{Name: "price", Type: price.T}, {Name: "discount", Type: discount.T}}},
		Aggs: []plan.AggCall{{Func: "sum", Arg: product, T: types.TNumeric}},
	}
	got, err := sqlgen.Render(mysql.Dialect{}, q)
	if err != nil {
		t.Fatalf("sum(price * (1 - discount)) was not pushed to MySQL: %v", err)
	}
	if want := "SELECT SUM((t1.`price` * (1 - t1.`discount`))) FROM `lineitem` t1"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}
