package planner

import (
	"slices"
	"sort"
	"strings"

	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// minPartialReduction is how many input rows each pre-aggregated group
// must stand for, by the statistics, before an aggregation is split below
// a join: fewer, and the source does the grouping for little gain.
const minPartialReduction = 2

// aggregateBelowJoins splits an aggregation over an inner or left join
// whose aggregates read one side only, when that side is one source's
// subtree: the side is grouped by every column of it the rest of the
// query reads (its join keys and its group keys) and pre-aggregated at its
// source, and the aggregation above the join combines the partial
// results. TPC-H Q10 groups customers (one source) joined to their
// orders' lineitems (another) and sums lineitem prices: the lineitem
// source sends one partial sum per customer key instead of every
// lineitem.
//
// It is exact for any join condition: the rows of one pre-aggregated
// group agree on every column the condition and the grouping read, so
// each joins the same rows of the other side, and a group joined to k
// rows contributes its partial k times, as its rows did. Over a left
// join, a group of the preserved side without a match is extended with
// nulls once, as each of its rows was; the inner side may be grouped
// too, except for count(*), which counts the rows extended with nulls.
// Sums and counts then add up, minima and maxima combine; DISTINCT and
// ordered aggregates, and float sums, whose rounding depends on the
// order of addition, do not split.
func aggregateBelowJoins(env *Env, n plan.Node) plan.Node {
	in := n.Inputs()
	if len(in) > 0 {
		out := make([]plan.Node, len(in))
		for i, c := range in {
			out[i] = aggregateBelowJoins(env, c)
		}
		n = withInputs(n, out)
	}
	a, ok := n.(*plan.Aggregate)
	if !ok || a.Sets != nil {
		return n
	}
	if split, ok := splitAggregate(env, a); ok {
		return split
	}
	return n
}

// splitAggregate returns the split form of a, if a splits.
func splitAggregate(env *Env, a *plan.Aggregate) (plan.Node, bool) {
	groupBy, aggs, input, ok := throughProjections(a)
	if !ok {
		return nil, false
	}
	j, ok := input.(*plan.Join)
	if !ok || (j.Kind != plan.Inner && j.Kind != plan.Left) || j.Cond == nil || !movable(j.Cond) {
		return nil, false
	}
	for _, call := range aggs {
		if !decomposable(call) {
			return nil, false
		}
	}
	nl := len(j.Left.Columns())
	width := nl + len(j.Right.Columns())
	var best *partialSide
	sides := []partialSide{{lo: nl, hi: width, node: j.Right, nullable: j.Kind == plan.Left}, {lo: 0, hi: nl, node: j.Left}}
	for _, s := range sides {
		if s.plan(env, groupBy, aggs, j.Cond) && (best == nil || s.groups/s.rows < best.groups/best.rows) {
			cp := s
			best = &cp
		}
	}
	if best == nil {
		return nil, false
	}
	return best.rewrite(a, j, groupBy, aggs), true
}

// throughProjections reads the aggregation's keys and arguments through
// the projections between it and its input, so they are written over the
// join below.
func throughProjections(a *plan.Aggregate) ([]plan.Expr, []plan.AggCall, plan.Node, bool) {
	groupBy := append([]plan.Expr{}, a.GroupBy...)
	aggs := append([]plan.AggCall{}, a.Aggs...)
	input := a.Input
	for {
		p, ok := input.(*plan.Project)
		if !ok {
			break
		}
		inline := func(e plan.Expr) plan.Expr {
			return plan.MapCols(e, func(c *plan.ColRef) plan.Expr { return p.Exprs[c.Index] })
		}
		for i, g := range groupBy {
			groupBy[i] = inline(g)
		}
		for i := range aggs {
			aggs[i] = mapAggArgs(aggs[i], inline)
		}
		input = p.Input
	}
	for _, g := range groupBy {
		if !movable(g) {
			return nil, nil, nil, false
		}
	}
	for _, call := range aggs {
		for _, arg := range aggArgs(call) {
			if !movable(arg) {
				return nil, nil, nil, false
			}
		}
	}
	return groupBy, aggs, input, true
}

// decomposable reports whether an aggregate is computed exactly by
// combining its values over parts of the rows.
func decomposable(call plan.AggCall) bool {
	if call.Distinct || len(call.Args) > 1 {
		return false
	}
	switch call.Func {
	case "count", "min", "max", "bool_and", "bool_or":
		return true
	case "sum":
		switch call.Arg.Type().Kind {
		case types.Int2, types.Int4, types.Int8, types.Numeric:
			return true
		}
	}
	return false
}

// partialSide is the join input [lo, hi) of the join's columns that would
// be pre-aggregated.
type partialSide struct {
	lo, hi int
	node   plan.Node
	// nullable is set for the inner side of a left join, which the join
	// extends with nulls where a row of the other side has no match.
	nullable bool
	source   string
	// keys are the side's columns (join positions) it is grouped by.
	keys []int
	// exprKeys are the GROUP BY expressions over the side's columns alone
	// that are not plain columns (extract(year FROM o_orderdate)): the
	// side is grouped by their values, not by the columns they read.
	exprKeys     []plan.Expr
	rows, groups float64
}

// plan decides whether the side takes the partial aggregation: every
// aggregate reads only it, it is one source's and that source can group
// it, its keys group exactly, and the statistics say grouping shrinks it.
func (s *partialSide) plan(env *Env, groupBy []plan.Expr, aggs []plan.AggCall, cond plan.Expr) bool {
	inside := func(e plan.Expr) bool {
		for c := range colsOf(e) {
			if c < s.lo || c >= s.hi {
				return false
			}
		}
		return true
	}
	for _, call := range aggs {
		// count(*) counts the rows a left join extends with nulls, for
		// which the nullable side has no partial count.
		if s.nullable && call.Func == "count" && call.Arg == nil {
			return false
		}
		for _, arg := range aggArgs(call) {
			if !inside(arg) {
				return false
			}
		}
	}
	if s.source = singleSource(s.node); s.source == "" {
		return false
	}
	used := map[int]bool{}
	s.exprKeys = s.exprKeys[:0]
	for _, e := range append([]plan.Expr{cond}, groupBy...) {
		if e != cond && valueGroupKey(e) && inside(e) {
			s.exprKeys = append(s.exprKeys, e)
			continue
		}
		for c := range colsOf(e) {
			if c >= s.lo && c < s.hi {
				used[c] = true
			}
		}
	}
	// With no key the partial aggregate would yield a row for an empty
	// side, which the join must not see.
	if len(used)+len(s.exprKeys) == 0 {
		return false
	}
	s.keys = s.keys[:0]
	for c := range used {
		s.keys = append(s.keys, c)
	}
	sort.Ints(s.keys)
	cols := s.node.Columns()
	s.rows = max(1, env.estimator().EstimateRows(s.node))
	for _, k := range s.keys {
		if !exactGroupKey(cols[k-s.lo].Type) {
			return false
		}
	}
	local := make([]int, len(s.keys))
	for i, k := range s.keys {
		local[i] = k - s.lo
	}
	var ok bool
	if s.groups, ok = keyGroups(env, s.node, local, s.rows); !ok {
		return false
	}
	for _, e := range s.exprKeys {
		values, ok := exprDistinct(env, s.node, shift(e, -s.lo))
		if !ok {
			return false
		}
		s.groups = min(s.rows, s.groups*values)
	}
	if s.groups*minPartialReduction > s.rows {
		return false
	}
	d, ok := env.Dialect(s.source)
	if !ok {
		return false
	}
	p, _ := s.partial(aggs)
	_, err := sqlgen.Render(d, p)
	return err == nil
}

// exactGroupKey reports whether values of a type that group together are
// the same value, so a condition above cannot tell apart rows the partial
// aggregation merged (numeric 1.0 and 1.00 group together, as do float
// 0 and -0).
func exactGroupKey(t types.Type) bool {
	switch t.Kind {
	case types.Bool, types.Int2, types.Int4, types.Int8, types.Text, types.Varchar,
		types.Date, types.Timestamp, types.TimestampTZ, types.UUID:
		return true
	}
	return false
}

// valueGroupKey reports whether a GROUP BY expression, not a plain
// column, groups exactly by its values: of a type whose equal values are
// the same value, or extract and date_part, whose numeric results have
// one scale per field.
func valueGroupKey(e plan.Expr) bool {
	if _, isCol := e.(*plan.ColRef); isCol || len(colsOf(e)) == 0 || !movable(e) || hasSubquery(e) {
		return false
	}
	if f, ok := e.(*plan.Func); ok && (f.Name == "extract" || f.Name == "date_part") {
		return true
	}
	return exactGroupKey(e.Type())
}

// keyGroups is groupCount for the side's key columns, 1 when there are
// none.
func keyGroups(env *Env, n plan.Node, cols []int, rows float64) (float64, bool) {
	if len(cols) == 0 {
		return 1, true
	}
	return groupCount(env, n, cols, rows)
}

// daysPerYear bounds how many distinct dates a year holds, for the
// distinct years of a date column.
const daysPerYear = 365

// exprDistinct estimates the distinct values of an expression over one
// column of n: no more than the column's, and for the year of a date
// about one per daysPerYear of its distinct dates. ok is false for an
// expression over several columns or a column without statistics.
func exprDistinct(env *Env, n plan.Node, e plan.Expr) (float64, bool) {
	cols := colsOf(e)
	if len(cols) != 1 {
		return 0, false
	}
	var c int
	for c = range cols {
	}
	_, ndv, ok := distinctValues(env, n, c)
	if !ok {
		return 0, false
	}
	if f, isFunc := e.(*plan.Func); isFunc && len(f.Args) == 2 && (f.Name == "extract" || f.Name == "date_part") {
		if field, isConst := f.Args[0].(*plan.Const); isConst && strings.EqualFold(field.Value.Str, "year") {
			ndv = ndv/daysPerYear + 1
		}
	}
	return max(1, ndv), true
}

// partial is the pre-aggregation of the side: its keys, then the partial
// aggregates, each computed once however many aggregates use it; at[i]
// is the column of aggs[i]'s partial.
func (s *partialSide) partial(aggs []plan.AggCall) (p *plan.Aggregate, at []int) {
	cols := s.node.Columns()
	p = &plan.Aggregate{Input: s.node}
	for _, k := range s.keys {
		c := cols[k-s.lo]
		p.GroupBy = append(p.GroupBy, &plan.ColRef{Index: k - s.lo, T: c.Type, Name: c.Name})
		p.Cols = append(p.Cols, c)
	}
	for _, e := range s.exprKeys {
		p.GroupBy = append(p.GroupBy, shift(e, -s.lo))
		p.Cols = append(p.Cols, plan.Column{Name: exprKeyName(e), Type: e.Type()})
	}
	seen := map[string]int{}
	for _, call := range aggs {
		pc := mapAggArgs(call, func(e plan.Expr) plan.Expr { return shift(e, -s.lo) })
		if call.Func == "sum" {
			pc.T, _ = aggResultType("sum", call.Arg.Type())
		}
		// Column names are for display and may repeat: the key names
		// columns by position.
		key := pc.T.String() + " " + aggDisplay(mapAggArgs(pc, func(e plan.Expr) plan.Expr {
			return plan.MapCols(e, func(c *plan.ColRef) plan.Expr { return &plan.ColRef{Index: c.Index, T: c.T} })
		}))
		if i, ok := seen[key]; ok {
			at = append(at, i)
			continue
		}
		seen[key] = len(p.Cols)
		at = append(at, len(p.Cols))
		p.Aggs = append(p.Aggs, pc)
		p.Cols = append(p.Cols, plan.Column{Name: call.Func, Type: pc.T})
	}
	return p, at
}

// rewrite builds the join over the pre-aggregated side and the aggregation
// combining the partials, with a projection restoring a's column types.
func (s *partialSide) rewrite(a *plan.Aggregate, j *plan.Join, groupBy []plan.Expr, aggs []plan.AggCall) plan.Node {
	p, at := s.partial(aggs)
	width := len(j.Left.Columns()) + len(j.Right.Columns())
	delta := len(p.Cols) - (s.hi - s.lo)
	// moved maps a join column to its place over the new join.
	moved := make([]int, width)
	for c := range moved {
		switch {
		case c < s.lo:
			moved[c] = c
		case c >= s.hi:
			moved[c] = c + delta
		default:
			moved[c] = -1
		}
	}
	for i, k := range s.keys {
		moved[k] = s.lo + i
	}
	nj := &plan.Join{Kind: j.Kind, Left: j.Left, Right: p, Cond: remap(j.Cond, moved)}
	if s.lo == 0 {
		nj.Left, nj.Right = p, j.Right
	}
	nk := len(groupBy)
	final := &plan.Aggregate{Input: nj, Cols: append([]plan.Column{}, a.Cols[:nk]...)}
	exprs := make([]plan.Expr, 0, len(a.Cols))
	for i, g := range groupBy {
		key := remap(g, moved)
		// An expression key is the partial aggregate's column.
		if e := slices.Index(s.exprKeys, g); e >= 0 {
			key = &plan.ColRef{Index: s.lo + len(s.keys) + e, T: g.Type(), Name: exprKeyName(g)}
		}
		final.GroupBy = append(final.GroupBy, key)
		exprs = append(exprs, &plan.ColRef{Index: i, T: a.Cols[i].Type, Name: a.Cols[i].Name})
	}
	for i, call := range aggs {
		pcol := p.Cols[at[i]]
		ref := &plan.ColRef{Index: s.lo + at[i], T: pcol.Type, Name: pcol.Name}
		combine := plan.AggCall{Func: call.Func, Arg: ref, T: pcol.Type}
		if call.Func == "sum" || call.Func == "count" {
			combine.Func = "sum"
			combine.T, _ = aggResultType("sum", pcol.Type)
		}
		final.Aggs = append(final.Aggs, combine)
		final.Cols = append(final.Cols, plan.Column{Name: call.Func, Type: combine.T})
		var out plan.Expr = &plan.ColRef{Index: nk + i, T: combine.T, Name: call.Func}
		if combine.T != call.T {
			out = &plan.Cast{Arg: out, T: call.T}
		}
		if call.Func == "count" {
			// A count over no rows, or over rows a left join extended
			// with nulls, is 0, where the sum of no partial counts is
			// null.
			out = &plan.Func{Name: "coalesce", Args: []plan.Expr{out, &plan.Const{Value: types.IntDatum(0), T: types.TInt8}}, T: types.TInt8}
		}
		exprs = append(exprs, out)
	}
	return &plan.Project{Input: final, Exprs: exprs, Cols: a.Cols}
}

// exprKeyName names an expression key's column, for display.
func exprKeyName(e plan.Expr) string {
	if f, ok := e.(*plan.Func); ok {
		return f.Name
	}
	return "key"
}
