package planner

import (
	"strings"
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func scanOf(source, table string, cols ...plan.Column) *plan.Scan {
	s := &plan.Scan{Table: plan.TableRef{Source: source, Name: table, RemoteName: table}, Cols: cols}
	for i, c := range cols {
		s.ColIdx = append(s.ColIdx, i)
		s.RemoteCols = append(s.RemoteCols, c.Name)
	}
	return s
}

func col(i int, name string, t types.Type) *plan.ColRef {
	return &plan.ColRef{Index: i, T: t, Name: name}
}

func cmp(op string, l, r plan.Expr) plan.Expr {
	return &plan.Op{Op: op, Args: []plan.Expr{l, r}, T: types.TBool}
}

func int4(v int64) *plan.Const { return &plan.Const{Value: types.IntDatum(v), T: types.TInt4} }

// filtersOn prints, for every scan, the filters directly above it after
// pushdown, as "table: pred".
func filtersOn(n plan.Node) []string {
	var out []string
	var walk func(n plan.Node)
	walk = func(n plan.Node) {
		if f, ok := n.(*plan.Filter); ok {
			if s, ok := f.Input.(*plan.Scan); ok {
				out = append(out, s.Table.Name+": "+f.Pred.String())
			}
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
	return out
}

var (
	customer = scanOf("crm", "customer", plan.Column{Name: "c_custkey", Type: types.TInt8}, plan.Column{Name: "c_name", Type: types.TText})
	orders   = scanOf("shop", "orders", plan.Column{Name: "o_orderkey", Type: types.TInt4}, plan.Column{Name: "o_custkey", Type: types.TInt4})
	lineitem = scanOf("shop", "lineitem", plan.Column{Name: "l_orderkey", Type: types.TInt4}, plan.Column{Name: "l_comment", Type: types.Type{Kind: types.Bpchar, Length: 10}})
)

// customer ⋈ orders on o_custkey (int4, widened) = c_custkey (int8).
func customerOrders(kind plan.JoinKind) *plan.Join {
	return &plan.Join{Kind: kind, Left: customer, Right: orders,
		Cond: cmp(plan.OpEq, &plan.Cast{Arg: col(3, "o_custkey", types.TInt4), T: types.TInt8}, col(0, "c_custkey", types.TInt8))}
}

func transferred(n plan.Node) string {
	return strings.Join(filtersOn(pushFilters(transferPredicates(n), nil)), "; ")
}

func TestTransferPredicates(t *testing.T) {
	custIs4711 := cmp(plan.OpEq, col(0, "c_custkey", types.TInt8), &plan.Const{Value: types.IntDatum(4711), T: types.TInt8})
	cases := []struct {
		name   string
		plan   plan.Node
		before string // filters on scans with pushdown alone
		after  string // with predicate transfer first
	}{
		{
			name:   "an equality on the join key reaches the other side, as its column's type",
			plan:   &plan.Filter{Input: customerOrders(plan.Inner), Pred: custIs4711},
			before: "customer: (c_custkey = '4711'::bigint)",
			after:  "customer: (c_custkey = '4711'::bigint); orders: (o_custkey = 4711)",
		},
		{
			name: "a range carries over and through a chain of joins",
			plan: &plan.Filter{
				Input: &plan.Join{Kind: plan.Inner, Left: customerOrders(plan.Inner), Right: lineitem,
					Cond: cmp(plan.OpEq, col(4, "l_orderkey", types.TInt4), col(2, "o_orderkey", types.TInt4))},
				Pred: plan.And([]plan.Expr{cmp(plan.OpLe, col(4, "l_orderkey", types.TInt4), int4(1000)), custIs4711}),
			},
			before: "customer: (c_custkey = '4711'::bigint); lineitem: (l_orderkey <= 1000)",
			after:  "customer: (c_custkey = '4711'::bigint); orders: ((o_orderkey <= 1000) AND (o_custkey = 4711)); lineitem: (l_orderkey <= 1000)",
		},
		{
			name: "a constant on the left of the comparison and an IN list",
			plan: &plan.Filter{Input: customerOrders(plan.Inner), Pred: plan.And([]plan.Expr{
				cmp(plan.OpLt, int4(100), col(3, "o_custkey", types.TInt4)),
				&plan.InList{Arg: col(3, "o_custkey", types.TInt4), List: []plan.Expr{int4(101), int4(102)}},
			})},
			before: "orders: ((100 < o_custkey) AND o_custkey IN (101, 102))",
			after:  "customer: ((c_custkey > '100'::bigint) AND c_custkey IN ('101'::bigint, '102'::bigint)); orders: ((100 < o_custkey) AND o_custkey IN (101, 102))",
		},
		{
			name:   "a left join passes the preserved side's predicate to the nullable side",
			plan:   &plan.Filter{Input: customerOrders(plan.Left), Pred: custIs4711},
			before: "customer: (c_custkey = '4711'::bigint)",
			after:  "customer: (c_custkey = '4711'::bigint); orders: (o_custkey = 4711)",
		},
		{
			name: "but not the nullable side's predicate to the preserved side",
			plan: &plan.Join{Kind: plan.Left, Left: customer, Right: &plan.Filter{Input: orders, Pred: cmp(plan.OpEq, col(1, "o_custkey", types.TInt4), int4(7))},
				Cond: customerOrders(plan.Left).Cond},
			before: "orders: (o_custkey = 7)",
			after:  "orders: (o_custkey = 7)",
		},
		{
			name:   "a right join passes the preserved right side's predicate to the left",
			plan:   &plan.Filter{Input: customerOrders(plan.Right), Pred: cmp(plan.OpEq, col(3, "o_custkey", types.TInt4), int4(7))},
			before: "",
			after:  "customer: (c_custkey = '7'::bigint)",
		},
		{
			name: "a semi join passes predicates both ways",
			plan: &plan.Join{Kind: plan.Semi, Left: customer, Right: &plan.Filter{Input: orders, Pred: cmp(plan.OpEq, col(1, "o_custkey", types.TInt4), int4(7))},
				Cond: customerOrders(plan.Semi).Cond},
			before: "orders: (o_custkey = 7)",
			after:  "customer: (c_custkey = '7'::bigint); orders: (o_custkey = 7)",
		},
		{
			name: "an anti join only into its right input",
			plan: &plan.Filter{Input: &plan.Join{Kind: plan.Anti, Left: customer, Right: &plan.Filter{Input: orders, Pred: cmp(plan.OpGt, col(1, "o_custkey", types.TInt4), int4(7))},
				Cond: customerOrders(plan.Anti).Cond}, Pred: cmp(plan.OpLt, col(0, "c_custkey", types.TInt8), &plan.Const{Value: types.IntDatum(50), T: types.TInt8})},
			before: "customer: (c_custkey < '50'::bigint); orders: (o_custkey > 7)",
			after:  "customer: (c_custkey < '50'::bigint); orders: ((o_custkey < 50) AND (o_custkey > 7))",
		},
		{
			name: "a full join passes nothing",
			plan: &plan.Join{Kind: plan.Full, Left: &plan.Filter{Input: customer, Pred: custIs4711}, Right: orders,
				Cond: customerOrders(plan.Full).Cond},
			before: "customer: (c_custkey = '4711'::bigint)",
			after:  "customer: (c_custkey = '4711'::bigint)",
		},
		{
			name: "a constant that does not fit the other column's type is not carried",
			plan: &plan.Filter{Input: customerOrders(plan.Inner), Pred: cmp(plan.OpEq, col(0, "c_custkey", types.TInt8),
				&plan.Const{Value: types.IntDatum(1 << 40), T: types.TInt8})},
			before: "customer: (c_custkey = 1099511627776)",
			after:  "customer: (c_custkey = 1099511627776)",
		},
		{
			name: "char(n) compared as text is no equivalence",
			plan: &plan.Filter{
				Input: &plan.Join{Kind: plan.Inner, Left: customer, Right: lineitem,
					Cond: cmp(plan.OpEq, col(1, "c_name", types.TText), &plan.Cast{Arg: col(3, "l_comment", types.Type{Kind: types.Bpchar, Length: 10}), T: types.TText})},
				Pred: cmp(plan.OpEq, col(1, "c_name", types.TText), &plan.Const{Value: types.StrDatum("a "), T: types.TText}),
			},
			before: "customer: (c_name = 'a ')",
			after:  "customer: (c_name = 'a ')",
		},
		{
			name: "a predicate the other side already has is not repeated",
			plan: &plan.Filter{Input: &plan.Join{Kind: plan.Inner, Left: &plan.Filter{Input: customer, Pred: custIs4711},
				Right: &plan.Filter{Input: orders, Pred: cmp(plan.OpEq, col(1, "o_custkey", types.TInt4), int4(4711))},
				Cond:  customerOrders(plan.Inner).Cond}, Pred: custIs4711},
			before: "customer: ((c_custkey = '4711'::bigint) AND (c_custkey = '4711'::bigint)); orders: (o_custkey = 4711)",
			after:  "customer: ((c_custkey = '4711'::bigint) AND (c_custkey = '4711'::bigint)); orders: (o_custkey = 4711)",
		},
		{
			name:   "a predicate above a LIMIT is not carried below it",
			plan:   &plan.Filter{Input: &plan.Limit{Input: customerOrders(plan.Inner), Count: 5}, Pred: custIs4711},
			before: "",
			after:  "",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := strings.Join(filtersOn(pushFilters(c.plan, nil)), "; "); got != c.before {
				t.Errorf("pushdown alone gives %q, want %q", got, c.before)
			}
			if got := transferred(c.plan); got != c.after {
				t.Errorf("with transfer: %q, want %q", got, c.after)
			}
		})
	}
}
