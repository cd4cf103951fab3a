// Package postgres owns the connector to PostgreSQL sources (wrapper
// "postgres", also accepted as "postgres_fdw", "postgresql" and "pg") and
// its SQL dialect.
//
// Options of CREATE SERVER: host, port, dbname, user, password, sslmode
// (default disable), sslrootcert, sslcert, sslkey; schema (the remote
// schema reached with a two-part name, default public); max_connections
// (default 8), connect_timeout (default 5s) and statement_timeout (default
// none). Timeouts are seconds when given as a bare number, else Go
// durations ("500ms"). Options not given fall back to libpq's defaults and
// PG* environment variables, as psql's would.
//
// Every session runs with TimeZone UTC, DateStyle ISO, IntervalStyle
// postgres and extra_float_digits 3, so that the text the server prints is
// the one types.ParseText reads back exactly. Queries use the simple
// protocol, whose results are all text; each value is parsed into the
// PostgreSQL type the planner asks for. A cancelled context sends the
// server a cancel request, and rows closed before their end are cancelled
// the same way instead of being read to the end. A statement's own
// timeout (connectors.WithStatementTimeout) plus a second, when tighter
// than the source's statement_timeout, is set on the pooled connection
// that runs it, so that the server ends the remote query by itself
// should the cancel request not reach it.
//
// Type mapping (pg_type of the column, or of a domain's base type):
//
//	bool                         boolean
//	int2, int4, int8             smallint, integer, bigint
//	float4, float8               real, double precision
//	numeric(p,s)                 numeric(p,s)
//	text, varchar(n), bpchar(n)  text, character varying(n), character(n)
//	name, oid, "char"            name, oid, "char"
//	bytea                        bytea
//	date, time                   date, time without time zone
//	timestamp, timestamptz       timestamp without / with time zone
//	interval                     interval
//	json, jsonb, uuid            json, jsonb, uuid
//	anything else                text: arrays, enums, ranges, money, timetz,
//	                             network and user types arrive as the
//	                             server's text output of the value; at
//	                             the source they keep their type, so a
//	                             predicate pushed on one follows its rules
//	                             (an enum orders by declaration)
package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
)

func init() {
	connectors.Register("postgres", Open, "postgres_fdw", "postgresql", "pg")
}

// connStringOptions are passed to the driver as libpq connection keywords.
var connStringOptions = []string{"host", "port", "dbname", "user", "password", "sslmode", "sslrootcert", "sslcert", "sslkey"}

const optSchema = "schema"

// cancelGrace is how long a cancelled query may take to stop after the
// server got the cancel request before its connection is closed.
const cancelGrace = time.Second

// Connector is a pool of connections to one PostgreSQL database.
type Connector struct {
	pool          *pgxpool.Pool
	ep            remote.Endpoint
	password      string
	defaultSchema string
	dialect       *Dialect
	// pipe is the connection held for point lookups (see QueryLookup);
	// closed is set when the connector closes, so that none opens after.
	pipeMu sync.Mutex
	pipe   *lookupPipe
	closed bool
}

// Open connects to the PostgreSQL server the options name and checks that
// it answers.
func Open(ctx context.Context, options map[string]string) (connectors.Connector, error) {
	valid := append(append([]string{optSchema}, connStringOptions...), remote.PoolOptionNames...)
	if err := remote.CheckOptionNames("postgres", options, valid); err != nil {
		return nil, err
	}
	pool, err := remote.ParsePool(options)
	if err != nil {
		return nil, err
	}
	if p, ok := options["port"]; ok {
		if _, err := remote.Port(p); err != nil {
			return nil, err
		}
	}
	password := options["password"]
	cfg, err := pgxpool.ParseConfig(connString(options))
	if err != nil {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid connection options for postgres source: %s", remote.Scrub(err.Error(), password))
	}
	configure(cfg, pool, options)
	c := &Connector{
		ep:            remote.Endpoint{Kind: "postgres", Host: cfg.ConnConfig.Host, Port: cfg.ConnConfig.Port, DB: cfg.ConnConfig.Database},
		password:      password,
		defaultSchema: cmp.Or(options[optSchema], "public"),
	}
	if c.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, c.connectError(err)
	}
	if err := remote.Connect(ctx, pool.ConnectTimeout, c.pool.Ping, transient); err != nil {
		c.pool.Close()
		return nil, c.connectError(err)
	}
	if c.dialect, err = c.serverDialect(ctx); err != nil {
		c.pool.Close()
		return nil, err
	}
	return c, nil
}

// connString renders the libpq keyword/value string, quoting every value
// so that spaces and quotes in passwords survive.
func connString(options map[string]string) string {
	var b strings.Builder
	for _, k := range connStringOptions {
		v, ok := options[k]
		if !ok && k == "sslmode" {
			v, ok = "disable", true
		}
		if !ok {
			continue
		}
		v = strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), `'`, `\'`)
		fmt.Fprintf(&b, "%s='%s' ", k, v)
	}
	return b.String()
}

func configure(cfg *pgxpool.Config, pool remote.Pool, options map[string]string) {
	cfg.MaxConns = int32(min(pool.MaxConnections, 1<<31-1))
	cfg.MinConns = 0
	cc := cfg.ConnConfig
	cc.ConnectTimeout = pool.ConnectTimeout
	params := map[string]string{
		"application_name":            "junction",
		"TimeZone":                    "UTC",
		"DateStyle":                   "ISO, MDY",
		"IntervalStyle":               "postgres",
		"extra_float_digits":          "3",
		"bytea_output":                "hex",
		"standard_conforming_strings": "on",
		"search_path":                 quoteIdent(cmp.Or(options[optSchema], "public")),
	}
	if pool.StatementTimeout > 0 {
		params["statement_timeout"] = strconv.FormatInt(timeoutMillis(pool.StatementTimeout), 10)
	}
	for k, v := range params {
		cc.RuntimeParams[k] = v
	}
	// The statement's own timeout is passed on to the server, a grace
	// later, which then bounds the remote query by itself should the
	// cancel request not reach it; a connection is told only when its
	// setting has to change.
	cfg.PrepareConn = func(ctx context.Context, conn *pgx.Conn) (bool, error) {
		var statement time.Duration
		if d := connectors.StatementTimeout(ctx); d > 0 {
			statement = d + statementTimeoutGrace
		}
		want := effectiveTimeout(pool.StatementTimeout, statement)
		data := conn.PgConn().CustomData()
		if current, ok := data[statementTimeoutKey].(time.Duration); ok && current == want || !ok && want == pool.StatementTimeout {
			return true, nil
		}
		sql := "SET statement_timeout = " + strconv.FormatInt(timeoutMillis(want), 10)
		if _, err := conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			return false, err
		}
		data[statementTimeoutKey] = want
		return true, nil
	}
	// A cancelled context sends the server a cancel request, so that the
	// remote query stops rather than running on for a closed socket.
	cc.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: cancelGrace}
	}
}

// statementTimeoutGrace is how much later than the statement's own
// deadline the server is told to end it: Junction ends the statement at
// its deadline and cancels the remote query, so that the error is
// Junction's; the server's limit is the backstop.
const statementTimeoutGrace = time.Second

// statementTimeoutKey keeps, in a connection's custom data, the
// statement_timeout it was last told when that is not the source's.
const statementTimeoutKey = "junction.statement_timeout"

// effectiveTimeout is the tighter of the source's statement_timeout and
// the statement's; zero for none.
func effectiveTimeout(source, statement time.Duration) time.Duration {
	if source == 0 || statement > 0 && statement < source {
		return statement
	}
	return source
}

// timeoutMillis is a timeout as statement_timeout's milliseconds, at least
// one unless it is zero (none).
func timeoutMillis(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return max(d.Milliseconds(), 1)
}

// serverDialect reads what the dialect depends on: whether the database's
// character classification knows letters beyond ASCII (not so under the C
// and POSIX locales), which lower(), upper(), ILIKE and regular expressions
// rely on; whether floats print in their shortest exact form (12+); and
// whether the locales to_char and friends read symbols and names from are
// the C locale's, as Junction's are.
func (c *Connector) serverDialect(ctx context.Context) (*Dialect, error) {
	var ctype, numeric, monetary, lcTime string
	var version int
	err := c.pool.QueryRow(ctx, "SELECT current_setting('lc_ctype'), current_setting('lc_numeric'), current_setting('lc_monetary'), current_setting('lc_time'), current_setting('server_version_num')::int").
		Scan(&ctype, &numeric, &monetary, &lcTime, &version)
	if err != nil {
		return nil, c.queryError(ctx, err)
	}
	return &Dialect{
		asciiCtype:        ctype == "C" || ctype == "POSIX",
		longFloats:        version < 120000,
		noDateBin:         version < 140000,
		cFormattingLocale: cLocale(numeric) && cLocale(monetary) && cLocale(lcTime),
		version:           version,
	}, nil
}

// cLocale reports whether a locale name is the C locale or its UTF-8
// form, whose numeric, monetary and time conventions are C's.
func cLocale(name string) bool {
	switch strings.ToLower(name) {
	case "c", "posix", "c.utf-8", "c.utf8":
		return true
	}
	return false
}

// transient reports connect errors worth another attempt: network
// failures and a server that is starting up or out of connection slots.
func transient(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57P03" || pe.Code == "53300"
	}
	return remote.TransientNetwork(err)
}

func (c *Connector) connectError(err error) error {
	code := pgerr.FDWUnableToConnect
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == pgerr.InvalidPassword || pe.Code == pgerr.InvalidAuthorization) {
		code = pe.Code
	}
	return remote.ConnectError(c.ep, code, err, c.password)
}

// queryError keeps the SQLSTATE and message the server raised.
func (c *Connector) queryError(ctx context.Context, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && ctx.Err() == nil {
		e := remote.RemoteError(c.ep, pe.Code, pe.Message)
		e.Hint = pe.Hint
		return e
	}
	return remote.QueryError(ctx, c.ep, pgerr.ConnectionFailure, err, c.password)
}

// Dialect is the SQL this source speaks.
func (c *Connector) Dialect() sqlgen.Dialect { return c.dialect }

// Ping checks that the source answers.
func (c *Connector) Ping(ctx context.Context) error {
	if err := c.pool.Ping(ctx); err != nil {
		return c.connectError(err)
	}
	return nil
}

// Close closes every connection of the pool.
func (c *Connector) Close() error {
	// The pool waits for the pipe's connection to come back.
	c.closePipe()
	c.pool.Close()
	return nil
}
