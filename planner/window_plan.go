package planner

import (
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// planWindows puts window operators over node, a query level's rows after
// FROM, WHERE, GROUP BY and HAVING, and rewrites exprs (the select list and
// ORDER BY extras) to read their results. Calls over the same PARTITION BY
// and ORDER BY share one operator, which sorts once for all of them. When
// the level is aggregated, the windows' expressions read the aggregate's
// output as the select list does.
func (b *binder) planWindows(node plan.Node, exprs []plan.Expr, win *windowContext, groupKeys []plan.Expr, aggregated bool) (plan.Node, []plan.Expr, error) {
	if len(win.calls) == 0 {
		return node, exprs, nil
	}
	for _, k := range groupKeys {
		if holds(k, func(x plan.Expr) bool { _, ok := x.(*windowRef); return ok }) {
			return nil, nil, pgerr.New(windowingError, "window functions are not allowed in GROUP BY")
		}
	}
	var err error
	over := func(e plan.Expr) plan.Expr {
		if err != nil || !aggregated {
			return e
		}
		out, e2 := overAggregate(e, groupKeys)
		if e2 != nil {
			err = e2
		}
		return out
	}
	var specs []string
	bySpec := map[string][]int{}
	for i, c := range win.calls {
		key := windowSpecKey(c)
		if _, seen := bySpec[key]; !seen {
			specs = append(specs, key)
		}
		bySpec[key] = append(bySpec[key], i)
	}
	colOf := make([]int, len(win.calls))
	for _, key := range specs {
		calls := bySpec[key]
		first := win.calls[calls[0]]
		w := &plan.Window{Input: node, PartitionBy: first.partition, OrderBy: first.order}
		w.Cols = append(w.Cols, node.Columns()...)
		for _, i := range calls {
			fn := win.calls[i].fn
			colOf[i] = len(w.Cols)
			w.Funcs = append(w.Funcs, fn)
			w.Cols = append(w.Cols, plan.Column{Name: fn.Name, Type: fn.T})
		}
		node = w.MapExprs(node, over)
		if err != nil {
			return nil, nil, err
		}
	}
	out := make([]plan.Expr, len(exprs))
	for i, e := range exprs {
		out[i] = rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			if r, ok := x.(*windowRef); ok {
				return &plan.ColRef{Index: colOf[r.Index], T: r.T, Name: r.Name}, true
			}
			return nil, false
		})
	}
	return node, out, nil
}

// windowSpecKey identifies a call's PARTITION BY and ORDER BY.
func windowSpecKey(c windowCall) string {
	key := "P"
	for _, p := range c.partition {
		key += "," + exprKey(p)
	}
	key += ";O"
	for _, k := range c.order {
		key += "," + exprKey(k.Expr) + map[bool]string{true: " DESC", false: ""}[k.Desc] + map[bool]string{true: " NF", false: ""}[k.NullsFirst]
	}
	return key
}

// windowDetails is what EXPLAIN shows of a window operator.
func windowDetails(w *plan.Window) []string {
	var out []string
	if spec := w.SpecString(); spec != "" {
		out = append(out, "Window: "+spec)
	}
	calls := make([]string, len(w.Funcs))
	for i, f := range w.Funcs {
		calls[i] = f.String()
		if f.Frame != plan.DefaultFrame {
			calls[i] += " " + f.Frame.String()
		}
	}
	return append(out, "Functions: "+strings.Join(calls, ", "))
}
