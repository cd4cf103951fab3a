package planner

import (
	"github.com/junction-db/junction/plan"
)

// factorOrs rewrites every OR whose branches share conjuncts into those
// conjuncts AND the OR of what is left of the branches, as PostgreSQL's
// planner does (process_duplicate_ors): (a AND b) OR (a AND c) becomes
// a AND (b OR c), and a OR (a AND b) becomes a. Both laws hold in SQL's
// three-valued logic, so the result is the same for every row; what
// changes is that a shared join equality or a shared filter becomes a
// conjunct of its own, which the later phases turn into a hash join key
// or a filter sent to a source (TPC-H's Q19 repeats its join equality in
// each of three branches). A conjunct holding a subquery, an outer
// reference or a volatile function is never merged with another: equal
// text does not make them one computation.
func factorOrs(n plan.Node) plan.Node {
	return mapOwnExprs(n, func(e plan.Expr) plan.Expr { return rewriteExpr(e, factorOr) })
}

// factorOr factors one OR, after factoring the ORs inside it.
func factorOr(e plan.Expr) (plan.Expr, bool) {
	or, ok := e.(*plan.Op)
	if !ok || or.Op != plan.OpOr {
		return nil, false
	}
	branches := make([][]plan.Expr, len(or.Args))
	for i, a := range or.Args {
		branches[i] = plan.SplitAnd(rewriteExpr(a, factorOr))
	}
	// The conjuncts of the first branch that every other branch has.
	var common []plan.Expr
	commonKeys := map[string]bool{}
	for _, c := range branches[0] {
		key, ok := mergeableKey(c)
		if !ok || commonKeys[key] {
			continue
		}
		inAll := true
		for _, b := range branches[1:] {
			if !hasConjunct(b, key) {
				inAll = false
				break
			}
		}
		if inAll {
			common = append(common, c)
			commonKeys[key] = true
		}
	}
	if len(common) == 0 {
		return &plan.Op{Op: plan.OpOr, Args: andAll(branches), T: or.T}, true
	}
	rest := make([][]plan.Expr, 0, len(branches))
	for _, b := range branches {
		var left []plan.Expr
		for _, c := range b {
			if key, ok := mergeableKey(c); !ok || !commonKeys[key] {
				left = append(left, c)
			}
		}
		if len(left) == 0 {
			// This branch is the common conjuncts alone, which imply
			// every other branch's rest: a OR (a AND b) is a.
			return plan.And(common), true
		}
		rest = append(rest, left)
	}
	return plan.And(append(common, &plan.Op{Op: plan.OpOr, Args: andAll(rest), T: or.T})), true
}

// mergeableKey identifies a conjunct that may stand for an equal one
// elsewhere; ok is false for those that may not (see factorOrs).
func mergeableKey(e plan.Expr) (key string, ok bool) {
	ok = true
	plan.Walk(e, func(x plan.Expr) bool {
		switch y := x.(type) {
		case *plan.Subquery, *plan.OuterRef:
			ok = false
		case *plan.Func:
			if volatileFuncs[y.Name] {
				ok = false
			}
		}
		return ok
	})
	if !ok {
		return "", false
	}
	return exprKey(e), true
}

func hasConjunct(conjuncts []plan.Expr, key string) bool {
	for _, c := range conjuncts {
		if k, ok := mergeableKey(c); ok && k == key {
			return true
		}
	}
	return false
}

// andAll turns each list of conjuncts into one expression.
func andAll(lists [][]plan.Expr) []plan.Expr {
	out := make([]plan.Expr, len(lists))
	for i, l := range lists {
		out[i] = plan.And(l)
	}
	return out
}
