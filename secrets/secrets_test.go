package secrets

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/junction-db/junction/pgerr"
)

func newKey(t *testing.T) *Key {
	t.Helper()
	k, err := GenerateKeyFile(filepath.Join(t.TempDir(), KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpensOnlyWithItsKey(t *testing.T) {
	k, other := newKey(t), newKey(t)
	a, b := k.Seal("Tr0ub4dor&3"), k.Seal("Tr0ub4dor&3")
	if !IsSealed(a) || strings.Contains(a, "Tr0ub4dor") {
		t.Fatalf("sealed value %q", a)
	}
	if a == b {
		t.Fatal("two seals of one password are equal: the nonce is not random")
	}
	if got, err := k.Open(a); err != nil || got != "Tr0ub4dor&3" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := other.Open(a); err == nil {
		t.Fatal("a value opened with another key")
	}
	if _, err := k.Open(a[:len(a)-4] + "AAAA"); err == nil {
		t.Fatal("a damaged value opened")
	}
}

func TestGeneratedKeyFileIsPrivateAndReadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFileName)
	k, err := GenerateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", info.Mode().Perm(), err)
	}
	again, err := ReadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := again.Open(k.Seal("x")); err != nil || got != "x" {
		t.Fatalf("re-read key: %q, %v", got, err)
	}
	if _, err := GenerateKeyFile(path); err == nil {
		t.Fatal("an existing key file was replaced")
	}
}

func TestParseKeyRejectsWrongLength(t *testing.T) {
	if _, err := ParseKey(base64.StdEncoding.EncodeToString(make([]byte, 16))); err == nil || !strings.Contains(err.Error(), "32 bytes") {
		t.Fatalf("16-byte key: %v", err)
	}
	if _, err := ParseKey("not base64!"); err == nil {
		t.Fatal("accepted a key that is not base64")
	}
}

func TestResolveReadsReferencesAtConnect(t *testing.T) {
	k := newKey(t)
	t.Setenv("JUNCTION_TEST_SOURCE_PW", "from-env")
	file := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts map[string]string
		want string
	}{
		{map[string]string{"host": "h", OptPasswordEnv: "JUNCTION_TEST_SOURCE_PW"}, "from-env"},
		{map[string]string{"host": "h", OptPasswordFile: file}, "from-file"},
		{map[string]string{"host": "h", OptPassword: k.Seal("sealed")}, "sealed"},
	} {
		got, err := Resolve("s", tc.opts, k)
		if err != nil {
			t.Fatal(err)
		}
		if got[OptPassword] != tc.want || got["host"] != "h" || got[OptPasswordEnv] != "" || got[OptPasswordFile] != "" {
			t.Fatalf("Resolve(%v) = %v", tc.opts, got)
		}
	}
}

func TestResolveErrorsNameTheReferenceNotTheValue(t *testing.T) {
	k := newKey(t)
	_, err := Resolve("crm", map[string]string{OptPasswordEnv: "JUNCTION_TEST_UNSET_VAR"}, k)
	if err == nil || !strings.Contains(err.Error(), "JUNCTION_TEST_UNSET_VAR") || !strings.Contains(err.Error(), `"crm"`) {
		t.Fatalf("unset variable: %v", err)
	}
	_, err = Resolve("crm", map[string]string{OptPasswordFile: "/nonexistent/pw"}, k)
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/pw") {
		t.Fatalf("missing file: %v", err)
	}
	sealed := newKey(t).Seal("s3cr3t-value")
	_, err = Resolve("crm", map[string]string{OptPassword: sealed}, k)
	if pgerr.Code(err) != pgerr.InvalidPassword || !strings.Contains(err.Error(), `password of source "crm"`) || strings.Contains(err.Error(), sealed) {
		t.Fatalf("wrong key: %v", err)
	}
	_, err = Resolve("crm", map[string]string{OptPassword: "p", OptPasswordEnv: "V"}, k)
	if pgerr.Code(err) != pgerr.InvalidParameterValue || strings.Contains(err.Error(), "'p'") {
		t.Fatalf("both given: %v", err)
	}
}

func TestSealOptionsLeavesTheInputAlone(t *testing.T) {
	k := newKey(t)
	in := map[string]string{OptPassword: "pw", "host": "h"}
	out := SealOptions(in, k)
	if in[OptPassword] != "pw" || !IsSealed(out[OptPassword]) || out["host"] != "h" {
		t.Fatalf("in %v, out %v", in, out)
	}
	if again := SealOptions(out, k); again[OptPassword] != out[OptPassword] {
		t.Fatal("a sealed password was sealed again")
	}
}
