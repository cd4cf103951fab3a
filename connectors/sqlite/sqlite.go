// Package sqlite owns the connector to SQLite database files (wrapper
// "sqlite", also accepted as "sqlite_fdw" and "sqlite3") and its SQL
// dialect, through the pure-Go modernc.org/sqlite driver.
//
// Options of CREATE SERVER: path (also spelled database or dbname), the
// database file, which must exist; max_connections (default 4),
// connect_timeout (default 5s, bounds opening and checking the file) and
// statement_timeout (default none). Timeouts are seconds when given as a
// bare number, else Go durations ("500ms"). The file is opened read-only
// (mode=ro): Junction never writes to a source, and a missing file is an
// error instead of a new empty database. A writer holding a lock makes a
// reader wait up to five seconds (busy_timeout) before failing.
//
// SQLite has one schema, so tables are reached as source.table and
// Table.Schema is "". Tables and views come from sqlite_master (SQLite's
// own sqlite_* tables excluded), columns from pragma_table_xinfo, row
// estimates from sqlite_stat1 when ANALYZE has run.
//
// Type mapping. A column's type follows SQLite's affinity rules applied to
// its declared type, checked in this order; a few declared names within
// NUMERIC affinity get the PostgreSQL type they name:
//
//	contains INT                         bigint
//	contains CHAR, CLOB or TEXT          text (SQLite does not enforce lengths)
//	contains BLOB                        bytea
//	contains REAL, FLOA or DOUB          double precision
//	BOOLEAN, BOOL                        boolean (0 is false, other numbers true,
//	                                     or PostgreSQL's boolean words)
//	DATE                                 date
//	DATETIME, TIMESTAMP                  timestamp without time zone
//	TIMESTAMPTZ, TIMESTAMP WITH TIME ZONE timestamp with time zone
//	TIME                                 time without time zone
//	DECIMAL(p,s), NUMERIC(p,s)           numeric(p,s)
//	UUID                                 uuid (text, or 16-byte blobs)
//	JSON                                 json
//	anything else                        numeric (NUMERIC affinity)
//	no declared type                     from the values: a column without a
//	                                     type has no affinity, so it holds
//	                                     what was stored. The first 100 rows
//	                                     decide: all integers bigint, numbers
//	                                     double precision, blobs bytea,
//	                                     otherwise (text, mixed, none) text.
//	                                     View columns computed by expressions
//	                                     have no declared type either.
//
// SQLite stores any value in any column, so each value is converted to the
// column's PostgreSQL type as it is read: text through PostgreSQL's input
// rules (dates and timestamps as ISO-8601 text), integers and reals to
// numbers, booleans from 0/1. A value that has no such conversion (text
// 'abc' in an INTEGER column, a real in a DATE column) is an error naming
// the result column, its position and the stored value, never a silent
// NULL.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
)

func init() {
	connectors.Register("sqlite", Open, "sqlite_fdw", "sqlite3")
}

// The options that name the database file; path is the canonical one.
var pathOptions = []string{"path", "database", "dbname"}

var optionNames = append(append([]string{}, pathOptions...), remote.PoolOptionNames...)

const (
	defaultMaxConnections = 4
	busyTimeout           = 5 * time.Second
)

// Connector is a pool of read-only connections to one SQLite file.
type Connector struct {
	db               *sql.DB
	path             string
	statementTimeout time.Duration
	// otherCollations is set when the schema declares a collation other
	// than BINARY (such as NOCASE), which changes how SQLite compares and
	// groups text; see Dialect.
	otherCollations atomic.Bool
}

// Open opens the SQLite file the options name, read-only, and checks that
// it is a database.
func Open(ctx context.Context, options map[string]string) (connectors.Connector, error) {
	if err := remote.CheckOptionNames("sqlite", options, optionNames); err != nil {
		return nil, err
	}
	path, err := pathOption(options)
	if err != nil {
		return nil, err
	}
	pool, err := remote.ParsePoolOf(options, defaultMaxConnections)
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(path); err != nil || info.IsDir() {
		what := "does not exist"
		if err == nil {
			what = "is a directory"
		} else if !errors.Is(err, os.ErrNotExist) {
			what = "cannot be read: " + err.Error()
		}
		return nil, pgerr.New(pgerr.FDWUnableToConnect, "SQLite database file %q %s", path, what).
			WithHint("Set the path option of the server to an existing SQLite database file; Junction opens it read-only and never creates one.")
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, connectError(path, err)
	}
	db.SetMaxOpenConns(pool.MaxConnections)
	db.SetMaxIdleConns(pool.MaxConnections)
	c := &Connector{db: db, path: path, statementTimeout: pool.StatementTimeout}
	checkCtx, cancel := context.WithTimeout(ctx, pool.ConnectTimeout)
	defer cancel()
	if err := c.checkSchema(checkCtx); err != nil {
		db.Close()
		return nil, connectError(path, err)
	}
	return c, nil
}

// pathOption reads the database file option under any of its names.
func pathOption(options map[string]string) (string, error) {
	var path, from string
	for _, name := range pathOptions {
		v, ok := options[name]
		if !ok {
			continue
		}
		if from != "" && v != path {
			return "", pgerr.New(pgerr.InvalidParameterValue, "options %s and %s name different SQLite files", from, name).
				WithHint("Give the database file once, with the path option.")
		}
		path, from = v, name
	}
	if path == "" {
		return "", pgerr.New(pgerr.InvalidParameterValue, "a SQLite server needs the path option").
			WithHint("CREATE SERVER name FOREIGN DATA WRAPPER sqlite OPTIONS (path 'file.db')")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", pgerr.New(pgerr.InvalidParameterValue, "invalid SQLite path %q: %v", path, err)
	}
	return abs, nil
}

// dsn is the driver's URI for a read-only connection to path. Read-only
// mode also keeps SQLite from creating the file.
func dsn(path string) string {
	u := url.URL{Scheme: "file", Path: path}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	u.RawQuery = q.Encode()
	return u.String()
}

// checkSchema reads the schema, which fails for a file that is not a
// SQLite database, and notes whether it declares non-binary collations.
func (c *Connector) checkSchema(ctx context.Context) error {
	rows, err := c.db.QueryContext(ctx, "SELECT coalesce(sql, '') FROM sqlite_master")
	if err != nil {
		return err
	}
	defer rows.Close()
	other := false
	for rows.Next() {
		var ddl string
		if err := rows.Scan(&ddl); err != nil {
			return err
		}
		other = other || declaresOtherCollation(ddl)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	c.otherCollations.Store(other)
	return nil
}

func connectError(path string, err error) error {
	if pe := new(pgerr.Error); errors.As(err, &pe) {
		return pe
	}
	return pgerr.New(pgerr.FDWUnableToConnect, "could not open SQLite database %q: %s", path, driverMessage(err)).
		WithHint("Check that the path option names a SQLite database file that Junction may read.")
}

// driverErrorText matches the driver's "<SQLite error class>: <message>
// (<code>)" so that messages can show SQLite's own text alone.
var driverErrorText = regexp.MustCompile(`^[^:]*: (.*) \(\d+\)( \(SQLITE_BUSY\))?$`)

// driverMessage is SQLite's message of a driver error.
func driverMessage(err error) string {
	msg := err.Error()
	if m := driverErrorText.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return msg
}

// Ping checks that the file can still be read.
func (c *Connector) Ping(ctx context.Context) error {
	if err := c.db.PingContext(ctx); err != nil {
		return connectError(c.path, err)
	}
	return nil
}

// Close closes the pool.
func (c *Connector) Close() error { return c.db.Close() }

// Dialect is SQLite's SQL as this database's schema allows it to be used.
func (c *Connector) Dialect() sqlgen.Dialect {
	return Dialect{otherCollations: c.otherCollations.Load()}
}
