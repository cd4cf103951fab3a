// Package mysql owns the connector to MySQL and MariaDB sources (wrapper
// "mysql", also accepted as "mysql_fdw" and "mariadb") and its SQL dialect.
//
// Options of CREATE SERVER: host (default 127.0.0.1), port (default 3306),
// dbname (required), user, password, tls (false, true, skip-verify or
// preferred; default false); schema, the database reached with a two-part
// name (default dbname); schemas, a comma-separated list of further
// databases to discover; max_connections (default 8), connect_timeout
// (default 5s) and statement_timeout (default none; MariaDB's
// max_statement_time or MySQL's max_execution_time). Timeouts are seconds
// when given as a bare number, else Go durations ("500ms").
//
// Every session runs with character set utf8mb4, time_zone '+00:00' (so
// TIMESTAMP values, stored in UTC, print in UTC) and the fixed sql_mode
// NO_BACKSLASH_ESCAPES,NO_UNSIGNED_SUBTRACTION: string literals then need
// only ” doubled, as in standard SQL, and no server-wide mode
// (ANSI_QUOTES, PIPES_AS_CONCAT, PAD_CHAR_TO_FULL_LENGTH, ...) changes what
// the rendered SQL means. The modes that only govern writes do not matter
// to a read-only client. optimizer_search_depth is 0 (the server picks the
// depth) rather than the default exhaustive search, which takes seconds to
// plan the many-table joins that pushdown sends.
//
// Results arrive in MySQL's text protocol and each value is parsed into
// the PostgreSQL type the planner asks for. A query with a real (float4)
// column runs as a prepared statement instead, because the text protocol
// prints FLOAT with six significant digits; the binary protocol carries
// the exact value.
//
// Type mapping (information_schema.COLUMNS.COLUMN_TYPE):
//
//	tinyint(1), bit(1)                  boolean (any non-zero value is true)
//	tinyint [unsigned], smallint        smallint
//	smallint unsigned, mediumint [u.]   integer
//	int                                 integer
//	int unsigned, bigint                bigint
//	bigint unsigned                     numeric(20,0)
//	decimal(p,s)                        numeric(p,s)
//	float, double                       real, double precision
//	char(n), varchar(n)                 character(n), character varying(n)
//	tinytext ... longtext               text
//	enum, set, inet4, inet6             text
//	binary, varbinary, blobs, spatial,
//	bit(n), n > 1                       bytea (bit: the bytes, most significant
//	                                    first)
//	date                                date
//	datetime                            timestamp without time zone
//	timestamp                           timestamp with time zone
//	time                                time without time zone; values
//	                                    outside 00:00:00-24:00:00 are an error
//	year                                integer
//	json (MySQL), MariaDB longtext with
//	a json_valid(col) check             json
//	uuid (MariaDB 10.7+)                uuid
//
// A zero date ('0000-00-00', or one with a zero month or day) has no
// PostgreSQL value; reading one is error 22008.
//
// MariaDB sends a BIT column's value as its bytes, but the value of an
// expression over it (MIN, COALESCE, CASE) as decimal digits under the same
// BIT column type. For bit(1) the two forms cannot be confused; for wider
// bits they can, which is why they are bytea, on which the dialect pushes
// no such expression (a CASE that yields a wide bit column's value still
// arrives as digits).
package mysql

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
)

func init() {
	connectors.Register("mysql", Open, "mysql_fdw", "mariadb")
}

var optionNames = append([]string{"host", "port", "dbname", "user", "password", "tls", "schema", "schemas"}, remote.PoolOptionNames...)

// mariaDBOptimizerSwitch turns off MariaDB's partial-match strategies
// for a materialized [NOT] IN subquery whose column holds NULLs: when the
// outer value does not fit the subquery column's type (a bigint beyond an
// int column, 99999999.99 against decimal(6,1)), they answer FALSE where
// the NULL in the subquery makes the answer NULL, so NOT IN kept rows
// PostgreSQL drops. MariaDB then evaluates such a subquery as a correlated
// EXISTS, which is right; materialized semi-joins, where the difference
// cannot show, are untouched.
const mariaDBOptimizerSwitch = "'partial_match_rowid_merge=off,partial_match_table_scan=off'"

// sessionSQLMode is the sql_mode of every connection; see the package
// documentation.
const sessionSQLMode = "'NO_BACKSLASH_ESCAPES,NO_UNSIGNED_SUBTRACTION'"

// MySQL error numbers the connector tells apart.
const (
	erDBAccessDenied      = 1044
	erAccessDenied        = 1045
	erTooManyConnections  = 1040
	erConCount            = 1203
	erServerShutdown      = 1053
	erQueryInterrupted    = 1317
	erNoSuchTable         = 1146
	erBadField            = 1054
	erDataOutOfRange      = 1690
	erDivisionByZero      = 1365
	erStatementTimeout    = 1969 // MariaDB max_statement_time
	erQueryTimeout        = 3024 // MySQL max_execution_time
	erParse               = 1064
	erLockWaitTimeout     = 1205
	erTruncatedWrongValue = 1292
	erSubqueryNo1Row      = 1242
)

// Connector is a pool of connections to one MySQL or MariaDB database.
type Connector struct {
	db            *sql.DB
	killer        *sql.DB
	connIDs       *connIDs
	ep            remote.Endpoint
	password      string
	defaultSchema string
	schemas       []string
	mariaDB       bool
}

// Open connects to the MySQL or MariaDB server the options name and checks
// that it answers.
func Open(ctx context.Context, options map[string]string) (connectors.Connector, error) {
	if err := remote.CheckOptionNames("mysql", options, optionNames); err != nil {
		return nil, err
	}
	pool, err := remote.ParsePool(options)
	if err != nil {
		return nil, err
	}
	var port uint16 = 3306
	if p, ok := options["port"]; ok {
		if port, err = remote.Port(p); err != nil {
			return nil, err
		}
	}
	if options["dbname"] == "" {
		return nil, pgerr.New(pgerr.FDWOptionNameNotFound, "option dbname is required for a mysql server").
			WithHint("Add OPTIONS (dbname '...') naming the database to read.")
	}
	tlsMode := cmp.Or(options["tls"], "false")
	switch tlsMode {
	case "false", "true", "skip-verify", "preferred":
	default:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid value for option tls: %q", tlsMode).
			WithHint("tls must be false, true, skip-verify or preferred.")
	}
	c := &Connector{
		ep:       remote.Endpoint{Kind: "mysql", Host: cmp.Or(options["host"], "127.0.0.1"), Port: port, DB: options["dbname"]},
		password: options["password"],
	}
	c.defaultSchema = cmp.Or(options["schema"], c.ep.DB)
	c.schemas = discoveredSchemas(c.ep.DB, c.defaultSchema, options["schemas"])

	cfg := mysql.NewConfig()
	cfg.User = options["user"]
	cfg.Passwd = c.password
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(c.ep.Host, strconv.Itoa(int(port)))
	cfg.DBName = c.ep.DB
	cfg.TLSConfig = tlsMode
	cfg.Timeout = pool.ConnectTimeout
	cfg.InterpolateParams = true
	cfg.ParseTime = false
	cfg.Logger = discardLogger{}
	cfg.Params = map[string]string{"time_zone": "'+00:00'", "sql_mode": sessionSQLMode, "optimizer_search_depth": "0"}
	if err := cfg.Apply(mysql.Charset("utf8mb4", "utf8mb4_general_ci")); err != nil {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid connection options for mysql source: %s", err)
	}

	if err := c.connect(ctx, cfg, pool); err != nil {
		return nil, err
	}
	if err := c.db.QueryRowContext(ctx, "SELECT VERSION() LIKE '%MariaDB%'").Scan(&c.mariaDB); err != nil {
		c.Close()
		return nil, c.queryError(ctx, err)
	}
	if pool.StatementTimeout > 0 || c.mariaDB {
		// These variables differ between MariaDB and MySQL, so they are
		// set once the server is known, on pools opened again.
		c.Close()
		if c.mariaDB {
			cfg.Params["optimizer_switch"] = mariaDBOptimizerSwitch
		}
		if pool.StatementTimeout > 0 && c.mariaDB {
			cfg.Params["max_statement_time"] = strconv.FormatFloat(pool.StatementTimeout.Seconds(), 'f', -1, 64)
		} else if pool.StatementTimeout > 0 {
			cfg.Params["max_execution_time"] = strconv.FormatInt(max(pool.StatementTimeout.Milliseconds(), 1), 10)
		}
		if err := c.connect(ctx, cfg, pool); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// discoveredSchemas lists the databases to discover: dbname, the default
// schema and the schemas option, each once.
func discoveredSchemas(dbname, defaultSchema, extra string) []string {
	out := []string{dbname}
	seen := map[string]bool{dbname: true}
	for _, s := range append([]string{defaultSchema}, strings.Split(extra, ",")...) {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// connect opens the pools and pings the server, retrying transient
// failures.
func (c *Connector) connect(ctx context.Context, cfg *mysql.Config, pool remote.Pool) error {
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return pgerr.New(pgerr.InvalidParameterValue, "invalid connection options for mysql source: %s", remote.Scrub(err.Error(), c.password))
	}
	c.db = sql.OpenDB(conn)
	c.db.SetMaxOpenConns(pool.MaxConnections)
	c.db.SetMaxIdleConns(pool.MaxConnections)
	c.connIDs = newConnIDs(pool.MaxConnections)
	// KILL QUERY runs outside the pool, which the query being killed may
	// have exhausted; kills are rare, so it keeps no idle connection.
	c.killer = sql.OpenDB(conn)
	c.killer.SetMaxIdleConns(0)
	if err := remote.Connect(ctx, pool.ConnectTimeout, c.db.PingContext, transient); err != nil {
		c.Close()
		return c.connectError(err)
	}
	return nil
}

// transient reports connect errors worth another attempt.
func transient(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == erTooManyConnections || me.Number == erConCount || me.Number == erServerShutdown
	}
	return remote.TransientNetwork(err) || errors.Is(err, mysql.ErrInvalidConn)
}

func (c *Connector) connectError(err error) error {
	code := pgerr.FDWUnableToConnect
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case erAccessDenied:
			code = pgerr.InvalidPassword
		case erDBAccessDenied:
			code = pgerr.InvalidAuthorization
		}
	}
	return remote.ConnectError(c.ep, code, err, c.password)
}

// sqlstates maps MySQL error numbers to the PostgreSQL SQLSTATE of the
// same condition.
var sqlstates = map[uint16]string{
	erNoSuchTable:         pgerr.UndefinedTable,
	erBadField:            pgerr.UndefinedColumn,
	erDataOutOfRange:      pgerr.NumericOutOfRange,
	erDivisionByZero:      pgerr.DivisionByZero,
	erParse:               pgerr.SyntaxError,
	erAccessDenied:        pgerr.InvalidPassword,
	erDBAccessDenied:      pgerr.InvalidAuthorization,
	erLockWaitTimeout:     "55P03", // lock_not_available
	erTruncatedWrongValue: pgerr.InvalidTextRep,
}

// queryError maps the server's error numbers to PostgreSQL's SQLSTATEs
// where they mean the same; others keep MySQL's message under HV000.
func (c *Connector) queryError(ctx context.Context, err error) error {
	var me *mysql.MySQLError
	if !errors.As(err, &me) || ctx.Err() != nil {
		return remote.QueryError(ctx, c.ep, pgerr.ConnectionFailure, err, c.password)
	}
	switch me.Number {
	case erStatementTimeout, erQueryTimeout:
		return remote.RemoteError(c.ep, pgerr.QueryCanceled, "canceling statement due to statement timeout")
	case erQueryInterrupted:
		return remote.RemoteError(c.ep, pgerr.QueryCanceled, "canceling statement due to user request")
	case erSubqueryNo1Row:
		return remote.RemoteError(c.ep, pgerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
	}
	msg := remote.Scrub(me.Message, c.password)
	code, ok := sqlstates[me.Number]
	if !ok {
		code, msg = pgerr.FDWError, fmt.Sprintf("MySQL error %d: %s", me.Number, msg)
	}
	return remote.RemoteError(c.ep, code, msg)
}

// Dialect is the SQL this source speaks.
func (c *Connector) Dialect() sqlgen.Dialect { return Dialect{} }

// Ping checks that the source answers.
func (c *Connector) Ping(ctx context.Context) error {
	if err := c.db.PingContext(ctx); err != nil {
		return c.connectError(err)
	}
	return nil
}

// Close closes every connection of the pool.
func (c *Connector) Close() error {
	c.killer.Close()
	return c.db.Close()
}

// discardLogger silences the driver's own logging: its errors reach the
// caller as return values.
type discardLogger struct{}

func (discardLogger) Print(...any) {}
