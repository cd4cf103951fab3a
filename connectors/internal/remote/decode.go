package remote

import (
	"context"
	"fmt"
	"unsafe"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// Appender appends one non-NULL value, received in a text form, to v. The
// bytes belong to the driver and change after the call.
type Appender func(v *vector.Vector, text []byte) error

// ParseAppender returns the appender that reads PostgreSQL's text form of
// t with types.ParseText. Each call returns a new appender, meant for one
// column of one result: the value goes straight into the vector's slice
// of its physical type, and strings and numerics are built in memory
// shared by the column's values instead of allocations of their own.
func ParseAppender(t types.Type) Appender {
	if t.Kind == types.JSON || t.Kind == types.JSONB {
		// Sources only hold valid JSON (PostgreSQL and MySQL check it on
		// input, MariaDB through the json_valid constraint that made the
		// column json), and jsonb arrives in its normalized output form, so
		// parsing every document again would find nothing to change.
		var a arena
		return func(v *vector.Vector, text []byte) error {
			v.Str = append(v.Str, a.string(text))
			return nil
		}
	}
	switch t.Physical() {
	case types.PhysInt:
		return func(v *vector.Vector, text []byte) error {
			n, err := types.ParseIntText(t, unsafeString(text))
			if err != nil {
				return err
			}
			v.Int = append(v.Int, n)
			return nil
		}
	case types.PhysDecimal:
		var a types.DecimalArena
		return func(v *vector.Vector, text []byte) error {
			d, err := a.ParseNumeric(t, unsafeString(text))
			if err != nil {
				return err
			}
			v.Dec = append(v.Dec, d)
			return nil
		}
	case types.PhysString:
		var a arena
		return func(v *vector.Vector, text []byte) error {
			s, err := types.ParseStringText(t, a.string(text))
			if err != nil {
				return err
			}
			v.Str = append(v.Str, s)
			return nil
		}
	}
	return AppendParsed
}

// An arena copies strings into blocks that start at arenaFirstBlock bytes
// (a point query reads a few short strings) and double up to arenaMaxBlock.
// A string longer than arenaMaxString gets its own allocation. A string
// kept after its batch is gone keeps its whole block alive, so blocks stay
// small.
const (
	arenaFirstBlock = 256
	arenaMaxBlock   = 16 << 10
	arenaMaxString  = arenaMaxBlock / 8
)

// arena hands out immutable strings copied into shared blocks.
type arena struct{ block []byte }

func (a *arena) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaMaxString {
		return string(b)
	}
	if cap(a.block)-len(a.block) < len(b) {
		size := min(arenaMaxBlock, max(arenaFirstBlock, 2*cap(a.block), len(b)))
		a.block = make([]byte, 0, size)
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return unsafe.String(&a.block[start], len(b))
}

// AppendParsed appends the value types.ParseText reads from text.
func AppendParsed(v *vector.Vector, text []byte) error {
	s := unsafeString(text)
	if v.Type.Physical() == types.PhysString {
		// A parsed string shares memory with its input.
		s = string(text)
	}
	d, err := types.ParseText(v.Type, s)
	if err != nil {
		return err
	}
	v.AppendDatum(d)
	return nil
}

// unsafeString views b as a string without copying; only for parsers that
// do not keep their input.
func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Builder fills batches row by row, one appender per column.
type Builder struct {
	cols      []types.Type
	names     []string
	appenders []Appender
	batch     *vector.Batch
	// filled is set once a batch has reached vector.BatchSize rows.
	filled bool
}

// firstBatchCapacity is the room the first batch of a result starts with:
// most results of point queries are a few rows, for which vectors of
// vector.BatchSize values would cost more to allocate than to read. Later
// batches of a result that filled one start at full size.
const firstBatchCapacity = 16

// NewBuilder returns a builder for columns of the given types; names label
// the columns in decoding errors. Nil appenders stand for ParseAppender's
// for every column, made when the first row comes, so that a result
// read without decoding (see Rows.EachText) does not pay for them.
func NewBuilder(cols []types.Type, names []string, appenders []Appender) *Builder {
	return &Builder{cols: cols, names: names, appenders: appenders}
}

// Append adds one row; a nil value is NULL.
func (b *Builder) Append(row [][]byte) error {
	if b.appenders == nil {
		b.appenders = make([]Appender, len(b.cols))
		for i, t := range b.cols {
			b.appenders[i] = ParseAppender(t)
		}
	}
	if b.batch == nil {
		capacity := firstBatchCapacity
		if b.filled {
			capacity = vector.BatchSize
		}
		b.batch = vector.NewBatch(b.cols, capacity)
	}
	for i, v := range b.batch.Cols {
		text := row[i]
		if text == nil {
			v.AppendNull()
			continue
		}
		if err := b.appenders[i](v, text); err != nil {
			e := pgerr.As(err)
			return &pgerr.Error{Code: e.Code, Message: fmt.Sprintf("column %q: %s", b.names[i], e.Message), Detail: e.Detail, Hint: e.Hint}
		}
	}
	b.batch.Len++
	return nil
}

// Full reports whether the current batch has reached vector.BatchSize rows.
func (b *Builder) Full() bool {
	if b.batch != nil && b.batch.Len >= vector.BatchSize {
		b.filled = true
		return true
	}
	return false
}

// Take returns the rows appended since the last Take, or nil if there are
// none.
func (b *Builder) Take() *vector.Batch {
	out := b.batch
	b.batch = nil
	if out == nil || out.Len == 0 {
		return nil
	}
	return out
}

// CheckColumnCount guards against a result whose shape is not the one the
// planner rendered the query for.
func CheckColumnCount(ep Endpoint, got, want int) error {
	// A query of no columns selects the constant 1, as SQL has no empty
	// select list; the reader skips it.
	if got != want && !(want == 0 && got == 1) {
		return pgerr.New(pgerr.FDWError, "remote query on the %s returned %d columns, expected %d", ep, got, want)
	}
	return nil
}

// Source is a driver's result, read row by row with values in text form.
type Source interface {
	// Next advances to the next row; false at the end or on an error.
	Next() bool
	// Values is the current row; nil entries are NULL. The bytes are valid
	// until the next call to Next.
	Values() ([][]byte, error)
	// Err is the error that ended the rows, if any.
	Err() error
	// Close ends the result and releases its connection; it may be called
	// more than once.
	Close()
}

// PartedSource is a Source that receives its rows in parts (a cursor's
// FETCHes). A batch ends with each part, so that the first rows reach the
// reader without waiting for the parts that would fill a whole batch.
type PartedSource interface {
	Source
	// PartEnded reports whether the current row is the last of its part.
	PartEnded() bool
}

// Rows streams a Source as batches. It implements connectors.Rows.
type Rows struct {
	src     Source
	parted  PartedSource // src, when it comes in parts
	build   *Builder
	wrapErr func(error) error
	cancel  context.CancelFunc
	done    bool
}

// NewRows streams src through build; wrapErr turns driver errors into
// PostgreSQL errors, and cancel cancels the context the query runs under.
func NewRows(src Source, build *Builder, wrapErr func(error) error, cancel context.CancelFunc) *Rows {
	parted, _ := src.(PartedSource)
	return &Rows{src: src, parted: parted, build: build, wrapErr: wrapErr, cancel: cancel}
}

// Next returns the next batch, or nil at the end of the result.
func (r *Rows) Next() (*vector.Batch, error) {
	if r.done {
		return nil, nil
	}
	for !r.build.Full() {
		if !r.src.Next() {
			err := r.src.Err()
			if err != nil {
				err = r.wrapErr(err)
			}
			r.finish(false)
			if err != nil {
				return nil, err
			}
			break
		}
		vals, err := r.src.Values()
		if err == nil {
			err = r.build.Append(vals)
		}
		if err != nil {
			err = r.wrapErr(err)
			r.finish(true)
			return nil, err
		}
		if r.parted != nil && r.parted.PartEnded() {
			break
		}
	}
	return r.build.Take(), nil
}

// EachText calls fn with each remaining row's text values, without
// decoding them, and ends the result; see connectors.TextRows.
func (r *Rows) EachText(fn func(row [][]byte) error) error {
	for !r.done {
		if !r.src.Next() {
			err := r.src.Err()
			if err != nil {
				err = r.wrapErr(err)
			}
			r.finish(false)
			return err
		}
		vals, err := r.src.Values()
		if err != nil {
			err = r.wrapErr(err)
		} else {
			err = fn(vals)
		}
		if err != nil {
			r.finish(true)
			return err
		}
	}
	return nil
}

// Close ends the result and releases its connection. A result closed
// before its end is cancelled at the source first: the drivers would
// otherwise read the rest of it to free the connection.
func (r *Rows) Close() {
	if !r.done {
		r.finish(true)
	}
}

// finish releases the connection as soon as the result is over; abort
// stops the remote query first.
func (r *Rows) finish(abort bool) {
	r.done = true
	if abort {
		r.cancel()
	}
	r.src.Close()
	r.cancel()
}
