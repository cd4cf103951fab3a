package executor

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// An uncorrelated subquery runs once per Run, the first time a row needs
// it. A correlated one runs once per distinct combination of the outer
// values it reads (and, for IN, of the tested value): its plan is built
// anew for each, with OuterRef reading that outer row, and results are
// remembered in a bounded cache.

// subqueryCacheSize bounds the remembered results of a correlated subquery.
const subqueryCacheSize = 1 << 16

func (b *builder) subquery(e *plan.Subquery) (evaluator, error) {
	var arg evaluator
	if e.Kind == plan.InSubquery {
		if e.Arg == nil {
			return nil, pgerr.New(pgerr.InternalError, "IN subquery without a tested value")
		}
		var err error
		if arg, err = b.expr(e.Arg); err != nil {
			return nil, err
		}
	}
	cols := e.Plan.Columns()
	if len(cols) == 0 && e.Kind != plan.ExistsSubquery {
		return nil, pgerr.New(pgerr.SyntaxError, "subquery must return a column")
	}
	if e.Correlated {
		return &correlatedSubquery{b: b, node: e, arg: arg, outerCols: outerRefs(e.Plan), cache: map[string]types.Datum{}}, nil
	}
	return &uncorrelatedSubquery{b: b, node: e, arg: arg}, nil
}

type uncorrelatedSubquery struct {
	b    *builder
	node *plan.Subquery
	arg  evaluator
	done bool
	// value is the result of a scalar, EXISTS or ARRAY subquery.
	value types.Datum
	// set holds the rows of an IN subquery.
	set *valueSet
}

func (s *uncorrelatedSubquery) eval(b *vector.Batch) (*vector.Vector, error) {
	if !s.done {
		if err := s.run(); err != nil {
			return nil, err
		}
		s.done = true
	}
	if s.node.Kind != plan.InSubquery {
		return vector.Const(s.node.T, s.value), nil
	}
	v, err := s.arg.eval(b)
	if err != nil {
		return nil, err
	}
	out := s.set.contains(v, b.Len)
	if s.node.Negated {
		negate(out)
	}
	return out, nil
}

func (s *uncorrelatedSubquery) run() error {
	sub := &builder{rt: s.b.rt, outer: s.b.outer, outerRow: s.b.outerRow}
	if s.node.Kind != plan.InSubquery {
		d, err := subqueryValue(sub, s.node)
		s.value = d
		return err
	}
	s.set = newValueSet(s.node.Plan.Columns()[0].Type)
	return runSubplan(sub, s.node.Plan, func(batch *vector.Batch) (bool, error) {
		s.set.add(batch.Cols[0], batch.Len)
		return false, nil
	})
}

// runSubplan builds and runs a plan, passing each batch to each until it
// asks to stop.
func runSubplan(b *builder, n plan.Node, each func(*vector.Batch) (stop bool, err error)) error {
	t, err := b.tree(n)
	if err != nil {
		return err
	}
	defer t.close()
	t.start()
	for {
		if err := b.rt.checkCanceled(); err != nil {
			return err
		}
		batch, err := t.root.next()
		if err != nil || batch == nil {
			return err
		}
		if batch.Len == 0 {
			continue
		}
		if stop, err := each(batch); err != nil || stop {
			return err
		}
	}
}

// subqueryValue runs a scalar, EXISTS or ARRAY subquery.
func subqueryValue(b *builder, e *plan.Subquery) (types.Datum, error) {
	switch e.Kind {
	case plan.ExistsSubquery:
		found := false
		err := runSubplan(b, e.Plan, func(*vector.Batch) (bool, error) {
			found = true
			return true, nil
		})
		return types.BoolDatum(found != e.Negated), err
	case plan.ArraySubquery:
		elemType := e.Plan.Columns()[0].Type
		var buf []byte
		buf = append(buf, '{')
		count := 0
		err := runSubplan(b, e.Plan, func(batch *vector.Batch) (bool, error) {
			for i := 0; i < batch.Len; i++ {
				if count > 0 {
					buf = append(buf, ',')
				}
				buf = appendArrayElement(buf, elemType, batch.Cols[0], i)
				count++
			}
			return false, nil
		})
		return types.StrDatum(string(append(buf, '}'))), err
	}
	value := types.NullDatum
	rows := 0
	err := runSubplan(b, e.Plan, func(batch *vector.Batch) (bool, error) {
		rows += batch.Len
		if rows > 1 {
			return true, pgerr.New(pgerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
		}
		value = batch.Cols[0].Datum(0)
		return false, nil
	})
	return value, err
}

// appendArrayElement writes row i of v as one element of an array's
// text form.
func appendArrayElement(buf []byte, t types.Type, v *vector.Vector, i int) []byte {
	if v.IsNull(i) {
		return append(buf, "NULL"...)
	}
	return functions.AppendArrayText(buf, types.FormatText(t, v.Datum(i)))
}

type correlatedSubquery struct {
	b         *builder
	node      *plan.Subquery
	arg       evaluator
	outerCols []int
	cache     map[string]types.Datum
	key       []byte
}

func (s *correlatedSubquery) eval(b *vector.Batch) (*vector.Vector, error) {
	var arg *vector.Vector
	if s.arg != nil {
		var err error
		if arg, err = s.arg.eval(b); err != nil {
			return nil, err
		}
	}
	out := vector.Make(s.node.T, b.Len)
	for i := 0; i < b.Len; i++ {
		s.key = s.key[:0]
		for _, c := range s.outerCols {
			if c >= len(b.Cols) || b.Cols[c] == nil {
				return nil, pgerr.New(pgerr.InternalError, "outer reference to column #%d outside the input", c)
			}
			s.key = appendKeyValue(s.key, b.Cols[c], i)
		}
		argRow := 0
		if arg != nil {
			argRow = i & vector.RowMask(arg, b.Len)
			s.key = appendKeyValue(s.key, arg, argRow)
		}
		d, ok := s.cache[string(s.key)]
		if !ok {
			var err error
			sub := &builder{rt: s.b.rt, outer: b, outerRow: i}
			if arg != nil {
				d, err = s.in(sub, arg, argRow)
			} else {
				d, err = subqueryValue(sub, s.node)
			}
			if err != nil {
				return nil, err
			}
			if len(s.cache) >= subqueryCacheSize {
				clear(s.cache)
			}
			s.cache[string(s.key)] = d
		}
		vector.SetDatum(out, i, d)
	}
	return out, nil
}

// in tests row r of arg against the rows of the subquery for one outer row.
func (s *correlatedSubquery) in(b *builder, arg *vector.Vector, r int) (types.Datum, error) {
	probe := vector.Gather(arg, []int32{int32(r)})
	found, sawNull, any := false, false, false
	err := runSubplan(b, s.node.Plan, func(batch *vector.Batch) (bool, error) {
		any = true
		col := batch.Cols[0]
		eq := functions.CompareVectors(functions.CmpEq, col, probe, batch.Len)
		for i := range eq.Bool {
			if eq.IsNull(i) {
				sawNull = true
			} else if eq.Bool[i] {
				found = true
				return true, nil
			}
		}
		return false, nil
	})
	switch {
	case err != nil:
		return types.Datum{}, err
	case found:
		return types.BoolDatum(!s.node.Negated), nil
	case !any:
		return types.BoolDatum(s.node.Negated), nil
	case sawNull:
		return types.NullDatum, nil
	}
	return types.BoolDatum(s.node.Negated), nil
}

// appendKeyValue appends an exact encoding of row i of v to a cache key.
func appendKeyValue(buf []byte, v *vector.Vector, i int) []byte {
	if v.IsNull(i) {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	switch v.Type.Physical() {
	case types.PhysBool:
		if v.Bool[i] {
			return append(buf, 1)
		}
		return append(buf, 0)
	case types.PhysInt:
		return binary.LittleEndian.AppendUint64(buf, uint64(v.Int[i]))
	case types.PhysFloat:
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(v.Float[i]))
	case types.PhysDecimal:
		return appendLengthPrefixed(buf, v.Dec[i].String()+"e"+strconv.Itoa(int(v.Dec[i].Exponent())))
	case types.PhysString:
		return appendLengthPrefixed(buf, v.Str[i])
	case types.PhysBytes:
		return appendLengthPrefixed(buf, string(v.Bytes[i]))
	case types.PhysInterval:
		iv := v.Iv[i]
		buf = binary.LittleEndian.AppendUint32(buf, uint32(iv.Months))
		buf = binary.LittleEndian.AppendUint32(buf, uint32(iv.Days))
		return binary.LittleEndian.AppendUint64(buf, uint64(iv.Micros))
	}
	return buf
}

func appendLengthPrefixed(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// outerRefs lists the outer columns a subquery plan reads through
// OuterRef (nested subqueries read their own outer rows, not ours).
func outerRefs(n plan.Node) []int {
	set := map[int]bool{}
	var visit func(plan.Node)
	visit = func(n plan.Node) {
		for _, e := range nodeExprs(n) {
			plan.Walk(e, func(x plan.Expr) bool {
				if r, ok := x.(*plan.OuterRef); ok {
					set[r.Index] = true
				}
				return true
			})
		}
		switch x := n.(type) {
		case *plan.Remote:
			return
		case *plan.Apply:
			// The right side's OuterRefs read the Apply's left row.
			visit(x.Left)
			return
		}
		for _, in := range n.Inputs() {
			visit(in)
		}
	}
	visit(n)
	out := make([]int, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	return out
}

// nodeExprs lists the expressions a plan node evaluates.
func nodeExprs(n plan.Node) []plan.Expr {
	switch n := n.(type) {
	case *plan.Filter:
		return []plan.Expr{n.Pred}
	case *plan.Project:
		return n.Exprs
	case *plan.Join:
		if n.Cond != nil {
			return []plan.Expr{n.Cond}
		}
	case *plan.Aggregate:
		out := append([]plan.Expr(nil), n.GroupBy...)
		for _, a := range n.Aggs {
			if a.Arg != nil {
				out = append(out, a.Arg)
			}
			out = append(out, a.Args...)
		}
		return out
	case *plan.Sort:
		out := make([]plan.Expr, len(n.Keys))
		for i, k := range n.Keys {
			out[i] = k.Expr
		}
		return out
	case *plan.Window:
		return n.Exprs()
	case *plan.Values:
		var out []plan.Expr
		for _, row := range n.Rows {
			out = append(out, row...)
		}
		return out
	case *plan.FuncScan:
		return n.Args
	case *plan.ProjectSet:
		return n.FuncArgs()
	case *plan.Apply:
		if n.Cond != nil {
			return []plan.Expr{n.Cond}
		}
	}
	return nil
}

// valueSet is the set of values of an IN list or subquery.
type valueSet struct {
	table   *keyTable
	hasNull bool
}

func newValueSet(t types.Type) *valueSet {
	return &valueSet{table: newKeyTable([]types.Type{t})}
}

// add puts the n values of v (a full vector) in the set.
func (s *valueSet) add(v *vector.Vector, n int) {
	if v.HasNulls() {
		sel := make([]int32, 0, n)
		for i := 0; i < n; i++ {
			if v.IsNull(i) {
				s.hasNull = true
			} else {
				sel = append(sel, int32(i))
			}
		}
		v = vector.Gather(v, sel)
		n = len(sel)
	}
	hashes := make([]uint64, n)
	hashRows([]*vector.Vector{v}, n, hashes)
	s.table.insert([]*vector.Vector{v}, hashes, nil, make([]int32, n))
}

// contains is v IN (set) with SQL's three-valued logic: true when the
// value is in the set; otherwise NULL when the value or some member is
// NULL; otherwise false. Nothing is in an empty set, not even NULL.
func (s *valueSet) contains(v *vector.Vector, n int) *vector.Vector {
	if vector.IsConst(v, n) {
		n = 1
	}
	out := vector.Make(types.TBool, n)
	if s.table.len() == 0 && !s.hasNull {
		return out
	}
	v = vector.Materialize(v, n)
	hashes := make([]uint64, n)
	ids := make([]int32, n)
	hashRows([]*vector.Vector{v}, n, hashes)
	s.table.find([]*vector.Vector{v}, hashes, nil, ids)
	for i, id := range ids {
		switch {
		case v.IsNull(i) || (id < 0 && s.hasNull):
			if out.Nulls == nil {
				out.Nulls = make(vector.Nulls, vector.Words(n))
			}
			vector.SetNullBit(out.Nulls, i)
		case id >= 0:
			out.Bool[i] = true
		}
	}
	return out
}

// negate flips a boolean vector in place (NULLs stay NULL).
func negate(v *vector.Vector) {
	for i := range v.Bool {
		v.Bool[i] = !v.Bool[i]
	}
}
