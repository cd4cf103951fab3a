package catalog

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/junction-db/junction/secrets"
)

func TestIdentityFor(t *testing.T) {
	src := &Source{Name: "crm", Options: map[string]string{"host": "db", "user": "owner", "password_env": "CRM_PW"},
		UserMappings: map[string]map[string]string{
			"alice":       {"user": "alice_ro", "password": "a"},
			PublicMapping: {"password_file": "/pw"},
		}}
	alice := src.IdentityFor("alice")
	if !alice.Mapped || alice.Options["user"] != "alice_ro" || alice.Options["password"] != "a" || alice.Options["host"] != "db" {
		t.Errorf("alice's identity = %+v", alice)
	}
	if _, ok := alice.Options["password_env"]; ok {
		t.Errorf("alice's identity keeps the server's password_env: %v", alice.Options)
	}
	// PUBLIC's mapping names no user: the server's is kept, its password replaced.
	bob := src.IdentityFor("bob")
	if !bob.Mapped || bob.Options["user"] != "owner" || bob.Options["password_file"] != "/pw" || bob.Options["password_env"] != "" {
		t.Errorf("bob's identity = %+v", bob)
	}
	if bob.Key == alice.Key || strings.Contains(alice.Key, "password") {
		t.Errorf("identity keys %q and %q", alice.Key, bob.Key)
	}
	delete(src.UserMappings, PublicMapping)
	if id := src.IdentityFor("bob"); id.Mapped || id.Options["user"] != "owner" {
		t.Errorf("bob without a mapping = %+v, want the server's options", id)
	}
}

func TestSealMappingPasswords(t *testing.T) {
	key, err := secrets.ParseKey(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32))))
	if err != nil {
		t.Fatal(err)
	}
	snap := emptySnapshot()
	snap.Sources["crm"] = &Source{Name: "crm", Options: map[string]string{"user": "owner"},
		UserMappings: map[string]map[string]string{"alice": {"user": "alice_ro", "password": "clear"}}}
	if got := snap.ClearPasswords(); len(got) != 1 || got[0] != "crm" {
		t.Fatalf("ClearPasswords = %v, want [crm]", got)
	}
	if got := snap.SealPasswords(key); len(got) != 1 {
		t.Fatalf("SealPasswords = %v", got)
	}
	sealed := snap.Sources["crm"].UserMappings["alice"]["password"]
	if !secrets.IsSealed(sealed) || len(snap.ClearPasswords()) != 0 {
		t.Errorf("mapping password after sealing = %q", sealed)
	}
	if err := snap.CheckPasswords(key); err != nil {
		t.Errorf("CheckPasswords: %v", err)
	}
}
