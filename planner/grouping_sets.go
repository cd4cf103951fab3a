package planner

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// GROUP BY with GROUPING SETS, ROLLUP and CUBE is expanded here, as
// PostgreSQL's parser does, into a list of grouping sets: each GROUP BY
// item contributes a list of sets (a plain expression one set of itself,
// ROLLUP(a, b) the sets (a, b), (a), (), CUBE every subset, GROUPING SETS
// the sets of each of its elements) and the query groups by the Cartesian
// product of the items' lists. A parenthesised list (a, b) is one set of
// its expressions wherever it appears.

// groupSpec is a bound GROUP BY: the distinct key expressions and, with
// grouping sets, the sets as positions in keys.
type groupSpec struct {
	keys []plan.Expr
	// origins are, per key, the select-list item it names (by position,
	// alias or equal expression), -1 for none.
	origins []int
	sets    [][]int // nil for a plain GROUP BY
	// any is set when the query has a GROUP BY clause at all: GROUP BY ()
	// groups without keys and still aggregates.
	any bool
	// ambiguous is set when two select-list items with the same
	// expression are grouped apart.
	ambiguous bool
}

// groupBy binds GROUP BY items: an output-column position, an input
// column or expression, or (when no input column has the name) an output
// column alias, in PostgreSQL's order of preference.
func (b *binder) groupBy(items []*pg.Node, sc *scope, targets []target, distinct bool, srf *srfContext) (groupSpec, error) {
	g := groupSpec{any: len(items) > 0}
	xb := &exprBinder{binder: b, sc: sc, srf: srf, clause: "GROUP BY"}
	product := [][]int{{}}
	for _, item := range items {
		sets, err := g.expand(b, xb, item, targets)
		if err != nil {
			return g, err
		}
		var next [][]int
		for _, p := range product {
			for _, s := range sets {
				next = append(next, append(append([]int{}, p...), s...))
			}
		}
		product = next
	}
	if len(product) > 4096 {
		return g, pgerr.New(pgerr.ProgramLimitExceeded, "too many grouping sets present (maximum 4096)")
	}
	for i, s := range product {
		product[i] = uniqueSorted(s)
	}
	if distinct {
		product = slices.CompactFunc(sortedSets(product), slices.Equal[[]int])
	}
	if len(product) > 1 {
		if g.ambiguous {
			return g, pgerr.NotSupported("grouping sets over two select-list items with the same expression")
		}
		for _, k := range g.keys {
			if isConstant(k) {
				// The differential suite found wrong answers for a
				// constant key that some sets leave out.
				return g, pgerr.NotSupported("grouping sets over a constant key")
			}
		}
		g.sets = product
		return g, nil
	}
	// One set is a plain GROUP BY of its keys.
	keys := make([]plan.Expr, len(product[0]))
	for i, k := range product[0] {
		keys[i] = g.keys[k]
	}
	g.keys = keys
	return g, nil
}

// expand returns the grouping sets of one GROUP BY item (or element of a
// grouping set), adding its expressions to g's keys.
func (g *groupSpec) expand(b *binder, xb *exprBinder, item *pg.Node, targets []target) ([][]int, error) {
	gs := item.GetGroupingSet()
	if gs == nil {
		if row := item.GetRowExpr(); row != nil && row.RowFormat == pg.CoercionForm_COERCE_IMPLICIT_CAST {
			set, err := g.simple(b, xb, row.Args, targets)
			return [][]int{set}, err
		}
		k, err := g.key(b, xb, item, targets)
		return [][]int{{k}}, err
	}
	switch gs.Kind {
	case pg.GroupingSetKind_GROUPING_SET_EMPTY:
		return [][]int{{}}, nil
	case pg.GroupingSetKind_GROUPING_SET_SIMPLE:
		set, err := g.simple(b, xb, gs.Content, targets)
		return [][]int{set}, err
	case pg.GroupingSetKind_GROUPING_SET_ROLLUP, pg.GroupingSetKind_GROUPING_SET_CUBE:
		var parts [][]int
		for _, c := range gs.Content {
			sets, err := g.expand(b, xb, c, targets)
			if err != nil {
				return nil, err
			}
			if len(sets) != 1 {
				return nil, pgerr.New(pgerr.SyntaxError, "ROLLUP and CUBE take expressions or lists of expressions")
			}
			parts = append(parts, sets[0])
		}
		if gs.Kind == pg.GroupingSetKind_GROUPING_SET_ROLLUP {
			return rollup(parts), nil
		}
		if len(parts) > 12 {
			return nil, pgerr.New(pgerr.ProgramLimitExceeded, "CUBE is limited to 12 elements")
		}
		return cube(parts), nil
	}
	var out [][]int
	for _, c := range gs.Content {
		sets, err := g.expand(b, xb, c, targets)
		if err != nil {
			return nil, err
		}
		out = append(out, sets...)
	}
	return out, nil
}

func (g *groupSpec) simple(b *binder, xb *exprBinder, items []*pg.Node, targets []target) ([]int, error) {
	var set []int
	for _, c := range items {
		if row := c.GetRowExpr(); row != nil && row.RowFormat == pg.CoercionForm_COERCE_IMPLICIT_CAST {
			// (a, (a, b)) is the set (a, b).
			inner, err := g.simple(b, xb, row.Args, targets)
			if err != nil {
				return nil, err
			}
			set = append(set, inner...)
			continue
		}
		k, err := g.key(b, xb, c, targets)
		if err != nil {
			return nil, err
		}
		set = append(set, k)
	}
	return set, nil
}

// key binds one grouping expression and returns its position in keys.
func (g *groupSpec) key(b *binder, xb *exprBinder, item *pg.Node, targets []target) (int, error) {
	e, origin, err := b.groupExpr(xb, item, targets)
	if err != nil {
		return 0, err
	}
	if origin < 0 {
		origin = targetOf(e, targets)
	}
	for i, k := range g.keys {
		if exprKey(k) == exprKey(e) && k.Type() == e.Type() {
			if g.origins[i] != origin {
				// PostgreSQL keeps such keys apart, nulling each item in
				// the sets that leave it out.
				g.ambiguous = true
			}
			return i, nil
		}
	}
	g.keys = append(g.keys, e)
	g.origins = append(g.origins, origin)
	return len(g.keys) - 1, nil
}

// targetOf is the first select-list item computing e, -1 for none.
func targetOf(e plan.Expr, targets []target) int {
	for i, t := range targets {
		if exprKey(t.expr) == exprKey(e) && t.expr.Type() == e.Type() {
			return i
		}
	}
	return -1
}

// groupExpr binds a GROUP BY expression; origin is the select-list item
// it names by position or alias, -1 for an expression.
func (b *binder) groupExpr(xb *exprBinder, item *pg.Node, targets []target) (e plan.Expr, origin int, err error) {
	if pos, ok := positionRef(item); ok {
		if pos < 1 || pos > len(targets) {
			return nil, 0, pgerr.New(pgerr.InvalidColumnReference, "GROUP BY position %d is not in select list", pos)
		}
		e := targets[pos-1].expr
		if containsAgg(e) {
			return nil, 0, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in GROUP BY")
		}
		return e, pos - 1, nil
	}
	if cr := item.GetColumnRef(); cr != nil && len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil {
		name := cr.Fields[0].GetString_().Sval
		if idx, _, _, _ := xb.sc.resolve(nil, name); idx < 0 {
			for i, t := range targets {
				if t.name == name {
					return t.expr, i, nil
				}
			}
		}
	}
	e, err = xb.expr(item)
	return e, -1, err
}

// keyOutput is the key column a select-list item reads when GROUP BY
// names it and it is a constant: with grouping sets such an item is NULL
// in the sets that leave it out, which matching expressions (constants
// never match) would miss.
func keyOutput(e plan.Expr, keys []plan.Expr) plan.Expr {
	if _, ok := e.(*plan.Const); !ok {
		return nil
	}
	for i, k := range keys {
		if exprKey(k) == exprKey(e) && k.Type() == e.Type() {
			return &plan.ColRef{Index: i, T: k.Type(), Name: colRefName(k)}
		}
	}
	return nil
}

// rollup is ROLLUP(p1, ..., pn): (p1..pn), (p1..pn-1), ..., ().
func rollup(parts [][]int) [][]int {
	out := make([][]int, 0, len(parts)+1)
	for n := len(parts); n >= 0; n-- {
		var set []int
		for _, p := range parts[:n] {
			set = append(set, p...)
		}
		out = append(out, set)
	}
	return out
}

// cube is CUBE(p1, ..., pn): every subset of the parts.
func cube(parts [][]int) [][]int {
	var out [][]int
	for mask := (1 << len(parts)) - 1; mask >= 0; mask-- {
		var set []int
		for i, p := range parts {
			if mask&(1<<i) != 0 {
				set = append(set, p...)
			}
		}
		out = append(out, set)
	}
	return out
}

func uniqueSorted(s []int) []int {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

func sortedSets(sets [][]int) [][]int {
	slices.SortStableFunc(sets, slices.Compare[[]int])
	return sets
}

// resolveGrouping points every grouping() call at the group keys its
// arguments name; they must be grouping expressions of this query.
func resolveGrouping(calls []plan.AggCall, keys []plan.Expr) error {
	for i := range calls {
		c := &calls[i]
		if c.Func != "grouping" {
			continue
		}
		c.GroupingKeys = []int{}
		for _, a := range aggArgs(*c) {
			found := -1
			for k, key := range keys {
				if exprKey(key) == exprKey(a) && key.Type() == a.Type() {
					found = k
					break
				}
			}
			if found < 0 {
				return pgerr.New(pgerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level")
			}
			c.GroupingKeys = append(c.GroupingKeys, found)
		}
	}
	return nil
}

// tooManyArguments is SQLSTATE 54023.
const tooManyArguments = "54023"

// groupingAggregate binds grouping(expr, ...); resolveGrouping checks its
// arguments once GROUP BY is bound.
func (x *exprBinder) groupingAggregate(argNodes []*pg.Node) (plan.Expr, error) {
	x, err := x.aggBinder()
	if err != nil {
		return nil, err
	}
	if len(argNodes) > 31 {
		return nil, pgerr.New(tooManyArguments, "GROUPING must have fewer than 32 arguments")
	}
	x.agg.where = "argument"
	args, err := x.exprs(argNodes)
	x.agg.where = ""
	if err != nil {
		return nil, err
	}
	return x.addAggregate(plan.AggCall{Func: "grouping", Args: args, Arg: args[0], T: types.TInt4})
}
