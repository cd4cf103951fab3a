package executor

import (
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// logicEval is an n-ary AND or OR with SQL's three-valued logic. Like
// PostgreSQL it does not evaluate an argument for rows whose outcome the
// earlier arguments already decided, when that could raise an error.
type logicEval struct {
	args  []partial
	isAnd bool
}

func (b *builder) logic(e *plan.Op) (evaluator, error) {
	if len(e.Args) < 2 {
		return nil, pgerr.New(pgerr.InternalError, "%s needs at least two arguments", e.Op)
	}
	out := logicEval{isAnd: e.Op == plan.OpAnd}
	for _, a := range e.Args {
		p, err := b.partial(a)
		if err != nil {
			return nil, err
		}
		out.args = append(out.args, p)
	}
	return out, nil
}

func (e logicEval) eval(b *vector.Batch) (*vector.Vector, error) {
	n := b.Len
	first, err := e.args[0].ev.eval(b)
	if err != nil {
		return nil, err
	}
	acc := copyBool(first, n)
	// decided is the value that settles a row: false for AND, true for OR.
	decided := !e.isAnd
	for _, p := range e.args[1:] {
		if !p.mayFail {
			v, err := p.ev.eval(b)
			if err != nil {
				return nil, err
			}
			e.combine(acc, v, nil)
			continue
		}
		open := make([]int32, 0, n)
		for i := 0; i < n; i++ {
			if acc.IsNull(i) || acc.Bool[i] != decided {
				open = append(open, int32(i))
			}
		}
		if len(open) == 0 {
			break
		}
		v, err := p.evalRows(b, open)
		if err != nil {
			return nil, err
		}
		e.combine(acc, v, open)
	}
	return acc, nil
}

// combine folds v (values for the rows sel, or all rows when sel is nil)
// into acc.
func (e logicEval) combine(acc, v *vector.Vector, sel []int32) {
	rows := acc.Len()
	if sel != nil {
		rows = len(sel)
	}
	m := vector.RowMask(v, rows)
	if sel == nil && m != 0 && !acc.HasNulls() && !v.HasNulls() {
		if e.isAnd {
			for i, x := range v.Bool {
				acc.Bool[i] = acc.Bool[i] && x
			}
		} else {
			for i, x := range v.Bool {
				acc.Bool[i] = acc.Bool[i] || x
			}
		}
		return
	}
	decided := !e.isAnd
	for k := 0; k < rows; k++ {
		i := k
		if sel != nil {
			i = int(sel[k])
		}
		if !acc.IsNull(i) && acc.Bool[i] == decided {
			continue
		}
		switch {
		case v.IsNull(k & m):
			if acc.Nulls == nil {
				acc.Nulls = make(vector.Nulls, vector.Words(acc.Len()))
			}
			vector.SetNullBit(acc.Nulls, i)
		case v.Bool[k&m] == decided:
			acc.Bool[i] = decided
			if acc.Nulls != nil {
				acc.Nulls[i>>6] &^= 1 << (uint(i) & 63)
			}
		}
	}
}

// copyBool returns a modifiable full copy of a boolean vector.
func copyBool(v *vector.Vector, n int) *vector.Vector {
	out := vector.Make(types.TBool, n)
	if vector.IsConst(v, n) {
		if v.IsNull(0) {
			out.Nulls = vector.AllNulls(n)
		} else {
			vector.Fill(out.Bool, v.Bool[0])
		}
		return out
	}
	copy(out.Bool, v.Bool)
	if v.HasNulls() {
		out.Nulls = make(vector.Nulls, vector.Words(n))
		copy(out.Nulls, v.Nulls)
	}
	return out
}

type notEval struct{ arg evaluator }

func (e notEval) eval(b *vector.Batch) (*vector.Vector, error) {
	v, err := e.arg.eval(b)
	if err != nil {
		return nil, err
	}
	n := b.Len
	if vector.IsConst(v, n) {
		n = 1
	}
	out := vector.Make(types.TBool, n)
	for i, x := range v.Bool[:n] {
		out.Bool[i] = !x
	}
	out.Nulls = vector.StrictNulls(n, v)
	return out, nil
}

type isNullEval struct {
	arg     evaluator
	negated bool
}

func (e isNullEval) eval(b *vector.Batch) (*vector.Vector, error) {
	v, err := e.arg.eval(b)
	if err != nil {
		return nil, err
	}
	n := b.Len
	if vector.IsConst(v, n) {
		n = 1
	}
	out := vector.Make(types.TBool, n)
	if !v.HasNulls() {
		vector.Fill(out.Bool, e.negated)
		return out, nil
	}
	for i := range out.Bool {
		out.Bool[i] = v.IsNull(i) != e.negated
	}
	return out, nil
}

// isBoolEval is IS [NOT] TRUE / FALSE / UNKNOWN, which is never NULL.
type isBoolEval struct {
	arg     evaluator
	unknown bool // IS UNKNOWN; otherwise IS want
	want    bool
	negated bool
}

func (b *builder) isBool(e *plan.IsBool) (evaluator, error) {
	arg, err := b.expr(e.Arg)
	if err != nil {
		return nil, err
	}
	out := isBoolEval{arg: arg, negated: e.Negated}
	switch e.Value {
	case "TRUE":
		out.want = true
	case "FALSE":
	case "UNKNOWN":
		out.unknown = true
	default:
		return nil, pgerr.New(pgerr.InternalError, "IS %s is not a boolean test", e.Value)
	}
	return out, nil
}

func (e isBoolEval) eval(b *vector.Batch) (*vector.Vector, error) {
	v, err := e.arg.eval(b)
	if err != nil {
		return nil, err
	}
	n := b.Len
	if vector.IsConst(v, n) {
		n = 1
	}
	out := vector.Make(types.TBool, n)
	for i := range out.Bool {
		var r bool
		if e.unknown {
			r = v.IsNull(i)
		} else {
			r = !v.IsNull(i) && v.Bool[i] == e.want
		}
		out.Bool[i] = r != e.negated
	}
	return out, nil
}

// caseEval is a searched CASE: each row takes the first branch whose
// condition is true, and a branch's result is computed only for the rows
// that take it.
type caseEval struct {
	conds   []partial
	results []partial
	els     *partial
	t       types.Type
}

func (b *builder) caseExpr(e *plan.Case) (evaluator, error) {
	out := caseEval{t: e.T}
	for _, w := range e.Whens {
		c, err := b.partial(w.Cond)
		if err != nil {
			return nil, err
		}
		r, err := b.partial(w.Result)
		if err != nil {
			return nil, err
		}
		out.conds = append(out.conds, c)
		out.results = append(out.results, r)
	}
	if e.Else != nil {
		p, err := b.partial(e.Else)
		if err != nil {
			return nil, err
		}
		out.els = &p
	}
	return out, nil
}

func (e caseEval) eval(b *vector.Batch) (*vector.Vector, error) {
	n := b.Len
	out := vector.Make(e.t, n)
	rest := vector.Identity(n)
	for w, cond := range e.conds {
		if len(rest) == 0 {
			return out, nil
		}
		c, err := cond.evalRows(b, rest)
		if err != nil {
			return nil, err
		}
		taken, others := splitTrue(c, rest)
		if len(taken) > 0 {
			v, err := e.results[w].evalRows(b, taken)
			if err != nil {
				return nil, err
			}
			vector.Scatter(out, v, taken)
		}
		rest = others
	}
	if len(rest) == 0 {
		return out, nil
	}
	if e.els == nil {
		vector.Scatter(out, vector.NullConst(e.t), rest)
		return out, nil
	}
	v, err := e.els.evalRows(b, rest)
	if err != nil {
		return nil, err
	}
	vector.Scatter(out, v, rest)
	return out, nil
}

// splitTrue splits the rows sel by a boolean vector of len(sel) values
// (or a constant): those where it is true, and the others.
func splitTrue(c *vector.Vector, sel []int32) (taken, others []int32) {
	m := vector.RowMask(c, len(sel))
	for k, r := range sel {
		if !c.IsNull(k&m) && c.Bool[k&m] {
			taken = append(taken, r)
		} else {
			others = append(others, r)
		}
	}
	return taken, others
}

// inListEval is Arg [NOT] IN (list): true when some element equals the
// argument, otherwise NULL when the argument or some element is NULL,
// otherwise false. Long lists of constants are looked up in a hash table.
type inListEval struct {
	arg     evaluator
	list    []evaluator
	set     *valueSet // the constants, when the list is all constants
	negated bool
}

// inListHashMin is the list length from which a hash table beats comparing
// with each element.
const inListHashMin = 8

func (b *builder) inList(e *plan.InList) (evaluator, error) {
	arg, err := b.expr(e.Arg)
	if err != nil {
		return nil, err
	}
	out := &inListEval{arg: arg, negated: e.Negated}
	consts := len(e.List) >= inListHashMin
	for _, x := range e.List {
		if c, ok := x.(*plan.Const); !ok || c.T.Physical() != e.Arg.Type().Physical() {
			consts = false
		}
	}
	if consts {
		vals := vector.New(e.Arg.Type(), len(e.List))
		for _, x := range e.List {
			vals.AppendDatum(x.(*plan.Const).Value)
		}
		out.set = newValueSet(e.Arg.Type())
		out.set.add(vals, vals.Len())
		return out, nil
	}
	if out.list, err = b.exprs(e.List); err != nil {
		return nil, err
	}
	return out, nil
}

func (e *inListEval) eval(b *vector.Batch) (*vector.Vector, error) {
	v, err := e.arg.eval(b)
	if err != nil {
		return nil, err
	}
	var acc *vector.Vector
	if e.set != nil {
		acc = e.set.contains(v, b.Len)
	} else {
		acc = vector.Make(types.TBool, b.Len)
		or := logicEval{isAnd: false}
		for _, x := range e.list {
			xv, err := x.eval(b)
			if err != nil {
				return nil, err
			}
			or.combine(acc, functions.CompareVectors(functions.CmpEq, v, xv, b.Len), nil)
		}
	}
	if e.negated {
		negate(acc)
	}
	return acc, nil
}
