package planner

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// orRestrictions derives, from each OR among conjuncts over a join's
// columns (the left input's are the first nl of ncols) that reads both
// inputs, the restriction it implies for each input: the OR, over its
// branches, of each branch's conjuncts that read that input alone. A pair
// of rows satisfies the OR only where one branch holds, so each row
// satisfies that branch's part on its side; where some branch has no part
// on a side, nothing follows for that side. The OR itself stays where it
// is. PostgreSQL derives the same (extract_restriction_or_clauses): in
// TPC-H's Q19 the parts of three brands and the lines of three quantity
// ranges, in Q7 the nations of either name. right is over the right
// input's own columns.
func orRestrictions(conjuncts []plan.Expr, nl, ncols int) (left, right []plan.Expr) {
	for _, c := range conjuncts {
		or, ok := c.(*plan.Op)
		if !ok || or.Op != plan.OpOr || !movable(c) {
			continue
		}
		if len(onSide([]plan.Expr{c}, 0, nl)) > 0 || len(onSide([]plan.Expr{c}, nl, ncols)) > 0 {
			continue // on one side: filter pushdown already moves it there
		}
		if p, ok := sideOfBranches(or, 0, nl); ok {
			left = append(left, p)
		}
		if p, ok := sideOfBranches(or, nl, ncols); ok {
			right = append(right, shift(p, -nl))
		}
	}
	return left, right
}

// sideOfBranches is the OR of each branch's conjuncts on columns [lo, hi),
// if every branch has some.
func sideOfBranches(or *plan.Op, lo, hi int) (plan.Expr, bool) {
	parts := make([]plan.Expr, len(or.Args))
	for i, b := range or.Args {
		own := onSide(plan.SplitAnd(b), lo, hi)
		if len(own) == 0 {
			return nil, false
		}
		parts[i] = plan.And(own)
	}
	return &plan.Op{Op: plan.OpOr, Args: parts, T: types.TBool}, true
}
