package remote

import (
	"context"
	"database/sql"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

var intRanges = map[types.Kind][2]int64{
	types.Int2: {math.MinInt16, math.MaxInt16},
	types.Int4: {math.MinInt32, math.MaxInt32},
	types.Int8: {math.MinInt64, math.MaxInt64},
	types.OID:  {0, math.MaxUint32},
}

// AppendInt appends n to an integer column, or fails with PostgreSQL's
// error when n is out of the column type's range.
func AppendInt(v *vector.Vector, n int64) error {
	if r, ok := intRanges[v.Type.Kind]; ok && (n < r[0] || n > r[1]) {
		if v.Type.Kind == types.OID {
			return pgerr.New(pgerr.NumericOutOfRange, "OID out of range")
		}
		return pgerr.New(pgerr.NumericOutOfRange, "%s out of range", v.Type.BaseName())
	}
	v.Int = append(v.Int, n)
	return nil
}

// ValueQuery runs queries on a database/sql pool whose driver hands values
// over as Go values, and streams their results as ValueRows.
type ValueQuery struct {
	DB *sql.DB
	// StatementTimeout bounds each query; zero for none.
	StatementTimeout time.Duration
	// Source names the source in messages ("the SQLite source x.db").
	Source string
	// Decoder chooses the decoder of a column of type t.
	Decoder func(t types.Type) ValueDecoder
	// QueryError turns a driver error of a query running under ctx into
	// a PostgreSQL error.
	QueryError func(ctx context.Context, err error) error
	// ValueError explains a value of result column col, named name and
	// read as type t, that its decoder refused with err.
	ValueError func(col int, name string, t types.Type, value any, err error) error
}

// Run runs query and streams its rows decoded into vectors of cols. The
// query stops when ctx ends, when the statement timeout passes, or when
// the rows are closed.
func (q ValueQuery) Run(ctx context.Context, query string, cols []types.Type) (*ValueRows, error) {
	qctx, cancel := context.WithCancel(ctx)
	if q.StatementTimeout > 0 {
		qctx, cancel = context.WithTimeout(ctx, q.StatementTimeout)
	}
	rows, err := q.DB.QueryContext(qctx, query)
	if err != nil {
		err = q.QueryError(qctx, err)
		cancel()
		return nil, err
	}
	names, err := rows.Columns()
	// A query of no columns selects a constant, as SQL has no empty
	// select list; it is read and skipped.
	if err == nil && len(names) != len(cols) && !(len(cols) == 0 && len(names) == 1) {
		err = pgerr.New(pgerr.FDWError, "remote query on %s returned %d columns, expected %d", q.Source, len(names), len(cols))
	}
	if err != nil {
		err = q.QueryError(qctx, err)
		rows.Close()
		cancel()
		return nil, err
	}
	decoders := make([]ValueDecoder, len(cols))
	for i, t := range cols {
		decoders[i] = q.Decoder(t)
	}
	return newValueRows(rows, cols, decoders,
		func(err error) error { return q.QueryError(qctx, err) },
		func(col int, value any, err error) error { return q.ValueError(col, names[col], cols[col], value, err) },
		cancel), nil
}

// ValueDecoder appends one non-NULL value that a database/sql driver
// returned as a Go value (int64, float64, string, []byte, time.Time, or a
// driver's own type) to v.
type ValueDecoder func(v *vector.Vector, value any) error

// ValueRows streams a database/sql result whose driver hands values over
// as Go values rather than text (the embedded databases: SQLite, DuckDB).
// It implements connectors.Rows.
type ValueRows struct {
	rows     *sql.Rows
	cols     []types.Type
	values   []any
	dest     []any
	decoders []ValueDecoder
	wrapErr  func(error) error
	valueErr func(col int, value any, err error) error
	cancel   context.CancelFunc
	// done is set by Close, which may run on another goroutine than Next
	// (a cancelled client).
	done      atomic.Bool
	closeOnce sync.Once
}

// newValueRows streams rows, which has as many columns as cols (or one,
// for a query of no columns). decoders[i] decodes column i; wrapErr turns
// driver errors into PostgreSQL errors, valueErr explains a value a
// decoder refused, and cancel cancels the context the query runs under.
func newValueRows(rows *sql.Rows, cols []types.Type, decoders []ValueDecoder, wrapErr func(error) error,
	valueErr func(col int, value any, err error) error, cancel context.CancelFunc) *ValueRows {
	n := max(len(cols), 1)
	r := &ValueRows{rows: rows, cols: cols, values: make([]any, n), dest: make([]any, n), decoders: decoders,
		wrapErr: wrapErr, valueErr: valueErr, cancel: cancel}
	for i := range r.dest {
		r.dest[i] = &r.values[i]
	}
	return r
}

// Next returns the next batch of up to vector.BatchSize rows, or nil at
// the end.
func (r *ValueRows) Next() (*vector.Batch, error) {
	if r.done.Load() {
		return nil, nil
	}
	b := vector.NewBatch(r.cols, vector.BatchSize)
	for b.Len < vector.BatchSize {
		if !r.rows.Next() {
			err := r.rows.Err()
			if err != nil {
				err = r.wrapErr(err)
			}
			r.Close()
			if err != nil {
				return nil, err
			}
			break
		}
		if err := r.rows.Scan(r.dest...); err != nil {
			err = r.wrapErr(err)
			r.Close()
			return nil, err
		}
		for i, col := range b.Cols {
			v := r.values[i]
			if v == nil {
				col.AppendNull()
				continue
			}
			if err := r.decoders[i](col, v); err != nil {
				r.Close()
				return nil, r.valueErr(i, v, err)
			}
		}
		b.Len++
	}
	if b.Len == 0 {
		return nil, nil
	}
	return b, nil
}

// Close stops the query and releases its connection.
func (r *ValueRows) Close() {
	r.closeOnce.Do(func() {
		r.done.Store(true)
		r.rows.Close()
		r.cancel()
	})
}
