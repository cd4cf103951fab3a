package sqlgen

import (
	"strings"

	"github.com/junction-db/junction/plan"
)

// readsColumns reports whether e reads an input column.
func readsColumns(e plan.Expr) bool {
	found := false
	plan.Walk(e, func(x plan.Expr) bool {
		_, ok := x.(*plan.ColRef)
		found = found || ok
		return !found
	})
	return found
}

// groupingSets renders GROUP BY GROUPING SETS over rendered keys; a set
// is a list of positions in keys.
func groupingSets(keys []string, sets [][]int) string {
	parts := make([]string, len(sets))
	for i, set := range sets {
		names := make([]string, len(set))
		for j, k := range set {
			names[j] = keys[k]
		}
		parts[i] = "(" + strings.Join(names, ", ") + ")"
	}
	return "GROUPING SETS (" + strings.Join(parts, ", ") + ")"
}

// groupingCall renders grouping() over the keys at the given positions.
func groupingCall(keys []string, at []int) string {
	names := make([]string, len(at))
	for i, k := range at {
		names[i] = keys[k]
	}
	return "GROUPING(" + strings.Join(names, ", ") + ")"
}
