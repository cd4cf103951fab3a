package mysql

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"
	"sync"
	"time"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// killTimeout bounds the KILL QUERY sent when a query's context ends.
const killTimeout = 2 * time.Second

// Query runs sql on one connection of the pool and parses each value into
// the column type the planner expects. When ctx ends, or the rows are
// closed before their end, the driver closes the connection and KILL
// QUERY stops the statement on the server, which would otherwise run on
// until it next writes to the closed socket.
func (c *Connector) Query(ctx context.Context, query string, cols []types.Type) (connectors.Rows, error) {
	ctx, cancel := context.WithCancel(ctx)
	fail := func(res *result, err error) (connectors.Rows, error) {
		err = c.queryError(ctx, err)
		res.Close()
		cancel()
		return nil, err
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return fail(&result{}, err)
	}
	res := &result{conn: conn}
	id, err := c.connIDs.of(ctx, conn)
	if err != nil {
		return fail(res, err)
	}
	res.killed = make(chan struct{})
	res.stopKill = context.AfterFunc(ctx, func() {
		defer close(res.killed)
		c.killQuery(id)
	})
	if err := res.start(ctx, query, cols); err != nil {
		return fail(res, err)
	}
	colTypes, err := res.rows.ColumnTypes()
	if err == nil {
		err = remote.CheckColumnCount(c.ep, len(colTypes), len(cols))
	}
	if err != nil {
		return fail(res, err)
	}
	names := make([]string, len(cols))
	appenders := make([]remote.Appender, len(cols))
	res.raw = make([]sql.RawBytes, len(colTypes))
	res.dest = make([]any, len(colTypes))
	res.vals = make([][]byte, len(colTypes))
	for i := range colTypes {
		res.dest[i] = &res.raw[i]
	}
	for i := range cols {
		names[i] = colTypes[i].Name()
		appenders[i] = appender(cols[i], colTypes[i].DatabaseTypeName())
	}
	build := remote.NewBuilder(cols, names, appenders)
	return remote.NewRows(res, build, func(err error) error { return c.queryError(ctx, err) }, cancel), nil
}

// killQuery stops whatever statement the connection with the given id
// runs. It is best effort: the query may have ended meanwhile, and its
// client connection is closed in any case.
func (c *Connector) killQuery(id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), killTimeout)
	defer cancel()
	_, _ = c.killer.ExecContext(ctx, "KILL QUERY "+strconv.FormatInt(id, 10))
}

// result is one running query on a connection held for it.
type result struct {
	conn     *sql.Conn
	stmt     *sql.Stmt
	rows     *sql.Rows
	raw      []sql.RawBytes
	dest     []any
	vals     [][]byte
	stopKill func() bool
	killed   chan struct{}
	once     sync.Once
}

// start sends the query. The text protocol prints FLOAT values with six
// significant digits, so a query with real columns runs as a prepared
// statement, whose binary protocol carries the exact value.
func (r *result) start(ctx context.Context, query string, cols []types.Type) error {
	for _, t := range cols {
		if t.Kind == types.Float4 {
			stmt, err := r.conn.PrepareContext(ctx, query)
			if err != nil {
				return err
			}
			r.stmt = stmt
			r.rows, err = stmt.QueryContext(ctx)
			return err
		}
	}
	var err error
	r.rows, err = r.conn.QueryContext(ctx, query)
	return err
}

func (r *result) Next() bool { return r.rows.Next() }

func (r *result) Values() ([][]byte, error) {
	if err := r.rows.Scan(r.dest...); err != nil {
		return nil, err
	}
	for i, b := range r.raw {
		r.vals[i] = b
	}
	return r.vals, nil
}

func (r *result) Err() error { return r.rows.Err() }

// Close releases the connection, unless a KILL QUERY was sent for it: a
// kill that arrives after its query ended must not hit the next query on
// the connection, so such a connection is discarded.
func (r *result) Close() {
	r.once.Do(func() {
		killStarted := r.stopKill != nil && !r.stopKill()
		if r.rows != nil {
			r.rows.Close()
		}
		if r.stmt != nil {
			r.stmt.Close()
		}
		if killStarted {
			<-r.killed
			_ = r.conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		if r.conn != nil {
			r.conn.Close()
		}
	})
}

// appender chooses how to read a result column of MySQL type dbType
// (the driver's name for it) into the type t.
func appender(t types.Type, dbType string) remote.Appender {
	switch {
	case dbType == "BIT" && t.Kind == types.Bool:
		return appendBit
	case t.Kind == types.Bytea:
		return appendBytes
	case t.Kind == types.Bool:
		return appendTruth
	case t.Kind == types.Date || t.Kind == types.Timestamp || t.Kind == types.TimestampTZ:
		return appendDateTime
	case t.Kind == types.Time:
		return appendTime
	}
	return remote.ParseAppender(t)
}

// appendBytes keeps binary strings as they are: MySQL sends their bytes,
// not bytea's hex form.
func appendBytes(v *vector.Vector, text []byte) error {
	v.Bytes = append(v.Bytes, bytes.Clone(text))
	return nil
}

// appendTruth reads MySQL's booleans, which are integers where any
// non-zero value is true.
func appendTruth(v *vector.Vector, text []byte) error {
	n, err := strconv.ParseInt(string(text), 10, 64)
	if err != nil {
		return remote.AppendParsed(v, text)
	}
	v.Bool = append(v.Bool, n != 0)
	return nil
}

// appendBit reads a BIT(1) value: the byte 0 or 1 for a column, the digit
// for an expression over one (see the package documentation).
func appendBit(v *vector.Vector, text []byte) error {
	if len(text) == 1 {
		switch text[0] {
		case 0, '0':
			v.Bool = append(v.Bool, false)
			return nil
		case 1, '1':
			v.Bool = append(v.Bool, true)
			return nil
		}
	}
	return pgerr.New(pgerr.InvalidTextRep, "invalid BIT(1) value %q", text)
}

// appendDateTime rejects MySQL's zero dates, which no PostgreSQL date
// matches, before parsing.
func appendDateTime(v *vector.Vector, text []byte) error {
	if len(text) >= 10 && (bytes.Equal(text[:4], []byte("0000")) || bytes.Equal(text[5:7], []byte("00")) || bytes.Equal(text[8:10], []byte("00"))) {
		return pgerr.New(pgerr.DatetimeFieldOverflow, "MySQL zero date %q has no PostgreSQL %s value", text, v.Type.BaseName()).
			WithHint("Store NULL instead of zero dates at the source, or filter them out in the query.")
	}
	return remote.AppendParsed(v, text)
}

// appendTime rejects MySQL TIME values outside a time of day: MySQL's
// TIME is also a duration from -838:59:59 to 838:59:59.
func appendTime(v *vector.Vector, text []byte) error {
	hours := text
	if i := bytes.IndexByte(text, ':'); i >= 0 {
		hours = text[:i]
	}
	if h, err := strconv.Atoi(string(hours)); err == nil && (h < 0 || h > 24 || text[0] == '-') {
		return pgerr.New(pgerr.DatetimeFieldOverflow, "MySQL time value %q is outside PostgreSQL's time range 00:00:00 to 24:00:00", text).
			WithHint("Read durations as text or as a number of seconds (TIME_TO_SEC) at the source.")
	}
	return remote.AppendParsed(v, text)
}
