package catalog

import (
	"strconv"

	"github.com/junction-db/junction/connectors"
)

// LocalCopiesSource is the name plans give the local copies of
// materialized views: their scans read it as they read a source, so that
// filters and aggregates are pushed to it. No server may take the name.
const LocalCopiesSource = "local copies"

// MatView is a materialized view (CREATE MATERIALIZED VIEW): its query,
// kept as SQL text, runs at every refresh and its result is stored as a
// local copy that reading the view reads instead of the sources.
type MatView struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	SQL    string `json:"sql"`
	// Columns are the names and types of the copy, fixed at creation.
	Columns []connectors.Column `json:"columns"`
	OID     uint32              `json:"oid"`
	// Owner is the user who created the view; refreshes read the sources
	// as that user (through its user mappings), as PostgreSQL refreshes
	// as the owner.
	Owner string `json:"owner"`
	// RefreshInterval is the junction.refresh_interval option as given
	// (empty for none): the view is refreshed in the background that long
	// after its last refresh ended.
	RefreshInterval string `json:"refresh_interval,omitempty"`
	// DependsOn lists the views (ViewKey) and materialized views its
	// query reads, which cannot be dropped while it exists.
	DependsOn []string `json:"depends_on,omitempty"`
	// Servers lists the sources whose tables its query reads directly,
	// which cannot be dropped while it exists.
	Servers []string `json:"servers,omitempty"`
}

// CopyTable is the name of the view's local copy: by OID, so that a
// rename leaves the copy where it is.
func (m *MatView) CopyTable() string { return "matview_" + strconv.FormatUint(uint64(m.OID), 10) }

// FindMatView returns the materialized view with the given OID.
func (s *Snapshot) FindMatView(oid uint32) (*MatView, bool) {
	for _, m := range s.MatViews {
		if m.OID == oid {
			return m, true
		}
	}
	return nil, false
}

// RelationExists reports whether schema holds a view, materialized view
// or source table called name; names share one namespace per schema.
func (s *Snapshot) RelationExists(schema, name string) bool {
	key := ViewKey(schema, name)
	if _, ok := s.Views[key]; ok {
		return true
	}
	if _, ok := s.MatViews[key]; ok {
		return true
	}
	_, _, ok := s.FindTable(schema, "", name)
	return ok
}
