package sqlgen

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// SubqueryDialect is implemented by dialects whose source evaluates
// subqueries in expressions (EXISTS, IN and scalar subqueries, correlated
// or not) with PostgreSQL's meaning: an empty scalar subquery is NULL,
// more than one row is an error, and IN follows SQL's three-valued logic.
// Semi and anti joins render as [NOT] EXISTS for such dialects only. A
// dialect that does not implement it keeps every subquery in Junction.
type SubqueryDialect interface {
	// InSubquery renders arg [NOT] IN (sub), sub being a SELECT of one
	// column of type t, or declines when the source would compare values
	// of t differently.
	InSubquery(arg, sub string, t types.Type, negated bool) (string, bool)
	// CorrelatedDerivedTables reports whether a derived table (a subquery
	// in FROM) may read columns of an enclosing query.
	CorrelatedDerivedTables() bool
	// Correlates reports whether a subquery may read an enclosing query's
	// column of type t and see exactly its value.
	Correlates(t types.Type) bool
}

// correlates reports whether the dialect lets a subquery read an
// enclosing query's column of type t.
func correlates(d Dialect, t types.Type) bool {
	sd, ok := d.(SubqueryDialect)
	return ok && sd.Correlates(t)
}

func correlatedDerivedTables(d Dialect) bool {
	sd, ok := d.(SubqueryDialect)
	return ok && sd.CorrelatedDerivedTables()
}

// subquery renders a subquery expression; col gives the SQL of the
// columns of the query it appears in, which the subquery's OuterRefs read.
func (r *renderer) subquery(x *plan.Subquery, col func(int) (string, types.Type)) (string, error) {
	sd, ok := r.d.(SubqueryDialect)
	if !ok || x.Kind == plan.ArraySubquery {
		return "", ErrNotRenderable
	}
	outer, refs := r.outer, r.outerRefs
	r.outer = col
	b, err := r.node(x.Plan)
	r.outer, r.outerRefs = outer, refs
	if err != nil {
		return "", err
	}
	switch x.Kind {
	case plan.ExistsSubquery:
		not := ""
		if x.Negated {
			not = "NOT "
		}
		return "(" + not + "EXISTS (" + r.sql(b, false) + "))", nil
	case plan.InSubquery:
		arg, err := r.expr(x.Arg, col)
		if err != nil {
			return "", err
		}
		if b.limit != "" {
			// MySQL refuses LIMIT directly inside IN (subquery).
			b = r.wrap(b)
		}
		s, ok := sd.InSubquery(arg, r.sql(b, false), x.Arg.Type(), x.Negated)
		if !ok {
			return "", ErrNotRenderable
		}
		return s, nil
	}
	if len(b.cols) != 1 {
		return "", ErrNotRenderable
	}
	return "(" + r.sql(b, false) + ")", nil
}

// semiJoin renders a semi or anti join as the left side filtered by
// [NOT] EXISTS over the right side, correlated on the join condition:
// exactly the rows with (without) a matching right row.
func (r *renderer) semiJoin(x *plan.Join) (*block, error) {
	if _, ok := r.d.(SubqueryDialect); !ok {
		return nil, ErrNotRenderable
	}
	l, err := r.node(x.Left)
	if err != nil {
		return nil, err
	}
	if l.grouped || l.limit != "" || l.distinct {
		l = r.wrap(l)
	}
	rb, err := r.node(x.Right)
	if err != nil {
		return nil, err
	}
	if rb.grouped || rb.limit != "" || rb.distinct {
		rb = r.wrap(rb)
	}
	both := &block{
		cols:  append(append([]string{}, l.cols...), rb.cols...),
		types: append(append([]types.Type{}, l.types...), rb.types...),
	}
	sub := &block{from: rb.from, where: rb.where}
	if x.Cond != nil {
		for c := range colsUsed(x.Cond) {
			if c < len(l.cols) && !correlates(r.d, l.types[c]) {
				return nil, ErrNotRenderable
			}
		}
		for _, c := range plan.SplitAnd(x.Cond) {
			s, err := r.expr(c, both.ref)
			if err != nil {
				return nil, err
			}
			sub.where = append(sub.where, s)
		}
	}
	not := ""
	if x.Kind == plan.Anti {
		not = "NOT "
	}
	l.where = append(l.where, "("+not+"EXISTS ("+r.sql(sub, false)+"))")
	return l, nil
}

// correlatedSubquery reports whether any of es holds a subquery that reads
// the row of the query it appears in.
func correlatedSubquery(es ...plan.Expr) bool {
	found := false
	for _, e := range es {
		plan.Walk(e, func(x plan.Expr) bool {
			if sq, ok := x.(*plan.Subquery); ok && sq.Correlated {
				found = true
			}
			return !found
		})
	}
	return found
}

func colsUsed(e plan.Expr) map[int]bool {
	m := map[int]bool{}
	plan.ColsUsed(e, m)
	return m
}

func sortExprs(keys []plan.SortKey) []plan.Expr {
	out := make([]plan.Expr, len(keys))
	for i, k := range keys {
		out[i] = k.Expr
	}
	return out
}
