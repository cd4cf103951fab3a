package system

import (
	"testing"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/types"
)

// matviewInfo is testInfo with two materialized views in public, one
// populated by a refresh that happened and one never populated.
func matviewInfo() *Info {
	info := testInfo()
	snap := *info.Snapshot
	snap.MatViews = map[string]*catalog.MatView{
		"public.totals": {Schema: "public", Name: "totals", OID: 50001, Owner: "alice", SQL: "SELECT 1 AS n",
			Columns: []connectors.Column{{Name: "n", Type: types.TInt4, Nullable: true}}},
		"public.pending": {Schema: "public", Name: "pending", OID: 50002, Owner: "alice", SQL: "SELECT 'x' AS s", RefreshInterval: "5 min",
			Columns: []connectors.Column{{Name: "s", Type: types.TText, Nullable: true}}},
	}
	info.Snapshot = &snap
	finished := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	info.MatViewStatus = func(oid uint32) MatViewStatus {
		if oid == 50001 {
			return MatViewStatus{Populated: true, LastStarted: finished.Add(-time.Second), LastFinished: finished, Rows: 1, Bytes: 8, Refreshes: 1}
		}
		return MatViewStatus{LastError: "source down", LastErrorAt: finished, NextRefresh: finished.Add(5 * time.Minute), Failures: 1, Refreshes: 1}
	}
	return info
}

func TestMaterializedViewsInTheCatalogs(t *testing.T) {
	info := matviewInfo()
	class := rowsOf(t, info, "", "pg_class")
	for name, populated := range map[string]bool{"totals": true, "pending": false} {
		r := findOne(t, class, map[string]string{"relname": name})
		if r["relkind"].Str != "m" || r["relispopulated"].Bool != populated {
			t.Errorf("pg_class row of %s: relkind %q relispopulated %v", name, r["relkind"].Str, r["relispopulated"].Bool)
		}
	}
	attr := findOne(t, rowsOf(t, info, "", "pg_attribute"), map[string]string{"attname": "n"})
	if attr["attrelid"].Int != 50001 || attr["atttypid"].Int != int64(types.TInt4.OID()) {
		t.Errorf("pg_attribute of totals.n: %v", attr)
	}
	mv := findOne(t, rowsOf(t, info, "", "pg_matviews"), map[string]string{"matviewname": "pending"})
	if mv["ispopulated"].Bool || mv["definition"].Str != "SELECT 'x' AS s" || mv["schemaname"].Str != "public" {
		t.Errorf("pg_matviews row of pending: %v", mv)
	}
	for _, table := range []string{"tables", "columns", "views"} {
		for _, r := range rowsOf(t, info, InformationSchema, table) {
			if name := r["table_name"].Str; name == "totals" || name == "pending" {
				t.Errorf("information_schema.%s lists the materialized view %s", table, name)
			}
		}
	}
	status := rowsOf(t, info, Junction, "materialized_views")
	totals := findOne(t, status, map[string]string{"name": "totals"})
	if !totals["populated"].Bool || totals["rows"].Int != 1 || totals["bytes"].Int != 8 || totals["last_refresh_ms"].Float != 1000 ||
		!totals["last_error"].Null || !totals["next_refresh"].Null || !totals["refresh_interval"].Null {
		t.Errorf("junction.materialized_views row of totals: %v", totals)
	}
	pending := findOne(t, status, map[string]string{"name": "pending"})
	if pending["populated"].Bool || !pending["rows"].Null || pending["last_error"].Str != "source down" || pending["failures"].Int != 1 ||
		pending["refresh_interval"].Str != "5 min" || pending["next_refresh"].Null {
		t.Errorf("junction.materialized_views row of pending: %v", pending)
	}
}
