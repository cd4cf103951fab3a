package planner

import (
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/plan"
)

// ColumnStats is what the sources' statistics, stored in the catalog with
// the tables, say about a table's column: its estimated number of distinct
// non-null values and the fraction of rows where it is null. ok is false
// when the source gave none.
func (env *Env) ColumnStats(t plan.TableRef, col string) (ndv, nullFrac float64, ok bool) {
	table, found := env.table(t)
	if !found {
		return 0, 0, false
	}
	for _, c := range table.Columns {
		if c.Name == col && c.Stats != nil {
			return c.Stats.Distinct, c.Stats.NullFrac, true
		}
	}
	return 0, 0, false
}

// TableRows is the source's estimate of a table's row count.
func (env *Env) TableRows(t plan.TableRef) (float64, bool) {
	table, found := env.table(t)
	if !found || table.RowEstimate < 0 {
		return 0, false
	}
	return float64(table.RowEstimate), true
}

func (env *Env) table(t plan.TableRef) (*connectors.Table, bool) {
	if env == nil || env.Snapshot == nil {
		return nil, false
	}
	if t.CopyOf != nil {
		t = *t.CopyOf
	}
	_, table, ok := env.Snapshot.FindTable(t.Source, t.RemoteSchema, t.RemoteName)
	return table, ok
}

// tableColumn is a column of one scan of a source table: two scans of
// one table (a self-join) are told apart.
type tableColumn struct {
	scan *plan.Scan
	col  string
}

// columnOrigin follows output column i of n down to the table column it
// passes through unchanged, if it does.
func columnOrigin(n plan.Node, i int) (tableColumn, bool) {
	switch x := n.(type) {
	case *plan.Scan:
		return tableColumn{x, x.RemoteCols[i]}, true
	case *plan.Remote:
		return columnOrigin(x.Query, i)
	case *plan.Filter, *plan.Sort, *plan.Limit, *plan.Distinct:
		return columnOrigin(n.Inputs()[0], i)
	case *plan.Project:
		if c, ok := x.Exprs[i].(*plan.ColRef); ok {
			return columnOrigin(x.Input, c.Index)
		}
	case *plan.Window:
		if i < len(x.Input.Columns()) {
			return columnOrigin(x.Input, i)
		}
	case *plan.Aggregate:
		if i < len(x.GroupBy) {
			if c, ok := x.GroupBy[i].(*plan.ColRef); ok {
				return columnOrigin(x.Input, c.Index)
			}
		}
	case *plan.Join:
		if nl := len(x.Left.Columns()); i < nl {
			return columnOrigin(x.Left, i)
		} else if x.Kind != plan.Semi && x.Kind != plan.Anti {
			return columnOrigin(x.Right, i-nl)
		}
	}
	return tableColumn{}, false
}

// groupCount estimates how many groups grouping n (of rows estimated
// rows) by its output columns cols forms: the product of the columns'
// distinct counts, where the columns of one table form at most as many
// combinations as the table has rows, and a table joined on a unique
// column to a grouped column adds none. ok is false when a column has no
// statistics, or there are no columns.
func groupCount(env *Env, n plan.Node, cols []int, rows float64) (float64, bool) {
	if len(cols) == 0 {
		return 0, false
	}
	perScan := map[*plan.Scan]float64{}
	grouped := map[tableColumn]bool{}
	for _, c := range cols {
		tc, ndv, ok := distinctValues(env, n, c)
		if !ok {
			return 0, false
		}
		if _, seen := perScan[tc.scan]; !seen {
			perScan[tc.scan] = 1
		}
		perScan[tc.scan] *= max(1, ndv)
		grouped[tc] = true
	}
	// A table whose unique column equals a grouped column of another
	// table adds no groups: that column fixes its row. The other table
	// keeps its own factor, or two tables fixing each other would both
	// drop out.
	fixed := map[*plan.Scan]bool{}
	for _, eq := range equatedColumns(n) {
		for _, pair := range [2][2]tableColumn{{eq[0], eq[1]}, {eq[1], eq[0]}} {
			t, by := pair[0], pair[1]
			if _, in := perScan[t.scan]; !in || fixed[t.scan] || fixed[by.scan] || t.scan == by.scan {
				continue
			}
			if grouped[by] && env.unique(t) {
				fixed[t.scan] = true
				perScan[t.scan] = 1
			}
		}
	}
	groups := 1.0
	for scan, g := range perScan {
		if n, ok := env.TableRows(scan.Table); ok {
			g = min(g, max(1, n))
		}
		groups *= g
	}
	return min(groups, rows), true
}

// distinctValues is the table column behind n's output column c and its
// distinct values by the statistics, null counting as one.
func distinctValues(env *Env, n plan.Node, c int) (tableColumn, float64, bool) {
	tc, ok := columnOrigin(n, c)
	if !ok {
		return tc, 0, false
	}
	ndv, nullFrac, ok := env.ColumnStats(tc.scan.Table, tc.col)
	if !ok {
		return tc, 0, false
	}
	if nullFrac > 0 {
		ndv++ // null groups on its own
	}
	return tc, ndv, true
}

// equiJoinRows estimates the rows of an inner join of l and r (of lRows
// and rRows estimated rows) from its equality conjuncts between a column
// of each side: lRows * rRows / max(distinct left, distinct right), the
// estimate of a join of every value on the side with fewer values to
// its matches, by the most selective conjunct. ok is false when no such
// conjunct has statistics on both sides.
func equiJoinRows(env *Env, j *plan.Join, lRows, rRows float64) (float64, bool) {
	if j.Cond == nil {
		return 0, false
	}
	nl := len(j.Left.Columns())
	best, found := 0.0, false
	for _, eq := range columnEqualities(j.Cond) {
		a, b := eq[0], eq[1]
		if a.Index > b.Index {
			a, b = b, a
		}
		if a.Index >= nl || b.Index < nl {
			continue
		}
		ln, lok := groupCount(env, j.Left, []int{a.Index}, lRows)
		rn, rok := groupCount(env, j.Right, []int{b.Index - nl}, rRows)
		if !lok || !rok {
			continue
		}
		est := lRows * rRows / max(ln, rn, 1)
		if !found || est < best {
			best, found = est, true
		}
	}
	return best, found
}

// columnEqualities lists the conjuncts of pred that equate two columns.
func columnEqualities(pred plan.Expr) [][2]*plan.ColRef {
	var out [][2]*plan.ColRef
	for _, c := range plan.SplitAnd(pred) {
		op, ok := c.(*plan.Op)
		if !ok || op.Op != plan.OpEq {
			continue
		}
		a, aok := op.Args[0].(*plan.ColRef)
		b, bok := op.Args[1].(*plan.ColRef)
		if aok && bok {
			out = append(out, [2]*plan.ColRef{a, b})
		}
	}
	return out
}

// equatedColumns lists the pairs of table columns that the inner joins
// and filters within n require to be equal.
func equatedColumns(n plan.Node) [][2]tableColumn {
	var out [][2]tableColumn
	add := func(pred plan.Expr, in plan.Node) {
		for _, eq := range columnEqualities(pred) {
			at, aok := columnOrigin(in, eq[0].Index)
			bt, bok := columnOrigin(in, eq[1].Index)
			if aok && bok {
				out = append(out, [2]tableColumn{at, bt})
			}
		}
	}
	var walk func(n plan.Node)
	walk = func(n plan.Node) {
		switch x := n.(type) {
		case *plan.Join:
			if x.Kind == plan.Inner && x.Cond != nil {
				add(x.Cond, x)
			}
		case *plan.Filter:
			add(x.Pred, x.Input)
		case *plan.Remote:
			walk(x.Query)
			return
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
	return out
}

// unique reports whether the statistics say a column has a distinct value
// in (nearly) every row.
func (env *Env) unique(tc tableColumn) bool {
	ndv, nullFrac, ok := env.ColumnStats(tc.scan.Table, tc.col)
	rows, rok := env.TableRows(tc.scan.Table)
	return ok && rok && nullFrac == 0 && rows > 0 && ndv >= 0.95*rows
}

// defaultSelectivity is the fraction of rows a condition the statistics
// say nothing about is taken to keep.
const defaultSelectivity = 1.0 / 3

// equalitySelectivity is the fraction of rows an equality the statistics
// say nothing about is taken to keep.
const equalitySelectivity = 1.0 / 10

// selectivity estimates the fraction of n's rows a filter conjunct keeps:
// a column equal to a constant keeps one of its distinct values' share of
// the non-null rows (a tenth without statistics), other conditions a third.
func selectivity(env *Env, n plan.Node, pred plan.Expr) float64 {
	op, ok := pred.(*plan.Op)
	if !ok || op.Op != plan.OpEq {
		return defaultSelectivity
	}
	col, isCol := uncast(op.Args[0]).(*plan.ColRef)
	other := op.Args[1]
	if !isCol {
		col, isCol = uncast(op.Args[1]).(*plan.ColRef)
		other = op.Args[0]
	}
	if !isCol {
		return equalitySelectivity
	}
	switch other.(type) {
	case *plan.Const, *plan.Param:
	default:
		return equalitySelectivity
	}
	tc, ok := columnOrigin(n, col.Index)
	if !ok {
		return equalitySelectivity
	}
	ndv, nullFrac, ok := env.ColumnStats(tc.scan.Table, tc.col)
	if !ok || ndv < 1 {
		return equalitySelectivity
	}
	return (1 - nullFrac) / ndv
}

// uncast strips the casts the planner puts around a column compared with
// a value of another type (bpchar with text, int4 with int8).
func uncast(e plan.Expr) plan.Expr {
	for {
		c, ok := e.(*plan.Cast)
		if !ok {
			return e
		}
		e = c.Arg
	}
}
