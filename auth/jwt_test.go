package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// writeECJWKS writes a key set with key's public half as kid "ec".
func writeECJWKS(t *testing.T, key *ecdsa.PrivateKey) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(path, ecJWKS(t, key), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func ecJWKS(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	b64 := base64.RawURLEncoding.EncodeToString
	pub, err := key.PublicKey.Bytes() // uncompressed point: 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "EC", "crv": "P-256", "kid": "ec", "x": b64(pub[1:33]), "y": b64(pub[33:]),
	}}})
	return data
}

// signES256 signs claims with key, naming kid "ec".
func signES256(t *testing.T, key *ecdsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	token := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	token.Header["kid"] = "ec"
	s, err := token.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJWTKeySetFromURL(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	idp := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write(ecJWKS(t, key)) //nolint:errcheck // the test fails on a missing key set
	}))
	defer idp.Close()
	// The key set is fetched with the default client, which must trust
	// the test server's certificate.
	defaultClient := http.DefaultClient
	http.DefaultClient = idp.Client()
	defer func() { http.DefaultClient = defaultClient }()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	v, err := NewJWTVerifier(ctx, JWTConfig{JWKSURL: idp.URL + "/jwks.json", Issuer: "idp", Audience: "junction"}, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	token := signES256(t, key, jwt.MapClaims{"iss": "idp", "aud": "junction", "exp": time.Now().Add(time.Minute).Unix(), "sub": "bob"})
	if role, err := v.Role(token); err != nil || role != "bob" {
		t.Fatalf("role %q, %v; want bob", role, err)
	}
}

func TestJWTVerifierRoleClaim(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewJWTVerifier(context.Background(), JWTConfig{JWKSFile: writeECJWKS(t, key), Issuer: "idp", Audience: "junction", RoleClaim: "preferred_username"}, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	sign := func(claims jwt.MapClaims) string { return signES256(t, key, claims) }
	exp := time.Now().Add(time.Minute).Unix()
	role, err := v.Role(sign(jwt.MapClaims{"iss": "idp", "aud": []string{"other", "junction"}, "exp": exp, "sub": "u-123", "preferred_username": "bob"}))
	if err != nil || role != "bob" {
		t.Fatalf("role %q, %v; want bob", role, err)
	}
	if _, err := v.Role(sign(jwt.MapClaims{"iss": "idp", "aud": "junction", "exp": exp, "sub": "bob"})); err == nil || !strings.Contains(err.Error(), "preferred_username") {
		t.Fatalf("token without the role claim: %v", err)
	}
}

func TestJWTConfigIsChecked(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  JWTConfig
		want string
	}{
		{"HMAC", JWTConfig{JWKSFile: "x", Issuer: "i", Audience: "a", Algorithms: []string{"HS256"}}, `"HS256" is not accepted`},
		{"none", JWTConfig{JWKSFile: "x", Issuer: "i", Audience: "a", Algorithms: []string{"none"}}, `"none" is not accepted`},
		{"no issuer", JWTConfig{JWKSFile: "x", Audience: "a"}, "issuer and audience"},
		{"no key set", JWTConfig{Issuer: "i", Audience: "a"}, "exactly one of jwks_file and jwks_url"},
		{"two key sets", JWTConfig{JWKSFile: "x", JWKSURL: "https://idp/jwks", Issuer: "i", Audience: "a"}, "exactly one"},
		{"plain http", JWTConfig{JWKSURL: "http://idp/jwks", Issuer: "i", Audience: "a"}, "not an https URL"},
		{"missing file", JWTConfig{JWKSFile: filepath.Join(t.TempDir(), "none.json"), Issuer: "i", Audience: "a"}, "read jwks_file"},
	} {
		if _, err := NewJWTVerifier(context.Background(), tc.cfg, slog.Default()); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error mentioning %s", tc.name, err, tc.want)
		}
	}
}
