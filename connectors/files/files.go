// Package files owns the connector that reads data files as a source
// (wrapper "files"): CSV/TSV, Parquet and JSON/NDJSON files under one
// directory, each a table, read through an embedded DuckDB
// (github.com/duckdb/duckdb-go/v2) that also runs the work Junction pushes
// to the source, rendered in DuckDB's SQL by Dialect.
//
// Options of CREATE SERVER: root (required), the directory whose files are
// the tables; max_connections (default 4), connect_timeout (default 5s)
// and statement_timeout (default none); memory_limit (default: a quarter
// of Junction's max_memory, and never more than max_memory) and threads
// (default: the machine's CPUs), which bound the DuckDB of the source.
//
// Tables. Every file under root whose name ends in .csv, .tsv, .parquet,
// .pq, .json, .ndjson or .jsonl (the text formats also compressed, with
// .gz or .zst after that) is a table named by its path below root without
// the extensions ("sales/2024" for sales/2024.csv.gz); where two names
// clash, the files keep their extensions in their names. Every directory
// whose data files (at any depth) are all of one format is a table too,
// named by its path, reading all of them; subdirectories named key=value
// (hive partitions) add the column key to its rows, and are not tables by
// themselves, nor are the files inside them. Columns are what DuckDB's
// sniffing finds (for CSV: delimiter, quoting, header and types from a
// sample of the rows). IMPORT FOREIGN SCHEMA discovers the files again.
//
// Confinement. root is resolved (symbolic links included) when the server
// is opened; a file or directory reached through a link that leads out of
// root is left out, links are not followed into directories, and every
// query checks again that the files it reads are still inside root. The
// DuckDB itself may read only below root (allowed_directories with
// enable_external_access off, its configuration then locked), and never
// writes: the source is read-only.
//
// Type mapping, DuckDB type to PostgreSQL type:
//
//	BOOLEAN                         boolean
//	TINYINT, SMALLINT, UTINYINT     smallint
//	INTEGER, USMALLINT              integer
//	BIGINT, UINTEGER                bigint
//	UBIGINT, HUGEINT, UHUGEINT      numeric
//	FLOAT                           real
//	DOUBLE                          double precision
//	DECIMAL(p,s)                    numeric(p,s)
//	VARCHAR                         text
//	BLOB                            bytea
//	UUID                            uuid
//	DATE                            date
//	TIME                            time without time zone
//	TIMESTAMP, TIMESTAMP_S/_MS/_NS  timestamp without time zone (nanoseconds
//	                                are truncated to microseconds)
//	TIMESTAMP WITH TIME ZONE        timestamp with time zone
//	INTERVAL                        interval
//	JSON                            json
//	anything else (LIST, STRUCT,    text, in DuckDB's text form
//	MAP, ENUM, TIME WITH TIME ZONE,
//	BIT, ...)
//
// Each table is a DuckDB view that casts its columns to the types above,
// so that a file that changed after discovery yields its new rows when
// they still fit these types, and otherwise an error naming the table and
// saying to run IMPORT FOREIGN SCHEMA; never values of another type.
package files

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
)

func init() {
	connectors.Register("files", Open)
}

// Options of CREATE SERVER.
const (
	optRoot        = "root"
	optMemoryLimit = "memory_limit"
	optThreads     = "threads"
)

var optionNames = append([]string{optRoot, optMemoryLimit, optThreads}, remote.PoolOptionNames...)

const defaultMaxConnections = 4

// Limits bound the DuckDB of every files source: Junction's memory budget
// and the directory where DuckDB may spill.
type Limits struct {
	// MaxMemory is Junction's max_memory; a source's memory_limit may not
	// exceed it and defaults to a quarter of it. Zero: DuckDB's default.
	MaxMemory int64
	// TempDir is where each source's DuckDB writes its temporary files
	// (a directory per source below it). Empty: DuckDB spills nowhere.
	TempDir string
}

var (
	limitsMu sync.Mutex
	limits   Limits
)

// SetLimits sets the limits of the files sources opened from now on.
func SetLimits(l Limits) {
	limitsMu.Lock()
	defer limitsMu.Unlock()
	limits = l
}

func currentLimits() Limits {
	limitsMu.Lock()
	defer limitsMu.Unlock()
	return limits
}

// Connector is one files source: an in-memory DuckDB whose views are the
// tables found under root.
type Connector struct {
	db               *sql.DB
	root             string
	statementTimeout time.Duration
	tempDir          string

	// definitions are the tables CREATE FOREIGN TABLE defined, by name.
	definitions map[string]connectors.TableDefinition

	// discoverMu serialises discoveries; discovered is set by the first.
	discoverMu sync.Mutex
	discovered bool

	mu sync.RWMutex
	// tables are the discovered tables by name.
	tables map[string]*table
}

// Open resolves root, starts the source's DuckDB confined to it and
// discovers nothing yet (the engine calls Discover).
func Open(ctx context.Context, options map[string]string) (connectors.Connector, error) {
	definitions, options, err := connectors.TableDefinitions(options)
	if err != nil {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "unreadable table definition in the server's options: %v", err)
	}
	for name, def := range definitions {
		if err := checkDefinition(name, def); err != nil {
			return nil, err
		}
	}
	if err := remote.CheckOptionNames("files", options, optionNames); err != nil {
		return nil, err
	}
	root, err := rootOption(options)
	if err != nil {
		return nil, err
	}
	pool, err := remote.ParsePoolOf(options, defaultMaxConnections)
	if err != nil {
		return nil, err
	}
	lim := currentLimits()
	memLimit, err := memoryLimit(options, lim.MaxMemory)
	if err != nil {
		return nil, err
	}
	threads := runtime.NumCPU()
	if s, ok := options[optThreads]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, remote.InvalidOption(optThreads, s, "a positive integer")
		}
		threads = n
	}
	c := &Connector{root: root, statementTimeout: pool.StatementTimeout, tables: map[string]*table{}, definitions: definitions}
	allowed := []string{stringLiteral(root + string(filepath.Separator))}
	settings := []string{
		"SET threads = " + strconv.Itoa(threads),
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
	}
	if memLimit > 0 {
		settings = append(settings, "SET memory_limit = '"+strconv.FormatInt(memLimit, 10)+"B'")
	}
	if lim.TempDir != "" {
		err := os.MkdirAll(lim.TempDir, 0o700)
		var dir string
		if err == nil {
			dir, err = os.MkdirTemp(lim.TempDir, "files-")
		}
		if err != nil {
			return nil, pgerr.New(pgerr.FDWUnableToConnect, "could not create the temporary directory of a files source: %v", err)
		}
		c.tempDir = dir
		settings = append(settings, "SET temp_directory = "+stringLiteral(dir))
		allowed = append(allowed, stringLiteral(dir+string(filepath.Separator)))
	} else {
		settings = append(settings, "SET temp_directory = ''")
	}
	settings = append(settings, "SET allowed_directories = ["+strings.Join(allowed, ", ")+"]")
	settings = append(settings, "SET enable_external_access = false", "SET lock_configuration = true")
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		c.removeTemp()
		return nil, pgerr.New(pgerr.FDWUnableToConnect, "could not start DuckDB for the files source at %s: %v", root, err)
	}
	c.db = sql.OpenDB(connector)
	c.db.SetMaxOpenConns(pool.MaxConnections)
	c.db.SetMaxIdleConns(pool.MaxConnections)
	setCtx, cancel := context.WithTimeout(ctx, pool.ConnectTimeout)
	defer cancel()
	for _, s := range settings {
		if _, err := c.db.ExecContext(setCtx, s); err != nil {
			c.Close()
			return nil, pgerr.New(pgerr.FDWUnableToConnect, "could not configure DuckDB for the files source at %s: %s", root, duckMessage(err))
		}
	}
	return c, nil
}

// rootOption reads and resolves root, which must be a directory.
func rootOption(options map[string]string) (string, error) {
	given := options[optRoot]
	if strings.TrimSpace(given) == "" {
		return "", pgerr.New(pgerr.InvalidParameterValue, "a files server needs the root option").
			WithHint("CREATE SERVER lake FOREIGN DATA WRAPPER files OPTIONS (root '/data/lake')")
	}
	abs, err := filepath.Abs(given)
	if err != nil {
		return "", pgerr.New(pgerr.InvalidParameterValue, "invalid root %q: %v", given, err)
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err == nil {
		var info os.FileInfo
		if info, err = os.Stat(resolved); err == nil && !info.IsDir() {
			err = errors.New("it is not a directory")
		}
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			err = errors.New("it does not exist")
		}
		return "", pgerr.New(pgerr.FDWUnableToConnect, "cannot read the root directory %q of a files server: %v", given, err).
			WithHint("Set root to an existing directory that Junction may read.")
	}
	return resolved, nil
}

// memoryLimit is the DuckDB memory_limit in bytes: the option, else a
// quarter of max_memory; never above max_memory. Zero leaves DuckDB's
// default.
func memoryLimit(options map[string]string, maxMemory int64) (int64, error) {
	s, ok := options[optMemoryLimit]
	if !ok {
		return maxMemory / 4, nil
	}
	n, err := parseBytes(s)
	if err != nil || n <= 0 {
		return 0, remote.InvalidOption(optMemoryLimit, s, "a size such as 512MB or 2GB")
	}
	if maxMemory > 0 && n > maxMemory {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "memory_limit %s exceeds max_memory (%d bytes)", s, maxMemory).
			WithHint("A files source's DuckDB works within Junction's max_memory; lower memory_limit or raise max_memory in the configuration file.")
	}
	return n, nil
}

// parseBytes reads a size with PostgreSQL's units (B, kB, MB, GB, TB;
// kilobytes without a unit, as work_mem).
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, err
	}
	unit := map[string]int64{"": 1 << 10, "B": 1, "kB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}
	m, ok := unit[strings.TrimSpace(s[i:])]
	if !ok || n > (1<<62)/m {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return n * m, nil
}

// stringLiteral quotes s as a DuckDB string literal.
func stringLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Ping checks that root can still be read.
func (c *Connector) Ping(ctx context.Context) error {
	if _, err := os.Stat(c.root); err != nil {
		return pgerr.New(pgerr.FDWUnableToConnect, "cannot read the root directory %q of a files source: %v", c.root, err)
	}
	return c.db.PingContext(ctx)
}

// Close stops the DuckDB and removes its temporary files.
func (c *Connector) Close() error {
	var err error
	if c.db != nil {
		err = c.db.Close()
	}
	c.removeTemp()
	return err
}

func (c *Connector) removeTemp() {
	if c.tempDir != "" {
		os.RemoveAll(c.tempDir) //nolint:errcheck // best effort; the server empties tmp at start
	}
}

// Dialect is DuckDB's SQL as this source pushes it.
func (c *Connector) Dialect() sqlgen.Dialect { return Dialect{} }
