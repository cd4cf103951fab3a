package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// A cursor's first FETCH reads what the reader says it needs, or
// cursorFirstFetch rows, so that a reader needing few waits for few; each
// further FETCH doubles, up to a batch.
const (
	cursorFirstFetch = 256
	cursorMaxFetch   = vector.BatchSize
)

// cursorCleanup bounds closing a cursor's transaction after its reader
// stopped.
const cursorCleanup = 5 * time.Second

// QueryCursor runs sql as a cursor in its own transaction and reads it a
// FETCH at a time, the first of first rows (cursorFirstFetch when 0). A
// reader that stops early costs the server no more work than it asked
// for: closing ends the transaction, where a plain query would stream the
// rest of its result to be read and dropped. BEGIN, DECLARE and the first
// FETCH go to the server as one simple query, a single round trip.
func (c *Connector) QueryCursor(ctx context.Context, sql string, cols []types.Type, first int) (connectors.Rows, error) {
	ctx, cancel := context.WithCancel(ctx)
	fail := func(err error) (connectors.Rows, error) {
		err = c.queryError(ctx, err)
		cancel()
		return nil, err
	}
	conn, err := c.pool.Acquire(ctx)
	if err != nil {
		return fail(err)
	}
	if first <= 0 {
		first = cursorFirstFetch
	}
	src := &cursorSource{ctx: ctx, conn: conn, size: min(first, cursorMaxFetch)}
	if err := src.fetch("BEGIN; DECLARE junction_cursor NO SCROLL CURSOR FOR " + sql + "; "); err != nil {
		src.Close()
		return fail(err)
	}
	if err := remote.CheckColumnCount(c.ep, len(src.names), len(cols)); err != nil {
		src.Close()
		cancel()
		return nil, err
	}
	build := remote.NewBuilder(cols, src.names, nil)
	return remote.NewRows(src, build, func(err error) error { return c.queryError(ctx, err) }, cancel), nil
}

// cursorSource reads a cursor's rows across FETCH results. Each FETCH
// is read whole before its rows are handed out, so no statement is in
// flight while the reader works: a reader that stops then needs no cancel
// request, only the end of the transaction.
type cursorSource struct {
	ctx   context.Context
	conn  *pgxpool.Conn
	names []string
	rows  [][][]byte // the current FETCH's rows
	pos   int        // next row of it
	size  int        // rows the next FETCH asks for
	last  bool       // the current FETCH was the cursor's end
	err   error
}

// fetch sends the statements of prefix, if any, and the next FETCH. The
// first FETCH does whatever the query must do before its first row (a
// sort, say) and can be cancelled like any query; later ones are short,
// and run to their end rather than cost a cancel request to the server:
// the reader's cancellation is seen between them.
func (s *cursorSource) fetch(prefix string) error {
	ctx := s.ctx
	if s.names != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		ctx = context.WithoutCancel(ctx)
	}
	asked := s.size
	s.size = min(2*s.size, cursorMaxFetch)
	// The FETCH's result is the last; the statements before it return none.
	mrr := s.conn.Conn().PgConn().Exec(ctx, prefix+"FETCH "+strconv.Itoa(asked)+" FROM junction_cursor")
	var fields []pgconn.FieldDescription
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		fields = rr.FieldDescriptions()
		s.rows, s.pos = s.rows[:0], 0
		for rr.NextRow() {
			raw := rr.Values()
			row := make([][]byte, len(raw))
			for i, v := range raw {
				if v != nil {
					row[i] = append([]byte{}, v...)
				}
			}
			s.rows = append(s.rows, row)
		}
	}
	if err := mrr.Close(); err != nil {
		return err
	}
	if s.names == nil {
		s.names = []string{}
		for _, f := range fields {
			s.names = append(s.names, f.Name)
		}
	}
	s.last = len(s.rows) < asked
	return nil
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
		s.err = s.fetch("")
	}
	return false
}

func (s *cursorSource) Values() ([][]byte, error) { return s.rows[s.pos-1], nil }

func (s *cursorSource) PartEnded() bool { return s.pos == len(s.rows) }

func (s *cursorSource) Err() error { return s.err }

// Close ends the transaction, which drops the cursor, and gives the
// connection back (the pool drops it if the transaction did not end). The
// reader has all it wanted, so it does not wait for the ROLLBACK's round
// trip: that runs on, with a context of its own, while the reader moves on;
// the pool hands the connection out again only once it is back.
func (s *cursorSource) Close() {
	s.rows = nil
	conn := s.conn
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), cursorCleanup)
		defer cancel()
		_, _ = conn.Conn().PgConn().Exec(ctx, "ROLLBACK").ReadAll()
		conn.Release()
	}()
}
