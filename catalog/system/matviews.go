package system

import (
	"maps"
	"slices"

	"github.com/junction-db/junction/catalog"
)

// MatViewStatus is the state of a materialized view's local copy, as the
// engine last saw it happen.
// NextRefresh is zero for a view without junction.refresh_interval.
type MatViewStatus = CopyStatus

// addMatViews puts each materialized view in its schema's namespace.
func (d *directory) addMatViews(snap *catalog.Snapshot, derived map[uint32]bool) {
	for _, k := range slices.Sorted(maps.Keys(snap.MatViews)) {
		m := snap.MatViews[k]
		d.addRelation(&relation{oid: m.OID, name: m.Name, ns: d.schemaNamespace(m.Schema, derived), kind: 'm', matview: m})
	}
}

// schemaNamespace is the namespace of a schema that holds views or
// materialized views, made for a schema that holds only those.
func (d *directory) schemaNamespace(schema string, derived map[uint32]bool) *namespace {
	if ns := d.nsByName[schema]; ns != nil {
		return ns
	}
	return d.addNamespace(&namespace{oid: derivedOID("namespace", schema, derived), name: schema})
}

func matviewAttributes(m *catalog.MatView) []attribute {
	out := make([]attribute, len(m.Columns))
	for i, c := range m.Columns {
		out[i] = attribute{name: c.Name, typ: c.Type}
	}
	return out
}

// matviewStatus is the state of a materialized view's copy.
func (e *env) matviewStatus(m *catalog.MatView) MatViewStatus {
	if e.info.MatViewStatus == nil {
		return MatViewStatus{}
	}
	return e.info.MatViewStatus(m.OID)
}

// populated is pg_class.relispopulated: false only for a materialized
// view without a copy.
func (e *env) populated(r *relation) bool {
	return r.matview == nil || e.matviewStatus(r.matview).Populated
}

func fillMatViews(e *env, out *rowSet) {
	for _, r := range e.dir.relations {
		if r.matview != nil {
			out.add("schemaname", r.ns.name, "matviewname", r.name, "matviewowner", e.ownerName(e.relationOwner(r)), "hasindexes", false,
				"ispopulated", e.populated(r), "definition", viewDefinition(r))
		}
	}
}

var matviewsTable = &sysTable{schema: Junction, name: "materialized_views", oid: JunctionOID + 5, kind: 'v', fill: fillMatViewStatus,
	comment: "materialized views with the state of their local copy: its last refresh, rows and bytes, the last error and the next scheduled refresh",
	cols: append([]column{
		{"schema", tText, false},
		{"name", tText, false},
		{"populated", tBool, false},
		{"refreshing", tBool, false},
		{"refresh_interval", tText, false},
		{"last_refresh_start", tTimestampTZ, false},
		{"last_refresh_end", tTimestampTZ, false},
		{"last_refresh_ms", tFloat8, false},
	}, copyStatusColumns...)}

func fillMatViewStatus(e *env, out *rowSet) {
	for _, r := range e.dir.relations {
		m := r.matview
		if m == nil {
			continue
		}
		st := e.matviewStatus(m)
		var took any
		finished := !st.LastFinished.IsZero()
		if finished {
			took = float64(st.LastFinished.Sub(st.LastStarted).Microseconds()) / 1000
		}
		out.add(append([]any{"schema", r.ns.name, "name", r.name, "populated", st.Populated, "refreshing", st.Refreshing,
			"refresh_interval", orNull(m.RefreshInterval), "last_refresh_start", timestampDatum(st.LastStarted),
			"last_refresh_end", timestampDatum(st.LastFinished), "last_refresh_ms", took}, st.values(finished)...)...)
	}
}
