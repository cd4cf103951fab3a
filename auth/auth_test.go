package auth

import "testing"

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
