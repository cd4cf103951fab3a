package planner

import (
	"slices"

	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Dynamic filter limits. A source binding an array parameter takes many
// keys in one value; others get IN lists, whose statement text grows with
// every key.
const (
	arrayMaxKeys = 10000
	// A probe side estimated at more than probeRowsPerKey rows per key
	// takes more keys in its array, up to arrayMaxKeysLarge: looking up
	// even 100000 keys in an index beats reading a range that keeps
	// millions of rows (an anti-join's probe side most of all, which the
	// range barely narrows). A key costs a few bytes and one hash probe at
	// the source; a probe row the range lets through costs the source's
	// joins and grouping over it and its transfer, so even five rows a key
	// repay it (TPC-H Q3 at scale 1: 30,000 customer keys against an
	// estimated 370,000 orders ⋈ lineitem rows, 3.7 s as a range, 1.8 s as
	// keys).
	arrayMaxKeysLarge = 100000
	probeRowsPerKey   = 5
	inListMaxKeys     = 4000
	inListBatch       = 1000
	// dynamicFilterMaxBuild is the largest estimated build side worth
	// waiting for before the probe side's query is sent: a larger one
	// would most likely send a range that keeps most rows.
	dynamicFilterMaxBuild = 10000
	// filteredBuildMax is that limit for a build side that filters its
	// table and is estimated at a tenth of the probe side or less: a range
	// filter's estimate is a guess (a third of the rows), and such a side
	// often yields few keys, which are worth waiting for.
	filteredBuildMax = 10 * dynamicFilterMaxBuild
)

// attachDynamicFilters marks the probe-side Remote of a join with a
// dynamic filter on its equi-join keys, when the other input is estimated
// at most half the probe side and small enough to wait for: the executor
// then reads that input first and sends its keys with the probe side's
// query. Only rows the join drops when unmatched may be filtered away:
// the left input's of inner, semi and right joins (the right input is
// the build side), and the right input's of semi, anti and left joins,
// whose left input is then read first.
func attachDynamicFilters(env *Env, n plan.Node) plan.Node {
	n = mapInputs(n, func(c plan.Node) plan.Node { return attachDynamicFilters(env, c) })
	j, ok := n.(*plan.Join)
	if !ok || j.Cond == nil {
		return n
	}
	nl := len(j.Left.Columns())
	switch j.Kind {
	case plan.Inner, plan.Semi, plan.Right:
		if left, ok := withDynamicFilter(env, j.Cond, j.Left, 0, j.Right, nl, false); ok {
			return withInputs(j, []plan.Node{left, j.Right})
		}
	}
	switch j.Kind {
	case plan.Semi, plan.Anti, plan.Left:
		if right, ok := withDynamicFilter(env, j.Cond, j.Right, nl, j.Left, 0, true); ok {
			return withInputs(j, []plan.Node{j.Left, right})
		}
	}
	return n
}

// withDynamicFilter returns probe with its Remote given a dynamic filter
// on the keys cond equates with columns of build (columns of the join
// start at probeAt and buildAt), if it is worth it. fromLeft says build
// is the join's left input.
func withDynamicFilter(env *Env, cond plan.Expr, probe plan.Node, probeAt int, build plan.Node, buildAt int, fromLeft bool) (plan.Node, bool) {
	r, keys, _, _ := equiKeys(cond, probe, probeAt, buildAt, len(build.Columns()))
	if r == nil || r.Dynamic != nil {
		return nil, false
	}
	if keys = slices.DeleteFunc(keys, func(k plan.DynamicKey) bool { return pinned(r.Query, k.Col) }); len(keys) == 0 {
		return nil, false
	}
	if !waitsForBuild(env, build, r) {
		return nil, false
	}
	f := dynamicFilterFor(env, r.Source, keys, env.estimator().EstimateRows(r))
	if f == nil {
		return nil, false
	}
	f.FromLeft = fromLeft
	filtered := *r
	filtered.Dynamic = f
	return replaceNode(probe, r, &filtered), true
}

// waitsForBuild reports whether a join's probe-side Remote r is worth
// holding back until the build side is read, for its keys: the build side
// is estimated small, or filtered and a tenth of the probe side at most.
func waitsForBuild(env *Env, build plan.Node, r *plan.Remote) bool {
	rows, probeRows := env.estimator().EstimateRows(build), env.estimator().EstimateRows(r)
	small := rows <= dynamicFilterMaxBuild && 2*rows <= probeRows
	selective := rows <= filteredBuildMax && 10*rows <= probeRows && filters(build)
	return small || selective
}

// equiKeys splits a join condition (over the columns of both inputs) into
// dynamic filter keys and the rest: a key is a conjunct equating a column
// of probe, whose columns start at probeAt and which reaches one Remote
// through filters and projections, with an expression over the build
// side's columns [buildAt, buildAt+nBuild), given relative to buildAt.
// probeCols holds each key's column in probe's output.
func equiKeys(cond plan.Expr, probe plan.Node, probeAt, buildAt, nBuild int) (r *plan.Remote, keys []plan.DynamicKey, probeCols []int, rest []plan.Expr) {
	nProbe := len(probe.Columns())
	inProbe := func(i int) bool { return i >= probeAt && i < probeAt+nProbe }
	for _, c := range plan.SplitAnd(cond) {
		p, b, ok := keyConjunct(c, inProbe)
		if !ok || !dynamicKeyType(p.T) || b.Type().Kind != p.T.Kind || !within(b, buildAt, buildAt+nBuild) {
			rest = append(rest, c)
			continue
		}
		remote, col, ok := plan.ProbeRemote(probe, p.Index-probeAt)
		if !ok || (r != nil && remote != r) {
			rest = append(rest, c)
			continue
		}
		r = remote
		keys = append(keys, plan.DynamicKey{Col: col, Name: remote.Cols[col].Name, Build: shift(b, -buildAt), T: p.T})
		probeCols = append(probeCols, p.Index-probeAt)
	}
	return r, keys, probeCols, rest
}

// keyConjunct splits c = (column = expression) with the column on the
// probe side.
func keyConjunct(c plan.Expr, inProbe func(int) bool) (*plan.ColRef, plan.Expr, bool) {
	op, ok := c.(*plan.Op)
	if !ok || op.Op != plan.OpEq || len(op.Args) != 2 || !movable(c) {
		return nil, nil, false
	}
	for i, a := range op.Args {
		if col, isCol := a.(*plan.ColRef); isCol && inProbe(col.Index) {
			return col, op.Args[1-i], true
		}
	}
	return nil, nil, false
}

// pinned reports whether the query already restricts column col to
// constants (col = c, col IN (c, ...)), which the source can use as well
// as any key set: waiting for the build side would only delay it.
func pinned(q plan.Node, col int) bool {
	for {
		switch x := q.(type) {
		case *plan.Filter:
			for _, c := range plan.SplitAnd(x.Pred) {
				if pinsColumn(c, col) {
					return true
				}
			}
			q = x.Input
		case *plan.Project:
			c, ok := x.Exprs[col].(*plan.ColRef)
			if !ok {
				return false
			}
			q, col = x.Input, c.Index
		default:
			return false
		}
	}
}

func pinsColumn(c plan.Expr, col int) bool {
	isCol := func(e plan.Expr) bool {
		r, ok := e.(*plan.ColRef)
		return ok && r.Index == col
	}
	isConst := func(e plan.Expr) bool {
		_, ok := e.(*plan.Const)
		return ok
	}
	switch x := c.(type) {
	case *plan.Op:
		return x.Op == plan.OpEq && len(x.Args) == 2 &&
			(isCol(x.Args[0]) && isConst(x.Args[1]) || isConst(x.Args[0]) && isCol(x.Args[1]))
	case *plan.InList:
		return !x.Negated && isCol(x.Arg) && !slices.ContainsFunc(x.List, func(e plan.Expr) bool { return !isConst(e) })
	}
	return false
}

// dynamicKeyType reports whether keys of type t can be collected exactly:
// equal values have equal representations.
func dynamicKeyType(t types.Type) bool {
	switch t.Kind {
	case types.Int2, types.Int4, types.Int8, types.Text, types.Varchar, types.Date:
		return true
	}
	return false
}

// within reports whether e reads columns, all in [from, to).
func within(e plan.Expr, from, to int) bool {
	cols := colsOf(e)
	for c := range cols {
		if c < from || c >= to {
			return false
		}
	}
	return len(cols) > 0 && movable(e)
}

// dynamicFilterFor chooses how the source receives the keys, keeping only
// those whose type its dialect can compare exactly; nil if none. probeRows
// is the probe side's estimated row count.
func dynamicFilterFor(env *Env, source string, keys []plan.DynamicKey, probeRows float64) *plan.DynamicFilter {
	d, ok := env.Dialect(source)
	if !ok {
		return nil
	}
	f := &plan.DynamicFilter{MaxKeys: inListMaxKeys, Batch: inListBatch}
	if _, one := d.(sqlgen.OneInList); one {
		f.Batch = inListMaxKeys
	}
	_, arrays := d.(sqlgen.ArrayParams)
	if arrays {
		f.MaxKeys, f.Batch = int(min(max(probeRows/probeRowsPerKey, arrayMaxKeys), arrayMaxKeysLarge)), 0
	}
	for _, k := range keys {
		col := &plan.ColRef{T: k.T}
		var pred plan.Expr = &plan.InList{Arg: col, List: []plan.Expr{&plan.Const{T: k.T}}}
		if arrays {
			pred = &sqlgen.KeyParam{Arg: col, N: 1}
		}
		if sqlgen.ExprRenderable(d, pred) {
			f.Keys = append(f.Keys, k)
		}
	}
	if len(f.Keys) == 0 {
		return nil
	}
	return f
}

// replaceNode returns n with the node old (reached through single-input
// operators) replaced by repl.
func replaceNode(n, old, repl plan.Node) plan.Node {
	if n == old {
		return repl
	}
	in := n.Inputs()
	if len(in) != 1 {
		return n
	}
	return withInputs(n, []plan.Node{replaceNode(in[0], old, repl)})
}

// filters reports whether a plan drops rows of the tables it reads by a
// filter of its own.
func filters(n plan.Node) bool {
	switch x := n.(type) {
	case *plan.Filter:
		return true
	case *plan.Remote:
		return filters(x.Query)
	}
	for _, in := range n.Inputs() {
		if filters(in) {
			return true
		}
	}
	return false
}
