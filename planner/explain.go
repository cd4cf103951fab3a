package planner

import (
	"fmt"
	"strings"

	"github.com/junction-db/junction/plan"
)

// StatsFunc returns the EXPLAIN ANALYZE figures of a node, if it ran.
type StatsFunc func(plan.Node) (string, bool)

// Explain prints a physical plan as EXPLAIN does, one line per row: each
// operator with its arguments and, for every Remote, the source and the
// exact SQL sent to it; for every operator that runs in Junction although
// it could have gone to a source, why it did not. With stats (EXPLAIN
// ANALYZE) each operator shows its estimated and actual rows.
func Explain(env *Env, n plan.Node, stats StatsFunc) []string {
	var lines []string
	var walk func(n plan.Node, depth int)
	walk = func(n plan.Node, depth int) {
		indent := strings.Repeat("      ", depth)
		prefix := indent
		if depth > 0 {
			prefix = indent[:len(indent)-6] + "  ->  "
		}
		line := prefix + describe(n)
		if stats != nil {
			line += fmt.Sprintf("  (estimated rows=%.0f)", env.estimator().EstimateRows(n))
			if s, ok := stats(n); ok {
				line += "  (actual " + s + ")"
			}
		}
		lines = append(lines, line)
		detail := indent
		if depth > 0 {
			detail += "  "
		}
		for _, d := range details(n) {
			lines = append(lines, detail+d)
		}
		if why := notPushed(env, n); why != "" {
			lines = append(lines, detail+"Not pushed: "+why)
		}
		for _, in := range n.Inputs() {
			walk(in, depth+1)
		}
		for _, sq := range subqueries(n) {
			lines = append(lines, detail+"SubPlan")
			walk(sq, depth+1)
		}
	}
	walk(n, 0)
	return lines
}

func describe(n plan.Node) string {
	switch x := n.(type) {
	case *plan.Remote:
		return fmt.Sprintf("Remote Query on %s", x.Source)
	case *plan.Rows:
		return "System Table " + x.Name
	case *plan.Values:
		return fmt.Sprintf("Values (%d rows)", len(x.Rows))
	case *plan.FuncScan:
		return "Function Scan on " + x.Name
	case *plan.Filter:
		return "Filter"
	case *plan.Project:
		return "Project"
	case *plan.ProjectSet:
		return "Project Set"
	case *plan.Join:
		return x.Kind.String() + " Join"
	case *plan.BindJoin:
		return "Bind Join"
	case *plan.Aggregate:
		return "Aggregate"
	case *plan.Sort:
		return "Sort"
	case *plan.Limit:
		return "Limit"
	case *plan.Distinct:
		return "Distinct"
	case *plan.Window:
		return "Window"
	case *plan.SetOp:
		name := [...]string{"Union", "Intersect", "Except"}[x.Kind]
		if x.All {
			name += " All"
		}
		return name
	case *plan.Scan:
		return "Scan " + x.Table.Source + "." + x.Table.Name
	case *plan.RecursiveUnion:
		if x.All {
			return "Recursive Union All on " + x.Name
		}
		return "Recursive Union on " + x.Name
	case *plan.WorkTable:
		return "WorkTable Scan on " + x.Name
	case *plan.Apply:
		return "Lateral " + x.Kind.String() + " Join"
	case *plan.DistinctOn:
		return "Distinct On"
	case *plan.LimitTies:
		return "Limit With Ties"
	}
	return fmt.Sprintf("%T", n)
}

func details(n plan.Node) []string {
	switch x := n.(type) {
	case *plan.Remote:
		out := []string{"Output: " + columnList(x.Cols), "Remote SQL: " + x.SQL}
		out = append(out, securityLines(x.Query)...)
		out = append(out, accelerationLines(x.Query)...)
		if x.Dynamic != nil {
			out = append(out, "Dynamic Filter: "+dynamicFilterText(x.Dynamic))
		}
		return out
	case *plan.FuncScan:
		call := x.Name + "(" + joinExprList(x.Args) + ")"
		if x.Ordinality {
			call += " WITH ORDINALITY"
		}
		return []string{"Output: " + columnList(x.Cols), "Call: " + call}
	case *plan.Filter:
		return []string{"Filter: " + x.Pred.String()}
	case *plan.ProjectSet:
		calls := make([]string, len(x.Funcs))
		for i, f := range x.Funcs {
			calls[i] = f.Name + "(" + joinExprList(f.Args) + ")"
		}
		return []string{"Calls: " + strings.Join(calls, ", ")}
	case *plan.Project:
		parts := make([]string, len(x.Exprs))
		for i, e := range x.Exprs {
			parts[i] = e.String()
		}
		return []string{"Output: " + strings.Join(parts, ", ")}
	case *plan.Join:
		if x.Cond != nil {
			return []string{"Join Cond: " + x.Cond.String()}
		}
	case *plan.BindJoin:
		keys := make([]string, len(x.OuterKeys))
		for i, k := range x.OuterKeys {
			keys[i] = k.String() + " = " + x.InnerKeys[i].String()
		}
		out := []string{"Join Keys: " + strings.Join(keys, ", "), "Order: the outer side's, read in batches until the limit is met"}
		if x.FirstBatch > 0 {
			out = append(out, fmt.Sprintf("First Batch: %d outer rows", x.FirstBatch))
		}
		return out
	case *plan.Aggregate:
		var out []string
		keys := make([]string, len(x.GroupBy))
		for i, k := range x.GroupBy {
			keys[i] = k.String()
		}
		if len(keys) > 0 && x.Sets == nil {
			out = append(out, "Group Key: "+strings.Join(keys, ", "))
		}
		for _, set := range x.Sets {
			names := make([]string, len(set))
			for i, k := range set {
				names[i] = keys[k]
			}
			out = append(out, "Grouping Set: ("+strings.Join(names, ", ")+")")
		}
		if len(x.Aggs) > 0 {
			aggs := make([]string, len(x.Aggs))
			for i, a := range x.Aggs {
				aggs[i] = aggDisplay(a)
			}
			out = append(out, "Aggregates: "+strings.Join(aggs, ", "))
		}
		return out
	case *plan.Sort:
		keys := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			keys[i] = k.String()
		}
		return []string{"Sort Key: " + strings.Join(keys, ", ")}
	case *plan.Window:
		return windowDetails(x)
	case *plan.Limit:
		var out []string
		if x.Count >= 0 {
			out = append(out, fmt.Sprintf("Count: %d", x.Count))
		}
		if x.Offset > 0 {
			out = append(out, fmt.Sprintf("Offset: %d", x.Offset))
		}
		return out
	}
	return nil
}

// dynamicFilterText says which keys the query waits for and how they are
// sent.
func dynamicFilterText(f *plan.DynamicFilter) string {
	from := "keys from build side"
	switch {
	case f.Bind:
		from = "keys of each outer batch"
	case f.FromLeft:
		from = "keys from left side, read first"
	}
	parts := make([]string, len(f.Keys))
	for i, k := range f.Keys {
		if f.Batch == 0 {
			parts[i] = k.Name + " = ANY(" + from + ")"
		} else {
			parts[i] = k.Name + " IN (" + from + ")"
		}
	}
	s := strings.Join(parts, " AND ")
	if f.Batch > 0 {
		s += fmt.Sprintf(", lists of up to %d", f.Batch)
	}
	return s + fmt.Sprintf(", min/max range above %d keys", f.MaxKeys)
}

func columnList(cols []plan.Column) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c.Name
	}
	return strings.Join(parts, ", ")
}

// subqueries lists the plans of subqueries in a node's expressions.
func subqueries(n plan.Node) []plan.Node {
	var out []plan.Node
	for _, e := range nodeExprs(n) {
		plan.Walk(e, func(x plan.Expr) bool {
			if sq, ok := x.(*plan.Subquery); ok {
				out = append(out, sq.Plan)
			}
			return true
		})
	}
	return out
}
