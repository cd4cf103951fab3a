package postgres

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/types"
)

// maxPipeStatements bounds the statements a lookup pipe keeps prepared;
// lookups of further statements go through the pool.
const maxPipeStatements = 256

// errNoPipe sends a lookup through the pool instead: the source has no
// connection to spare for a pipe, the pipe holds its most statements, or
// it is stalled.
var errNoPipe = errors.New("no lookup pipe")

// pipeStall is how long the oldest lookup on the pipe may go unanswered
// before the lookups that come go through the pool: lookups are answered
// in order, so one the server holds back (a table locked at the source,
// say) would hold back all that follow it.
const pipeStall = 250 * time.Millisecond

// lookupPipe is one connection of the source's pool, held for point
// lookups. A lookup is written to it as soon as it comes, each
// statement with its own Sync (so one failing fails no other), while the
// answers to earlier ones are still on their way; a goroutine reads the
// answers, in the order the lookups were sent, and hands each its rows.
// Under load the server finds the next lookup waiting when it ends one,
// and Junction writes and reads many lookups per system call.
type lookupPipe struct {
	c    *Connector
	conn *pgxpool.Conn // counted in the pool for as long as the pipe lives
	net  net.Conn
	fe   *pgproto3.Frontend

	mu sync.Mutex
	// pending waits to be written by the lookup that is writing (sending):
	// a lookup that finds none writing writes them all, its own too.
	pending []*pipeEntry
	sending bool
	// sent is what was written and not yet answered, in order.
	sent  []*pipeEntry
	stmts map[string]*pipeStatement
	// named counts the statements ever prepared, whose names never repeat.
	named  int
	broken error
	// out is the write buffer, used by the lookup that is sending.
	out []byte
}

// pipeStatement is a statement prepared on the pipe's connection.
type pipeStatement struct {
	name string
	// fields describe its result, set when its preparation is answered,
	// which is before any execution of it is.
	fields []pgproto3.FieldDescription
	// err is why it could not be prepared: its lookups fail with it.
	err error
}

// pipeEntry is a message sequence written to the pipe: a statement's
// preparation (Parse, Describe, Sync) or a lookup (Bind, Execute, Sync).
type pipeEntry struct {
	stmt    *pipeStatement
	sql     string   // of a preparation
	params  []string // of a lookup
	prepare bool
	sentAt  time.Time
	rows    [][][]byte
	err     error
	done    chan struct{} // a lookup's, closed once it is answered
}

// QueryLookup runs sql, a point lookup, down the source's lookup pipe,
// as connectors.LookupQuerier; through the pool when there is none.
func (c *Connector) QueryLookup(ctx context.Context, sql string, params []string, cols []types.Type) (connectors.Rows, error) {
	p, err := c.lookupPipe(ctx)
	var rows connectors.Rows
	if err == nil {
		rows, err = p.query(ctx, sql, params, cols)
	}
	if errors.Is(err, errNoPipe) {
		return c.QueryPrepared(ctx, sql, params, cols)
	}
	return rows, err
}

// lookupPipe returns the source's lookup pipe, opening one when there is
// none or the last one broke. A pool of one connection keeps it for
// other queries: the pipe would hold it for good.
func (c *Connector) lookupPipe(ctx context.Context) (*lookupPipe, error) {
	c.pipeMu.Lock()
	defer c.pipeMu.Unlock()
	if c.pipe != nil {
		c.pipe.mu.Lock()
		broken := c.pipe.broken
		c.pipe.mu.Unlock()
		if broken == nil {
			return c.pipe, nil
		}
		c.pipe = nil
	}
	if c.closed || c.pool.Config().MaxConns < 2 {
		return nil, errNoPipe
	}
	// The connection keeps the source's statement_timeout: a lookup's own
	// timeout ends its wait instead (see query).
	conn, err := c.pool.Acquire(connectors.WithStatementTimeout(ctx, 0))
	if err != nil {
		return nil, c.queryError(ctx, err)
	}
	pc := conn.Conn().PgConn()
	if err := pc.SyncConn(ctx); err != nil {
		conn.Release()
		return nil, c.queryError(ctx, err)
	}
	p := &lookupPipe{c: c, conn: conn, net: pc.Conn(), fe: pc.Frontend(), stmts: map[string]*pipeStatement{}}
	go p.read()
	c.pipe = p
	return p, nil
}

// closePipe ends the lookup pipe, if any (the connector is closing).
func (c *Connector) closePipe() {
	c.pipeMu.Lock()
	defer c.pipeMu.Unlock()
	c.closed = true
	if c.pipe != nil {
		c.pipe.net.Close()
		c.pipe = nil
	}
}

// query sends one lookup and waits for its answer. Its context ends the
// wait, not the lookup: the pipe's other lookups wait behind it, and a
// point lookup is short.
func (p *lookupPipe) query(ctx context.Context, sql string, params []string, cols []types.Type) (connectors.Rows, error) {
	p.mu.Lock()
	if p.broken != nil {
		p.mu.Unlock()
		return nil, p.c.queryError(ctx, p.broken)
	}
	if len(p.sent) > 0 && time.Since(p.sent[0].sentAt) > pipeStall {
		p.mu.Unlock()
		return nil, errNoPipe
	}
	st := p.stmts[sql]
	if st == nil {
		if len(p.stmts) >= maxPipeStatements {
			p.mu.Unlock()
			return nil, errNoPipe
		}
		p.named++
		st = &pipeStatement{name: "junction_lookup_" + strconv.Itoa(p.named)}
		p.stmts[sql] = st
		p.pending = append(p.pending, &pipeEntry{stmt: st, sql: sql, prepare: true})
	}
	e := &pipeEntry{stmt: st, params: params, done: make(chan struct{})}
	p.pending = append(p.pending, e)
	if !p.sending {
		p.send()
	}
	p.mu.Unlock()
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, p.c.queryError(ctx, ctx.Err())
	}
	if e.err != nil {
		if st.err != nil {
			return nil, p.c.queryError(ctx, st.err)
		}
		return nil, p.c.queryError(ctx, e.err)
	}
	fields := st.fields
	if err := remote.CheckColumnCount(p.c.ep, len(fields), len(cols)); err != nil {
		return nil, err
	}
	names := make([]string, len(cols))
	exact := len(fields) == len(cols)
	for i := range cols {
		names[i] = string(fields[i].Name)
		exact = exact && fields[i].DataTypeOID == cols[i].OID()
	}
	return result{
		Rows:  remote.NewRows(&bufferedRows{rows: e.rows}, remote.NewBuilder(cols, names, nil), func(err error) error { return err }, func() {}),
		exact: exact,
	}, nil
}

// send writes what is pending, and what comes meanwhile, then lets the
// next lookup write; p.mu is held, and released while writing.
func (p *lookupPipe) send() {
	p.sending = true
	defer func() { p.sending = false }()
	for len(p.pending) > 0 && p.broken == nil {
		batch := p.pending
		p.pending = nil
		now := time.Now()
		for _, e := range batch {
			e.sentAt = now
		}
		p.sent = append(p.sent, batch...)
		p.mu.Unlock()
		out, err := encodePipeEntries(p.out[:0], batch)
		if err == nil {
			_, err = p.net.Write(out)
		}
		p.mu.Lock()
		p.out = out
		if err != nil {
			p.fail(err)
		}
	}
}

// encodePipeEntries appends the messages of entries to out. Parameters
// and results are text: the statement's parameter types come from its
// text, and the result is PostgreSQL's text output, as QueryPrepared's.
func encodePipeEntries(out []byte, entries []*pipeEntry) ([]byte, error) {
	var err error
	for _, e := range entries {
		if e.prepare {
			if out, err = (&pgproto3.Parse{Name: e.stmt.name, Query: e.sql}).Encode(out); err != nil {
				return out, err
			}
			if out, err = (&pgproto3.Describe{ObjectType: 'S', Name: e.stmt.name}).Encode(out); err != nil {
				return out, err
			}
		} else {
			values := make([][]byte, len(e.params))
			for i, v := range e.params {
				values[i] = []byte(v)
			}
			if out, err = (&pgproto3.Bind{PreparedStatement: e.stmt.name, Parameters: values}).Encode(out); err != nil {
				return out, err
			}
			if out, err = (&pgproto3.Execute{}).Encode(out); err != nil {
				return out, err
			}
		}
		if out, err = (&pgproto3.Sync{}).Encode(out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// read hands each answer to the entry it answers until the connection
// fails or is closed, then fails what waits and gives the connection
// back to the pool, closed.
func (p *lookupPipe) read() {
	var head *pipeEntry
	for {
		msg, err := p.fe.Receive()
		if err != nil {
			p.mu.Lock()
			p.fail(err)
			lost := p.sent
			p.sent = nil
			p.mu.Unlock()
			for _, e := range lost {
				e.err = p.broken
				if e.done != nil {
					close(e.done)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), cancelGrace)
			p.conn.Conn().Close(ctx) //nolint:errcheck // the connection is broken already
			cancel()
			p.conn.Release()
			return
		}
		if head == nil {
			p.mu.Lock()
			if len(p.sent) > 0 {
				head = p.sent[0]
			}
			p.mu.Unlock()
		}
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			if head != nil {
				head.rows = append(head.rows, copyRow(m.Values))
			}
		case *pgproto3.RowDescription:
			if head != nil && head.prepare {
				// The names point into the reader's buffer.
				fields := append([]pgproto3.FieldDescription(nil), m.Fields...)
				for i := range fields {
					fields[i].Name = append([]byte(nil), fields[i].Name...)
				}
				head.stmt.fields = fields
			}
		case *pgproto3.ErrorResponse:
			if head != nil && head.err == nil {
				head.err = pgconn.ErrorResponseToPgError(m)
			}
		case *pgproto3.ReadyForQuery:
			if head == nil {
				continue
			}
			p.mu.Lock()
			p.sent = p.sent[1:]
			if head.prepare {
				head.stmt.err = head.err
			}
			if head.err != nil && (head.prepare || isCachedPlanError(head.err)) {
				// Prepared again by the next lookup that needs it: the
				// server refuses a prepared statement whose result type a
				// change of its tables changed.
				p.forget(head.stmt)
			}
			p.mu.Unlock()
			if head.done != nil {
				close(head.done)
			}
			head = nil
		}
	}
}

// fail breaks the pipe: the connection is closed, which ends the reader,
// and what was not sent gets err; the reader fails what was sent, whose
// entries it may be filling. p.mu is held.
func (p *lookupPipe) fail(err error) {
	if p.broken == nil {
		p.broken = err
		p.net.Close()
	}
	for _, e := range p.pending {
		if e.done != nil {
			e.err = p.broken
			close(e.done)
		}
	}
	p.pending = nil
}

// forget drops st, so that its next lookup prepares it again. p.mu is
// held.
func (p *lookupPipe) forget(st *pipeStatement) {
	for sql, s := range p.stmts {
		if s == st {
			delete(p.stmts, sql)
		}
	}
}

// isCachedPlanError reports whether err is the server refusing to run a
// prepared statement whose result type changed since it was prepared.
func isCachedPlanError(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "0A000"
}

// copyRow copies a row the driver is about to reuse, in one allocation.
func copyRow(vals [][]byte) [][]byte {
	size := 0
	for _, v := range vals {
		size += len(v)
	}
	buf := make([]byte, 0, size)
	out := make([][]byte, len(vals))
	for i, v := range vals {
		if v != nil {
			start := len(buf)
			buf = append(buf, v...)
			out[i] = buf[start:len(buf):len(buf)]
		}
	}
	return out
}

// bufferedRows is a lookup's rows, read as a remote.Source.
type bufferedRows struct {
	rows [][][]byte
	next int
}

func (b *bufferedRows) Next() bool {
	if b.next >= len(b.rows) {
		return false
	}
	b.next++
	return true
}

func (b *bufferedRows) Values() ([][]byte, error) { return b.rows[b.next-1], nil }
func (b *bufferedRows) Err() error                { return nil }
func (b *bufferedRows) Close()                    {}
