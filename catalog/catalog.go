// Package catalog owns what Junction knows exists: registered sources with
// their options and discovered tables, views, and users. It persists that
// state atomically in a Store: by default one JSON file in the data
// directory (write to a temporary file, fsync, rename), so a crash never
// leaves a half-written catalog; or a PostgreSQL database that several
// Junction servers share, where every change is a compare-and-swap on a
// version and NOTIFY tells the other servers to re-read it. It hands out
// immutable snapshots so a query plans against one consistent view of the
// catalog while DDL proceeds.
//
// Its sub-package system builds the pg_catalog, information_schema and
// junction schemas from a snapshot.
package catalog

import (
	"github.com/junction-db/junction/connectors"
)

// Source is a registered source (CREATE SERVER).
type Source struct {
	Name    string            `json:"name"`
	Wrapper string            `json:"wrapper"`
	Options map[string]string `json:"options"`
	// DefaultSchema is the remote schema reachable as source.table.
	DefaultSchema string             `json:"default_schema"`
	Tables        []connectors.Table `json:"tables"`
	// Skipped are the tables the last discovery could not read and left
	// out (junction.sources shows them).
	Skipped []connectors.SkippedTable `json:"skipped,omitempty"`
	// OID is a stable identifier for pg_namespace.
	OID uint32 `json:"oid"`
	// UserMappings are the source's user mappings (CREATE USER MAPPING)
	// by the user they are for, PublicMapping for PUBLIC: each holds the
	// remote identity options (MappingOptions) that user's queries
	// connect with.
	UserMappings map[string]map[string]string `json:"user_mappings,omitempty"`
	// Owner is the role that created the source, which owns it and its
	// tables; empty for the bootstrap superuser.
	Owner string `json:"owner,omitempty"`
	// Builtin sources belong to the embedded demo and are not persisted.
	Builtin bool `json:"-"`
}

// View is a stored view (CREATE VIEW); its query is kept as SQL text and
// re-planned on use.
type View struct {
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	SQL     string   `json:"sql"`
	Columns []string `json:"columns"`
	OID     uint32   `json:"oid"`
	// DependsOn lists the views (ViewKey) this view reads, which cannot be
	// dropped while it exists.
	DependsOn []string `json:"depends_on,omitempty"`
	// Servers lists the sources whose tables this view reads directly,
	// which cannot be dropped while it exists.
	Servers []string `json:"servers,omitempty"`
	// Owner is the role that created the view; its body is checked with
	// the owner's privileges. Empty for the bootstrap superuser.
	Owner string `json:"owner,omitempty"`
	// SecurityInvoker reads the body with the privileges, row policies
	// and masks of the role reading the view, not its owner's.
	SecurityInvoker bool `json:"security_invoker,omitempty"`
}

// User is a login for the wire protocol.
type User struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	// Superuser may change the catalog (servers, user mappings, views).
	Superuser bool `json:"superuser,omitempty"`
}

// SecretOptions are option names whose values are never shown.
var SecretOptions = map[string]bool{"password": true, "passwd": true, "secret": true}

// RedactedOptions returns the options with secrets replaced, for display.
func (s *Source) RedactedOptions() map[string]string {
	out := make(map[string]string, len(s.Options))
	for k, v := range s.Options {
		if SecretOptions[k] {
			v = "********"
		}
		out[k] = v
	}
	return out
}
