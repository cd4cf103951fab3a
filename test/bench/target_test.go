package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// Target names, as the report and the JSON file show them.
const (
	singleTarget   = "single"
	peerTarget     = "fdw"
	junctionTarget = "junction"
	// lakeTarget is a second Junction server, reading lineitem and orders
	// from Parquet files.
	lakeTarget = "junction-lake"
)

// target is one way of answering the queries, reached as a client would.
type target struct {
	name   string
	url    string
	tables *strings.Replacer
	// junction is set for a Junction server, whose EXPLAIN ANALYZE tells
	// what it fetched from each source.
	junction bool
	conn     *pgx.Conn
}

// connect (re)opens the connection. A query that times out is cancelled
// on the server, as psql's Ctrl-C would, before the connection gives up.
func (t *target) connect(ctx context.Context) error {
	if t.conn != nil {
		t.conn.Close(ctx)
	}
	cfg, err := pgx.ParseConfig(t.url)
	if err != nil {
		return err
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 10 * time.Second}
	}
	t.conn, err = pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", t.name, err)
	}
	return nil
}

func (t *target) close() {
	if t.conn != nil {
		t.conn.Close(context.Background())
	}
}

// run executes sql with the simple protocol (every value as text) and
// hands each row to visit; it reconnects after a failure that broke the
// connection.
func (t *target) run(ctx context.Context, sql string, visit func([][]byte)) ([]string, error) {
	cols, err := t.query(ctx, sql, visit)
	if err != nil && t.conn.IsClosed() {
		if cerr := t.connect(context.Background()); cerr != nil {
			return nil, fmt.Errorf("%w; then %w", err, cerr)
		}
	}
	return cols, err
}

func (t *target) query(ctx context.Context, sql string, visit func([][]byte)) ([]string, error) {
	rows, err := t.conn.Query(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for _, f := range rows.FieldDescriptions() {
		cols = append(cols, f.Name)
	}
	for rows.Next() {
		visit(rows.RawValues())
	}
	return cols, rows.Err()
}

// fingerprint sums up a result in constant memory, so that even a scan
// of most of lineitem is checked without holding it.
type fingerprint struct {
	columns string
	rows    int64
	// ordered depends on the order of the rows, unordered does not.
	ordered, unordered uint64
}

// FNV-1a's constants.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func (f *fingerprint) add(row [][]byte) {
	h := uint64(fnvOffset)
	for _, v := range row {
		// The length first, so that NULL, '' and split values differ.
		h = (h ^ uint64(len(v))) * fnvPrime
		if v == nil {
			h = (h ^ 0x100) * fnvPrime
		}
		for _, c := range v {
			h = (h ^ uint64(c)) * fnvPrime
		}
	}
	f.rows++
	f.unordered += h
	f.ordered = (f.ordered^h)*fnvPrime + 1
}

// same reports whether two results agree; ordered also compares the
// order of the rows.
func (f fingerprint) same(o fingerprint, ordered bool) bool {
	if f.columns != o.columns || f.rows != o.rows || f.unordered != o.unordered {
		return false
	}
	return !ordered || f.ordered == o.ordered
}

// fingerprintOf runs sql and fingerprints its result.
func (t *target) fingerprintOf(ctx context.Context, sql string) (fingerprint, error) {
	var f fingerprint
	cols, err := t.run(ctx, sql, f.add)
	f.columns = strings.Join(cols, ",")
	return f, err
}

// timed runs sql, reading every row as a client would, and returns the
// time from sending it to the last row.
func (t *target) timed(ctx context.Context, sql string) (time.Duration, error) {
	start := time.Now()
	_, err := t.run(ctx, sql, func([][]byte) {})
	return time.Since(start), err
}
