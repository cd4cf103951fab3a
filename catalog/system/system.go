// Package system owns the system schemas: it builds the rows of pg_catalog,
// information_schema and junction from a catalog snapshot, and implements
// the catalog functions (pg_table_is_visible, format_type, regclass input
// and output, ...) that psql, drivers and BI tools call.
//
// Nothing here answers a query by its text. The planner asks Lookup for a
// table by schema and name and gets a *plan.Rows node whose Fill computes
// the rows when the query runs, and asks Function for a function by name
// and argument types; the planner and executor then run the query like any
// other, so filters, joins and ORDER BY behave as they do everywhere.
//
// # Names
//
// Every registered source is a schema named like the source, whose
// pg_namespace OID is the source's OID. The tables of the source's default
// remote schema appear in it under their own names. Tables of the source's
// other remote schemas appear in an extra namespace named
// "<source>.<remote schema>" (for example "crm.sales"), so that BI tools
// that browse pg_namespace and pg_class, or information_schema, find every
// table a three-part name reaches. Stored views live in the schema they
// were created in; a schema that holds only views (public aside) gets a
// namespace of its own.
//
// Unqualified names are looked up along the search path: pg_catalog first
// (unless search_path lists it elsewhere), then the schemas search_path
// names, then every source's schema in name order, so that an unqualified
// name reaches a table of any source. pg_table_is_visible, to_regclass and
// regclass input follow that path (see SearchPath).
//
// # OIDs
//
// Catalog tables and views of pg_catalog and information_schema keep their
// PostgreSQL 15 OIDs, as do types, the catalog functions and the built-in
// schemas, so that clients that compare against well-known OIDs work.
// Source tables use catalog.TableOID, stored views their own OID. Objects
// that have no OID of their own in the catalog (the namespaces of extra
// remote schemas, foreign-data wrappers, databases other than "junction")
// get an OID derived from their name, in a range no catalog object uses,
// so that it stays the same across restarts and catalog changes.
//
// Junction is read-only and has no grants of its own: every user may read
// every table and privilege functions answer accordingly. The roles
// tables (pg_roles, pg_authid, pg_user, pg_auth_members) show the
// catalog's roles; see roles.go for the session user of a server that
// trusts every client, which has OID 10.
package system

import (
	"sort"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Info is what the system tables describe.
type Info struct {
	Snapshot       *catalog.Snapshot
	User, Database string
	// SessionUser is session_user; User is current_user (they differ
	// after SET ROLE). Empty means User.
	SessionUser string
	// Superuser is whether User may change the catalog; pg_roles and
	// pg_user show it.
	Superuser bool
	// Access is what User may read: the system tables show only that,
	// and the privilege functions answer from it. Nil shows everything.
	Access *catalog.Access
	// AccessOf is Access for another role (nil: the role reads
	// everything), for the privilege functions' role argument; nil
	// answers every role as one that reads everything.
	AccessOf func(role string) *catalog.Access
	// BootstrapOwner names the owner of the sources declared in the
	// configuration and of the public schema.
	BootstrapOwner string
	// Settings are the session's settings, for pg_settings and
	// current_setting (search_path among them).
	Settings map[string]string
	// SettingDetail gives what pg_settings shows beyond the value: the
	// value in the setting's base unit and that unit (work_mem in kB,
	// timeouts in ms; the value itself and "" for a setting without a
	// unit), and the value RESET would restore (may be nil: values are
	// shown as SHOW shows them).
	SettingDetail func(name string) (setting, unit, resetValue string)
	// SourceStatus reports the live state of a source (may be nil).
	SourceStatus func(name string) SourceStatus
	// Queries lists the recent query history for junction.queries (may be nil).
	Queries func() []QueryRecord
	// Server reports the server process's state for junction.server (may
	// be nil).
	Server func() ServerStatus
	// Cursors lists the session's open cursors for pg_cursors (may be nil).
	Cursors func() []CursorInfo
	// ViewColumns describes the result columns of a stored view by planning
	// its query (may be nil). Without it, or when the view no longer
	// plans, the view's columns are described as text.
	ViewColumns func(v *catalog.View) ([]plan.Column, error)
	// MatViewStatus reports the state of a materialized view's local
	// copy by the view's OID (may be nil: none is populated).
	MatViewStatus func(oid uint32) MatViewStatus
	// Accelerations lists the accelerated tables of every source with
	// the state of their copies (may be nil: none).
	Accelerations func() []AccelerationStatus
	// BackendPID is the process ID the session reported to the client in
	// BackendKeyData, for pg_backend_pid and pg_stat_activity.
	BackendPID int32
	// SessionStart is when the session connected (zero if unknown).
	SessionStart time.Time
	// SetConfig changes a session setting for set_config and returns the
	// value it took (may be nil: set_config then fails).
	SetConfig func(name, value string, local bool) (string, error)
}

// SourceStatus is the live state of a source.
type SourceStatus struct {
	Status       string // "up", "down", "unknown"
	CircuitState string // "closed", "open", "half-open"
	LastError    string
	CheckedAt    time.Time
	// Latency is the last health check's round trip.
	Latency time.Duration
	// RetryAt is when an open circuit lets a probe through.
	RetryAt time.Time
	// Failures counts the consecutive failures the circuit holds.
	Failures int
	// Required marks a source without which the server is not ready.
	Required bool
}

// ServerStatus is the server process's state at the moment it is asked.
type ServerStatus struct {
	Started time.Time
	// Sessions counts the open client sessions.
	Sessions int
	// Goroutines counts the process's goroutines.
	Goroutines int
	// HeapBytes is the memory held by live and not yet collected heap
	// objects; HeapLiveBytes is the live heap as of the last garbage
	// collection.
	HeapBytes, HeapLiveBytes int64
}

// QueryRecord is one entry of the recent query history.
type QueryRecord struct {
	ID                      int64
	User, SQL, State, Error string
	// ClientAddr is the client's host:port.
	ClientAddr string
	Started    time.Time
	Duration   time.Duration
	// Rows went to the client; SourceRows and SourceBytes came from
	// Sources.
	Rows                    int64
	Sources                 []string
	SourceRows, SourceBytes int64
	// SQLState is the error's SQLSTATE; empty unless the query failed.
	SQLState string
}

// Namespace OIDs of the system schemas.
const (
	PgCatalogOID         = 11
	PublicOID            = 2200
	InformationSchemaOID = 13207
	JunctionOID          = 16000
)

// The names of the system schemas.
const (
	PgCatalog         = "pg_catalog"
	InformationSchema = "information_schema"
	Junction          = "junction"
)

// superuserOID is the OID of the one role the system tables show.
const superuserOID = 10

// Schemas lists the system schemas.
func Schemas() []string { return []string{PgCatalog, InformationSchema, Junction} }

// column is one column of a system table. notNull is PostgreSQL's NOT NULL
// flag: rows leave such a column at its type's zero value unless they set
// it, and leave every other column NULL.
type column struct {
	name    string
	typ     types.Type
	notNull bool
}

// sysTable is one table of a system schema.
type sysTable struct {
	schema  string
	name    string
	oid     uint32
	kind    byte // pg_class.relkind: 'r' for catalogs, 'v' for views
	cols    []column
	comment string
	// fill adds the table's rows; nil for tables that are always empty
	// because Junction has no such objects (indexes, triggers, ...).
	fill func(e *env, out *rowSet)

	index    map[string]int
	defaults []types.Datum
}

// tables lists every system table in a fixed order; it is set in init
// because the fill functions reach back to it through the directory.
var (
	tables   []*sysTable
	bySchema map[string]map[string]*sysTable
)

func init() {
	tables = append(append(pgCatalogTables(), informationSchemaTables()...), junctionTables()...)
	bySchema = map[string]map[string]*sysTable{}
	for _, t := range tables {
		if bySchema[t.schema] == nil {
			bySchema[t.schema] = map[string]*sysTable{}
		}
		bySchema[t.schema][t.name] = t
		t.init()
	}
}

// init indexes the table's columns and their defaults.
func (t *sysTable) init() {
	t.index = make(map[string]int, len(t.cols))
	t.defaults = make([]types.Datum, len(t.cols))
	for i, c := range t.cols {
		t.index[c.name] = i
		t.defaults[i] = zeroDatum(c)
	}
}

// TableNames lists the tables of a system schema in name order.
func TableNames(schema string) []string {
	out := make([]string, 0, len(bySchema[schema]))
	for name := range bySchema[schema] {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the system table schema.name; schema "" means pg_catalog,
// which is always on the search path, as in PostgreSQL. The rows are
// computed from info each time the returned node's Fill runs.
func Lookup(info *Info, schema, name string) (*plan.Rows, bool) {
	if schema == "" {
		schema = PgCatalog
	}
	t, ok := bySchema[schema][name]
	if !ok {
		return nil, false
	}
	return t.node(info), true
}

// node is a plan node whose Fill computes the table's rows from info.
func (t *sysTable) node(info *Info) *plan.Rows {
	cols := make([]plan.Column, len(t.cols))
	for i, c := range t.cols {
		cols[i] = plan.Column{Name: c.name, Type: c.typ, Table: t.name, TableOID: t.oid, Attnum: int16(i + 1)}
	}
	return &plan.Rows{
		Name: t.schema + "." + t.name,
		Cols: cols,
		Fill: func() ([][]types.Datum, error) { return t.rows(info) },
	}
}

// tableFunctions are the catalog's functions without arguments that
// return rows, by function name: those that show a system table's rows
// and those whose rows are their own.
var tableFunctions = map[string]*sysTable{}

func init() {
	tableFunctions["pg_show_all_settings"] = bySchema[PgCatalog]["pg_settings"]
	kw := &sysTable{schema: PgCatalog, name: "pg_get_keywords", cols: pgGetKeywordsColumns, fill: fillKeywords}
	kw.init()
	tableFunctions[kw.name] = kw
}

// LookupTableFunction returns the rows of a catalog function called
// without arguments in FROM (pg_show_all_settings(), pg_get_keywords()).
func LookupTableFunction(info *Info, name string) (*plan.Rows, bool) {
	t, ok := tableFunctions[name]
	if !ok {
		return nil, false
	}
	return t.node(info), true
}

func (t *sysTable) rows(info *Info) ([][]types.Datum, error) {
	out := &rowSet{table: t}
	if t.fill != nil {
		t.fill(newEnv(info), out)
	}
	return out.rows, out.err
}
