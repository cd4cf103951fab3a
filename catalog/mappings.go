package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"sort"
	"strings"

	"github.com/junction-db/junction/secrets"
)

// PublicMapping is the key of the user mapping FOR PUBLIC, which serves
// every user without one of their own.
const PublicMapping = "public"

// MappingOptions are the options a user mapping may set: the remote
// identity. Everything else about the connection is the server's.
var MappingOptions = []string{"user", secrets.OptPassword, secrets.OptPasswordEnv, secrets.OptPasswordFile}

// IsMappingOption reports whether name may be set by a user mapping.
func IsMappingOption(name string) bool {
	for _, o := range MappingOptions {
		if o == name {
			return true
		}
	}
	return false
}

// MappingUsers lists the users the source has mappings for, sorted.
func (src *Source) MappingUsers() []string {
	out := make([]string, 0, len(src.UserMappings))
	for u := range src.UserMappings {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// Identity is the remote identity a user's queries read the source as:
// the user's own mapping, else PUBLIC's, else the server's own options
// (mapped is false then). Options are the server's with the mapping's
// user and password in place of the server's; Key names the identity, the
// same for every user sharing it, and "" for the server's own.
type Identity struct {
	Key     string
	Options map[string]string
	Mapped  bool
}

// IdentityFor resolves the remote identity of user on the source.
func (src *Source) IdentityFor(user string) Identity {
	m, ok := src.UserMappings[user]
	if !ok {
		m, ok = src.UserMappings[PublicMapping]
	}
	if !ok {
		return Identity{Options: src.Options}
	}
	opts := maps.Clone(src.Options)
	if opts == nil {
		opts = map[string]string{}
	}
	// A mapping that names no user keeps the server's; one that gives a
	// password in any way replaces the server's, given in whichever way.
	for _, o := range MappingOptions[1:] {
		if _, given := m[o]; given {
			for _, p := range MappingOptions[1:] {
				delete(opts, p)
			}
			break
		}
	}
	names := make([]string, 0, len(m))
	for k, v := range m {
		opts[k] = v
		names = append(names, k+"="+v)
	}
	sort.Strings(names)
	// The key is a digest so that it carries no password, sealed or not.
	sum := sha256.Sum256([]byte(strings.Join(names, "\x00")))
	return Identity{Key: m["user"] + "#" + hex.EncodeToString(sum[:8]), Options: opts, Mapped: true}
}
