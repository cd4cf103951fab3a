package system

import (
	"slices"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// restrictedInfo is testInfo for alice, who may use crm and read
// crm.customers (with grant option) and the view public.big_orders.
func restrictedInfo() *Info {
	info := testInfo()
	snap := info.Snapshot
	snap.Privileges.SetSchemaACL("crm", catalog.ACL{{Grantee: "alice", Grantor: "admin", Privs: "U"}})
	snap.Privileges.SetTableACL("crm", "customers", catalog.ACL{{Grantee: "alice", Grantor: "admin", Privs: "r", GrantOptions: "r"}})
	snap.Privileges.SetTableACL("public", "big_orders", catalog.ACL{{Grantee: catalog.PublicRole, Grantor: "admin", Privs: "r"}})
	access := func(role string) *catalog.Access {
		return &catalog.Access{Snap: snap, Roles: []string{role, catalog.PublicRole}, Bootstrap: "admin"}
	}
	info.Access, info.AccessOf, info.BootstrapOwner = access("alice"), access, "admin"
	return info
}

func names(rows []map[string]types.Datum, col string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[col].Str)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestSystemTablesShowOnlyWhatTheRoleReads(t *testing.T) {
	info := restrictedInfo()
	if got := names(rowsOf(t, info, PgCatalog, "pg_namespace"), "nspname"); !slices.Equal(got, []string{"crm", "information_schema", "junction", "pg_catalog", "public"}) {
		t.Errorf("pg_namespace = %v", got)
	}
	var sourceRels []string
	for _, r := range rowsOf(t, info, InformationSchema, "tables") {
		if s := r["table_schema"].Str; s != PgCatalog && s != InformationSchema && s != Junction {
			sourceRels = append(sourceRels, s+"."+r["table_name"].Str)
		}
	}
	if !slices.Equal(sourceRels, []string{"crm.customers", "public.big_orders"}) {
		t.Errorf("information_schema.tables = %v", sourceRels)
	}
	if got := names(rowsOf(t, info, Junction, "tables"), "name"); !slices.Equal(got, []string{"customers"}) {
		t.Errorf("junction.tables = %v", got)
	}
	for _, r := range rowsOf(t, info, PgCatalog, "pg_class") {
		if r["relname"].Str == "customers" && r["relacl"].Str != "{alice=r*/admin}" {
			t.Errorf("relacl of customers = %+v", r["relacl"])
		}
	}
	// A superuser's session sees everything.
	info.Access = nil
	if got := len(names(rowsOf(t, info, PgCatalog, "pg_namespace"), "nspname")); got != 7 {
		t.Errorf("superuser sees %d namespaces", got)
	}
}

func TestPrivilegeFunctionsAnswerFromGrants(t *testing.T) {
	info := restrictedInfo()
	two := []types.Type{textT, textT}
	three := []types.Type{types.TName, textT, textT}
	for _, c := range []struct {
		name  string
		types []types.Type
		args  []types.Datum
		want  bool
	}{
		{"has_table_privilege", two, []types.Datum{str("crm.customers"), str("SELECT")}, true},
		{"has_table_privilege", two, []types.Datum{str("crm.customers"), str("SELECT WITH GRANT OPTION")}, true},
		{"has_table_privilege", two, []types.Datum{str("big_orders"), str("SELECT")}, true},
		{"has_table_privilege", two, []types.Datum{str("big_orders"), str("SELECT WITH GRANT OPTION")}, false},
		{"has_table_privilege", two, []types.Datum{str("crm.vip"), str("SELECT")}, false},
		{"has_table_privilege", two, []types.Datum{str("pg_catalog.pg_class"), str("SELECT")}, true},
		{"has_schema_privilege", two, []types.Datum{str("crm"), str("USAGE")}, true},
		{"has_schema_privilege", two, []types.Datum{str("shop"), str("USAGE")}, false},
		{"has_schema_privilege", two, []types.Datum{str("crm"), str("CREATE")}, false},
		{"has_table_privilege", three, []types.Datum{str("bob"), str("crm.customers"), str("SELECT")}, false},
		{"has_table_privilege", three, []types.Datum{str("bob"), str("big_orders"), str("SELECT")}, true},
	} {
		d, err := call(t, info, c.name, c.types, c.args...)
		if err != nil || d.Null || d.Bool != c.want {
			t.Errorf("%s%v = %+v, %v; want %v", c.name, c.args, d, err, c.want)
		}
	}
	// Naming a table in a schema the user may not use is PostgreSQL's
	// error.
	_, err := call(t, info, "has_table_privilege", two, str("shop.orders"), str("SELECT"))
	wantCode(t, err, pgerr.InsufficientPrivilege)
}

func TestQueriesHideOtherUsersText(t *testing.T) {
	info := restrictedInfo()
	info.Queries = func() []QueryRecord {
		return []QueryRecord{{ID: 1, User: "alice", SQL: "SELECT 1"}, {ID: 2, User: "admin", SQL: "SELECT secret", ClientAddr: "10.0.0.1:5"}}
	}
	rows := rowsOf(t, info, Junction, "queries")
	if rows[0]["query"].Str != "SELECT 1" || rows[1]["query"].Str != insufficientPrivilege || !rows[1]["client_addr"].Null {
		t.Errorf("junction.queries = %v", rows)
	}
}
