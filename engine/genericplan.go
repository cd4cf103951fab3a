package engine

import (
	"context"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// genericPlan is a query's physical plan made once for any values of its
// parameters, as PostgreSQL's generic plans are. Junction makes one only
// where it is as good as a plan made for particular values: when the
// whole query goes to one source as one statement, the parameters travel
// on to that source as its own parameters, and there is no choice left in
// Junction that a value could change (join strategies, dynamic filters and
// build sides follow estimates, which values do change). Then a repeated
// execution skips optimizing, and the source keeps the statement prepared.
type genericPlan struct {
	physical plan.Node // nil: the query is planned for its values
	tried    bool
}

// plan returns the generic plan of the query bound as logical, making it
// the first time; nil when the query must be planned for these values.
// A NULL value is always planned in: the source cannot receive it as text,
// and a plan for it may be much simpler (x = NULL reads nothing). Nor is
// there a generic plan of a query that reads the clock (now(), 'today'):
// optimizing folds the moment into the plan. env is asked for only when
// the plan is made, which spares later executions gathering it.
func (g *genericPlan) plan(ctx context.Context, env func() *planner.Env, text string, logical plan.Node, params []types.Datum) plan.Node {
	for _, p := range params {
		if p.Null {
			return nil
		}
	}
	if !g.tried {
		g.tried = true
		if timeWords.MatchString(text) || planner.ReadsClock(logical) {
			return nil
		}
		if physical, err := planner.Optimize(ctx, env(), logical); err == nil && oneStatement(physical) {
			g.physical = physical
		}
	}
	return g.physical
}

// oneStatement reports whether n sends one statement to one source and
// does nothing in Junction that depends on parameter values: above the
// remote query only projections, filters, sorts and limits without
// parameters or subqueries.
func oneStatement(n plan.Node) bool {
	switch x := n.(type) {
	case *plan.Remote:
		return x.Dynamic == nil
	case *plan.Project:
		return valueFree(x.Exprs...) && oneStatement(x.Input)
	case *plan.Filter:
		return valueFree(x.Pred) && oneStatement(x.Input)
	case *plan.Sort:
		for _, k := range x.Keys {
			if !valueFree(k.Expr) {
				return false
			}
		}
		return oneStatement(x.Input)
	case *plan.Limit:
		return oneStatement(x.Input)
	}
	return false
}

// valueFree reports whether es read neither a parameter nor a subquery.
func valueFree(es ...plan.Expr) bool {
	free := true
	for _, e := range es {
		plan.Walk(e, func(x plan.Expr) bool {
			switch x.(type) {
			case *plan.Param, *plan.Subquery:
				free = false
			}
			return free
		})
	}
	return free
}
