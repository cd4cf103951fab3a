package planner

import "github.com/junction-db/junction/plan"

// pushBelowWindow moves below a window operator the conjuncts that read
// only columns it partitions by: they keep or drop whole partitions, so
// every remaining row's window results are unchanged. The others, and
// those reading window results, stay above.
func pushBelowWindow(w *plan.Window, preds, above []plan.Expr) plan.Node {
	partCols := map[int]bool{}
	for _, p := range w.PartitionBy {
		if c, ok := p.(*plan.ColRef); ok {
			partCols[c.Index] = true
		}
	}
	var pushed []plan.Expr
	for _, p := range preds {
		ok := true
		for c := range colsOf(p) {
			if !partCols[c] {
				ok = false
			}
		}
		if ok {
			pushed = append(pushed, p)
		} else {
			above = append(above, p)
		}
	}
	return withFilter(withInputs(w, []plan.Node{pushFilters(w.Input, pushed)}), above)
}

// pruneWindow keeps the window functions whose results are needed and the
// input columns they and the needed pass-through columns read.
func pruneWindow(w *plan.Window, need []bool) (plan.Node, []int) {
	nin := len(w.Input.Columns())
	kept := &plan.Window{PartitionBy: w.PartitionBy, OrderBy: w.OrderBy}
	var keptCols []plan.Column
	for i, f := range w.Funcs {
		if need[nin+i] {
			kept.Funcs = append(kept.Funcs, f)
			keptCols = append(keptCols, w.Cols[nin+i])
		}
	}
	if len(kept.Funcs) == 0 {
		child, m := prune(w.Input, need[:nin])
		for range w.Funcs {
			m = append(m, -1)
		}
		return child, m
	}
	childNeed := append([]bool{}, need[:nin]...)
	for _, e := range kept.Exprs() {
		for c := range colsOf(e) {
			childNeed[c] = true
		}
	}
	markOuterRefs(kept.Exprs(), childNeed)
	child, m := prune(w.Input, childNeed)
	out := kept.MapExprs(child, func(e plan.Expr) plan.Expr { return remap(e, m) })
	out.Cols = append(append([]plan.Column{}, child.Columns()...), keptCols...)
	mapping := append([]int{}, m...)
	next := len(child.Columns())
	for i := range w.Funcs {
		if need[nin+i] {
			mapping = append(mapping, next)
			next++
		} else {
			mapping = append(mapping, -1)
		}
	}
	return out, mapping
}
