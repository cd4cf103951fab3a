// Package secrets owns source passwords: where a connector's password
// comes from (the catalog, sealed; an environment variable; a file) and
// how a stored one is sealed at rest with AES-256-GCM under the server's
// secret key, so that the catalog never holds a password in clear.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"

	"github.com/junction-db/junction/pgerr"
)

// The options that give a source's password: inline (stored sealed), or a
// reference resolved each time the source is connected and never stored
// resolved.
const (
	OptPassword     = "password"
	OptPasswordEnv  = "password_env"
	OptPasswordFile = "password_file"
)

// ReferenceOptions are the options that name where a password is read.
var ReferenceOptions = []string{OptPasswordEnv, OptPasswordFile}

// KeyEnv is the environment variable that may hold the secret key.
const KeyEnv = "JUNCTION_SECRET_KEY"

// KeyFileName is the key file generated in the data directory when no key
// is configured.
const KeyFileName = "secret.key"

// sealedPrefix marks a sealed value and its format version.
const sealedPrefix = "enc:v1:"

// KeySize is the key's length in bytes (AES-256).
const KeySize = 32

// Key seals and opens stored passwords.
type Key struct {
	aead cipher.AEAD
}

// ParseKey reads a key written as base64 of 32 bytes; surrounding
// whitespace (a file's trailing newline) is ignored.
func ParseKey(text string) (*Key, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil {
		return nil, errors.New("the secret key is not valid base64")
	}
	if len(raw) != KeySize {
		return nil, fmt.Errorf("the secret key must be %d bytes (base64 of 32 random bytes), not %d", KeySize, len(raw))
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Key{aead: aead}, nil
}

// ReadKeyFile reads a key from path.
func ReadKeyFile(path string) (*Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read secret key file: %w", err)
	}
	k, err := ParseKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("secret key file %s: %w", path, err)
	}
	return k, nil
}

// GenerateKeyFile writes a new random key to path, readable by its owner
// only; it never replaces an existing file.
func GenerateKeyFile(path string) (*Key, error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	text := base64.StdEncoding.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create secret key file: %w", err)
	}
	if _, err := f.WriteString(text + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write secret key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write secret key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write secret key file: %w", err)
	}
	return ParseKey(text)
}

// Seal encrypts plain with a fresh random nonce.
func (k *Key) Seal(plain string) string {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		// crypto/rand never fails on the systems Go supports.
		panic(err)
	}
	out := k.aead.Seal(nonce, nonce, []byte(plain), nil)
	return sealedPrefix + base64.StdEncoding.EncodeToString(out)
}

// errWrongKey hides why opening failed: the reasons differ only for
// someone probing the key.
var errWrongKey = errors.New("it was sealed with another secret key, or the stored value is damaged")

// Open decrypts a value Seal produced.
func (k *Key) Open(sealed string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, sealedPrefix))
	if err != nil || len(raw) < k.aead.NonceSize() {
		return "", errWrongKey
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", errWrongKey
	}
	return string(plain), nil
}

// IsSealed tells whether a stored value is sealed.
func IsSealed(v string) bool { return strings.HasPrefix(v, sealedPrefix) }

// CheckOptions rejects a password given in more than one way, and an
// empty reference.
func CheckOptions(opts map[string]string) error {
	var given []string
	for _, name := range []string{OptPassword, OptPasswordEnv, OptPasswordFile} {
		if _, ok := opts[name]; ok {
			given = append(given, name)
		}
	}
	if len(given) > 1 {
		return pgerr.New(pgerr.InvalidParameterValue, "conflicting options %s and %s: give the password one way only", given[0], given[1]).
			WithHint("Use password, password_env (an environment variable of the Junction server) or password_file (a file it can read); remove the others, e.g. ALTER SERVER ... OPTIONS (DROP %s).", given[1])
	}
	for _, name := range ReferenceOptions {
		if v, ok := opts[name]; ok && strings.TrimSpace(v) == "" {
			return pgerr.New(pgerr.InvalidParameterValue, "option %s must not be empty", name)
		}
	}
	return nil
}

// SealOptions returns opts with a clear stored password sealed under key;
// opts itself is not changed. A nil key leaves the password as it is (a
// catalog kept in memory only).
func SealOptions(opts map[string]string, key *Key) map[string]string {
	p, ok := opts[OptPassword]
	if key == nil || !ok || IsSealed(p) {
		return opts
	}
	out := maps.Clone(opts)
	out[OptPassword] = key.Seal(p)
	return out
}

// NeedsSealing tells whether opts hold a clear password that SealOptions
// would seal.
func NeedsSealing(opts map[string]string, key *Key) bool {
	p, ok := opts[OptPassword]
	return key != nil && ok && !IsSealed(p)
}

// Resolve returns the options a connector gets: the stored password
// opened, or the password read from the environment variable or file a
// reference names, in place of the reference. Its errors name the source
// and the variable or file, never a value.
func Resolve(source string, opts map[string]string, key *Key) (map[string]string, error) {
	if err := CheckOptions(opts); err != nil {
		return nil, err
	}
	if p, ok := opts[OptPassword]; ok && IsSealed(p) {
		if key == nil {
			return nil, pgerr.New(pgerr.InvalidPassword, "cannot decrypt the password of source %q: no secret key is configured", source).
				WithHint("Start Junction with the secret key the catalog was written with (%s or --secret-key-file).", KeyEnv)
		}
		plain, err := key.Open(p)
		if err != nil {
			return nil, pgerr.New(pgerr.InvalidPassword, "cannot decrypt the password of source %q: %v", source, err).
				WithHint("Start Junction with the secret key the catalog was written with (%s or --secret-key-file), or set the password again with ALTER SERVER %s OPTIONS (SET password '...').", KeyEnv, source)
		}
		return withPassword(opts, plain), nil
	}
	if name, ok := opts[OptPasswordEnv]; ok {
		v, found := os.LookupEnv(name)
		if !found {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "environment variable %s named by password_env of source %q is not set", name, source).
				WithHint("Set %s in the Junction server's environment.", name)
		}
		return withPassword(opts, v), nil
	}
	if path, ok := opts[OptPasswordFile]; ok {
		data, err := os.ReadFile(path)
		if err != nil {
			// The error of os.ReadFile names the file and the reason only.
			return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot read password_file of source %q: %v", source, err)
		}
		return withPassword(opts, strings.TrimRight(string(data), "\r\n")), nil
	}
	return opts, nil
}

func withPassword(opts map[string]string, password string) map[string]string {
	out := maps.Clone(opts)
	delete(out, OptPasswordEnv)
	delete(out, OptPasswordFile)
	out[OptPassword] = password
	return out
}
