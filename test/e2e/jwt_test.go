package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/junction-db/junction/test/testenv"
)

// writeJWKS writes a JSON Web Key Set holding key's public half under kid.
func writeJWKS(t *testing.T, kid string, key *rsa.PrivateKey) string {
	t.Helper()
	b64 := base64.RawURLEncoding.EncodeToString
	set := map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}}
	data, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// signToken signs claims with method and key, naming kid in the header.
func signToken(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	token := jwt.NewWithClaims(method, claims)
	token.Header["kid"] = "k1"
	signed, err := token.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

const (
	testIssuer   = "https://idp.example.com"
	testAudience = "junction"
)

func jwtSection(jwks string) string {
	return fmt.Sprintf("  jwt:\n    jwks_file: %s\n    issuer: %s\n    audience: %s\n", jwks, testIssuer, testAudience)
}

// TestJWTLogin: a token of the identity provider, sent as the password
// over TLS, logs its subject in; every token that does not verify, or
// names another role, is refused as a wrong password.
func TestJWTLogin(t *testing.T) {
	_, cert, key := writeTestCertificates(t)
	signer := rsaKey(t)
	jwks := writeJWKS(t, "k1", signer)
	srv := authServer(t, tlsConfig(cert, key)+"auth:\n  require_tls: true\n  max_failed_logins: 100\n"+jwtSection(jwks))

	claims := func(sub string, changes jwt.MapClaims) jwt.MapClaims {
		c := jwt.MapClaims{"iss": testIssuer, "aud": testAudience, "sub": sub,
			"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
		for k, v := range changes {
			c[k] = v
		}
		return c
	}
	// A token's role must be a role that may log in. A configured user
	// still logs in with its SCRAM password.
	alice := testenv.ConnectURL(t, userURL(srv, "alice", "s3cret", "sslmode=require"))
	mustExec(t, alice, "CREATE ROLE bob LOGIN")
	mustExec(t, alice, "CREATE ROLE nina NOLOGIN")
	valid := signToken(t, jwt.SigningMethodRS256, signer, claims("bob", nil))
	conn := testenv.ConnectURL(t, userURL(srv, "bob", valid, "sslmode=require"))
	if got := queryValue(t, conn, "SELECT current_user"); got != "bob" {
		t.Fatalf("current_user = %q, want bob", got)
	}
	for role, want := range map[string]string{"dave": `role "dave" does not exist`, "nina": `role "nina" is not permitted to log in`} {
		token := signToken(t, jwt.SigningMethodRS256, signer, claims(role, nil))
		if pe := loginError(t, userURL(srv, role, token, "sslmode=require")); pe == nil || pe.Code != "28000" || pe.Message != want {
			t.Errorf("token for %s: got %v, want FATAL 28000 %s", role, pe, want)
		}
	}

	publicDER, err := x509.MarshalPKIXPublicKey(&signer.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	publicPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: publicDER})
	refused := map[string]string{
		"expired":                  signToken(t, jwt.SigningMethodRS256, signer, claims("bob", jwt.MapClaims{"exp": time.Now().Add(-time.Hour).Unix()})),
		"no expiry":                signToken(t, jwt.SigningMethodRS256, signer, claims("bob", jwt.MapClaims{"exp": nil})),
		"wrong audience":           signToken(t, jwt.SigningMethodRS256, signer, claims("bob", jwt.MapClaims{"aud": "other"})),
		"wrong issuer":             signToken(t, jwt.SigningMethodRS256, signer, claims("bob", jwt.MapClaims{"iss": "https://evil.example.com"})),
		"wrong key":                signToken(t, jwt.SigningMethodRS256, rsaKey(t), claims("bob", nil)),
		"alg none":                 signToken(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims("bob", nil)),
		"HMAC with the public key": signToken(t, jwt.SigningMethodHS256, publicPEM, claims("bob", nil)),
		"role mismatch":            signToken(t, jwt.SigningMethodRS256, signer, claims("carol", nil)),
		"not a token":              "s3cret",
	}
	for what, token := range refused {
		pe := loginError(t, userURL(srv, "bob", token, "sslmode=require"))
		want := `password authentication failed for user "bob"`
		if pe == nil || pe.Code != "28P01" || pe.Message != want || pe.Severity != "FATAL" {
			t.Errorf("%s: got %v, want FATAL 28P01 %s", what, pe, want)
		}
	}
	srv.WaitForOutput(t, regexp.MustCompile(`password authentication failed" client=127.0.0.1 user=bob method=jwt reason=".*token is expired`))
	srv.WaitForOutput(t, regexp.MustCompile(`reason="token is for role \\"carol\\", not the user logging in"`))
	for _, token := range append([]string{valid}, refused["wrong key"], refused["role mismatch"]) {
		if strings.Contains(srv.Output(), token) {
			t.Fatalf("token logged:\n%s", srv.Output())
		}
	}

	// Without TLS the token would cross the wire in the clear: refused
	// before any password is asked for.
	if pe := loginError(t, userURL(srv, "bob", valid, "sslmode=disable")); pe == nil || pe.Code != "28000" {
		t.Fatalf("plain connection: got %v, want 28000", pe)
	}
}

// TestJWTWithoutUsers: with method jwt and no users declared, the
// server trusts no one: every login needs a token, and a token's role is
// not a superuser, as it would be on a server without authentication.
func TestJWTWithoutUsers(t *testing.T) {
	_, cert, key := writeTestCertificates(t)
	signer := rsaKey(t)
	path := filepath.Join(t.TempDir(), "junction.yaml")
	config := tlsConfig(cert, key) + "auth:\n  method: jwt\n  require_tls: true\n  max_failed_logins: 2\n  failed_login_refill: 1h\n" + jwtSection(writeJWKS(t, "k1", signer))
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t, "serve", "--config", path)

	token := signToken(t, jwt.SigningMethodRS256, signer, jwt.MapClaims{"iss": testIssuer, "aud": testAudience, "sub": "bob", "exp": time.Now().Add(time.Hour).Unix()})
	// The token's role must exist: none does yet. The catalog is given
	// one, as a catalog is moved between servers, and read at restart.
	if pe := loginError(t, userURL(srv, "bob", token, "sslmode=require")); pe == nil || pe.Code != "28000" || pe.Message != `role "bob" does not exist` {
		t.Fatalf("token of a role that does not exist: got %v, want 28000", pe)
	}
	bin := testenv.BuildBinary(t)
	var doc map[string]any
	if err := json.Unmarshal([]byte(runJunction(t, bin, "", "catalog", "export", "--data-dir", srv.DataDir)), &doc); err != nil {
		t.Fatal(err)
	}
	doc["roles"].(map[string]any)["bob"] = map[string]any{"name": "bob", "oid": 20000, "login": true}
	withBob, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	runJunction(t, bin, string(withBob), "catalog", "import", "--data-dir", srv.DataDir)
	srv.Restart(t)
	conn := testenv.ConnectURL(t, userURL(srv, "bob", token, "sslmode=require"))
	if got := queryValue(t, conn, "SHOW is_superuser"); got != "off" {
		t.Fatalf("is_superuser of a token's role = %q, want off", got)
	}
	// Failed token logins count in the per-host limit.
	for i := range 2 {
		if pe := loginError(t, userURL(srv, "bob", "guess", "sslmode=require")); pe == nil || pe.Code != "28P01" {
			t.Fatalf("failed login %d: got %v, want 28P01", i+1, pe)
		}
	}
	if pe := loginError(t, userURL(srv, "bob", token, "sslmode=require")); pe == nil || pe.Code != "28000" || !strings.Contains(pe.Message, "too many failed logins") {
		t.Fatalf("login after 2 failures: got %v, want 28000 too many failed logins", pe)
	}
}

// TestJWTNeedsRequireTLS: a server configured for tokens but not
// requiring TLS does not start.
func TestJWTNeedsRequireTLS(t *testing.T) {
	_, cert, key := writeTestCertificates(t)
	jwks := writeJWKS(t, "k1", rsaKey(t))
	path := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(path, []byte(tlsConfig(cert, key)+"auth:\n"+jwtSection(jwks)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testenv.BuildBinary(t), "serve", "--config", path, "--listen", "127.0.0.1:0", "--http", "", "--data-dir", t.TempDir()).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "require_tls") {
		t.Fatalf("jwt without require_tls: %v\n%s", err, out)
	}
}
