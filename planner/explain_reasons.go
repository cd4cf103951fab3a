package planner

import (
	"slices"
	"strings"

	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
)

// notPushed says why an operator that runs in Junction was not sent to a
// source with its inputs, or "" for operators that only Junction runs
// (scans of system tables, function scans, projections) and for Remotes.
func notPushed(env *Env, n plan.Node) string {
	switch n.(type) {
	case *plan.Filter, *plan.Join, *plan.BindJoin, *plan.Aggregate, *plan.Sort, *plan.Limit, *plan.Distinct, *plan.SetOp, *plan.Window:
	default:
		return ""
	}
	sources := sourcesBelow(n)
	inputs := n.Inputs()
	if len(sources) > 1 && len(inputs) > 1 {
		return "inputs from different sources (" + strings.Join(sources, ", ") + ")"
	}
	if len(sources) > 1 {
		return "its input combines sources (" + strings.Join(sources, ", ") + ")"
	}
	queries := make([]plan.Node, len(inputs))
	for i, in := range inputs {
		r, ok := in.(*plan.Remote)
		if !ok {
			return "its input is computed in Junction"
		}
		queries[i] = r.Query
	}
	d, ok := env.Dialect(sources[0])
	if !ok {
		return "source " + sources[0] + " is not connected"
	}
	return sqlgen.Why(d, withInputs(n, queries))
}

// sourcesBelow lists, sorted, the sources whose Remotes feed n.
func sourcesBelow(n plan.Node) []string {
	var out []string
	var walk func(plan.Node)
	walk = func(n plan.Node) {
		if r, ok := n.(*plan.Remote); ok {
			if !slices.Contains(out, r.Source) {
				out = append(out, r.Source)
			}
			return
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
	slices.Sort(out)
	return out
}
