package executor

import (
	"context"
	"errors"
	"time"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// remotePrefetch is how many batches a remote query may fetch ahead of its
// consumer.
const remotePrefetch = 4

// remoteOp streams the result of a query a source runs. Fetching happens
// on its own goroutine from start on, so that several remote queries of a
// plan run at the same time; the only remote query of a plan (see
// startInline) is sent from the reader's goroutine and gets its own only
// once its first batch shows a large result, which it then reads ahead.
type remoteOp struct {
	rt    *runtime
	node  *plan.Remote
	conn  connectors.Connector
	st    *nodeStats // nil unless analyzing
	types []types.Type
	// sql and params are what is sent: a dynamic filter narrows them
	// while waits holds the query back (see dynfilter.go). cursor asks
	// for a result read a part at a time, for a reader likely to stop
	// early, firstFetch rows first (0: the source's default); each further
	// part is fetched only when the reader asks for it (want), since a
	// part read ahead is likely dropped and ending the query waits for it.
	sql        string
	params     []string
	narrowed   bool // a dynamic filter rewrote sql
	waits      bool
	cursor     bool
	firstFetch int

	started bool
	// inline sends the query when the reader first asks; inlineRows is
	// the result read on the reader's goroutine after that.
	inline     bool
	inlineRows connectors.Rows
	ctx        context.Context // the query's, cancelled by cancel
	cancel     context.CancelFunc
	batches    chan remoteBatch
	want       chan struct{}
	delivered  bool // a batch has been handed to the reader
	done       chan struct{}
	ended      bool
}

type remoteBatch struct {
	b   *vector.Batch
	err error
}

func (b *builder) remote(n *plan.Remote) (operator, error) {
	if b.rt.env.Source == nil {
		return nil, pgerr.New(pgerr.InternalError, "no source lookup to run the remote query on %s", n.Source)
	}
	conn, err := b.rt.env.Source(n.Source)
	if err != nil {
		return nil, err
	}
	op := &remoteOp{rt: b.rt, node: n, conn: conn, types: plan.ColumnTypes(n), sql: n.SQL}
	if op.params, err = remoteParams(n, b.rt.env.Params); err != nil {
		return nil, err
	}
	if b.rt.stats != nil {
		op.st = b.rt.statsFor(n)
	}
	b.remotes = append(b.remotes, op)
	return op, nil
}

// remoteParams are the text values of the client parameters a remote
// query binds. A NULL has no text form here: a plan holding parameters is
// only run with values that are not NULL (the engine plans a NULL in).
func remoteParams(n *plan.Remote, values []types.Datum) ([]string, error) {
	if len(n.Params) == 0 {
		return nil, nil
	}
	out := make([]string, len(n.Params))
	for i, p := range n.Params {
		if p.Index >= len(values) || values[p.Index].Null {
			return nil, pgerr.New(pgerr.InternalError, "no value for parameter $%d of the query on %s", p.Index+1, n.Source)
		}
		out[i] = string(types.AppendText(nil, p.T, values[p.Index]))
	}
	return out, nil
}

// start sends the query; it is idempotent.
func (r *remoteOp) start() {
	if r.started {
		return
	}
	r.started = true
	ctx, cancel := context.WithCancel(r.rt.ctx)
	r.cancel = cancel
	r.batches = make(chan remoteBatch, remotePrefetch)
	r.want = make(chan struct{}, 1)
	r.done = make(chan struct{})
	go r.fetch(ctx, nil)
}

// startInline makes the query wait for the reader's first next, which
// sends it and reads the first batch on the reader's goroutine: a plan
// with one remote query has nothing to overlap it with, and most such
// results (point queries) end within that batch, saving a goroutine and
// its channels. A cursor reads parts on demand and keeps the goroutine.
func (r *remoteOp) startInline() {
	if !r.cursor {
		r.inline = true
	}
}

// nextInline returns the next batch read on the reader's goroutine; once
// a full first batch shows a large result, the rest is read ahead by a
// fetching goroutine as start would, so that decoding overlaps what the
// reader does with the batches.
func (r *remoteOp) nextInline() (*vector.Batch, error) {
	if !r.started {
		r.started = true
		r.ctx, r.cancel = context.WithCancel(r.rt.ctx)
		begin := time.Now()
		rows, err := r.query(r.ctx)
		if r.st != nil {
			r.st.sourceNanos.Add(int64(time.Since(begin)))
		}
		if err != nil {
			return nil, r.fail(err)
		}
		r.inlineRows = rows
	}
	begin := time.Now()
	b, err := r.inlineRows.Next()
	for err == nil && b != nil && b.Len == 0 {
		b, err = r.inlineRows.Next()
	}
	if r.st != nil {
		r.st.sourceNanos.Add(int64(time.Since(begin)))
	}
	if err != nil || b == nil {
		r.inlineRows.Close()
		r.inlineRows = nil
		if err != nil {
			return nil, r.fail(err)
		}
		r.ended = true
		return nil, r.rt.checkCanceled()
	}
	r.account(b)
	if b.Len >= vector.BatchSize {
		rows := r.inlineRows
		r.inlineRows, r.inline = nil, false
		r.batches = make(chan remoteBatch, remotePrefetch)
		r.want = make(chan struct{}, 1)
		r.done = make(chan struct{})
		go r.fetch(r.ctx, rows)
	}
	return b, nil
}

func (r *remoteOp) fetch(ctx context.Context, rows connectors.Rows) {
	defer close(r.done)
	defer close(r.batches)
	defer func() {
		// A connector bug fails the statement, not the server.
		if p := recover(); p != nil {
			select {
			case r.batches <- remoteBatch{err: pgerr.New(pgerr.InternalError, "internal error reading from %s: %v", r.node.Source, p)}:
			case <-ctx.Done():
			}
		}
	}()
	begin := time.Now()
	if r.st != nil {
		defer func() { r.st.sourceNanos.Add(int64(time.Since(begin))) }()
	}
	send := func(rb remoteBatch) bool {
		select {
		case r.batches <- rb:
			return true
		case <-ctx.Done():
			return false
		}
	}
	if rows == nil {
		var err error
		if rows, err = r.query(ctx); err != nil {
			send(remoteBatch{err: err})
			return
		}
	}
	defer rows.Close()
	for sent := false; ; {
		if r.cursor && sent {
			select {
			case <-r.want:
			case <-ctx.Done():
				return
			}
			sent = false
		}
		b, err := rows.Next()
		if err != nil {
			send(remoteBatch{err: err})
			return
		}
		if b == nil {
			return
		}
		r.account(b)
		if b.Len > 0 {
			if !send(remoteBatch{b: b}) {
				return
			}
			sent = true
		}
	}
}

// account counts a batch read from the source for EXPLAIN ANALYZE.
func (r *remoteOp) account(b *vector.Batch) {
	if r.st != nil {
		r.st.sourceRows.Add(int64(b.Len))
		r.st.sourceBytes.Add(vector.BatchBytes(b))
	}
}

func (r *remoteOp) next() (*vector.Batch, error) {
	if r.ended {
		return nil, nil
	}
	if r.inline {
		return r.nextInline()
	}
	r.start()
	if r.delivered {
		select {
		case r.want <- struct{}{}:
		default:
		}
	}
	rb, ok := <-r.batches
	switch {
	case !ok:
		r.ended = true
		return nil, r.rt.checkCanceled()
	case rb.err != nil:
		return nil, r.fail(rb.err)
	}
	r.delivered = true
	return rb.b, nil
}

// fail ends the stream with err, or with the statement's own cancellation
// when that is what stopped the source.
func (r *remoteOp) fail(err error) error {
	r.ended = true
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if cerr := r.rt.checkCanceled(); cerr != nil {
			return cerr
		}
	}
	return err
}

// close cancels the query and waits until the fetching goroutine, if
// any, has released the connection.
func (r *remoteOp) close() {
	r.ended = true
	if !r.started || r.cancel == nil {
		return
	}
	r.cancel()
	if r.inlineRows != nil {
		r.inlineRows.Close()
		r.inlineRows = nil
	} else if r.done != nil {
		<-r.done
	}
	r.cancel = nil
}

// rowsOp emits rows computed by the catalog when the plan runs.
type rowsOp struct {
	node   *plan.Rows
	rows   [][]types.Datum
	filled bool
	pos    int
}

func (o *rowsOp) next() (*vector.Batch, error) {
	if !o.filled {
		o.filled = true
		if o.node.Fill != nil {
			rows, err := o.node.Fill()
			if err != nil {
				return nil, err
			}
			o.rows = rows
		}
	}
	if o.pos >= len(o.rows) {
		return nil, nil
	}
	end := min(o.pos+vector.BatchSize, len(o.rows))
	b := vector.NewBatch(plan.ColumnTypes(o.node), end-o.pos)
	for _, row := range o.rows[o.pos:end] {
		for c, col := range b.Cols {
			if c < len(row) {
				col.AppendDatum(row[c])
			} else {
				col.AppendNull()
			}
		}
	}
	b.Len = end - o.pos
	o.pos = end
	return b, nil
}

func (o *rowsOp) close() { o.rows = nil }

// valuesOp evaluates a VALUES list.
type valuesOp struct {
	cells [][]evaluator
	types []types.Type
	pos   int
}

func (b *builder) values(n *plan.Values) (operator, error) {
	op := &valuesOp{types: plan.ColumnTypes(n)}
	for _, row := range n.Rows {
		if len(row) != len(op.types) {
			return nil, pgerr.New(pgerr.SyntaxError, "VALUES lists must all be the same length")
		}
		evs := make([]evaluator, len(row))
		for c, e := range row {
			if t := op.types[c]; e.Type() != t && !isNullLiteral(e) {
				e = &plan.Cast{Arg: e, T: t}
			}
			ev, err := b.expr(e)
			if err != nil {
				return nil, err
			}
			evs[c] = ev
		}
		op.cells = append(op.cells, evs)
	}
	return op, nil
}

func isNullLiteral(e plan.Expr) bool {
	c, ok := e.(*plan.Const)
	return ok && c.Value.Null
}

// unitBatch is one row without columns, the input of a VALUES cell.
var unitBatch = &vector.Batch{Len: 1}

func (o *valuesOp) next() (*vector.Batch, error) {
	if o.pos >= len(o.cells) {
		return nil, nil
	}
	end := min(o.pos+vector.BatchSize, len(o.cells))
	b := vector.NewBatch(o.types, end-o.pos)
	for _, row := range o.cells[o.pos:end] {
		for c, ev := range row {
			v, err := ev.eval(unitBatch)
			if err != nil {
				return nil, err
			}
			b.Cols[c].AppendFrom(v, 0)
		}
	}
	b.Len = end - o.pos
	o.pos = end
	return b, nil
}

func (o *valuesOp) close() { o.pos = len(o.cells) }
