package guard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// queryAttempts bounds how often a query start is sent again after the
// source could not be reached.
const queryAttempts = 3

// Opener connects to the source anew.
type Opener func(ctx context.Context) (connectors.Connector, error)

// Source is one source behind its guard. It is a connectors.Connector, so
// the executor and the engine use it as they would the connector itself;
// it exists even while the source is down, and connects by itself once the
// source answers.
type Source struct {
	name string
	opts Options
	open Opener
	// connected is called (on its own goroutine) with each connector the
	// guard opens by itself, so the owner can re-discover the source.
	connected func(connectors.Connector)
	cb        *gobreaker.TwoStepCircuitBreaker[struct{}]
	// metrics and log are set by Instrument; nil counts and logs nothing.
	metrics *telemetry.Source
	log     *slog.Logger

	dial sync.Mutex // one connect at a time
	mu   sync.Mutex
	conn connectors.Connector
	// openedAt is when the breaker last opened.
	openedAt time.Time
	health   Health
	closed   bool
	stop     chan struct{}
}

// New guards a source, not yet connected: open connects to it, and
// connected hears of every connector the guard opens by itself.
func New(name string, opts Options, open Opener, connected func(connectors.Connector)) *Source {
	s := &Source{name: name, opts: opts, open: open, connected: connected, stop: make(chan struct{})}
	s.cb = gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		Name:    name,
		Timeout: opts.Cooldown,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.ConsecutiveFailures >= opts.Failures
		},
		IsSuccessful: func(err error) bool { return !sourceFailure(err) },
		IsExcluded:   cancelled,
		OnStateChange: func(_ string, from, to gobreaker.State) {
			if to == gobreaker.StateOpen {
				s.mu.Lock()
				s.openedAt = time.Now()
				s.mu.Unlock()
			}
			s.circuitChanged(from.String(), to.String())
		},
	})
	return s
}

// Name is the source's name.
func (s *Source) Name() string { return s.name }

// Options are the guard options the source runs with.
func (s *Source) Options() Options { return s.opts }

// Connected reports whether the source has a connector.
func (s *Source) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn != nil
}

// Close stops the health checks and closes the connector.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.stop)
	if s.conn != nil {
		return s.conn.Close()
	}
	return nil
}

// Dialect is the SQL the source speaks; nil until it is connected.
func (s *Source) Dialect() sqlgen.Dialect {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	return s.conn.Dialect()
}

// Discover lists the source's tables through the guard.
func (s *Source) Discover(ctx context.Context) (*connectors.Discovery, error) {
	return call(s, ctx, func(c connectors.Connector) (*connectors.Discovery, error) { return c.Discover(ctx) })
}

// Ping checks through the guard that the source answers.
func (s *Source) Ping(ctx context.Context) error {
	_, err := call(s, ctx, func(c connectors.Connector) (struct{}, error) { return struct{}{}, c.Ping(ctx) })
	return err
}

// A Source offers the executor every way of querying a connector may
// have; each falls back to the plainer ones the connector has.
var _ interface {
	connectors.Connector
	connectors.ParamQuerier
	connectors.PreparedQuerier
	connectors.LookupQuerier
	connectors.CursorQuerier
} = (*Source)(nil)

// Query runs a query on the source.
func (s *Source) Query(ctx context.Context, sql string, cols []types.Type) (connectors.Rows, error) {
	return s.rows(ctx, func(c connectors.Connector) (connectors.Rows, error) { return c.Query(ctx, sql, cols) })
}

// QueryParams binds params when the source can, as connectors.ParamQuerier.
func (s *Source) QueryParams(ctx context.Context, sql string, params []string, cols []types.Type) (connectors.Rows, error) {
	return s.rows(ctx, func(c connectors.Connector) (connectors.Rows, error) {
		if pq, ok := c.(connectors.ParamQuerier); ok {
			return pq.QueryParams(ctx, sql, params, cols)
		}
		return c.Query(ctx, sql, cols)
	})
}

// QueryPrepared runs a statement the source keeps prepared when it can,
// as connectors.PreparedQuerier, else binds params as QueryParams does.
func (s *Source) QueryPrepared(ctx context.Context, sql string, params []string, cols []types.Type) (connectors.Rows, error) {
	return s.rows(ctx, func(c connectors.Connector) (connectors.Rows, error) {
		return queryPrepared(ctx, c, sql, params, cols)
	})
}

// QueryLookup sends a point lookup down the source's lookup connection
// when it has one, as connectors.LookupQuerier, else as QueryPrepared.
func (s *Source) QueryLookup(ctx context.Context, sql string, params []string, cols []types.Type) (connectors.Rows, error) {
	return s.rows(ctx, func(c connectors.Connector) (connectors.Rows, error) {
		if lq, ok := c.(connectors.LookupQuerier); ok {
			return lq.QueryLookup(ctx, sql, params, cols)
		}
		return queryPrepared(ctx, c, sql, params, cols)
	})
}

// queryPrepared runs sql with params in the best way c has: a statement
// kept prepared, else bound parameters, else the text alone.
func queryPrepared(ctx context.Context, c connectors.Connector, sql string, params []string, cols []types.Type) (connectors.Rows, error) {
	if pq, ok := c.(connectors.PreparedQuerier); ok {
		return pq.QueryPrepared(ctx, sql, params, cols)
	}
	if pq, ok := c.(connectors.ParamQuerier); ok {
		return pq.QueryParams(ctx, sql, params, cols)
	}
	return c.Query(ctx, sql, cols)
}

// QueryCursor reads the result a part at a time when the source can, as
// connectors.CursorQuerier.
func (s *Source) QueryCursor(ctx context.Context, sql string, cols []types.Type, first int) (connectors.Rows, error) {
	return s.rows(ctx, func(c connectors.Connector) (connectors.Rows, error) {
		if cq, ok := c.(connectors.CursorQuerier); ok {
			return cq.QueryCursor(ctx, sql, cols, first)
		}
		return c.Query(ctx, sql, cols)
	})
}

// rows starts a query; the breaker hears how it ends only when its rows
// do, since a source that dies mid-stream fails the query then. The
// statement's account lists the source even when it could not be asked.
func (s *Source) rows(ctx context.Context, start func(connectors.Connector) (connectors.Rows, error)) (connectors.Rows, error) {
	usage := telemetry.QueryFrom(ctx).Source(s.name)
	done, err := s.allow()
	if err != nil {
		return nil, err
	}
	c, err := s.connector(ctx, true)
	if err != nil {
		s.observe(err)
		s.failed(ctx, err)
		done(err)
		return nil, s.named(err)
	}
	rows, err := remote.Retry(ctx, queryAttempts, counted(s, ctx, func() (connectors.Rows, error) { return start(c) }), retryable)
	if err != nil {
		s.observe(err)
		s.failed(ctx, err)
		done(err)
		return nil, s.named(err)
	}
	return &guardedRows{src: s, ctx: ctx, rows: rows, done: done, usage: usage}, nil
}

// call runs one call that returns no rows through the breaker, retrying
// it while the source cannot be reached.
func call[T any](s *Source, ctx context.Context, f func(connectors.Connector) (T, error)) (T, error) {
	var zero T
	done, err := s.allow()
	if err != nil {
		return zero, err
	}
	c, err := s.connector(ctx, true)
	if err == nil {
		var res T
		res, err = remote.Retry(ctx, queryAttempts, counted(s, ctx, func() (T, error) { return f(c) }), retryable)
		if err == nil {
			s.observe(nil)
			done(nil)
			return res, nil
		}
	}
	s.observe(err)
	s.failed(ctx, err)
	done(err)
	return zero, s.named(err)
}

// allow asks the breaker for a call; while it is open the call fails at
// once with an error that says when the source will be tried again.
func (s *Source) allow() (func(error), error) {
	done, err := s.cb.Allow()
	if err == nil {
		return done, nil
	}
	h := s.Health()
	e := pgerr.New(pgerr.FDWUnableToConnect, "source %q is unavailable: %s", s.name, s.waitText(err))
	if h.LastError != "" {
		e.Detail = "Last error: " + h.LastError
	}
	e.Hint = "Queries that do not need this source are not affected; junction.sources shows its state."
	return nil, e
}

func (s *Source) waitText(err error) string {
	if errors.Is(err, gobreaker.ErrTooManyRequests) {
		return "a probe of the source is running; it will be retried when the probe succeeds"
	}
	at := s.RetryAt()
	return fmt.Sprintf("its circuit breaker opened after %d consecutive failures; it will be retried at %s (in %s)",
		s.opts.Failures, at.UTC().Format("15:04:05 UTC"), max(time.Until(at), 0).Round(time.Millisecond))
}

// RetryAt is when an open breaker lets a probe through; zero when it is
// not open.
func (s *Source) RetryAt() time.Time {
	if s.cb.State() != gobreaker.StateOpen {
		return time.Time{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.openedAt.Add(s.opts.Cooldown)
}

// Connect connects the source now if it has no connector, and returns the
// connector itself, for discovering the source when it is registered; it
// does not call connected.
func (s *Source) Connect(ctx context.Context) (connectors.Connector, error) {
	c, err := s.connector(ctx, false)
	s.observe(err)
	return c, err
}

// connector returns the source's connector, connecting first when it has
// none (the source was down); notify tells the owner of a new connector.
func (s *Source) connector(ctx context.Context, notify bool) (connectors.Connector, error) {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		return c, nil
	}
	s.dial.Lock()
	defer s.dial.Unlock()
	s.mu.Lock()
	c, closed := s.conn, s.closed
	s.mu.Unlock()
	if c != nil {
		return c, nil
	}
	if closed {
		return nil, pgerr.New(pgerr.ConnectionFailure, "source %q was dropped", s.name)
	}
	c, err := s.open(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = c.Close()
		return nil, pgerr.New(pgerr.ConnectionFailure, "source %q was dropped", s.name)
	}
	s.conn = c
	s.mu.Unlock()
	if notify && s.connected != nil {
		go s.connected(c)
	}
	return c, nil
}

// named puts the source's name in an error's message, keeping its
// SQLSTATE, so that a user of a query over several sources knows which
// one failed.
func (s *Source) named(err error) error {
	return Named(s.name, err)
}

// Named puts a source's name in an error's message, keeping its SQLSTATE;
// an error without one becomes 08001, except a context's, which the
// executor turns into the cancel it stands for.
func Named(name string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pe *pgerr.Error
	if errors.As(err, &pe) {
		out := *pe
		if !strings.Contains(out.Message, name) {
			out.Message = "source \"" + name + "\": " + out.Message
		}
		return &out
	}
	return pgerr.New(pgerr.FDWUnableToConnect, "source %q: %s", name, err.Error())
}

// guardedRows reports the end of a query to the breaker and names the
// source in errors. Rows reached the reader by then, so nothing is retried.
type guardedRows struct {
	src  *Source
	ctx  context.Context
	rows connectors.Rows
	done func(error)
	// usage is the statement's account of the source, nil outside one.
	usage *telemetry.SourceUsage
}

func (r *guardedRows) Next() (*vector.Batch, error) {
	b, err := r.rows.Next()
	if err != nil {
		r.finish(err)
		return nil, r.src.named(err)
	}
	if b == nil {
		r.finish(nil)
	} else {
		r.fetched(b)
	}
	return b, nil
}

// PostgresText tells whether the rows may be read with EachText.
func (r *guardedRows) PostgresText() bool {
	t, ok := r.rows.(connectors.TextRows)
	return ok && t.PostgresText()
}

// EachText reads the rows as their text forms; only when PostgresText.
func (r *guardedRows) EachText(fn func(row [][]byte) error) error {
	failed := false
	var rows, bytes int64
	defer func() { r.count(rows, bytes) }()
	err := r.rows.(connectors.TextRows).EachText(func(row [][]byte) error {
		rows++
		for _, v := range row {
			bytes += int64(len(v))
		}
		if err := fn(row); err != nil {
			failed = true
			return err
		}
		return nil
	})
	if err != nil && !failed {
		r.finish(err)
		return r.src.named(err)
	}
	r.finish(nil)
	return err
}

func (r *guardedRows) Close() {
	r.rows.Close()
	// A reader that stops early (a LIMIT met) ends a query that went well.
	r.finish(nil)
}

func (r *guardedRows) finish(err error) {
	if r.done == nil {
		return
	}
	r.src.observe(err)
	r.src.failed(r.ctx, err)
	r.done(err)
	r.done = nil
}
