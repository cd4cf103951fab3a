package catalog

import (
	"slices"
	"testing"

	"github.com/junction-db/junction/connectors"
)

func TestACLGrantRevokeAndText(t *testing.T) {
	acl := DefaultACL("admin", "r", false).
		Grant("alice", "admin", "r", true).
		Grant(PublicRole, "admin", "r", false).
		Grant("bob", "alice", "r", false)
	if got := acl.Strings(); !slices.Equal(got, []string{"admin=r/admin", "alice=r*/admin", "=r/admin", "bob=r/alice"}) {
		t.Errorf("Strings() = %v", got)
	}
	for _, c := range []struct {
		role   string
		option bool
		want   bool
	}{{"alice", true, true}, {"bob", false, true}, {"bob", true, false}, {"admin", true, true}, {"carol", false, true}, {"carol", true, false}} {
		if got := acl.Has([]string{c.role, PublicRole}, "admin", PrivSelect, c.option); got != c.want {
			t.Errorf("Has(%s, option %v) = %v", c.role, c.option, got)
		}
	}
	// Taking alice's grant option needs CASCADE, which takes bob's grant
	// made with it.
	if _, dep := acl.Revoke("alice", "admin", "r", true, false, "admin"); dep == nil || dep.Grantee != "bob" {
		t.Errorf("revoke without cascade: dependent %v", dep)
	}
	out, dep := acl.Revoke("alice", "admin", "r", true, true, "admin")
	if dep != nil || !slices.Equal(out.Strings(), []string{"admin=r/admin", "alice=r/admin", "=r/admin"}) {
		t.Errorf("revoke grant option cascade: %v %v", out.Strings(), dep)
	}
	out, _ = out.Revoke("alice", "admin", "r", false, false, "admin")
	if !slices.Equal(out.Strings(), []string{"admin=r/admin", "=r/admin"}) {
		t.Errorf("revoke: %v", out.Strings())
	}
	if got := (ACL{{Grantee: "a b", Grantor: "x", Privs: "U"}}).Strings(); got[0] != `"a b"=U/x` {
		t.Errorf("quoted name: %v", got)
	}
}

func TestAccessDefaultsAndOwners(t *testing.T) {
	snap := emptySnapshot()
	snap.Sources["crm"] = &Source{Name: "crm", DefaultSchema: "public", Owner: "carol", Tables: []connectors.Table{{Schema: "public", Name: "t"}, {Schema: "sales", Name: "u"}}}
	snap.Sources["cfg"] = &Source{Name: "cfg", DefaultSchema: "main", Tables: []connectors.Table{{Schema: "main", Name: "x"}}}
	a := &Access{Snap: snap, Roles: []string{"carol", PublicRole}, Bootstrap: "admin"}
	if !a.SchemaUsage("crm") || !a.SchemaUsage("crm.sales") || !a.TableSelect("crm.sales", "u") {
		t.Error("the owner of a source may not use it")
	}
	if a.SchemaUsage("cfg") || !a.SchemaUsage("public") {
		t.Error("carol may use a configured source, or not public")
	}
	if got := a.SchemaOwner("cfg"); got != "admin" {
		t.Errorf("owner of a configured source = %q", got)
	}
	if snap.SchemaSource("crm.nope") != nil || snap.SchemaSource("crm.sales") == nil {
		t.Error("SchemaSource")
	}
	if got := snap.Relations("crm"); !slices.Equal(got, []string{"t"}) {
		t.Errorf("Relations(crm) = %v", got)
	}
}

func TestDefaultPrivilegesApplyToNewTablesOnly(t *testing.T) {
	c, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	update := func(fn func(s *Snapshot)) {
		t.Helper()
		if err := c.Update(func(s *Snapshot) error { fn(s); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	update(func(s *Snapshot) {
		s.Sources["crm"] = &Source{Name: "crm", DefaultSchema: "public", Owner: "admin", Tables: []connectors.Table{{Schema: "public", Name: "old"}}}
	})
	update(func(s *Snapshot) {
		s.Privileges.SetDefaultACL("crm", "admin", ACL{{Grantee: "alice", Grantor: "admin", Privs: "r"}})
	})
	update(func(s *Snapshot) {
		src := *s.Sources["crm"]
		src.Tables = append(slices.Clone(src.Tables), connectors.Table{Schema: "public", Name: "new"})
		s.Sources["crm"] = &src
	})
	a := &Access{Snap: c.Snapshot(), Roles: []string{"alice", PublicRole}, Bootstrap: "admin"}
	if a.TableSelect("crm", "old") || !a.TableSelect("crm", "new") {
		t.Errorf("defaults: old %v new %v", a.TableSelect("crm", "old"), a.TableSelect("crm", "new"))
	}
	if got := a.TableACL("crm", "new").Strings(); !slices.Equal(got, []string{"admin=r/admin", "alice=r/admin"}) {
		t.Errorf("ACL of the new table = %v", got)
	}
	// A declared source registered at start brings no new tables.
	update(func(s *Snapshot) {
		s.Sources["cfg"] = &Source{Name: "cfg", DefaultSchema: "main", Owner: "admin", Builtin: true, Tables: []connectors.Table{{Schema: "main", Name: "x"}}}
		s.Privileges.SetDefaultACL("cfg", "admin", ACL{{Grantee: "alice", Grantor: "admin", Privs: "r"}})
	})
	if _, ok := c.Snapshot().Privileges.Tables["cfg"]["x"]; ok {
		t.Error("defaults applied to a declared source's tables at start")
	}
	// Dropping the source drops its grants: a new source of that name
	// starts with none.
	update(func(s *Snapshot) { delete(s.Sources, "crm") })
	if p := c.Snapshot().Privileges; p.Tables["crm"] != nil || p.Defaults["crm"] != nil {
		t.Errorf("grants of a dropped source remain: %+v", c.Snapshot().Privileges)
	}
}
