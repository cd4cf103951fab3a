package executor

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/executor/spill"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// keyCollector passes a join's build side through unchanged while
// collecting the distinct non-NULL values of each dynamic-filter key
// (NULL never equals a key). When the build side ends, the probe side's
// remote query is narrowed to them and sent.
type keyCollector struct {
	input  operator
	filter *plan.DynamicFilter
	evs    []evaluator
	sets   []*keySet
	target *remoteOp
	done   bool
}

// dynamicFilter wires up the dynamic filter of join n's inputs, if one
// of them reaches a Remote that carries one. When it is the left (probe)
// side's, the right (build) input is wrapped to collect the keys as the
// join builds. When it is the right side's, the left input is read whole
// first, before the build starts, and then replayed to the probe.
func (b *builder) dynamicFilter(n *plan.Join, left, right operator) (operator, operator, error) {
	if r := probeRemote(n.Left); r != nil && r.Dynamic != nil && !r.Dynamic.FromLeft {
		c, err := b.keyCollector(r, right)
		if c == nil || err != nil {
			return left, right, err
		}
		return left, c, nil
	}
	r := probeRemote(n.Right)
	if r == nil || r.Dynamic == nil || !r.Dynamic.FromLeft {
		return left, right, nil
	}
	c, err := b.keyCollector(r, left)
	if c == nil || err != nil {
		return left, right, err
	}
	first := &readFirst{rt: b.rt, input: c, res: b.rt.mem.Reserve("dynamic filter"),
		types: plan.ColumnTypes(n.Left), spilled: b.rt.spillStats(n)}
	return first, &afterRead{input: right, first: first}, nil
}

// keyCollector wraps input, which yields the keys of r's dynamic filter,
// and holds r's query back until input is read; nil if r is not built
// here.
func (b *builder) keyCollector(r *plan.Remote, input operator) (*keyCollector, error) {
	var target *remoteOp
	for _, op := range b.remotes {
		if op.node == r {
			target = op
		}
	}
	if target == nil {
		return nil, nil
	}
	c := &keyCollector{input: input, filter: r.Dynamic, target: target}
	for _, k := range r.Dynamic.Keys {
		ev, err := b.expr(k.Build)
		if err != nil {
			return nil, err
		}
		c.evs = append(c.evs, ev)
		c.sets = append(c.sets, newKeySet(k.T, r.Dynamic.MaxKeys))
	}
	target.waits = true
	return c, nil
}

// readFirst reads its whole input when read is first called (by
// afterRead, before the other input starts), then yields it again. What
// does not fit the memory budget goes to a temporary file, read back after
// the batches held.
type readFirst struct {
	rt      *runtime
	input   operator
	batches []*vector.Batch
	done    bool
	res     *memory.Reservation
	file    *spill.File
	types   []types.Type
	spilled *atomic.Int64
}

func (f *readFirst) read() error {
	if f.done {
		return nil
	}
	f.done = true
	err := drain(f.rt, f.input, func(b *vector.Batch) error {
		if f.file == nil && f.res.Grow(memory.BatchBytes(b)) {
			f.batches = append(f.batches, b)
			return nil
		}
		if f.file == nil {
			file, err := spill.Create(f.rt.mem, f.types)
			if err != nil {
				return err
			}
			f.file = file
		}
		return f.file.Write(b)
	})
	if err != nil || f.file == nil {
		return err
	}
	if err := f.file.Rewind(); err != nil {
		return err
	}
	if f.spilled != nil {
		f.spilled.Add(f.file.Bytes())
	}
	return nil
}

func (f *readFirst) next() (*vector.Batch, error) {
	if err := f.read(); err != nil {
		return nil, err
	}
	if len(f.batches) > 0 {
		b := f.batches[0]
		f.batches = f.batches[1:]
		f.res.Shrink(memory.BatchBytes(b))
		return b, nil
	}
	if f.file != nil {
		return f.file.Read()
	}
	return nil, nil
}

func (f *readFirst) close() {
	if !f.done {
		f.done = true
		f.input.close()
	}
	f.batches = nil
	f.res.Free()
	if f.file != nil {
		f.file.Close()
		f.file = nil
	}
}

// afterRead starts its input only once first has been read.
type afterRead struct {
	input operator
	first *readFirst
}

func (a *afterRead) next() (*vector.Batch, error) {
	if err := a.first.read(); err != nil {
		return nil, err
	}
	return a.input.next()
}

func (a *afterRead) close() { a.input.close() }

// probeRemote is the Remote below n's filters and projections, if any.
func probeRemote(n plan.Node) *plan.Remote {
	for {
		switch x := n.(type) {
		case *plan.Remote:
			return x
		case *plan.Filter:
			n = x.Input
		case *plan.Project:
			n = x.Input
		default:
			return nil
		}
	}
}

func (c *keyCollector) next() (*vector.Batch, error) {
	b, err := c.input.next()
	if err != nil || c.done {
		return b, err
	}
	if b == nil {
		c.done = true
		c.target.restrict(c.filter, c.sets)
		return nil, nil
	}
	keys, err := evalAll(c.evs, b)
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		c.sets[i].add(k, b.Len)
	}
	return b, nil
}

func (c *keyCollector) close() { c.input.close() }

// keySet is the distinct values of one key, or only their range once
// there are more than max of them.
type keySet struct {
	t        types.Type
	max      int
	ints     map[int64]struct{}
	strs     map[string]struct{}
	min, top types.Datum
	overflow bool
	any      bool
}

func newKeySet(t types.Type, max int) *keySet {
	s := &keySet{t: t, max: max}
	if t.Physical() == types.PhysInt {
		s.ints = map[int64]struct{}{}
	} else {
		s.strs = map[string]struct{}{}
	}
	return s
}

func (s *keySet) add(v *vector.Vector, n int) {
	if vector.IsConst(v, n) {
		n = 1
	}
	for i := 0; i < n; i++ {
		if v.IsNull(i) {
			continue
		}
		d := v.Datum(i)
		if !s.any || s.compare(d, s.min) < 0 {
			s.min = d
		}
		if !s.any || s.compare(d, s.top) > 0 {
			s.top = d
		}
		s.any = true
		if s.overflow {
			continue
		}
		if s.ints != nil {
			s.ints[d.Int] = struct{}{}
		} else {
			s.strs[d.Str] = struct{}{}
		}
		if s.len() > s.max {
			s.overflow, s.ints, s.strs = true, nil, nil
		}
	}
}

func (s *keySet) len() int { return len(s.ints) + len(s.strs) }

// values lists the distinct keys.
func (s *keySet) values() []types.Datum {
	out := make([]types.Datum, 0, s.len())
	for v := range s.ints {
		out = append(out, types.IntDatum(v))
	}
	for v := range s.strs {
		out = append(out, types.StrDatum(v))
	}
	return out
}

// compare orders keys as the join compares them (text by bytes).
func (s *keySet) compare(a, b types.Datum) int {
	if s.t.Physical() == types.PhysInt {
		return cmp.Compare(a.Int, b.Int)
	}
	return strings.Compare(a.Str, b.Str)
}

// restrict narrows the remote query to the collected keys before it is
// sent; with no key at all the query is not sent. A key whose predicate
// the source cannot express exactly is left out: the join still checks
// every pair, so the filter only has to keep every row that can match.
func (r *remoteOp) restrict(f *plan.DynamicFilter, sets []*keySet) {
	r.waits = false
	if r.started {
		return
	}
	if r.st != nil {
		for _, s := range sets {
			if s.overflow {
				r.st.dynRanges.Add(1)
			} else {
				r.st.dynKeys.Add(int64(s.len()))
			}
		}
	}
	d := r.conn.Dialect()
	var preds []plan.Expr
	// The client's parameters keep their numbers; the keys come after.
	params := slices.Clone(r.params)
	for i, k := range f.Keys {
		s := sets[i]
		if !s.any {
			r.ended = true
			return
		}
		col := &plan.ColRef{Index: k.Col, T: k.T, Name: k.Name}
		var p plan.Expr
		switch {
		case s.overflow:
			p = plan.And([]plan.Expr{
				&plan.Op{Op: plan.OpGe, Args: []plan.Expr{col, &plan.Const{Value: s.min, T: k.T}}, T: types.TBool},
				&plan.Op{Op: plan.OpLe, Args: []plan.Expr{col, &plan.Const{Value: s.top, T: k.T}}, T: types.TBool},
			})
		case f.Batch == 0:
			p = &sqlgen.KeyParam{Arg: col, N: len(params) + 1}
			params = append(params, arrayText(k.T, s.values()))
		default:
			p = inLists(col, k.T, s.values(), f.Batch)
		}
		if !sqlgen.ExprRenderable(d, p) {
			if _, bound := p.(*sqlgen.KeyParam); bound {
				params = params[:len(params)-1]
			}
			continue
		}
		preds = append(preds, p)
	}
	if len(preds) == 0 {
		return
	}
	sql, err := sqlgen.Render(d, &plan.Filter{Input: r.node.Query, Pred: plan.And(preds)})
	if err != nil {
		return
	}
	r.sql, r.params, r.narrowed = sql, params, true
}

// inLists is col IN (...) OR col IN (...), batch keys a list.
func inLists(col plan.Expr, t types.Type, keys []types.Datum, batch int) plan.Expr {
	var lists []plan.Expr
	for len(keys) > 0 {
		n := min(batch, len(keys))
		items := make([]plan.Expr, n)
		for i, k := range keys[:n] {
			items[i] = &plan.Const{Value: k, T: t}
		}
		lists = append(lists, &plan.InList{Arg: col, List: items})
		keys = keys[n:]
	}
	if len(lists) == 1 {
		return lists[0]
	}
	return &plan.Op{Op: plan.OpOr, Args: lists, T: types.TBool}
}

// arrayText is PostgreSQL's text form of an array of keys, every element
// quoted, so that the server reads it as an array of whatever type it
// infers for the parameter.
func arrayText(t types.Type, keys []types.Datum) string {
	buf := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '"')
		for _, c := range types.AppendText(nil, t, k) {
			if c == '"' || c == '\\' {
				buf = append(buf, '\\')
			}
			buf = append(buf, c)
		}
		buf = append(buf, '"')
	}
	return string(append(buf, '}'))
}

// query sends the remote query, with its bound parameters if a dynamic
// filter gave it any, or as a cursor when asked and the source has them.
func (r *remoteOp) query(ctx context.Context) (connectors.Rows, error) {
	if cq, ok := r.conn.(connectors.CursorQuerier); ok && r.cursor && len(r.params) == 0 {
		return cq.QueryCursor(ctx, r.sql, r.types, r.firstFetch)
	}
	if len(r.params) > 0 && !r.narrowed {
		// Only the client's parameters: the same text comes again.
		if lq, ok := r.conn.(connectors.LookupQuerier); ok && r.node.PointLookup {
			return lq.QueryLookup(ctx, r.sql, r.params, r.types)
		}
		if pq, ok := r.conn.(connectors.PreparedQuerier); ok {
			return pq.QueryPrepared(ctx, r.sql, r.params, r.types)
		}
	}
	if len(r.params) > 0 {
		if pq, ok := r.conn.(connectors.ParamQuerier); ok {
			return pq.QueryParams(ctx, r.sql, r.params, r.types)
		}
	}
	return r.conn.Query(ctx, r.sql, r.types)
}
