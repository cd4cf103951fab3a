package system

import (
	"hash/fnv"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// namespace is one row of pg_namespace.
type namespace struct {
	oid  uint32
	name string
	// source is set for the namespaces of a source; remoteSchema is then
	// the remote schema the namespace shows ("" for the default one).
	source       *catalog.Source
	remoteSchema string
	comment      string
}

// relation is one row of pg_class: a source table or remote view, a stored
// view, or a system table.
type relation struct {
	oid   uint32
	name  string
	ns    *namespace
	kind  byte
	table *connectors.Table // source tables and remote views
	view  *catalog.View     // stored views
	// matview is a materialized view (relkind 'm').
	matview *catalog.MatView
	sys     *sysTable // system tables
	index   *index    // indexes of source tables
}

// attribute is one column of a relation, as pg_attribute shows it.
type attribute struct {
	name    string
	typ     types.Type
	notNull bool
}

// directory is everything pg_namespace and pg_class list for one catalog
// snapshot, with the indexes name resolution needs.
type directory struct {
	namespaces []*namespace
	nsByName   map[string]*namespace
	nsByOID    map[uint32]*namespace
	relations  []*relation
	relByOID   map[uint32]*relation
	relByName  map[*namespace]map[string]*relation
	// indexes and constraints of source tables; indexes are in relByOID
	// and relByName too, but not in relations, which lists tables and
	// views.
	indexes     []*index
	constraints []*constraint
	conByOID    map[uint32]*constraint
}

// derivedOIDBase starts the range of OIDs derived from names. Junction
// allocates catalog OIDs upwards from 16384 and source tables are numbered
// source OID × 1000 + position, so the top quarter of the OID space is
// free for them.
const derivedOIDBase = 0xC0000000

// derivedOID is a stable OID for an object identified only by its name.
// used holds the OIDs already taken in the same catalog; a collision moves
// to the next free OID.
func derivedOID(kind, name string, used map[uint32]bool) uint32 {
	h := fnv.New32a()
	h.Write([]byte(kind + ":" + name))
	oid := derivedOIDBase | h.Sum32()&(1<<30-1)
	for used[oid] {
		oid = derivedOIDBase | (oid+1)&(1<<30-1)
	}
	used[oid] = true
	return oid
}

type cachedDirectory struct {
	snap *catalog.Snapshot
	dir  *directory
}

// lastDirectory caches the directory of the most recent snapshot:
// snapshots are immutable, and every query of a session (and usually of
// every session) plans against the same one until the next DDL.
var lastDirectory atomic.Pointer[cachedDirectory]

var emptySnapshot = &catalog.Snapshot{}

func directoryOf(snap *catalog.Snapshot) *directory {
	if snap == nil {
		snap = emptySnapshot
	}
	if c := lastDirectory.Load(); c != nil && c.snap == snap {
		return c.dir
	}
	d := buildDirectory(snap)
	lastDirectory.Store(&cachedDirectory{snap: snap, dir: d})
	return d
}

func newDirectory() *directory {
	return &directory{
		nsByName:  map[string]*namespace{},
		nsByOID:   map[uint32]*namespace{},
		relByOID:  map[uint32]*relation{},
		relByName: map[*namespace]map[string]*relation{},
		conByOID:  map[uint32]*constraint{},
	}
}

func buildDirectory(snap *catalog.Snapshot) *directory {
	d := newDirectory()
	d.addNamespace(&namespace{oid: PgCatalogOID, name: PgCatalog, comment: "system catalog schema"})
	d.addNamespace(&namespace{oid: InformationSchemaOID, name: InformationSchema})
	d.addNamespace(&namespace{oid: JunctionOID, name: Junction, comment: "Junction's sources, tables and query history"})
	derived := map[uint32]bool{}
	for _, name := range snap.SourceNames() {
		src := snap.Sources[name]
		if d.nsByName[name] != nil {
			// A source may not shadow a system schema; the engine refuses
			// such names, and an old catalog that has one keeps the system
			// schema visible.
			continue
		}
		home := d.addNamespace(&namespace{oid: src.OID, name: name, source: src, comment: "tables of " + wrapperName(src) + " source " + name})
		for i := range src.Tables {
			t := &src.Tables[i]
			ns := home
			if t.Schema != src.DefaultSchema {
				ns = d.nsByName[name+"."+t.Schema]
				if ns == nil {
					full := name + "." + t.Schema
					ns = d.addNamespace(&namespace{oid: derivedOID("namespace", full, derived), name: full, source: src, remoteSchema: t.Schema,
						comment: "tables of schema " + t.Schema + " of " + wrapperName(src) + " source " + name})
				}
			}
			kind := byte('r')
			if t.IsView {
				kind = 'v'
			}
			d.addRelation(&relation{oid: catalog.TableOID(src, i), name: t.Name, ns: ns, kind: kind, table: t})
		}
	}
	if d.nsByName["public"] == nil {
		d.addNamespace(&namespace{oid: PublicOID, name: "public", comment: "standard public schema"})
	}
	viewKeys := make([]string, 0, len(snap.Views))
	for k := range snap.Views {
		viewKeys = append(viewKeys, k)
	}
	sort.Strings(viewKeys)
	for _, k := range viewKeys {
		v := snap.Views[k]
		schema := v.Schema
		if schema == "" {
			schema = "public"
		}
		d.addRelation(&relation{oid: v.OID, name: v.Name, ns: d.schemaNamespace(schema, derived), kind: 'v', view: v})
	}
	d.addMatViews(snap, derived)
	for _, t := range tables {
		d.addRelation(&relation{oid: t.oid, name: t.name, ns: d.nsByName[t.schema], kind: t.kind, sys: t})
	}
	d.addKeys(derived)
	return d
}

func (d *directory) addNamespace(ns *namespace) *namespace {
	d.namespaces = append(d.namespaces, ns)
	d.nsByName[ns.name] = ns
	d.nsByOID[ns.oid] = ns
	d.relByName[ns] = map[string]*relation{}
	return ns
}

// addRelation registers r unless its namespace already has a relation of
// that name (the catalog refuses such duplicates; the first one wins).
func (d *directory) addRelation(r *relation) {
	if d.relByName[r.ns][r.name] != nil {
		return
	}
	d.relations = append(d.relations, r)
	d.relByOID[r.oid] = r
	d.relByName[r.ns][r.name] = r
}

// env is what a fill function or catalog function works from: the
// session's Info and the directory of its snapshot.
type env struct {
	info *Info
	// dir is what the session's user may see; full is everything.
	dir, full *directory
	// path and explicit are the search path, computed on first use.
	path     []*namespace
	explicit []*namespace
}

func newEnv(info *Info) *env {
	if info == nil {
		info = &Info{}
	}
	full := directoryOf(info.Snapshot)
	dir := full
	if info.Access != nil {
		dir = readableDirectory(full, info.Access)
	}
	return &env{info: info, dir: dir, full: full}
}

func (e *env) user() string {
	if e.info.User == "" {
		return "junction"
	}
	return e.info.User
}

func (e *env) database() string {
	if e.info.Database == "" {
		return junctionDatabase
	}
	return e.info.Database
}

// setting returns a session setting by its case-insensitive name.
func (e *env) setting(name string) (string, bool) {
	if v, ok := e.info.Settings[name]; ok {
		return v, true
	}
	for k, v := range e.info.Settings {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// SearchPath lists the schemas an unqualified name is looked up in, in
// order: pg_catalog unless search_path places it, the existing schemas
// search_path names ("$user" is the session's user), then every source's
// schema not already listed, in name order.
func SearchPath(info *Info) []string {
	path := newEnv(info).searchPath()
	out := make([]string, len(path))
	for i, ns := range path {
		out[i] = ns.name
	}
	return out
}

func (e *env) searchPath() []*namespace {
	if e.path != nil {
		return e.path
	}
	explicit := e.explicitPath()
	seen := map[*namespace]bool{}
	for _, ns := range explicit {
		seen[ns] = true
	}
	path := make([]*namespace, 0, len(explicit)+len(e.dir.namespaces))
	if pg := e.dir.nsByName[PgCatalog]; !seen[pg] {
		seen[pg] = true
		path = append(path, pg)
	}
	path = append(path, explicit...)
	var sources []*namespace
	for _, ns := range e.dir.namespaces {
		if ns.source != nil && ns.remoteSchema == "" && !seen[ns] {
			sources = append(sources, ns)
		}
	}
	sort.Slice(sources, func(i, j int) bool { return sources[i].name < sources[j].name })
	e.path = append(path, sources...)
	return e.path
}

// explicitPath lists the existing schemas search_path names, in order.
func (e *env) explicitPath() []*namespace {
	if e.explicit != nil {
		return e.explicit
	}
	setting, _ := e.setting("search_path")
	seen := map[*namespace]bool{}
	e.explicit = []*namespace{}
	for _, name := range splitSearchPath(setting) {
		if name == "$user" {
			name = e.user()
		}
		if ns := e.dir.nsByName[name]; ns != nil && !seen[ns] {
			seen[ns] = true
			e.explicit = append(e.explicit, ns)
		}
	}
	return e.explicit
}

// splitSearchPath splits a search_path value into schema names: unquoted
// names are folded to lower case, double-quoted ones kept as written.
func splitSearchPath(s string) []string {
	var out []string
	for _, part := range splitOutsideQuotes(s, ',') {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if name, ok := unquoteIdent(part); ok {
			out = append(out, name)
		}
	}
	return out
}

// visible reports whether an unqualified reference to r's name finds r.
func (e *env) visible(r *relation) bool {
	for _, ns := range e.searchPath() {
		if ns == r.ns {
			return true
		}
		if e.dir.relByName[ns][r.name] != nil {
			return false
		}
	}
	return false
}

// findUnqualified resolves a relation name along the search path.
func (e *env) findUnqualified(name string) *relation {
	for _, ns := range e.searchPath() {
		if r := e.dir.relByName[ns][name]; r != nil {
			return r
		}
	}
	return nil
}

// attributes lists the columns of r.
func (e *env) attributes(r *relation) []attribute {
	switch {
	case r.table != nil:
		out := make([]attribute, len(r.table.Columns))
		for i, c := range r.table.Columns {
			out[i] = attribute{name: c.Name, typ: c.Type, notNull: !c.Nullable}
		}
		return out
	case r.view != nil:
		return e.viewAttributes(r.view)
	case r.matview != nil:
		return matviewAttributes(r.matview)
	case r.index != nil:
		cols := e.attributes(r.index.table)
		out := make([]attribute, len(r.index.attnums))
		for i, n := range r.index.attnums {
			out[i] = cols[n-1]
		}
		return out
	default:
		out := make([]attribute, len(r.sys.cols))
		for i, c := range r.sys.cols {
			out[i] = attribute{name: c.name, typ: c.typ, notNull: c.notNull}
		}
		return out
	}
}

func (e *env) viewAttributes(v *catalog.View) []attribute {
	var cols []plan.Column
	if e.info.ViewColumns != nil {
		if described, err := e.info.ViewColumns(v); err == nil {
			cols = described
		}
	}
	if cols == nil {
		cols = make([]plan.Column, len(v.Columns))
		for i, name := range v.Columns {
			cols[i] = plan.Column{Name: name, Type: types.TText}
		}
	}
	out := make([]attribute, len(cols))
	for i, c := range cols {
		out[i] = attribute{name: c.Name, typ: c.Type}
	}
	return out
}

// columnCount is pg_class.relnatts, known without planning a view.
func (r *relation) columnCount() int {
	switch {
	case r.table != nil:
		return len(r.table.Columns)
	case r.view != nil:
		return len(r.view.Columns)
	case r.matview != nil:
		return len(r.matview.Columns)
	case r.index != nil:
		return len(r.index.attnums)
	default:
		return len(r.sys.cols)
	}
}

// qualifiedName is the relation's name as regclass output prints it:
// qualified when the search path would not find it unqualified.
func (e *env) qualifiedName(r *relation) string {
	if e.visible(r) {
		return quoteIdent(r.name)
	}
	return quoteIdent(r.ns.name) + "." + quoteIdent(r.name)
}
