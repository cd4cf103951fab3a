package planner

import (
	"sort"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// groupSameSourceJoins reorders trees of inner joins so that tables of
// the same source that the query joins to each other are joined first,
// where routing can merge them into one remote query. FROM a (pg) JOIN b
// (mysql) ON ... JOIN c (mysql) ON b.x = c.x would otherwise join a and b
// in Junction and then c, fetching b and c separately; grouped, the MySQL
// source joins b and c itself. A table joins its source's group only
// through a condition connecting it to the group, so grouping never
// creates a cross product the query did not have; nor does it take in a
// table whose join with the group the estimator expects to return more
// rows than the group and the table hold together (customers and
// suppliers joined on their nation, a many-to-many join): fetching that
// join ships more than fetching both sides, and its condition stays with
// the cross-source join, where the other tables' conditions cut it down.
// A projection on top restores the original column order.
func groupSameSourceJoins(env *Env, n plan.Node) plan.Node {
	j, ok := n.(*plan.Join)
	if !ok || !innerJoin(j) {
		in := n.Inputs()
		if len(in) == 0 {
			return n
		}
		out := make([]plan.Node, len(in))
		for i, c := range in {
			out[i] = groupSameSourceJoins(env, c)
		}
		return withInputs(n, out)
	}
	// The whole tree of inner joins is flattened at its top, then each
	// input is reordered on its own (a projection keeps its columns).
	var leaves []joinLeaf
	var conds []plan.Expr
	flattenInner(j, 0, &leaves, &conds)
	for i := range leaves {
		leaves[i].node = groupSameSourceJoins(env, leaves[i].node)
	}
	if len(leaves) < 3 {
		return &plan.Join{Kind: j.Kind, Left: leaves[0].node, Right: leaves[1].node, Cond: j.Cond}
	}
	conds = append(conds, impliedSameSourceEqualities(leaves, conds)...)
	units := groupLeaves(env, leaves, conds)
	return joinUnits(n.Columns(), leaves, units, conds)
}

func innerJoin(j *plan.Join) bool {
	return (j.Kind == plan.Inner || j.Kind == plan.Cross) && (j.Cond == nil || movable(j.Cond))
}

// joinLeaf is one input of a flattened join tree and where its columns
// start in the tree's output.
type joinLeaf struct {
	node   plan.Node
	offset int
	width  int
	source string // "" when not a single source's subtree
}

// flattenInner collects the inputs and condition conjuncts of a tree of
// inner joins; conjunct column references are positions in the whole
// tree's output.
func flattenInner(n plan.Node, offset int, leaves *[]joinLeaf, conds *[]plan.Expr) {
	if j, ok := n.(*plan.Join); ok && innerJoin(j) {
		flattenInner(j.Left, offset, leaves, conds)
		flattenInner(j.Right, offset+len(j.Left.Columns()), leaves, conds)
		if j.Cond != nil {
			for _, c := range plan.SplitAnd(j.Cond) {
				*conds = append(*conds, shift(c, offset))
			}
		}
		return
	}
	*leaves = append(*leaves, joinLeaf{node: n, offset: offset, width: len(n.Columns()), source: singleSource(n)})
}

// singleSource is the source every scan under n reads, or "".
func singleSource(n plan.Node) string {
	if s, ok := n.(*plan.Scan); ok {
		return s.Table.Source
	}
	in := n.Inputs()
	if len(in) == 0 {
		return ""
	}
	src := ""
	for _, c := range in {
		s := singleSource(c)
		if s == "" || (src != "" && s != src) {
			return ""
		}
		src = s
	}
	return src
}

// impliedSameSourceEqualities lists the equalities between columns of two
// leaves of one source that the conjuncts imply through a chain of column
// equalities but do not state. With c.nation = s.nation and s.nation =
// n.nation, customers can join nations in their source even when joining
// them to suppliers there would grow the result. Only columns of one type
// are chained, so that the implied equality compares as the stated ones;
// it is redundant in an inner join, so adding it changes no result.
func impliedSameSourceEqualities(leaves []joinLeaf, conds []plan.Expr) []plan.Expr {
	class := map[int]int{} // column -> representative
	var find func(c int) int
	find = func(c int) int {
		if r, ok := class[c]; ok && r != c {
			r = find(r)
			class[c] = r
			return r
		}
		return c
	}
	cols := map[int]*plan.ColRef{}
	stated := map[[2]int]bool{}
	for _, eq := range columnEqualities(plan.And(conds)) {
		a, b := eq[0], eq[1]
		if a.T != b.T {
			continue
		}
		cols[a.Index], cols[b.Index] = a, b
		stated[[2]int{a.Index, b.Index}], stated[[2]int{b.Index, a.Index}] = true, true
		class[find(a.Index)] = find(b.Index)
	}
	leafOf := func(c int) int {
		for i, l := range leaves {
			if c >= l.offset && c < l.offset+l.width {
				return i
			}
		}
		return -1
	}
	order := make([]int, 0, len(cols))
	for c := range cols {
		order = append(order, c)
	}
	sort.Ints(order)
	var out []plan.Expr
	for _, a := range order {
		for _, b := range order {
			la, lb := leafOf(a), leafOf(b)
			if a >= b || stated[[2]int{a, b}] || find(a) != find(b) || la == lb ||
				leaves[la].source == "" || leaves[la].source != leaves[lb].source {
				continue
			}
			out = append(out, &plan.Op{Op: plan.OpEq, T: types.TBool, Args: []plan.Expr{cols[a], cols[b]}})
		}
	}
	return out
}

// leavesOf lists the leaves a conjunct reads.
func leavesOf(e plan.Expr, leaves []joinLeaf) map[int]bool {
	out := map[int]bool{}
	for c := range colsOf(e) {
		for i, l := range leaves {
			if c >= l.offset && c < l.offset+l.width {
				out[i] = true
			}
		}
	}
	return out
}

// groupLeaves forms the join units: each is a list of leaves of one source
// connected by conditions, in order of first appearance, whose joins do
// not grow (see growsJoin).
func groupLeaves(env *Env, leaves []joinLeaf, conds []plan.Expr) [][]int {
	unitOf := make([]int, len(leaves))
	var units [][]int
	for i, l := range leaves {
		unitOf[i] = -1
		if l.source != "" {
			for u, members := range units {
				if leaves[members[0]].source == l.source && connected(i, members, leaves, conds) &&
					!growsJoin(env, i, members, leaves, conds) {
					units[u] = append(units[u], i)
					unitOf[i] = u
					break
				}
			}
		}
		if unitOf[i] < 0 {
			unitOf[i] = len(units)
			units = append(units, []int{i})
		}
	}
	return units
}

// connected reports whether a condition joins leaf i to one of members
// and reads nothing else.
func connected(i int, members []int, leaves []joinLeaf, conds []plan.Expr) bool {
	in := map[int]bool{i: true}
	for _, m := range members {
		in[m] = true
	}
	for _, c := range conds {
		ls := leavesOf(c, leaves)
		if !ls[i] || len(ls) < 2 {
			continue
		}
		inside := true
		for l := range ls {
			inside = inside && in[l]
		}
		if inside {
			return true
		}
	}
	return false
}

// growsJoin reports whether joining leaf i to the unit of members is
// expected to return more rows than both hold together. Each equality
// between a column of the unit and a column of the leaf keeps one in as
// many rows as the more distinct of the two has values, independently of
// the others, and once per column of the leaf: a composite key (part and
// supplier of partsupp) is as selective as its columns together, and a
// leaf column equated with several equal columns of the unit counts once.
// Without statistics nothing is taken to grow.
func growsJoin(env *Env, i int, members []int, leaves []joinLeaf, conds []plan.Expr) bool {
	joined, _ := joinTree(leaves, [][]int{append(append([]int(nil), members...), i)}, conds)
	j, ok := joined.(*plan.Join)
	if !ok || j.Cond == nil {
		return false
	}
	est := env.estimator()
	l, r := est.EstimateRows(j.Left), est.EstimateRows(j.Right)
	rows, nl := l*r, len(j.Left.Columns())
	used := map[int]bool{}
	for _, eq := range columnEqualities(j.Cond) {
		a, b := eq[0].Index, eq[1].Index
		if a > b {
			a, b = b, a
		}
		if a >= nl || b < nl || used[b] {
			continue
		}
		ln, lok := groupCount(env, j.Left, []int{a}, l)
		rn, rok := groupCount(env, j.Right, []int{b - nl}, r)
		if lok && rok {
			rows /= max(ln, rn, 1)
			used[b] = true
		}
	}
	return len(used) > 0 && rows > l+r
}

// joinUnits builds the reordered join: the leaves in unit order, each
// condition at the first join that has all the leaves it reads.
func joinUnits(cols []plan.Column, leaves []joinLeaf, units [][]int, conds []plan.Expr) plan.Node {
	tree, newPos := joinTree(leaves, units, conds)
	reordered := false
	exprs := make([]plan.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &plan.ColRef{Index: newPos[i], T: c.Type, Name: c.Name}
		reordered = reordered || newPos[i] != i
	}
	if !reordered {
		return tree
	}
	return &plan.Project{Input: tree, Exprs: exprs, Cols: cols}
}

// joinTree joins the leaves of units, each unit a subtree of its own, with
// the conditions over those leaves only; newPos maps a column of the
// original layout to its place in the tree's (for the leaves it holds).
func joinTree(leaves []joinLeaf, units [][]int, conds []plan.Expr) (plan.Node, []int) {
	var order []int
	for _, u := range units {
		order = append(order, u...)
	}
	width := 0
	for _, l := range leaves {
		width = max(width, l.offset+l.width)
	}
	newPos := make([]int, width)
	at := 0
	for _, li := range order {
		l := leaves[li]
		for c := 0; c < l.width; c++ {
			newPos[l.offset+c] = at + c
		}
		at += l.width
	}
	used := make([]bool, len(conds))
	built := map[plan.Node]bool{}
	// join adds leaf-set right to tree (holding the leaves in present),
	// with every unused condition the pair can now evaluate.
	join := func(tree, right plan.Node, present map[int]bool) plan.Node {
		var here []plan.Expr
		for ci, c := range conds {
			if used[ci] {
				continue
			}
			all := true
			for l := range leavesOf(c, leaves) {
				all = all && present[l]
			}
			if all {
				used[ci] = true
				here = append(here, c)
			}
		}
		kind := plan.Inner
		if len(here) == 0 {
			kind = plan.Cross
		}
		j := &plan.Join{Kind: kind, Left: tree, Right: right, Cond: plan.And(here)}
		built[j] = true
		return j
	}
	// Each unit becomes its own subtree first, so a source's tables are
	// joined to each other before anything else; then the units are joined
	// in order. Conditions are collected in original positions and remapped
	// once the layout of each subtree is known.
	var tree plan.Node
	present := map[int]bool{}
	for _, u := range units {
		var sub plan.Node
		subPresent := map[int]bool{}
		for _, li := range u {
			subPresent[li] = true
			if sub == nil {
				sub = leaves[li].node
				continue
			}
			sub = join(sub, leaves[li].node, subPresent)
		}
		for li := range subPresent {
			present[li] = true
		}
		if tree == nil {
			tree = sub
			continue
		}
		tree = join(tree, sub, present)
	}
	return remapJoinConds(tree, built, newPos), newPos
}

// remapJoinConds rewrites the conditions of the joins joinUnits built
// (the built set; joins inside the leaves keep theirs),
// written over the original layout, into the new one. Each join's output
// is a contiguous run of the new layout starting at its first column, so
// a condition's columns shift by the join's start.
func remapJoinConds(n plan.Node, built map[plan.Node]bool, newPos []int) plan.Node {
	start := map[plan.Node]int{}
	var place func(n plan.Node, at int)
	place = func(n plan.Node, at int) {
		start[n] = at
		if j, ok := n.(*plan.Join); ok && built[n] {
			place(j.Left, at)
			place(j.Right, at+len(j.Left.Columns()))
		}
	}
	place(n, 0)
	var rebuild func(n plan.Node) plan.Node
	rebuild = func(n plan.Node) plan.Node {
		j, ok := n.(*plan.Join)
		if !ok || !built[n] {
			return n
		}
		out := &plan.Join{Kind: j.Kind, Left: rebuild(j.Left), Right: rebuild(j.Right)}
		if j.Cond != nil {
			at := start[n]
			out.Cond = plan.MapCols(j.Cond, func(c *plan.ColRef) plan.Expr {
				return &plan.ColRef{Index: newPos[c.Index] - at, T: c.T, Name: c.Name}
			})
		}
		return out
	}
	return rebuild(n)
}
