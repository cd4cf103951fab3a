package planner

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// A LIMIT or OFFSET may read a parameter (LIMIT $1), as drivers send for
// paging. The binder keeps such an expression in the Limit node; once the
// parameter is bound and constants are folded it is a constant, and
// boundLimit turns it into the Count or Offset every rule reads.

// boundLimit computes Count and Offset from constant expressions. A
// negative value keeps its expression, for limitErrors to report.
func boundLimit(l *plan.Limit) *plan.Limit {
	if c, ok := l.CountExpr.(*plan.Const); ok {
		switch {
		case c.Value.Null:
			l.Count, l.CountExpr = -1, nil
		case c.Value.Int >= 0:
			l.Count, l.CountExpr = c.Value.Int, nil
		}
	}
	if c, ok := l.OffsetExpr.(*plan.Const); ok {
		switch {
		case c.Value.Null:
			l.Offset, l.OffsetExpr = 0, nil
		case c.Value.Int >= 0:
			l.Offset, l.OffsetExpr = c.Value.Int, nil
		}
	}
	return l
}

// limitErrors reports a LIMIT or OFFSET of n (or of its subqueries) that
// did not become a value: a negative one, or one whose parameter was
// never bound.
func limitErrors(n plan.Node) error {
	var err error
	var nodes func(n plan.Node)
	nodes = func(n plan.Node) {
		if l, ok := n.(*plan.Limit); ok && err == nil {
			if err = limitError(l.CountExpr, "LIMIT", "2201W"); err == nil {
				err = limitError(l.OffsetExpr, "OFFSET", "2201X")
			}
		}
		for _, in := range n.Inputs() {
			nodes(in)
		}
	}
	nodes(n)
	// mapOwnExprs shows every expression of the tree outside subquery
	// plans; each subquery plan is checked in turn.
	mapOwnExprs(n, func(e plan.Expr) plan.Expr {
		plan.Walk(e, func(x plan.Expr) bool {
			if sq, ok := x.(*plan.Subquery); ok && err == nil {
				err = limitErrors(sq.Plan)
			}
			return err == nil
		})
		return e
	})
	return err
}

func limitError(e plan.Expr, clause, code string) error {
	switch e.(type) {
	case nil:
		return nil
	case *plan.Const:
		return pgerr.New(code, "%s must not be negative", clause)
	}
	return pgerr.New(pgerr.UndefinedParameter, "%s %s has no value: its parameter is not bound", clause, e.String())
}

// readsOnlyParams reports whether e reads a parameter and would be
// constant with the parameters bound.
func readsOnlyParams(e plan.Expr) bool {
	params, other := false, false
	plan.Walk(e, func(x plan.Expr) bool {
		switch x.(type) {
		case *plan.Param:
			params = true
		case *plan.ColRef, *plan.OuterRef, *plan.Subquery, *aggRef:
			other = true
		case *plan.Func:
			other = volatileFuncs[x.(*plan.Func).Name]
		}
		return !other
	})
	return params && !other
}
