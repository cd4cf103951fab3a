package catalog

import (
	"maps"
	"slices"
	"sort"
)

// AdminRole is the built-in role whose members manage servers, user
// mappings and roles without being superusers. It exists in every
// catalog, cannot log in and cannot be dropped or altered.
const AdminRole = "junction_admin"

// adminRoleOID is AdminRole's fixed OID, below the ones the catalog
// allocates, as PostgreSQL's predefined roles have fixed OIDs.
const adminRoleOID = 16200

// Role is a role (CREATE ROLE): a user when it may log in, a group of
// privileges when others are its members.
type Role struct {
	Name string `json:"name"`
	OID  uint32 `json:"oid"`
	// Superuser bypasses every access check.
	Superuser bool `json:"superuser,omitempty"`
	// CreateRole may create, alter and drop roles that are not
	// superusers and grant membership in them, as in PostgreSQL 15.
	CreateRole bool `json:"create_role,omitempty"`
	// Login may connect.
	Login bool `json:"login,omitempty"`
	// NoInherit roles do not use the privileges of the roles they are
	// members of (PostgreSQL's NOINHERIT).
	NoInherit bool `json:"no_inherit,omitempty"`
	// Password is the SCRAM-SHA-256 verifier in PostgreSQL's text form
	// (never the password itself); empty for none.
	Password string `json:"password,omitempty"`
	// Config marks a role declared by the configuration file's users:
	// its attributes and password come from there.
	Config bool `json:"config,omitempty"`
	// Builtin marks AdminRole.
	Builtin bool `json:"builtin,omitempty"`
	// MemberOf are the roles this role was granted, by name.
	MemberOf map[string]Membership `json:"member_of,omitempty"`
}

// Membership is one grant of a role to another (GRANT role TO member).
type Membership struct {
	// Admin is WITH ADMIN OPTION: the member may grant the role on.
	Admin bool `json:"admin,omitempty"`
	// Grantor is the role that granted it.
	Grantor string `json:"grantor,omitempty"`
}

// addBuiltinRoles makes sure the built-in roles exist.
func (s *Snapshot) addBuiltinRoles() {
	if s.Roles == nil {
		s.Roles = map[string]*Role{}
	}
	if _, ok := s.Roles[AdminRole]; !ok {
		s.Roles[AdminRole] = &Role{Name: AdminRole, OID: adminRoleOID, Builtin: true}
	}
}

// Clone returns a copy of r that may be changed without changing r.
func (r *Role) Clone() *Role {
	cp := *r
	cp.MemberOf = maps.Clone(r.MemberOf)
	return &cp
}

// RoleNames lists the roles in name order.
func (s *Snapshot) RoleNames() []string {
	out := make([]string, 0, len(s.Roles))
	for k := range s.Roles {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// RoleByOID finds a role by its OID.
func (s *Snapshot) RoleByOID(oid uint32) (*Role, bool) {
	for _, r := range s.Roles {
		if r.OID == oid {
			return r, true
		}
	}
	return nil, false
}

// MemberOf lists role, every role it is a member of directly or
// through other roles, and PublicRole, role first and the others in name
// order. With inheritOnly, the walk does not pass through a NOINHERIT
// role: those are the roles whose privileges role uses without SET ROLE.
// A name that is no role yields itself and PublicRole.
func (s *Snapshot) MemberOf(role string, inheritOnly bool) []string {
	seen := map[string]bool{role: true}
	queue := []string{role}
	for len(queue) > 0 {
		r, ok := s.Roles[queue[0]]
		queue = queue[1:]
		if !ok || (inheritOnly && r.NoInherit) {
			continue
		}
		for granted := range r.MemberOf {
			if !seen[granted] {
				seen[granted] = true
				queue = append(queue, granted)
			}
		}
	}
	delete(seen, role)
	others := make([]string, 0, len(seen)+1)
	for r := range seen {
		others = append(others, r)
	}
	sort.Strings(others)
	return append(append([]string{role}, others...), PublicRole)
}

// IsMember reports whether member is role or a member of it, directly or
// through other roles (whether or not it inherits).
func (s *Snapshot) IsMember(member, role string) bool {
	return slices.Contains(s.MemberOf(member, false), role)
}

// HasAdminOption reports whether member may grant role to others: it
// holds role WITH ADMIN OPTION, directly or through a role it is a member
// of.
func (s *Snapshot) HasAdminOption(member, role string) bool {
	for _, r := range s.MemberOf(member, false) {
		if m, ok := s.Roles[r]; ok && m.MemberOf[role].Admin {
			return true
		}
	}
	return false
}

// Members lists the roles granted role directly, in name order.
func (s *Snapshot) Members(role string) []string {
	var out []string
	for name, r := range s.Roles {
		if _, ok := r.MemberOf[role]; ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// HasPrivilegesOf reports whether member uses role's privileges: it is
// role, or a member of it through roles that inherit.
func (s *Snapshot) HasPrivilegesOf(member, role string) bool {
	return slices.Contains(s.MemberOf(member, true), role)
}
