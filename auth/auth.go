// Package auth owns Junction's password verifiers: the SCRAM-SHA-256
// secrets (salt, iteration count, StoredKey, ServerKey) derived from each
// configured user's password when the server starts, and the check of a
// clear-text password against them. The password itself is not kept. It
// also verifies identity provider tokens (JWT) taken as passwords, with
// github.com/golang-jwt/jwt/v5 and keys from github.com/MicahParks/keyfunc/v3
// (JWKS parsing, fetching and refresh) rather than hand-written checks.
//
// The SCRAM arithmetic comes from github.com/xdg-go/scram (RFC 5802/7677,
// PBKDF2 from the standard library) rather than hand-written crypto.
// Passwords are normalized with SASLprep as PostgreSQL does; a password
// SASLprep rejects is used as raw bytes, as PostgreSQL also does.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xdg-go/scram"
)

// Iterations is the PBKDF2 iteration count of every verifier; PostgreSQL's
// default scram_iterations.
const Iterations = 4096

// Verifier is one user's SCRAM-SHA-256 secret.
type Verifier struct {
	scram.StoredCredentials
}

// NewVerifier derives a verifier from password with a fresh random salt.
func NewVerifier(user, password string) (Verifier, error) {
	salt := make([]byte, 16)
	rand.Read(salt) //nolint:errcheck // crypto/rand.Read never fails
	client, err := newClient(user, password)
	if err != nil {
		return Verifier{}, err
	}
	creds, err := client.GetStoredCredentialsWithError(scram.KeyFactors{Salt: string(salt), Iters: Iterations})
	if err != nil {
		return Verifier{}, err
	}
	return Verifier{creds}, nil
}

// Check reports whether password is the one v was derived from. It is how a
// clear-text password is checked, as PostgreSQL checks one against a SCRAM
// secret: derive the StoredKey with v's salt and compare.
func (v Verifier) Check(password string) bool {
	client, err := newClient("", password)
	if err != nil {
		return false
	}
	creds, err := client.GetStoredCredentialsWithError(v.KeyFactors)
	if err != nil {
		return false
	}
	return hmac.Equal(creds.StoredKey, v.StoredKey)
}

func newClient(user, password string) (*scram.Client, error) {
	client, err := scram.SHA256.NewClient(user, password, "")
	if err != nil {
		// PostgreSQL uses a password SASLprep rejects as it is.
		return scram.SHA256.NewClientUnprepped(user, password, "")
	}
	return client, nil
}

// Mock is a verifier no password matches, for a user that does not exist:
// the exchange runs as for a real user, so the client learns nothing about
// which names exist. Its salt is derived from the user name with key, so
// repeated attempts see the same salt, as they would for a real user.
func Mock(key []byte, user string) Verifier {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(user))
	sum := mac.Sum(nil)
	unmatchable := make([]byte, sha256.Size)
	rand.Read(unmatchable) //nolint:errcheck // crypto/rand.Read never fails
	return Verifier{scram.StoredCredentials{
		KeyFactors: scram.KeyFactors{Salt: string(sum[:16]), Iters: Iterations},
		StoredKey:  unmatchable,
		ServerKey:  unmatchable,
	}}
}

// scramPrefix starts the text form of a SCRAM-SHA-256 verifier.
const scramPrefix = "SCRAM-SHA-256$"

// String is the verifier in PostgreSQL's text form, as pg_authid keeps
// it: SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>, each part
// in base64.
func (v Verifier) String() string {
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("%s%d:%s$%s:%s", scramPrefix, v.Iters, b64([]byte(v.Salt)), b64(v.StoredKey), b64(v.ServerKey))
}

// IsVerifierText reports whether text looks like a SCRAM-SHA-256
// verifier rather than a password, as PostgreSQL decides whether a
// password given to CREATE ROLE is already encrypted.
func IsVerifierText(text string) bool {
	_, err := ParseVerifier(text)
	return err == nil
}

// ParseVerifier reads PostgreSQL's text form of a SCRAM-SHA-256 verifier
// (see String).
func ParseVerifier(text string) (Verifier, error) {
	bad := errors.New("not a SCRAM-SHA-256 verifier")
	rest, ok := strings.CutPrefix(text, scramPrefix)
	if !ok {
		return Verifier{}, bad
	}
	factors, keys, ok := strings.Cut(rest, "$")
	if !ok {
		return Verifier{}, bad
	}
	itersText, saltText, ok1 := strings.Cut(factors, ":")
	storedText, serverText, ok2 := strings.Cut(keys, ":")
	if !ok1 || !ok2 {
		return Verifier{}, bad
	}
	iters, err := strconv.Atoi(itersText)
	if err != nil || iters <= 0 {
		return Verifier{}, bad
	}
	var parts [3][]byte
	for i, p := range []string{saltText, storedText, serverText} {
		if parts[i], err = base64.StdEncoding.DecodeString(p); err != nil {
			return Verifier{}, bad
		}
	}
	if len(parts[1]) != sha256.Size || len(parts[2]) != sha256.Size {
		return Verifier{}, bad
	}
	return Verifier{scram.StoredCredentials{
		KeyFactors: scram.KeyFactors{Salt: string(parts[0]), Iters: iters},
		StoredKey:  parts[1],
		ServerKey:  parts[2],
	}}, nil
}
