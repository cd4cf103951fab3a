package planner

import (
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func or(args ...plan.Expr) plan.Expr { return &plan.Op{Op: plan.OpOr, Args: args, T: types.TBool} }

func and(args ...plan.Expr) plan.Expr { return plan.And(args) }

func TestFactorOrs(t *testing.T) {
	a := cmp(plan.OpEq, col(0, "a", types.TInt4), col(1, "b", types.TInt4))
	b := cmp(plan.OpLt, col(0, "a", types.TInt4), int4(5))
	c := cmp(plan.OpGt, col(1, "b", types.TInt4), int4(9))
	d := cmp(plan.OpEq, col(1, "b", types.TInt4), int4(7))
	random := &plan.Func{Name: "random", T: types.TFloat8}
	volatile := cmp(plan.OpLt, random, &plan.Const{Value: types.FloatDatum(0.5), T: types.TFloat8})
	sub := &plan.Subquery{Kind: plan.ExistsSubquery, T: types.TBool}
	cases := []struct {
		name string
		in   plan.Expr
		want string
	}{
		{"a shared conjunct comes out of the OR", or(and(a, b), and(c, a)), "((a = b) AND ((a < 5) OR (b > 9)))"},
		{"every shared conjunct, once", or(and(a, b, d), and(d, a, c), and(a, d)), "((a = b) AND (b = 7))"},
		{"a branch of the shared conjuncts alone absorbs the others", or(a, and(a, b)), "(a = b)"},
		{"nothing shared: unchanged", or(and(a, b), c), "(((a = b) AND (a < 5)) OR (b > 9))"},
		{"ORs inside the branches first", or(and(d, or(and(a, b), and(a, c))), and(d, a)), "((b = 7) AND (a = b))"},
		{"a volatile function is computed in each branch", or(and(volatile, b), and(volatile, c)),
			"(((random() < '0.5'::double precision) AND (a < 5)) OR ((random() < '0.5'::double precision) AND (b > 9)))"},
		{"nor are subqueries merged", or(and(sub, b), and(sub, c)), "((EXISTS(subquery) AND (a < 5)) OR (EXISTS(subquery) AND (b > 9)))"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := factorOrs(&plan.Filter{Input: customer, Pred: tc.in}).(*plan.Filter).Pred.String()
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// An OR over both inputs of a join restricts each input by the OR of its
// branches' parts on that side, and keeps its place in the join.
func TestOrRestrictions(t *testing.T) {
	custKey := col(0, "c_custkey", types.TInt8)
	custName := col(1, "c_name", types.TText)
	ordKey := col(2, "o_orderkey", types.TInt4)
	name := func(s string) plan.Expr {
		return cmp(plan.OpEq, custName, &plan.Const{Value: types.StrDatum(s), T: types.TText})
	}
	small := cmp(plan.OpLt, ordKey, int4(10))
	big := cmp(plan.OpGt, ordKey, int4(1000))
	join := func(kind plan.JoinKind, pred plan.Expr) plan.Node {
		j := customerOrders(kind)
		j.Cond = and(j.Cond, pred)
		return j
	}
	cases := []struct {
		name string
		plan plan.Node
		want string
	}{
		{"both inputs of an inner join", join(plan.Inner, or(and(name("x"), small), and(name("y"), big))),
			"customer: ((c_name = 'x') OR (c_name = 'y')); orders: ((o_orderkey < 10) OR (o_orderkey > 1000))"},
		{"no side where a branch has no part there", join(plan.Inner, or(and(name("x"), small), name("y"))),
			"customer: ((c_name = 'x') OR (c_name = 'y'))"},
		{"a left join restricts only its nullable side", join(plan.Left, or(and(name("x"), small), and(name("y"), big))),
			"orders: ((o_orderkey < 10) OR (o_orderkey > 1000))"},
		{"a branch reading both sides at once gives nothing", join(plan.Inner, or(cmp(plan.OpEq, custKey, &plan.Cast{Arg: ordKey, T: types.TInt8}), name("y"))),
			""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := transferred(tc.plan); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
