package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// A cursor's first FETCH reads cursorFirstFetch rows, so that a reader
// needing few waits for few; each further FETCH doubles, up to a batch.
const (
	cursorFirstFetch = 256
	cursorMaxFetch   = vector.BatchSize
)

// cursorCleanup bounds closing a cursor's transaction after its reader
// stopped.
const cursorCleanup = 5 * time.Second

// QueryCursor runs sql as a cursor in its own transaction and reads it a
// FETCH at a time. A reader that stops early costs the server no more
// work than it asked for: closing ends the transaction, where a plain
// query would stream the rest of its result to be read and dropped.
func (c *Connector) QueryCursor(ctx context.Context, sql string, cols []types.Type) (connectors.Rows, error) {
	ctx, cancel := context.WithCancel(ctx)
	fail := func(err error) (connectors.Rows, error) {
		err = c.queryError(ctx, err)
		cancel()
		return nil, err
	}
	tx, err := c.pool.Begin(ctx)
	if err != nil {
		return fail(err)
	}
	src := &cursorSource{ctx: ctx, tx: tx, size: cursorFirstFetch}
	if _, err := tx.Exec(ctx, "DECLARE junction_cursor NO SCROLL CURSOR FOR "+sql, pgx.QueryExecModeSimpleProtocol); err != nil {
		src.Close()
		return fail(err)
	}
	if err := src.fetch(); err != nil {
		src.Close()
		return fail(err)
	}
	if err := remote.CheckColumnCount(c.ep, len(src.names), len(cols)); err != nil {
		src.Close()
		cancel()
		return nil, err
	}
	appenders := make([]remote.Appender, len(cols))
	for i := range cols {
		appenders[i] = remote.ParseAppender(cols[i])
	}
	build := remote.NewBuilder(cols, src.names, appenders)
	return remote.NewRows(src, build, func(err error) error { return c.queryError(ctx, err) }, cancel), nil
}

// cursorSource reads a cursor's rows across FETCH results. Each FETCH
// is read whole before its rows are handed out, so no statement is in
// flight while the reader works: a reader that stops then needs no cancel
// request, only the end of the transaction.
type cursorSource struct {
	ctx   context.Context
	tx    pgx.Tx
	names []string
	rows  [][][]byte // the current FETCH's rows
	pos   int        // next row of it
	size  int        // rows the next FETCH asks for
	last  bool       // the current FETCH was the cursor's end
	err   error
}

// fetch reads the next rows. The first FETCH does whatever the query
// must do before its first row (a sort, say) and can be cancelled like
// any query; later ones are short, and run to their end rather than
// cost a cancel request to the server: the reader's cancellation is
// seen between them.
func (s *cursorSource) fetch() error {
	ctx := s.ctx
	if s.names != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		ctx = context.WithoutCancel(ctx)
	}
	asked := s.size
	s.size = min(2*s.size, cursorMaxFetch)
	rows, err := s.tx.Query(ctx, "FETCH "+strconv.Itoa(asked)+" FROM junction_cursor", pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return err
	}
	defer rows.Close()
	if s.names == nil {
		for _, f := range rows.FieldDescriptions() {
			s.names = append(s.names, f.Name)
		}
	}
	s.rows, s.pos = s.rows[:0], 0
	for rows.Next() {
		raw := rows.RawValues()
		row := make([][]byte, len(raw))
		for i, v := range raw {
			if v != nil {
				row[i] = append([]byte{}, v...)
			}
		}
		s.rows = append(s.rows, row)
	}
	s.last = len(s.rows) < asked
	return rows.Err()
}

func (s *cursorSource) Next() bool {
	for s.err == nil {
		if s.pos < len(s.rows) {
			s.pos++
			return true
		}
		if s.last {
			return false
		}
		s.err = s.fetch()
	}
	return false
}

func (s *cursorSource) Values() ([][]byte, error) { return s.rows[s.pos-1], nil }

func (s *cursorSource) PartEnded() bool { return s.pos == len(s.rows) }

func (s *cursorSource) Err() error { return s.err }

// Close ends the transaction, which drops the cursor; the reader's
// context may already be cancelled, so it gets its own.
func (s *cursorSource) Close() {
	s.rows = nil
	ctx, cancel := context.WithTimeout(context.Background(), cursorCleanup)
	defer cancel()
	_ = s.tx.Rollback(ctx)
}
