package planner

import (
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// dateBounds rewrites a date compared with a timestamp constant, which
// PostgreSQL's rules type as the date cast to timestamp, into the same
// comparison with a date constant: l_shipdate < date '1995-01-01' +
// interval '1' year reaches the source as l_shipdate < DATE '1996-01-01'
// instead of a cast on the column, which would keep the source from using
// an index on it. With D the day of timestamp ts:
//
//	d <  ts  ⇔  d <  D if ts is midnight, else d <= D
//	d <= ts  ⇔  d <= D
//	d >  ts  ⇔  d >  D
//	d >= ts  ⇔  d >= D if ts is midnight, else d >  D
//	d =  ts  ⇔  d =  D if ts is midnight (and d <> ts likewise)
//
// An equality with a time of day other than midnight is left as it is.
func dateBounds(n plan.Node) plan.Node {
	return mapPlan(n, func(e plan.Expr) plan.Expr {
		return rewriteExpr(e, func(x plan.Expr) (plan.Expr, bool) {
			if b, ok := asDateBound(x); ok {
				return b, true
			}
			return nil, false
		})
	})
}

func asDateBound(e plan.Expr) (plan.Expr, bool) {
	op, ok := e.(*plan.Op)
	if !ok || len(op.Args) != 2 {
		return nil, false
	}
	name := op.Op
	cast, isCast := op.Args[0].(*plan.Cast)
	c, isConst := op.Args[1].(*plan.Const)
	if !isCast {
		cast, isCast = op.Args[1].(*plan.Cast)
		c, isConst = op.Args[0].(*plan.Const)
		if name != plan.OpNe {
			name = flipped[name]
		}
	}
	if !isCast || !isConst || cast.T.Kind != types.Timestamp || cast.Arg.Type().Kind != types.Date ||
		c.T.Kind != types.Timestamp || c.Value.Null || !types.ValidTimestamp(c.Value.Int) {
		return nil, false
	}
	day := c.Value.Int / types.MicrosPerDay
	if c.Value.Int%types.MicrosPerDay < 0 {
		day--
	}
	midnight := day*types.MicrosPerDay == c.Value.Int
	switch name {
	case plan.OpLt:
		if !midnight {
			name = plan.OpLe
		}
	case plan.OpGe:
		if !midnight {
			name = plan.OpGt
		}
	case plan.OpEq, plan.OpNe:
		if !midnight {
			return nil, false
		}
	case plan.OpLe, plan.OpGt:
	default:
		return nil, false
	}
	bound := &plan.Const{Value: types.IntDatum(day), T: types.TDate}
	return &plan.Op{Op: name, Args: []plan.Expr{cast.Arg, bound}, T: types.TBool}, true
}
