package catalog

import (
	"testing"
)

func TestTableSecuritySurvivesEncoding(t *testing.T) {
	snap := emptySnapshot()
	snap.Sources["bank"] = &Source{Name: "bank", DefaultSchema: "public"}
	ts := &TableSecurity{Source: "bank", Schema: "public", Table: "accounts", RowSecurity: true,
		Policies: []Policy{{Name: "own", OID: 20000, Command: "select", Roles: []string{"alice", PublicRole}, Using: "owner = current_user"}},
		Masks:    map[string]string{"ssn": "MASKED WITH VALUE NULL"}}
	snap.SetSecurity(ts)
	snap.MaskedRoles = []string{"carol"}
	data, err := Encode(snap)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	got := back.SecurityOf("bank", "", "accounts")
	if got == nil || !got.RowSecurity || len(got.Policies) != 1 || got.Policies[0].Using != "owner = current_user" ||
		got.Policies[0].Roles[1] != PublicRole || got.Masks["ssn"] != "MASKED WITH VALUE NULL" {
		t.Fatalf("security after a round trip = %+v", got)
	}
	if !back.IsMaskedRole("carol") || back.IsMaskedRole("alice") {
		t.Errorf("masked roles after a round trip = %v", back.MaskedRoles)
	}
}

func TestSetSecurityCopiesAndRemoves(t *testing.T) {
	snap := emptySnapshot()
	ts := &TableSecurity{Source: "bank", Schema: "public", Table: "accounts", RowSecurity: true,
		Policies: []Policy{{Name: "own", Roles: []string{"alice"}}}, Masks: map[string]string{}}
	snap.SetSecurity(ts)
	before := snap.clone()
	changed := snap.SecurityOf("bank", "public", "accounts").Clone()
	changed.Policies[0].Roles[0] = "bob"
	changed.Masks["ssn"] = "MASKED WITH VALUE NULL"
	snap.SetSecurity(changed)
	if old := before.SecurityOf("bank", "public", "accounts"); old.Policies[0].Roles[0] != "alice" || len(old.Masks) != 0 {
		t.Errorf("changing a clone changed the earlier snapshot: %+v", old)
	}
	snap.SetSecurity(&TableSecurity{Source: "bank", Schema: "public", Table: "accounts"})
	if snap.SecurityOf("bank", "public", "accounts") != nil || len(snap.Security) != 0 {
		t.Errorf("an empty security is kept: %+v", snap.Security)
	}
	snap.SetSecurity(ts)
	snap.DropSourceSecurity("bank")
	if len(snap.Security) != 0 || len(before.Security) != 1 {
		t.Errorf("dropping the source's security: now %d, before %d", len(snap.Security), len(before.Security))
	}
}

func TestMaskExpression(t *testing.T) {
	for label, want := range map[string]string{
		"MASKED WITH VALUE NULL":         "NULL",
		"masked with function md5(ssn) ": "md5(ssn)",
		"MASKED WITH VALUE '***'":        "'***'",
		"MASKED":                         "",
		"HIDDEN WITH VALUE 1":            "",
	} {
		got, ok := MaskExpression(label)
		if got != want || ok != (want != "") {
			t.Errorf("MaskExpression(%q) = %q, %v; want %q", label, got, ok, want)
		}
	}
	if !IsRoleMaskLabel(" masked ") || IsRoleMaskLabel("MASKED WITH VALUE NULL") {
		t.Error("IsRoleMaskLabel accepts the wrong labels")
	}
}
