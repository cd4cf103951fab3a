package auth

import (
	"strings"
	"testing"
)

func TestVerifierChecksOnlyItsPassword(t *testing.T) {
	v, err := NewVerifier("alice", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if v.Iters != Iterations || len(v.Salt) != 16 || len(v.StoredKey) != 32 || len(v.ServerKey) != 32 {
		t.Fatalf("verifier: iterations %d, salt %d bytes, keys %d/%d bytes", v.Iters, len(v.Salt), len(v.StoredKey), len(v.ServerKey))
	}
	if !v.Check("s3cret") || v.Check("s3cret ") || v.Check("") {
		t.Fatal("verifier accepts a wrong password or rejects the right one")
	}
	again, _ := NewVerifier("alice", "s3cret")
	if again.Salt == v.Salt {
		t.Fatal("two verifiers share a salt")
	}
}

func TestMockMatchesNoPasswordAndKeepsItsSalt(t *testing.T) {
	key := []byte("key")
	m := Mock(key, "nobody")
	if m.Check("") || m.Check("nobody") {
		t.Fatal("a mock verifier accepted a password")
	}
	if Mock(key, "nobody").Salt != m.Salt || Mock(key, "other").Salt == m.Salt {
		t.Fatal("mock salts are not stable per user")
	}
}

func TestVerifierTextForm(t *testing.T) {
	v, err := NewVerifier("alice", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	text := v.String()
	if !strings.HasPrefix(text, "SCRAM-SHA-256$4096:") || strings.Count(text, "$") != 2 || strings.Contains(text, "s3cret") {
		t.Fatalf("text form %q", text)
	}
	back, err := ParseVerifier(text)
	if err != nil || !back.Check("s3cret") || back.Check("wrong") || back.String() != text {
		t.Fatalf("parsed back: %v, %v", back, err)
	}
	// A verifier PostgreSQL 15 stored in pg_authid for the password
	// pg-s3cret checks that password.
	pgText := "SCRAM-SHA-256$4096:oNhgg0cJuOeKkrDwMboHsw==$cu8Ccw4lom1vWQAMGiQdmmzVy9qQTSn4ID9hQ8R7V2E=:wz1G6UFeQxaLuMaFqBBQpUhwNAyt5XY+ftR+JnwpIj4="
	if pv, err := ParseVerifier(pgText); err != nil || !pv.Check("pg-s3cret") || pv.Check("s3cret") {
		t.Fatalf("PostgreSQL's verifier: %v", err)
	}
	for _, bad := range []string{"", "s3cret", "md5abc", "SCRAM-SHA-256$x:AAAA$AAAA:AAAA", "SCRAM-SHA-256$4096:AAAA$AAAA:AAAA", "SCRAM-SHA-256$4096:%%$AAAA:AAAA"} {
		if IsVerifierText(bad) {
			t.Errorf("%q taken for a verifier", bad)
		}
	}
}
