package planner

import (
	"github.com/junction-db/junction/plan"
)

// minDistinctReduction is how many rows each distinct combination of a
// semi or anti join's inner columns must stand for, by the statistics,
// before the source is asked for distinct rows: fewer, and it does the
// grouping for little gain.
const minDistinctReduction = 2

// distinctMaxGroups bounds the distinct rows, by the statistics, that the
// source is asked to find: past it the source's hash of them outgrows a
// small work area (PostgreSQL's default work_mem spills 100000 keys to
// disk) and costs more than sending the rows as they are. TPC-H Q22 at
// scale factor 1 has 100000 customer keys among its orders.
const distinctMaxGroups = 20000

// distinctSemiJoinInputs asks the source of a semi or anti join's inner
// input, when that input is one remote query, for its distinct rows
// only. Such a join asks of each outer row only whether some inner row
// satisfies the condition, so inner rows equal in every column the
// condition reads are one row to it; after pruning those are all the
// inner input's columns. TPC-H Q22's NOT EXISTS (orders of the customer)
// then reads each customer key once rather than once per order.
//
// It is exact where equal values of a column are the same value, which
// is why only integers, dates and strings compared bytewise qualify (two
// equal numerics may print differently, and a condition reading their
// text would tell the representatives apart); a source that groups
// strings under another collation declines DISTINCT on them, and the
// input is then left as it was.
func distinctSemiJoinInputs(env *Env, n plan.Node) plan.Node {
	n = mapInputs(n, func(c plan.Node) plan.Node { return distinctSemiJoinInputs(env, c) })
	j, ok := n.(*plan.Join)
	if !ok || (j.Kind != plan.Semi && j.Kind != plan.Anti) || j.Cond == nil || !movable(j.Cond) {
		return n
	}
	r, ok := j.Right.(*plan.Remote)
	if !ok || !worthDistinct(env, r, j.Left) {
		return n
	}
	merged := tryMerge(env, r.Source, &plan.Distinct{Input: r.Query}, r)
	if merged == plan.Node(r) {
		return n
	}
	return &plan.Join{Kind: j.Kind, Left: j.Left, Right: merged, Cond: j.Cond}
}

// worthDistinct reports whether r's rows are of exactly comparable types
// and, by the statistics, at least minDistinctReduction times as many as
// their distinct combinations, of which there are at most
// distinctMaxGroups. When r will wait for the keys of outer (a dynamic
// filter), the source groups only rows of those keys, so no more groups
// than outer has rows (Q22 at scale factor 1: 19,000 customers' orders
// out of 100,000 customers').
func worthDistinct(env *Env, r *plan.Remote, outer plan.Node) bool {
	cols := make([]int, len(r.Cols))
	for i, c := range r.Cols {
		if !dynamicKeyType(c.Type) {
			return false
		}
		cols[i] = i
	}
	switch r.Query.(type) {
	case *plan.Distinct, *plan.Aggregate:
		return false
	}
	rows := env.estimator().EstimateRows(r.Query)
	groups, ok := groupCount(env, r.Query, cols, rows)
	if !ok || groups*minDistinctReduction > rows {
		return false
	}
	if waitsForBuild(env, outer, r) {
		groups = min(groups, env.estimator().EstimateRows(outer))
	}
	return groups <= distinctMaxGroups
}
