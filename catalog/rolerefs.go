package catalog

import "slices"

// RenameRoleReferences makes everything that names role from name it as
// to instead: the owners of sources, views and materialized views, the
// grants (grantee and grantor), default privileges, the roles of row
// policies and the MASKED labels. PostgreSQL refers to roles by OID, so a
// rename carries them all; the catalog refers to them by name and carries
// them here. The snapshot is one being updated: objects shared with
// earlier snapshots are copied before they change.
func (s *Snapshot) RenameRoleReferences(from, to string) {
	for name, src := range s.Sources {
		if src.Owner == from {
			cp := *src
			cp.Owner = to
			s.Sources[name] = &cp
		}
	}
	for key, v := range s.Views {
		if v.Owner == from {
			cp := *v
			cp.Owner = to
			s.Views[key] = &cp
		}
	}
	for key, m := range s.MatViews {
		if m.Owner == from {
			cp := *m
			cp.Owner = to
			s.MatViews[key] = &cp
		}
	}
	s.Privileges = s.Privileges.clone()
	for ns, acl := range s.Privileges.Schemas {
		s.Privileges.Schemas[ns] = acl.renameRole(from, to)
	}
	for _, byName := range s.Privileges.Tables {
		for name, acl := range byName {
			byName[name] = acl.renameRole(from, to)
		}
	}
	for ns, byOwner := range s.Privileges.Defaults {
		renamed := make(map[string]ACL, len(byOwner))
		for owner, acl := range byOwner {
			if owner == from {
				owner = to
			}
			renamed[owner] = acl.renameRole(from, to)
		}
		s.Privileges.Defaults[ns] = renamed
	}
	for i, ts := range s.Security {
		if !slices.ContainsFunc(ts.Policies, func(p Policy) bool { return slices.Contains(p.Roles, from) }) {
			continue
		}
		cp := *ts
		cp.Policies = slices.Clone(ts.Policies)
		for j := range cp.Policies {
			cp.Policies[j].Roles = replaceName(cp.Policies[j].Roles, from, to)
		}
		s.Security = slices.Clone(s.Security)
		s.Security[i] = &cp
	}
	s.MaskedRoles = replaceName(s.MaskedRoles, from, to)
}

// renameRole is a copy of acl with role from named to.
func (acl ACL) renameRole(from, to string) ACL {
	out := slices.Clone(acl)
	for i := range out {
		if out[i].Grantee == from {
			out[i].Grantee = to
		}
		if out[i].Grantor == from {
			out[i].Grantor = to
		}
	}
	return out
}

// replaceName is a copy of names with from replaced by to.
func replaceName(names []string, from, to string) []string {
	if !slices.Contains(names, from) {
		return names
	}
	out := slices.Clone(names)
	for i, n := range out {
		if n == from {
			out[i] = to
		}
	}
	return out
}
