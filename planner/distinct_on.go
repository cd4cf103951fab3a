package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// distinctOnKeys binds the expressions of SELECT DISTINCT ON (...) the way
// ORDER BY items bind (output names, positions or expressions, the latter
// carried as hidden columns after extra), checks PostgreSQL's rule that
// they match the leading ORDER BY items, and returns the sort that puts
// each group's first row first (the ORDER BY, followed by the DISTINCT ON
// expressions it does not name) and the positions of the expressions.
func (b *binder) distinctOnKeys(items []*pg.Node, xb *exprBinder, targets []target, sortKeys []plan.SortKey, extra []plan.Expr) ([]plan.SortKey, []plan.Expr, []int, error) {
	// Earlier hidden columns count as targets, so an expression both
	// clauses name is one column.
	all := append([]target{}, targets...)
	for _, e := range extra {
		all = append(all, target{expr: e})
	}
	sortBy := make([]*pg.Node, len(items))
	for i, item := range items {
		sortBy[i] = &pg.Node{Node: &pg.Node_SortBy{SortBy: &pg.SortBy{Node: item}}}
	}
	onSort, more, err := b.sortItems(sortBy, xb, all, false)
	if err != nil {
		return nil, nil, nil, err
	}
	extra = append(extra, more...)
	on := make([]int, len(onSort))
	want := map[int]bool{}
	for i, k := range onSort {
		on[i] = k.Expr.(*plan.ColRef).Index
		want[on[i]] = true
	}
	seen := map[int]bool{}
	for _, k := range sortKeys {
		idx := k.Expr.(*plan.ColRef).Index
		if len(seen) == len(want) {
			break
		}
		if !want[idx] {
			return nil, nil, nil, pgerr.New(pgerr.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
		}
		seen[idx] = true
	}
	keys := append([]plan.SortKey{}, sortKeys...)
	for _, k := range onSort {
		if idx := k.Expr.(*plan.ColRef).Index; !seen[idx] {
			seen[idx] = true
			keys = append(keys, k)
		}
	}
	return keys, extra, on, nil
}

// withTies is FETCH FIRST count ROWS WITH TIES over node sorted on keys.
func withTies(node plan.Node, keys []plan.SortKey, count, offset int64) (plan.Node, error) {
	if len(keys) == 0 {
		return nil, pgerr.New(pgerr.SyntaxError, "WITH TIES cannot be specified without ORDER BY clause")
	}
	if count < 0 {
		return nil, pgerr.New("2201W", "row count cannot be null in FETCH FIRST ... WITH TIES clause")
	}
	on := make([]int, len(keys))
	for i, k := range keys {
		on[i] = k.Expr.(*plan.ColRef).Index
	}
	return &plan.LimitTies{Input: node, Count: count, Offset: offset, Keys: on}, nil
}
