package executor

import (
	"math"
	"slices"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// joinOp joins by building a table of the right input and probing it with
// the left input's batches. With equi-keys (conjuncts left expr = right
// expr) the table is a hash table on the keys and only rows with equal,
// non-NULL keys are candidates; without, every right row is a candidate
// (nested loop). The rest of the condition, the residual, is evaluated on
// the candidate pairs, and a pair counts as a match only when it holds,
// also for deciding which rows an outer, semi or anti join keeps.
type joinOp struct {
	rt          *runtime
	kind        plan.JoinKind
	left, right operator
	leftTypes   []types.Type
	rightTypes  []types.Type

	leftKeys, rightKeys []evaluator // empty for a nested loop
	keyTypes            []types.Type
	residual            evaluator // nil when every candidate matches
	residualCols        []int     // columns of a pair the residual reads

	built bool
	build *vector.Batch // every right row
	table *keyTable     // distinct right keys
	// head holds each key's right row, or ^row of the first of several
	// rows that chain links; nil when the keys are unique, their ids
	// being their rows.
	head    []int32
	chain   []int32 // next right row with the same key, -1 at the end
	matched []bool  // right rows that have a match (right and full joins)

	probe        *vector.Batch // the left batch being joined
	probeHeads   []int32       // head of each probe row's key, noCandidate for none
	probeMatched []bool
	row          int   // probe row whose candidates are being listed
	cursor       int32 // last candidate listed for that row, or cursorStart
	leftDone     bool
	tailPos      int // next right row for the unmatched-right tail

	// sameKeys maps a right column to the left column it equals in every
	// matching pair: both are the plain columns of an integer-like key,
	// whose equality is identity.
	sameKeys map[int]int

	// scratch of lookupKeys and matchPairs
	ids, sel, li, ri []int32
	hashes           []uint64
}

// cursorStart marks that the candidates of the current row are not listed yet.
const cursorStart = -2

// noCandidate marks a probe row whose key has no right row.
const noCandidate = math.MinInt32

func (b *builder) join(n *plan.Join) (operator, error) {
	ins, err := b.inputs(n.Left, n.Right)
	if err != nil {
		return nil, err
	}
	if ins[0], ins[1], err = b.dynamicFilter(n, ins[0], ins[1]); err != nil {
		return nil, err
	}
	op := &joinOp{rt: b.rt, kind: n.Kind, left: ins[0], right: ins[1],
		leftTypes: plan.ColumnTypes(n.Left), rightTypes: plan.ColumnTypes(n.Right)}
	nLeft := len(op.leftTypes)
	var residual []plan.Expr
	if n.Cond != nil {
		for _, c := range plan.SplitAnd(n.Cond) {
			l, r, ok := equiKey(c, nLeft)
			if !ok || n.Kind == plan.Cross {
				residual = append(residual, c)
				continue
			}
			lk, err := b.expr(l)
			if err != nil {
				return nil, err
			}
			rk, err := b.expr(plan.MapCols(r, func(c *plan.ColRef) plan.Expr {
				return &plan.ColRef{Index: c.Index - nLeft, T: c.T, Name: c.Name}
			}))
			if err != nil {
				return nil, err
			}
			lc, lok := l.(*plan.ColRef)
			rc, rok := r.(*plan.ColRef)
			if lok && rok && l.Type().Physical() == types.PhysInt {
				if op.sameKeys == nil {
					op.sameKeys = map[int]int{}
				}
				op.sameKeys[rc.Index-nLeft] = lc.Index
			}
			op.leftKeys = append(op.leftKeys, lk)
			op.rightKeys = append(op.rightKeys, rk)
			op.keyTypes = append(op.keyTypes, r.Type())
		}
	}
	if len(residual) > 0 {
		cond := plan.And(residual)
		if op.residual, err = b.expr(cond); err != nil {
			return nil, err
		}
		op.residualCols = inputColumns(cond)
	}
	return op, nil
}

// equiKey splits a conjunct left = right whose sides each read only their
// own input, returning the left input's side first.
func equiKey(c plan.Expr, nLeft int) (l, r plan.Expr, ok bool) {
	op, isOp := c.(*plan.Op)
	if !isOp || op.Op != plan.OpEq || len(op.Args) != 2 {
		return nil, nil, false
	}
	l, r = op.Args[0], op.Args[1]
	if exprSide(l, nLeft) == sideRight && exprSide(r, nLeft) == sideLeft {
		l, r = r, l
	}
	if exprSide(l, nLeft) != sideLeft || exprSide(r, nLeft) != sideRight || l.Type().Kind != r.Type().Kind {
		return nil, nil, false
	}
	return l, r, true
}

type side uint8

const (
	sideNone side = iota
	sideLeft
	sideRight
	sideBoth
)

// exprSide tells which input of a join an expression reads; expressions
// with subqueries count as both, so that they stay in the residual.
func exprSide(e plan.Expr, nLeft int) side {
	s := sideNone
	plan.Walk(e, func(x plan.Expr) bool {
		switch x := x.(type) {
		case *plan.ColRef:
			if x.Index < nLeft {
				s |= sideLeft
			} else {
				s |= sideRight
			}
		case *plan.Subquery:
			s = sideBoth
		}
		return true
	})
	return s
}

func (o *joinOp) hashed() bool { return len(o.rightKeys) > 0 }

// outputsPairs reports whether matching pairs are output rows.
func (o *joinOp) outputsPairs() bool { return o.kind != plan.Semi && o.kind != plan.Anti }

// keepsUnmatchedRight reports whether right rows without a match are output.
func (o *joinOp) keepsUnmatchedRight() bool { return o.kind == plan.Right || o.kind == plan.Full }

// buildSide reads the right input into memory and, for a hash join, links
// its rows by key.
func (o *joinOp) buildSide() error {
	var batches []*vector.Batch
	err := drain(o.rt, o.right, func(b *vector.Batch) error {
		batches = append(batches, b)
		return nil
	})
	if err != nil {
		return err
	}
	o.build = vector.ConcatBatches(o.rightTypes, batches)
	if o.keepsUnmatchedRight() {
		o.matched = make([]bool, o.build.Len)
	}
	if !o.hashed() {
		return nil
	}
	keys, err := evalKeyVectors(o.rightKeys, o.build)
	if err != nil {
		return err
	}
	o.table = newKeyTable(o.keyTypes)
	o.table.reserveFor(keys, o.build.Len)
	rowIDs := o.lookupKeys(keys, o.build.Len, true)
	if o.table.len() == o.build.Len {
		// Every key is unique, so a key's id is its row.
		return nil
	}
	o.head = make([]int32, o.table.len())
	vector.Fill(o.head, -1)
	o.chain = make([]int32, o.build.Len)
	for r := o.build.Len - 1; r >= 0; r-- {
		o.chain[r] = -1
		if id := rowIDs[r]; id >= 0 {
			o.chain[r] = o.head[id]
			o.head[id] = int32(r)
		}
	}
	for id, r := range o.head {
		if o.chain[r] >= 0 {
			o.head[id] = ^r
		}
	}
	return nil
}

// lookupKeys numbers the key tuples of n rows (inserting them with add);
// rows with a NULL key get -1, as NULL never equals anything. The ids
// are valid until the next call.
func (o *joinOp) lookupKeys(keys []*vector.Vector, n int, add bool) []int32 {
	ids := growInt32s(&o.ids, n)
	var sel []int32
	if slices.ContainsFunc(keys, (*vector.Vector).HasNulls) {
		sel = slices.Grow(o.sel[:0], n)
	rows:
		for i := 0; i < n; i++ {
			for _, k := range keys {
				if k.IsNull(i) {
					ids[i] = -1
					continue rows
				}
			}
			sel = append(sel, int32(i))
		}
		o.sel = sel
	}
	if cap(o.hashes) < n {
		o.hashes = make([]uint64, n)
	}
	hashes := o.hashes[:n]
	o.table.hash(keys, n, hashes)
	if add {
		o.table.insert(keys, hashes, sel, ids)
	} else {
		o.table.find(keys, hashes, sel, ids)
	}
	return ids
}

func (o *joinOp) next() (*vector.Batch, error) {
	if !o.built {
		if err := o.buildSide(); err != nil {
			return nil, err
		}
		o.built = true
	}
	for {
		if err := o.rt.checkCanceled(); err != nil {
			return nil, err
		}
		if o.probe == nil {
			if o.leftDone {
				return o.unmatchedRight(), nil
			}
			b, err := o.left.next()
			if err != nil {
				return nil, err
			}
			if b == nil {
				o.leftDone = true
				o.left.close()
				continue
			}
			if err := o.startProbe(b); err != nil {
				return nil, err
			}
		}
		out, err := o.matchPairs()
		if err != nil {
			return nil, err
		}
		if out != nil {
			return out, nil
		}
		if o.row >= o.probe.Len {
			tail := o.probeTail()
			o.probe = nil
			if tail != nil {
				return tail, nil
			}
		}
	}
}

func (o *joinOp) startProbe(b *vector.Batch) error {
	o.probe, o.row, o.cursor = b, 0, cursorStart
	if cap(o.probeMatched) < b.Len {
		o.probeMatched = make([]bool, b.Len)
	}
	o.probeMatched = o.probeMatched[:b.Len]
	clear(o.probeMatched)
	if o.hashed() {
		keys, err := evalKeyVectors(o.leftKeys, b)
		if err != nil {
			return err
		}
		ids := o.lookupKeys(keys, b.Len, false)
		heads := growInt32s(&o.probeHeads, b.Len)
		for i, id := range ids {
			switch {
			case id < 0:
				heads[i] = noCandidate
			case o.head == nil:
				heads[i] = id
			default:
				heads[i] = o.head[id]
			}
		}
	}
	return nil
}

// candidate returns the first candidate right row of probe row r, or the
// one after right row after; -1 when there is none.
func (o *joinOp) candidate(r int, after int32) int32 {
	if o.hashed() {
		h := o.probeHeads[r]
		switch {
		case h == noCandidate:
			return -1
		case after == cursorStart && h >= 0:
			return h
		case after == cursorStart:
			return ^h
		case h >= 0:
			return -1 // the key's only row was listed
		}
		return o.chain[after]
	}
	if after == cursorStart {
		if o.build.Len > 0 {
			return 0
		}
		return -1
	}
	if int(after)+1 < o.build.Len {
		return after + 1
	}
	return -1
}

// matchPairs lists up to a batch of candidate pairs, keeps those that
// satisfy the residual and records which rows matched. It returns the
// matching pairs when they are output rows.
func (o *joinOp) matchPairs() (*vector.Batch, error) {
	// A semi or anti join needs one match per row; without a residual
	// the first candidate is one.
	firstOnly := !o.outputsPairs()
	li, ri := o.li[:0], o.ri[:0]
	for o.row < o.probe.Len && len(li) < vector.BatchSize {
		if o.hashed() && o.cursor == cursorStart && !firstOnly {
			// Most rows have no candidate or a single one.
			h := o.probeHeads[o.row]
			if h >= 0 {
				li, ri = append(li, int32(o.row)), append(ri, h)
				o.row++
				continue
			}
			if h == noCandidate {
				o.row++
				continue
			}
		}
		if firstOnly && o.probeMatched[o.row] {
			o.row, o.cursor = o.row+1, cursorStart
			continue
		}
		c := o.candidate(o.row, o.cursor)
		if c < 0 {
			o.row, o.cursor = o.row+1, cursorStart
			continue
		}
		if firstOnly && o.residual == nil {
			o.probeMatched[o.row] = true
			continue
		}
		li = append(li, int32(o.row))
		ri = append(ri, c)
		o.cursor = c
	}
	o.li, o.ri = li, ri
	if len(li) == 0 {
		return nil, nil
	}
	if o.residual != nil {
		pairs := o.pairBatch(li, ri, o.residualCols, true)
		v, err := o.residual.eval(pairs)
		if err != nil {
			return nil, err
		}
		sel, all := vector.SelectTrue(v, len(li))
		if !all {
			keptL, keptR := make([]int32, len(sel)), make([]int32, len(sel))
			for k, s := range sel {
				keptL[k], keptR[k] = li[s], ri[s]
			}
			li, ri = keptL, keptR
		}
	}
	for k, l := range li {
		o.probeMatched[l] = true
		if o.matched != nil {
			o.matched[ri[k]] = true
		}
	}
	if !o.outputsPairs() || len(li) == 0 {
		return nil, nil
	}
	return o.pairBatch(li, ri, nil, true), nil
}

// pairBatch builds the rows left li[k] joined to right ri[k] (-1: NULLs);
// only the columns in cols when cols is not nil. For matching pairs a right
// key column equal to a left one by identity is taken from the left side,
// and the left columns are passed on whole when every probe row is listed
// once, in order.
func (o *joinOp) pairBatch(li, ri []int32, cols []int, matching bool) *vector.Batch {
	nLeft := len(o.leftTypes)
	out := &vector.Batch{Cols: make([]*vector.Vector, nLeft+len(o.rightTypes)), Len: len(li)}
	want := func(c int) bool { return cols == nil || containsInt(cols, c) }
	whole := o.probe != nil && isIdentity(li, o.probe.Len)
	left := func(c int) *vector.Vector {
		if out.Cols[c] == nil {
			if whole {
				out.Cols[c] = o.probe.Cols[c]
			} else {
				out.Cols[c] = vector.Gather(o.probeCol(c), li)
			}
		}
		return out.Cols[c]
	}
	for c := range out.Cols {
		if !want(c) || out.Cols[c] != nil {
			continue
		}
		if c < nLeft {
			left(c)
			continue
		}
		if lc, ok := o.sameKeys[c-nLeft]; ok && matching {
			v := left(lc)
			out.Cols[c] = &vector.Vector{Type: o.rightTypes[c-nLeft], Nulls: v.Nulls, Int: v.Int}
			continue
		}
		out.Cols[c] = vector.Gather(o.build.Cols[c-nLeft], ri)
	}
	if cols != nil {
		for c := range nLeft {
			if !want(c) {
				out.Cols[c] = nil
			}
		}
	}
	return out
}

// isIdentity reports whether sel lists 0, 1, ..., n-1.
func isIdentity(sel []int32, n int) bool {
	if len(sel) != n {
		return false
	}
	for i, r := range sel {
		if r != int32(i) {
			return false
		}
	}
	return true
}

// probeCol is column c of the probe batch, or a NULL column when there is
// no probe batch (the unmatched-right tail).
func (o *joinOp) probeCol(c int) *vector.Vector {
	if o.probe == nil {
		return vector.NullConst(o.leftTypes[c])
	}
	return o.probe.Cols[c]
}

func containsInt(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// probeTail emits what a finished probe batch adds beyond matching pairs:
// unmatched left rows padded with NULLs (left and full joins), or the left
// rows with (semi) or without (anti) a match.
func (o *joinOp) probeTail() *vector.Batch {
	var keep []int32
	wantMatched := o.kind == plan.Semi
	switch o.kind {
	case plan.Left, plan.Full, plan.Semi, plan.Anti:
		for r, m := range o.probeMatched {
			if m == wantMatched {
				keep = append(keep, int32(r))
			}
		}
	}
	if len(keep) == 0 {
		return nil
	}
	if !o.outputsPairs() {
		return vector.GatherBatch(o.probe, keep, nil)
	}
	nulls := make([]int32, len(keep))
	vector.Fill(nulls, -1)
	return o.pairBatch(keep, nulls, nil, false)
}

// unmatchedRight emits the right rows without a match, padded with NULLs
// on the left (right and full joins), a batch at a time.
func (o *joinOp) unmatchedRight() *vector.Batch {
	if !o.keepsUnmatchedRight() {
		return nil
	}
	var rows []int32
	for ; o.tailPos < o.build.Len && len(rows) < vector.BatchSize; o.tailPos++ {
		if !o.matched[o.tailPos] {
			rows = append(rows, int32(o.tailPos))
		}
	}
	if len(rows) == 0 {
		return nil
	}
	nulls := make([]int32, len(rows))
	vector.Fill(nulls, -1)
	return o.pairBatch(nulls, rows, nil, false)
}

func (o *joinOp) close() {
	o.left.close()
	o.right.close()
	o.build, o.table, o.probe = nil, nil, nil
}
