package planner

import (
	"math"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// statsEnv has a source src with orders (1000 rows, 100 customers,
// 50 dates) and customers (100 rows, ids unique, a region half null).
func statsEnv(t *testing.T) *Env {
	t.Helper()
	cat, err := catalog.Open("")
	if err != nil {
		t.Fatal(err)
	}
	st := func(ndv, nullFrac float64) *connectors.ColumnStats {
		return &connectors.ColumnStats{Distinct: ndv, NullFrac: nullFrac}
	}
	err = cat.Update(func(s *catalog.Snapshot) error {
		s.Sources["src"] = &catalog.Source{Name: "src", DefaultSchema: "public", Tables: []connectors.Table{
			{Schema: "public", Name: "orders", RowEstimate: 1000, Columns: []connectors.Column{
				{Name: "customer", Type: types.TInt4, Stats: st(100, 0)},
				{Name: "day", Type: types.TDate, Stats: st(50, 0)},
				{Name: "note", Type: types.TText},
			}},
			{Schema: "public", Name: "customers", RowEstimate: 100, Columns: []connectors.Column{
				{Name: "id", Type: types.TInt4, Stats: st(100, 0)},
				{Name: "region", Type: types.TText, Stats: st(4, 0.5)},
			}},
		}}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Env{Snapshot: cat.Snapshot()}
}

func intScan(table string, cols ...string) *plan.Scan {
	s := &plan.Scan{Table: plan.TableRef{Source: "src", Name: table, RemoteName: table}}
	for i, c := range cols {
		s.ColIdx = append(s.ColIdx, i)
		s.RemoteCols = append(s.RemoteCols, c)
		s.Cols = append(s.Cols, plan.Column{Name: c, Type: types.TInt4})
	}
	return s
}

func TestColumnStats(t *testing.T) {
	env := statsEnv(t)
	ndv, nullFrac, ok := env.ColumnStats(plan.TableRef{Source: "src", RemoteName: "customers"}, "region")
	if !ok || ndv != 4 || nullFrac != 0.5 {
		t.Errorf("region: %v %v %v", ndv, nullFrac, ok)
	}
	if _, _, ok := env.ColumnStats(plan.TableRef{Source: "src", RemoteName: "orders"}, "note"); ok {
		t.Error("note has no statistics")
	}
	if rows, ok := env.TableRows(plan.TableRef{Source: "src", RemoteName: "orders"}); !ok || rows != 1000 {
		t.Errorf("orders rows %v %v", rows, ok)
	}
}

func TestGroupCount(t *testing.T) {
	env := statsEnv(t)
	orders := intScan("orders", "customer", "day", "note")
	customers := intScan("customers", "id", "region")
	join := &plan.Join{Kind: plan.Inner, Left: orders, Right: customers}
	// orders.customer = customers.id: the unique id fixes a customer.
	onCustomer := &plan.Join{Kind: plan.Inner, Left: orders, Right: customers, Cond: &plan.Op{Op: plan.OpEq, T: types.TBool,
		Args: []plan.Expr{&plan.ColRef{Index: 0, T: types.TInt4}, &plan.ColRef{Index: 3, T: types.TInt4}}}}
	selfJoin := &plan.Join{Kind: plan.Inner, Left: intScan("customers", "id", "region"), Right: intScan("customers", "id", "region")}
	cases := []struct {
		name string
		n    plan.Node
		cols []int
		rows float64
		want float64
		ok   bool
	}{
		{"one column", orders, []int{0}, 1000, 100, true},
		{"columns of one table form at most its rows", orders, []int{0, 1}, 1000, 1000, true},
		{"at most the input's rows", orders, []int{0}, 30, 30, true},
		{"null is a group of its own", customers, []int{1}, 100, 5, true},
		{"across tables through a join", join, []int{1, 4}, 1e6, 250, true},
		{"a table joined on its unique column adds no groups", onCustomer, []int{0, 4}, 1e6, 100, true},
		{"not so without the join condition", join, []int{0, 4}, 1e6, 500, true},
		{"two scans of one table are two tables", selfJoin, []int{1, 3}, 1e6, 25, true},
		{"a column without statistics", orders, []int{0, 2}, 1000, 0, false},
		{"no columns", orders, nil, 1000, 0, false},
	}
	for _, c := range cases {
		got, ok := groupCount(env, c.n, c.cols, c.rows)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("%s: %v %v, want %v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestEstimatesFromStatistics(t *testing.T) {
	env := statsEnv(t)
	orders := intScan("orders", "customer", "day", "note")
	customers := intScan("customers", "id", "region")
	eq := &plan.Op{Op: plan.OpEq, T: types.TBool, Args: []plan.Expr{
		&plan.ColRef{Index: 0, T: types.TInt4}, &plan.ColRef{Index: 3, T: types.TInt4}}}
	join := &plan.Join{Kind: plan.Inner, Left: orders, Right: customers, Cond: eq}
	// Every order finds its one customer.
	if got := env.estimator().EstimateRows(join); math.Abs(got-1000) > 1e-9 {
		t.Errorf("join estimate %v, want 1000", got)
	}
	agg := &plan.Aggregate{Input: orders, GroupBy: []plan.Expr{&plan.ColRef{Index: 1, T: types.TDate}}}
	if got := env.estimator().EstimateRows(agg); got != 50 {
		t.Errorf("aggregate estimate %v, want 50 days", got)
	}
	byNote := &plan.Aggregate{Input: orders, GroupBy: []plan.Expr{&plan.ColRef{Index: 2, T: types.TText}}}
	if got := env.estimator().EstimateRows(byNote); got != 100 {
		t.Errorf("aggregate without statistics %v, want the default tenth", got)
	}
}

func TestFilterSelectivityFromStatistics(t *testing.T) {
	env := statsEnv(t)
	eq := func(n plan.Node, col int, v plan.Expr) plan.Node {
		return &plan.Filter{Input: n, Pred: &plan.Op{Op: plan.OpEq, T: types.TBool, Args: []plan.Expr{
			&plan.Cast{Arg: &plan.ColRef{Index: col, T: types.TInt4}, T: types.TInt8}, v}}}
	}
	five := &plan.Const{Value: types.IntDatum(5), T: types.TInt8}
	cases := []struct {
		name string
		n    plan.Node
		want float64
	}{
		{"one of 100 customers", eq(intScan("orders", "customer", "day", "note"), 0, five), 10},
		{"one of 4 regions, half the rows null", eq(intScan("customers", "id", "region"), 1, five), 12.5},
		{"no statistics: a tenth", eq(intScan("orders", "customer", "day", "note"), 2, five), 100},
		{"a column, not a value: a tenth", eq(intScan("orders", "customer", "day", "note"), 0, &plan.ColRef{Index: 1, T: types.TInt8}), 100},
	}
	for _, c := range cases {
		if got := env.estimator().EstimateRows(c.n); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: %v rows, want %v", c.name, got, c.want)
		}
	}
}
