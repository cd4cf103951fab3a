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
	_, table, ok := env.Snapshot.FindTable(t.Source, t.RemoteSchema, t.RemoteName)
	return table, ok
}

// columnOrigin follows output column i of n down to the table column it
// passes through unchanged, if it does.
func columnOrigin(n plan.Node, i int) (plan.TableRef, string, bool) {
	switch x := n.(type) {
	case *plan.Scan:
		return x.Table, x.RemoteCols[i], true
	case *plan.Remote:
		return columnOrigin(x.Query, i)
	case *plan.Filter, *plan.Sort, *plan.Limit, *plan.Distinct:
		return columnOrigin(n.Inputs()[0], i)
	case *plan.Project:
		if c, ok := x.Exprs[i].(*plan.ColRef); ok {
			return columnOrigin(x.Input, c.Index)
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
	return plan.TableRef{}, "", false
}

// groupCount estimates how many groups grouping n (of rows estimated
// rows) by its output columns cols forms: the product of the columns'
// distinct counts, where the columns of one table form at most as many
// combinations as the table has rows. ok is false when a column has no
// statistics, or there are no columns.
func groupCount(env *Env, n plan.Node, cols []int, rows float64) (float64, bool) {
	if len(cols) == 0 {
		return 0, false
	}
	perTable := map[plan.TableRef]float64{}
	for _, c := range cols {
		t, name, ok := columnOrigin(n, c)
		if !ok {
			return 0, false
		}
		ndv, nullFrac, ok := env.ColumnStats(t, name)
		if !ok {
			return 0, false
		}
		if nullFrac > 0 {
			ndv++ // null groups on its own
		}
		if _, seen := perTable[t]; !seen {
			perTable[t] = 1
		}
		perTable[t] *= max(1, ndv)
	}
	groups := 1.0
	for t, g := range perTable {
		if n, ok := env.TableRows(t); ok {
			g = min(g, max(1, n))
		}
		groups *= g
	}
	return min(groups, rows), true
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
	for _, c := range plan.SplitAnd(j.Cond) {
		op, ok := c.(*plan.Op)
		if !ok || op.Op != plan.OpEq {
			continue
		}
		a, aok := op.Args[0].(*plan.ColRef)
		b, bok := op.Args[1].(*plan.ColRef)
		if !aok || !bok {
			continue
		}
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
