package planner

import (
	"math"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// transferPredicates infers, at every join, the constant comparisons that
// its equalities carry from one column to another, and adds them to the
// join inputs whose rows they restrict: with o.custkey = c.custkey and
// c.custkey = 4711, the orders input gets o.custkey = 4711, so that each
// source is asked only for the rows that can take part. Columns that a
// chain of equalities joins form one equivalence class; every equality,
// range or IN list of constants on one member is stated for the others.
//
// Inference only goes where it is exact. An inner join's equalities hold
// for every output row, so predicates go both ways. An outer join passes
// predicates of its preserved side to the nullable side's input, never
// back (a NULL-extended row does not satisfy them). A semi join moves
// them both ways; an anti join only into its right input. Only columns
// of the same type (integers of any width) are members, so an inferred
// predicate compares exactly as the original: text with char(n), floats
// of two widths or a date with a timestamp never trade predicates.
//
// ORs that read both inputs of a join restrict each input too (see
// orRestrictions).
//
// It runs before filter pushdown, which carries the new predicates down
// to the scans; predicates that an input already has are not repeated.
func transferPredicates(n plan.Node) plan.Node {
	return transferInto(n, nil)
}

// transferInto applies the rule to n and below, given facts: conjuncts
// over n's output that every row that matters to the result satisfies.
func transferInto(n plan.Node, facts []plan.Expr) plan.Node {
	switch x := n.(type) {
	case *plan.Filter:
		own := append(append([]plan.Expr{}, facts...), plan.SplitAnd(x.Pred)...)
		return &plan.Filter{Input: transferInto(x.Input, own), Pred: x.Pred}
	case *plan.Project:
		var below []plan.Expr
		for _, f := range facts {
			below = append(below, plan.MapCols(f, func(c *plan.ColRef) plan.Expr { return x.Exprs[c.Index] }))
		}
		return &plan.Project{Input: transferInto(x.Input, below), Exprs: x.Exprs, Cols: x.Cols}
	case *plan.Sort:
		return &plan.Sort{Input: transferInto(x.Input, facts), Keys: x.Keys}
	case *plan.Distinct:
		return &plan.Distinct{Input: transferInto(x.Input, facts)}
	case *plan.Aggregate:
		var below []plan.Expr
		for _, f := range facts {
			if onlyGroupKeys(f, x) {
				below = append(below, plan.MapCols(f, func(c *plan.ColRef) plan.Expr { return x.GroupBy[c.Index] }))
			}
		}
		return withInputs(x, []plan.Node{transferInto(x.Input, below)})
	case *plan.Join:
		return transferAtJoin(x, facts)
	}
	// Facts above a LIMIT or a set operation do not hold below it.
	in := n.Inputs()
	if len(in) == 0 {
		return n
	}
	out := make([]plan.Node, len(in))
	for i, c := range in {
		out[i] = transferInto(c, nil)
	}
	return withInputs(n, out)
}

func onlyGroupKeys(e plan.Expr, a *plan.Aggregate) bool {
	nk := len(a.GroupBy)
	for c := range colsOf(e) {
		if c >= nk || !a.InEverySet(c) {
			return false
		}
	}
	return nk > 0
}

// transferAtJoin adds to each input of j the predicates the join's
// equivalence classes imply for it, then continues into the inputs.
func transferAtJoin(j *plan.Join, facts []plan.Expr) plan.Node {
	nl := len(j.Left.Columns())
	cols := append(append([]plan.Column{}, j.Left.Columns()...), j.Right.Columns()...)
	var cond []plan.Expr
	if j.Cond != nil {
		cond = plan.SplitAnd(j.Cond)
	}
	leftFacts := onSide(facts, 0, nl)
	rightFacts := onSide(facts, nl, len(cols))
	// known holds for every pair of input rows the join matches and whose
	// result matters; what it implies for an input may filter that input
	// where toLeft or toRight allows.
	known := append(knownConjuncts(j.Left), shiftAll(knownConjuncts(j.Right), nl)...)
	known = append(known, cond...)
	var toLeft, toRight bool
	switch j.Kind {
	case plan.Inner, plan.Cross:
		toLeft, toRight = true, true
		known = append(known, facts...)
		leftFacts = append(leftFacts, onSide(cond, 0, nl)...)
		rightFacts = append(rightFacts, onSide(cond, nl, len(cols))...)
	case plan.Left, plan.Semi, plan.Anti:
		// Facts above a semi or anti join are over its left columns only.
		toLeft, toRight = j.Kind == plan.Semi, true
		known = append(known, leftFacts...)
		rightFacts = onSide(cond, nl, len(cols))
		if j.Kind == plan.Semi {
			leftFacts = append(leftFacts, onSide(cond, 0, nl)...)
		}
	case plan.Right:
		toLeft = true
		known = append(known, rightFacts...)
		leftFacts = onSide(cond, 0, nl)
	default:
		leftFacts, rightFacts = nil, nil
	}
	var addLeft, addRight []plan.Expr
	if toLeft || toRight {
		have := map[string]bool{}
		for _, k := range known {
			have[factKey(k)] = true
		}
		for _, p := range implied(known, cols) {
			if have[factKey(p.pred)] {
				continue
			}
			have[factKey(p.pred)] = true
			switch {
			case p.col < nl && toLeft:
				addLeft = append(addLeft, p.pred)
			case p.col >= nl && toRight:
				addRight = append(addRight, shift(p.pred, -nl))
			}
		}
		orLeft, orRight := orRestrictions(known, nl, len(cols))
		if toLeft {
			addLeft = append(addLeft, orLeft...)
		}
		if toRight {
			addRight = append(addRight, orRight...)
		}
	}
	left := withFilter(j.Left, addLeft)
	right := withFilter(j.Right, addRight)
	return &plan.Join{
		Kind:  j.Kind,
		Left:  transferInto(left, leftFacts),
		Right: transferInto(right, shiftAll(rightFacts, -nl)),
		Cond:  j.Cond,
	}
}

// onSide keeps the movable conjuncts that read only columns [lo, hi) and
// at least one of them.
func onSide(es []plan.Expr, lo, hi int) []plan.Expr {
	var out []plan.Expr
	for _, e := range es {
		used := colsOf(e)
		if len(used) == 0 || !movable(e) {
			continue
		}
		ok := true
		for c := range used {
			if c < lo || c >= hi {
				ok = false
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

func shiftAll(es []plan.Expr, delta int) []plan.Expr {
	out := make([]plan.Expr, len(es))
	for i, e := range es {
		out[i] = shift(e, delta)
	}
	return out
}

// knownConjuncts lists conjuncts that hold for every output row of n, as
// far as the operators below show them.
func knownConjuncts(n plan.Node) []plan.Expr {
	switch x := n.(type) {
	case *plan.Filter:
		return append(plan.SplitAnd(x.Pred), knownConjuncts(x.Input)...)
	case *plan.Join:
		nl := len(x.Left.Columns())
		switch x.Kind {
		case plan.Inner, plan.Cross:
			out := knownConjuncts(x.Left)
			out = append(out, shiftAll(knownConjuncts(x.Right), nl)...)
			if x.Cond != nil {
				out = append(out, plan.SplitAnd(x.Cond)...)
			}
			return out
		case plan.Left, plan.Semi, plan.Anti:
			return knownConjuncts(x.Left)
		case plan.Right:
			return shiftAll(knownConjuncts(x.Right), nl)
		}
	case *plan.Project:
		// A fact survives a projection when every column it reads is
		// passed through unchanged.
		at := map[int]int{}
		for i, e := range x.Exprs {
			if c, ok := e.(*plan.ColRef); ok {
				if _, seen := at[c.Index]; !seen {
					at[c.Index] = i
				}
			}
		}
		var out []plan.Expr
		for _, f := range knownConjuncts(x.Input) {
			ok := true
			for c := range colsOf(f) {
				if _, in := at[c]; !in {
					ok = false
				}
			}
			if ok && movable(f) {
				out = append(out, plan.MapCols(f, func(c *plan.ColRef) plan.Expr {
					return &plan.ColRef{Index: at[c.Index], T: c.T, Name: c.Name}
				}))
			}
		}
		return out
	case *plan.Sort, *plan.Limit, *plan.Distinct:
		return knownConjuncts(n.Inputs()[0])
	}
	return nil
}

// impliedPred is a predicate on column col alone.
type impliedPred struct {
	col  int
	pred plan.Expr
}

// implied derives, from conjuncts over columns cols, the constant
// predicates that equalities between columns carry to other members of
// their equivalence classes.
func implied(conjuncts []plan.Expr, cols []plan.Column) []impliedPred {
	parent := make([]int, len(cols))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	var bounds []constBound
	for _, c := range conjuncts {
		if !movable(c) {
			continue
		}
		if a, b, ok := columnEquality(c); ok {
			parent[find(a)] = find(b)
			continue
		}
		if b, ok := asConstBound(c); ok {
			bounds = append(bounds, b)
		}
	}
	var out []impliedPred
	for _, b := range bounds {
		for m := range cols {
			if m == b.col || find(m) != find(b.col) {
				continue
			}
			if p, ok := b.on(m, cols[m]); ok {
				out = append(out, impliedPred{m, p})
			}
		}
	}
	return out
}

// member returns the column an expression reads when it is the column
// itself, or the column widened to a larger integer type (how an int4
// column meets an int8 one; the integer kinds are declared in width
// order).
func member(e plan.Expr) (int, bool) {
	if c, ok := e.(*plan.Cast); ok && isIntKind(c.T.Kind) && isIntKind(c.Arg.Type().Kind) && c.Arg.Type().Kind <= c.T.Kind {
		e = c.Arg
	}
	if c, ok := e.(*plan.ColRef); ok {
		return c.Index, true
	}
	return 0, false
}

// columnEquality recognises a = b between two members whose values
// compare the same way on both sides.
func columnEquality(e plan.Expr) (a, b int, ok bool) {
	op, isOp := e.(*plan.Op)
	if !isOp || op.Op != plan.OpEq || len(op.Args) != 2 {
		return 0, 0, false
	}
	a, okA := member(op.Args[0])
	b, okB := member(op.Args[1])
	if !okA || !okB || a == b || !transferable(op.Args[0].Type(), op.Args[1].Type()) {
		return 0, 0, false
	}
	if !transferable(memberType(op.Args[0]), memberType(op.Args[1])) {
		return 0, 0, false
	}
	return a, b, true
}

func memberType(e plan.Expr) types.Type {
	if c, ok := e.(*plan.Cast); ok {
		return c.Arg.Type()
	}
	return e.Type()
}

// transferable reports whether values of types a and b compare exactly as
// each other's: the same base type (modifiers of varchar and numeric do
// not change comparison; char(n) lengths are kept apart), or two integer
// types.
func transferable(a, b types.Type) bool {
	if isIntKind(a.Kind) && isIntKind(b.Kind) {
		return true
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case types.Bpchar:
		return a == b
	case types.Float4, types.Float8, types.Numeric, types.Date, types.Timestamp, types.TimestampTZ,
		types.Bool, types.Text, types.Varchar, types.UUID:
		return true
	}
	return false
}

// constBound is member column col compared with constants: col op
// values[0], or col IN values.
type constBound struct {
	col    int
	op     string // a comparison operator, or "" for IN
	values []*plan.Const
}

var flipped = map[string]string{plan.OpEq: plan.OpEq, plan.OpLt: plan.OpGt, plan.OpLe: plan.OpGe, plan.OpGt: plan.OpLt, plan.OpGe: plan.OpLe}

func asConstBound(e plan.Expr) (constBound, bool) {
	switch x := e.(type) {
	case *plan.Op:
		if _, cmp := flipped[x.Op]; !cmp || len(x.Args) != 2 {
			return constBound{}, false
		}
		l, r, op := x.Args[0], x.Args[1], x.Op
		if _, isConst := l.(*plan.Const); isConst {
			l, r, op = r, l, flipped[op]
		}
		col, ok := member(l)
		c, isConst := r.(*plan.Const)
		if !ok || !isConst || c.Value.Null || !transferable(memberType(l), c.T) {
			return constBound{}, false
		}
		return constBound{col: col, op: op, values: []*plan.Const{c}}, true
	case *plan.InList:
		col, ok := member(x.Arg)
		if !ok || x.Negated {
			return constBound{}, false
		}
		b := constBound{col: col}
		for _, v := range x.List {
			c, isConst := v.(*plan.Const)
			if !isConst || c.Value.Null || !transferable(memberType(x.Arg), c.T) {
				return constBound{}, false
			}
			b.values = append(b.values, c)
		}
		return b, true
	}
	return constBound{}, false
}

// on states the bound for column m of column description c.
func (b constBound) on(m int, c plan.Column) (plan.Expr, bool) {
	ref := &plan.ColRef{Index: m, T: c.Type, Name: c.Name}
	list := make([]plan.Expr, len(b.values))
	for i, v := range b.values {
		cv, ok := constAs(v, c.Type)
		if !ok {
			return nil, false
		}
		list[i] = cv
	}
	if b.op == "" {
		return &plan.InList{Arg: ref, List: list}, true
	}
	return &plan.Op{Op: b.op, Args: []plan.Expr{ref, list[0]}, T: types.TBool}, true
}

// constAs gives a constant column type t when it keeps its value: an
// integer that fits t, or a value of t's base type.
func constAs(v *plan.Const, t types.Type) (*plan.Const, bool) {
	if !transferable(v.T, t) {
		return nil, false
	}
	if !isIntKind(t.Kind) {
		return v, true
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	switch t.Kind {
	case types.Int2:
		lo, hi = math.MinInt16, math.MaxInt16
	case types.Int4:
		lo, hi = math.MinInt32, math.MaxInt32
	}
	if v.Value.Int < lo || v.Value.Int > hi {
		return nil, false
	}
	return &plan.Const{Value: v.Value, T: t}, true
}

// factKey identifies a conjunct by its columns' positions, not their
// names, so that a predicate an input already has is recognised.
func factKey(e plan.Expr) string {
	return plan.MapCols(e, func(c *plan.ColRef) plan.Expr { return &plan.ColRef{Index: c.Index, T: c.T} }).String()
}
