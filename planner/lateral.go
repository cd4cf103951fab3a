package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// A LATERAL subquery or function in FROM is bound with the columns of the
// items to its left as its enclosing scope, so that it reads them through
// OuterRef like a correlated subquery. When it does, the join becomes a
// plan.Apply, which the optimizer turns back into a join where the
// correlation is only filter conjuncts (decorrelateApply), and which the
// executor otherwise runs once per distinct left row.

// isLateralItem reports whether a FROM item may read the items to its
// left: a LATERAL subquery, or a function call (for which PostgreSQL
// makes LATERAL a noise word).
func isLateralItem(item *pg.Node) bool {
	if rs := item.GetRangeSubselect(); rs != nil {
		return rs.Lateral
	}
	return item.GetRangeFunction() != nil
}

// lateralInJoin explains err, the failure to bind a join that follows
// other FROM items: when the join binds with those items in reach, a
// LATERAL item inside it reads them, which Junction does not run.
func lateralInJoin(b *binder, item *pg.Node, left plan.Node, sc, outer *scope, err error) error {
	code := pgerr.Code(err)
	if left == nil || item.GetJoinExpr() == nil || code != pgerr.UndefinedTable && code != pgerr.UndefinedColumn {
		return err
	}
	// Reached that way the earlier items are two query levels up from
	// the LATERAL item, which binding refuses as not supported.
	if _, _, again := b.fromItem(item, &scope{cols: sc.cols, parent: outer}); again == nil || pgerr.Code(again) == pgerr.FeatureNotSupported {
		return pgerr.NotSupported("a LATERAL reference from inside a JOIN to an earlier FROM item")
	}
	return err
}

// lateralOrJoin returns the join, or an Apply when its right side reads
// the left side's row.
func lateralOrJoin(j *plan.Join) plan.Node {
	if !usesOuter(j.Right) {
		return j
	}
	kind := j.Kind
	if kind == plan.Cross {
		kind = plan.Inner
	}
	return &plan.Apply{Kind: kind, Left: j.Left, Right: j.Right, Cond: j.Cond}
}

// lateralJoinKind refuses the joins PostgreSQL refuses for a LATERAL
// reference: the left row must exist for the right side to read it.
func lateralJoinKind(kind plan.JoinKind, left *scope) error {
	if kind == plan.Inner || kind == plan.Cross || kind == plan.Left {
		return nil
	}
	table := ""
	if len(left.cols) > 0 {
		table = left.cols[0].table
	}
	err := pgerr.New(pgerr.InvalidColumnReference, "invalid reference to FROM-clause entry for table %q", table)
	err.Detail = "The combining JOIN type must be INNER or LEFT for a LATERAL reference."
	return err
}

// decorrelateApply turns a LATERAL join whose right side is a filtered
// plain input (scans, joins, filters, projections) reading the left row
// only in filter conjuncts and projections into a join: the conjuncts
// become the join condition and the projections are computed above it. A
// Left Apply qualifies only when its right side projects plain columns,
// since a computed value would not be NULL on a NULL-extended row.
func decorrelateApply(a *plan.Apply) plan.Node {
	exprs, body := peelProjections(a.Right)
	var corr, local []plan.Expr
	if f, ok := body.(*plan.Filter); ok {
		for _, c := range plan.SplitAnd(f.Pred) {
			if readsOuter(c) {
				corr = append(corr, c)
			} else {
				local = append(local, c)
			}
		}
		body = withFilter(f.Input, local)
	}
	if usesOuter(body) || !plainInput(body) {
		return a
	}
	for _, c := range corr {
		if !movable(c) {
			return a
		}
	}
	for _, e := range exprs {
		if !movable(e) {
			return a
		}
		if _, plain := e.(*plan.ColRef); !plain && a.Kind == plan.Left {
			return a
		}
	}
	nl := len(a.Left.Columns())
	out := make([]plan.Expr, 0, nl+len(exprs))
	cols := a.Columns()
	for i, c := range cols[:nl] {
		out = append(out, &plan.ColRef{Index: i, T: c.Type, Name: c.Name})
	}
	for _, e := range exprs {
		out = append(out, toJoinSides(e, nl))
	}
	cond := make([]plan.Expr, 0, len(corr)+1)
	for _, c := range corr {
		cond = append(cond, toJoinSides(c, nl))
	}
	if a.Cond != nil {
		// The Apply's condition reads its output columns: the left ones
		// and the right side's projections.
		cond = append(cond, plan.MapCols(a.Cond, func(c *plan.ColRef) plan.Expr { return out[c.Index] }))
	}
	kind := a.Kind
	if kind == plan.Inner && len(cond) == 0 {
		kind = plan.Cross
	}
	join := &plan.Join{Kind: kind, Left: a.Left, Right: body, Cond: plan.And(cond)}
	return &plan.Project{Input: join, Exprs: out, Cols: cols}
}

// peelProjections composes the projections on top of n into one list of
// expressions over the node below them.
func peelProjections(n plan.Node) ([]plan.Expr, plan.Node) {
	p, ok := n.(*plan.Project)
	if !ok {
		cols := n.Columns()
		out := make([]plan.Expr, len(cols))
		for i, c := range cols {
			out[i] = &plan.ColRef{Index: i, T: c.Type, Name: c.Name}
		}
		return out, n
	}
	inner, body := peelProjections(p.Input)
	out := make([]plan.Expr, len(p.Exprs))
	for i, e := range p.Exprs {
		out[i] = plan.MapCols(e, func(c *plan.ColRef) plan.Expr { return inner[c.Index] })
	}
	return out, body
}

// pushWhole returns a Remote running all of n, a recursive union or a
// LATERAL join, when every table it reads is in one source whose dialect
// renders it; nil otherwise. Its inputs cannot merge into it one by one,
// since the working table and the outer row exist only inside it.
func pushWhole(env *Env, n plan.Node) plan.Node {
	source := firstSource(n)
	if source == "" {
		return nil
	}
	if !sourceExists(env, source) {
		return nil
	}
	if r, ok := tryMerge(env, source, n, nil).(*plan.Remote); ok {
		return r
	}
	return nil
}

// firstSource is the source of the first table scan under n.
func firstSource(n plan.Node) string {
	if s, ok := n.(*plan.Scan); ok {
		return s.Table.Source
	}
	for _, in := range n.Inputs() {
		if s := firstSource(in); s != "" {
			return s
		}
	}
	return ""
}

// pushIntoApply moves the conjuncts that read only the left side of a
// LATERAL join into it (an outer Apply keeps every left row either way),
// so that the right side runs for fewer rows; the right side's own
// filters are pushed down within it.
func pushIntoApply(a *plan.Apply, preds []plan.Expr) plan.Node {
	nl := len(a.Left.Columns())
	var toLeft, above []plan.Expr
	for _, p := range preds {
		onlyLeft := true
		for c := range colsOf(p) {
			if c >= nl {
				onlyLeft = false
			}
		}
		if onlyLeft {
			toLeft = append(toLeft, p)
		} else {
			above = append(above, p)
		}
	}
	out := &plan.Apply{Kind: a.Kind, Left: pushFilters(a.Left, toLeft), Right: pushFilters(a.Right, nil), Cond: a.Cond}
	return withFilter(out, above)
}
