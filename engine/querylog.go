package engine

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/junction-db/junction/audit"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/vector"
)

// Every statement a client runs, and every text that fails before it
// runs, is one query: it gets an id when it starts, travels with its
// telemetry.Query in the context (so that the guard counts what it
// fetches and log lines carry its id), and when it ends it is counted in
// the metrics, kept in the history (junction.queries) and written to the
// audit log. A statement with rows ends when its rows are closed.

// startQuery begins the record of a statement of the session that
// started at started.
func (s *Session) startQuery(sql string, redact bool, started time.Time) *queryRecord {
	return s.engine.history.start(s, sql, redact, started)
}

// endQuery ends a record: the statement failed with err, or ended with
// rows returned.
func (e *Engine) endQuery(rec *queryRecord, rows int64, err error) {
	sqlstate := ""
	if err != nil {
		sqlstate = errorCode(err)
	}
	sources, sourceRows, sourceBytes := rec.query.Usage()
	r := e.history.finish(rec, rows, err, sqlstate, sources, sourceRows, sourceBytes)
	e.cfg.Metrics.QueryEnded(r.Duration, sqlstate)
	if e.log.Enabled(context.Background(), slog.LevelDebug) || sqlstate == pgerr.InternalError {
		level := slog.LevelDebug
		if sqlstate == pgerr.InternalError {
			level = slog.LevelError
		}
		e.log.LogAttrs(telemetry.WithQuery(context.Background(), rec.query), level, "statement ended",
			slog.String("user", r.User), slog.Duration("duration", r.Duration), slog.Int64("rows", rows),
			slog.String("sqlstate", sqlstate), slog.Any("sources", sources))
	}
	if e.cfg.Audit != nil {
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		e.cfg.Audit.Add(&audit.Record{
			Time: r.Started, QueryID: r.ID, User: r.User, Client: r.ClientAddr,
			Statement: rec.text, Redacted: rec.redacted,
			Sources: sources, Rows: rows, SourceRows: sourceRows, SourceBytes: sourceBytes,
			DurationMS: durationMS(r.Duration), Outcome: outcome, SQLState: sqlstate,
		})
	}
}

// errorCode is the SQLSTATE a client gets for err: a context's end is
// the cancel it stands for.
func errorCode(err error) string {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return pgerr.QueryCanceled
	}
	return pgerr.Code(err)
}

func durationMS(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// recorded ends rec when the statement's outcome is known: now for a
// statement without rows or that failed, when its rows are closed
// otherwise.
func (e *Engine) recorded(rec *queryRecord, res *Result, err error) *Result {
	if err != nil || res == nil || res.Rows == nil {
		e.endQuery(rec, 0, err)
		return res
	}
	res.Rows = &recordedRows{rows: res.Rows, rec: rec, engine: e}
	return res
}

// recordedRows counts a statement's rows and ends its record when closed.
type recordedRows struct {
	rows   RowStream
	rec    *queryRecord
	engine *Engine
	count  int64
	err    error
	done   bool
}

func (r *recordedRows) Next() (*vector.Batch, error) {
	b, err := r.rows.Next()
	if err != nil {
		r.err = err
		return nil, err
	}
	if b != nil {
		r.count += int64(b.Len)
	}
	return b, nil
}

// EachText hands on the text rows of a stream that offers them (see
// TextStream), counting them.
func (r *recordedRows) EachText(fn func(row [][]byte) error) (bool, error) {
	text, ok := r.rows.(TextStream)
	if !ok {
		return false, nil
	}
	handled, err := text.EachText(func(row [][]byte) error {
		r.count++
		return fn(row)
	})
	if err != nil {
		r.err = err
	}
	return handled, err
}

func (r *recordedRows) Close() {
	r.rows.Close()
	if r.done {
		return
	}
	r.done = true
	r.engine.endQuery(r.rec, r.count, r.err)
}
