// Package connectors owns the small interface every source type implements
// and the registry of source types ("foreign data wrappers"). Each
// sub-package implements one source type and registers itself in init, the
// way database/sql drivers do; the SQL dialect a source speaks lives with its
// connector.
package connectors

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// Column is a discovered column, already mapped to a PostgreSQL type.
type Column struct {
	Name     string     `json:"name"`
	Type     types.Type `json:"type"`
	Nullable bool       `json:"nullable"`
	// NativeType is the source's own spelling (for example "tinyint(1)"),
	// kept for junction.tables and documentation of the mapping.
	NativeType string `json:"native_type,omitempty"`
	// Stats is the source's statistics on the column; nil when it has none.
	Stats *ColumnStats `json:"stats,omitempty"`
	// Comment is the source's comment on the column ("" for none).
	Comment string `json:"comment,omitempty"`
}

// Table is a discovered table or view of a source.
type Table struct {
	// Schema is the schema (PostgreSQL) or database (MySQL) at the source;
	// empty for SQLite's main database.
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	IsView  bool     `json:"is_view,omitempty"`
	Columns []Column `json:"columns"`
	// RowEstimate is the source's own row count estimate; -1 if unknown.
	RowEstimate int64 `json:"row_estimate"`
	// Comment is the source's comment on the table ("" for none).
	Comment string `json:"comment,omitempty"`
	// Keys are the table's primary key, unique and foreign key
	// constraints, and Indexes its indexes on plain columns, as the
	// source declares them; BI tools and ORMs read them from pg_catalog
	// and information_schema to draw relationships.
	Keys    []Key   `json:"keys,omitempty"`
	Indexes []Index `json:"indexes,omitempty"`
}

// Key kinds, as pg_constraint.contype spells them.
const (
	PrimaryKey = "p"
	UniqueKey  = "u"
	ForeignKey = "f"
)

// Key is a primary key, unique or foreign key constraint of a table.
type Key struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind"` // PrimaryKey, UniqueKey or ForeignKey
	Columns []string `json:"columns"`
	// A foreign key's referenced table (at the source) and columns, and
	// its actions and match type in pg_constraint's letters (confupdtype,
	// confdeltype: a, r, c, n, d; confmatchtype: s, f, p).
	RefSchema  string   `json:"ref_schema,omitempty"`
	RefTable   string   `json:"ref_table,omitempty"`
	RefColumns []string `json:"ref_columns,omitempty"`
	OnUpdate   string   `json:"on_update,omitempty"`
	OnDelete   string   `json:"on_delete,omitempty"`
	Match      string   `json:"match,omitempty"`
}

// Index is an index of a table on plain columns (indexes on expressions
// or with a predicate are not described).
type Index struct {
	Name       string   `json:"name"`
	Columns    []string `json:"columns"`
	Descending []bool   `json:"descending,omitempty"`
	NullsFirst []bool   `json:"nulls_first,omitempty"`
	Unique     bool     `json:"unique,omitempty"`
	Primary    bool     `json:"primary,omitempty"`
	// Method is the index's access method (btree, hash, ...).
	Method string `json:"method"`
}

// Discovery is the result of discovering a source's schemas.
type Discovery struct {
	// DefaultSchema is the remote schema whose tables are reachable with a
	// two-part name (source.table).
	DefaultSchema string
	Tables        []Table
	// Skipped are the tables discovery found but could not read, and so
	// left out; the other tables are discovered all the same.
	Skipped []SkippedTable
}

// SkippedTable is a table discovery left out: its name and why, in the
// words of the error reading it (a files source's names the file).
type SkippedTable struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Rows streams a remote result as batches.
type Rows interface {
	// Next returns the next batch, or nil at the end of the result.
	Next() (*vector.Batch, error)
	Close()
}

// TextRows is implemented by Rows that can hand their rows over in the
// text forms the source sent, for a reader that passes them on unchanged
// instead of decoding them into vectors.
type TextRows interface {
	Rows
	// PostgresText reports whether every value arrives as PostgreSQL's
	// text output for the column's type (with TimeZone UTC, DateStyle
	// ISO and extra_float_digits 3): the source is a PostgreSQL server
	// that described each result column with that very type.
	PostgresText() bool
	// EachText calls fn with each remaining row, a value's text per
	// column (nil for NULL), valid during the call only, and ends the
	// result as reading it to its end with Next would. It is for a result
	// read by nothing else: it may not follow Next.
	EachText(fn func(row [][]byte) error) error
}

// Connector is a live connection (pool) to one source.
type Connector interface {
	// Discover lists the tables of the source with their columns.
	Discover(ctx context.Context) (*Discovery, error)
	// Query runs a SELECT rendered in the source's dialect and decodes each
	// result column into a vector of the given PostgreSQL type.
	Query(ctx context.Context, sql string, cols []types.Type) (Rows, error)
	// Dialect is the SQL the source speaks.
	Dialect() sqlgen.Dialect
	// Ping checks that the source answers.
	Ping(ctx context.Context) error
	Close() error
}

// ParamQuerier is implemented by connectors whose source binds query
// parameters ($1, ...) apart from the statement text. Each parameter is
// sent as text of the type the source infers for it, so values never
// become SQL.
type ParamQuerier interface {
	QueryParams(ctx context.Context, sql string, params []string, cols []types.Type) (Rows, error)
}

// PreparedQuerier is implemented by connectors whose source keeps a
// statement prepared on each connection. QueryPrepared binds params like
// QueryParams, for a statement run again and again with other values (a
// client's own prepared statement): the source parses and plans it once
// per connection instead of at every execution.
type PreparedQuerier interface {
	QueryPrepared(ctx context.Context, sql string, params []string, cols []types.Type) (Rows, error)
}

// LookupQuerier is implemented by connectors that send point lookups
// (queries that read at most one row, see plan.Remote.PointLookup) of
// all clients down one connection, each sent as soon as it comes without
// waiting for the answers to those before it: the source then answers
// them one after another without a wake-up and a round trip each.
// QueryLookup binds params as QueryPrepared does.
type LookupQuerier interface {
	QueryLookup(ctx context.Context, sql string, params []string, cols []types.Type) (Rows, error)
}

// CursorQuerier is implemented by connectors that can read a result a
// part at a time, so that a reader that stops early (a LIMIT met) stops
// the source's work at once instead of draining the rest of the result.
// first is how many rows the reader expects to need, 0 when it does not
// know: the first part holds about that many.
type CursorQuerier interface {
	QueryCursor(ctx context.Context, sql string, cols []types.Type, first int) (Rows, error)
}

// Factory opens a connector from the OPTIONS of CREATE SERVER. It must
// connect (and so check the credentials) before it returns.
type Factory func(ctx context.Context, options map[string]string) (Connector, error)

var (
	mu        sync.RWMutex
	factories = map[string]Factory{}
	aliases   = map[string]string{}
)

// Register makes a source type available under name and its aliases.
func Register(name string, f Factory, alias ...string) {
	mu.Lock()
	defer mu.Unlock()
	factories[name] = f
	for _, a := range alias {
		aliases[a] = name
	}
}

// Canonical resolves a wrapper name (or alias such as postgres_fdw) to the
// registered source type.
func Canonical(wrapper string) (string, bool) {
	mu.RLock()
	defer mu.RUnlock()
	w := strings.ToLower(wrapper)
	if a, ok := aliases[w]; ok {
		w = a
	}
	_, ok := factories[w]
	return w, ok
}

// Open connects to a source of the given type.
func Open(ctx context.Context, wrapper string, options map[string]string) (Connector, error) {
	name, ok := Canonical(wrapper)
	if !ok {
		return nil, fmt.Errorf("foreign-data wrapper %q does not exist (known: %s)", wrapper, strings.Join(Known(), ", "))
	}
	mu.RLock()
	f := factories[name]
	mu.RUnlock()
	return f(ctx, options)
}

// Known lists the registered source types.
func Known() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(factories))
	for k := range factories {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
