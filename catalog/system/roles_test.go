package system

import (
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// rolesInfo is alice's session over a catalog where alice (configured)
// is a member of analysts, itself a member of junction_admin.
func rolesInfo() *Info {
	info := testInfo()
	snap := *info.Snapshot
	snap.Roles = map[string]*catalog.Role{
		catalog.AdminRole: {Name: catalog.AdminRole, OID: 16200, Builtin: true},
		"alice":           {Name: "alice", OID: 16400, Login: true, Config: true, Password: "SCRAM-SHA-256$4096:c2FsdA==$a2V5:a2V5", MemberOf: map[string]catalog.Membership{"analysts": {Grantor: "root"}}},
		"analysts":        {Name: "analysts", OID: 16401, MemberOf: map[string]catalog.Membership{catalog.AdminRole: {Admin: true, Grantor: "root"}}},
		"root":            {Name: "root", OID: 16402, Login: true, Superuser: true},
	}
	info.Snapshot = &snap
	return info
}

func TestRolesTables(t *testing.T) {
	info := rolesInfo()
	roles := rowsOf(t, info, PgCatalog, "pg_roles")
	if len(roles) != 4 {
		t.Fatalf("pg_roles has %d rows, want the 4 catalog roles", len(roles))
	}
	for _, r := range roles {
		if r["rolpassword"].Str != "********" {
			t.Errorf("pg_roles shows %s's password %q", r["rolname"].Str, r["rolpassword"].Str)
		}
		if r["rolname"].Str == "root" && (!r["rolsuper"].Bool || r["oid"].Int != 16402) {
			t.Errorf("root: %v", r)
		}
	}
	if users := rowsOf(t, info, PgCatalog, "pg_user"); len(users) != 2 {
		t.Errorf("pg_user has %d rows, want the 2 LOGIN roles", len(users))
	}
	members := rowsOf(t, info, PgCatalog, "pg_auth_members")
	if len(members) != 2 {
		t.Fatalf("pg_auth_members: %v", members)
	}
	for _, m := range members {
		if m["member"].Int == 16401 && (m["roleid"].Int != 16200 || !m["admin_option"].Bool || m["grantor"].Int != 16402) {
			t.Errorf("analysts' membership: %v", m)
		}
	}

	node, _ := Lookup(info, PgCatalog, "pg_authid")
	if _, err := node.Fill(); pgerr.Code(err) != pgerr.InsufficientPrivilege {
		t.Errorf("pg_authid for a non-superuser: %v", err)
	}
	info.Superuser = true
	for _, r := range rowsOf(t, info, PgCatalog, "pg_authid") {
		if r["rolname"].Str == "alice" && r["rolpassword"].Str == "" {
			t.Error("pg_authid hides alice's verifier from a superuser")
		}
	}
	if d, err := call(t, info, "pg_get_userbyid", []types.Type{types.TOID}, types.IntDatum(16401)); err != nil || d.Str != "analysts" {
		t.Errorf("pg_get_userbyid(16401) = %v, %v", d, err)
	}
	if d, err := call(t, info, "shobj_description", []types.Type{types.TOID, types.TName}, types.IntDatum(16400), types.StrDatum("pg_authid")); err != nil || d.Str != "Declared in the configuration file" {
		t.Errorf("shobj_description(alice) = %v, %v", d, err)
	}
}

func TestPgHasRole(t *testing.T) {
	info := rolesInfo()
	name, text, oid := types.TName, types.TText, types.TOID
	for _, c := range []struct {
		types []types.Type
		args  []types.Datum
		want  bool
		null  bool
	}{
		{[]types.Type{name, text}, []types.Datum{types.StrDatum(catalog.AdminRole), types.StrDatum("MEMBER")}, true, false},
		{[]types.Type{name, text}, []types.Datum{types.StrDatum(catalog.AdminRole), types.StrDatum("USAGE")}, true, false},
		{[]types.Type{name, name, text}, []types.Datum{types.StrDatum("analysts"), types.StrDatum("alice"), types.StrDatum("MEMBER")}, false, false},
		{[]types.Type{name, name, text}, []types.Datum{types.StrDatum("root"), types.StrDatum("analysts"), types.StrDatum("USAGE")}, true, false},
		{[]types.Type{oid, text}, []types.Datum{types.IntDatum(99), types.StrDatum("MEMBER")}, false, true},
	} {
		d, err := call(t, info, "pg_has_role", c.types, c.args...)
		if err != nil || d.Null != c.null || !c.null && d.Bool != c.want {
			t.Errorf("pg_has_role%v = %+v, %v; want %v", c.args, d, err, c.want)
		}
	}
	// NOINHERIT: alice is a member of junction_admin without its
	// privileges once analysts does not inherit.
	info.Snapshot.Roles["alice"] = &catalog.Role{Name: "alice", OID: 16400, Login: true, NoInherit: true,
		MemberOf: map[string]catalog.Membership{"analysts": {}}}
	if d, _ := call(t, info, "pg_has_role", []types.Type{name, text}, types.StrDatum(catalog.AdminRole), types.StrDatum("USAGE")); d.Bool {
		t.Error("a NOINHERIT role has its roles' privileges")
	}
	if d, _ := call(t, info, "pg_has_role", []types.Type{name, text}, types.StrDatum(catalog.AdminRole), types.StrDatum("MEMBER")); !d.Bool {
		t.Error("a NOINHERIT role is not a member of its roles' roles")
	}
}
