package system

import (
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// The roles tables show the catalog's roles (catalog.Role) with their own
// OIDs. A session whose user is no catalog role (a server that trusts
// every client) also sees its user, as the superuser of OID 10 that owns
// every object; a catalog role's objects are owned by OID 10 too, shown
// as the session's user, since Junction keeps no owners.

// roleRow is one row of pg_authid and the views over it.
type roleRow struct {
	name                              string
	oid                               uint32
	super, inherit, createRole, login bool
	password                          string // the verifier; "" for none
}

// roleRows lists the roles in name order.
func (e *env) roleRows() []roleRow {
	var out []roleRow
	snap := e.info.Snapshot
	if snap != nil {
		for _, name := range snap.RoleNames() {
			r := snap.Roles[name]
			out = append(out, roleRow{name: r.Name, oid: r.OID, super: r.Superuser, inherit: !r.NoInherit,
				createRole: r.CreateRole, login: r.Login, password: r.Password})
		}
	}
	if e.sessionRoleUncatalogued() {
		out = append(out, roleRow{name: e.user(), oid: superuserOID, super: e.info.Superuser, inherit: true, login: true})
	}
	return out
}

// sessionRoleUncatalogued reports whether the session's user is no
// catalog role.
func (e *env) sessionRoleUncatalogued() bool {
	if e.info.Snapshot == nil {
		return true
	}
	_, ok := e.info.Snapshot.Roles[e.user()]
	return !ok
}

// roleName names the role of an OID; ok is false for none.
func (e *env) roleName(oid uint32) (string, bool) {
	if oid == superuserOID {
		return e.user(), true
	}
	if e.info.Snapshot != nil {
		if r, ok := e.info.Snapshot.RoleByOID(oid); ok {
			return r.Name, true
		}
	}
	return "", false
}

// roleOID is the OID of a role by name; ok is false for none.
func (e *env) roleOID(name string) (uint32, bool) {
	if e.info.Snapshot != nil {
		if r, ok := e.info.Snapshot.Roles[name]; ok {
			return r.OID, true
		}
	}
	if name == e.user() {
		return superuserOID, true
	}
	return 0, false
}

func fillRoles(e *env, out *rowSet) {
	for _, r := range e.roleRows() {
		out.add("rolname", r.name, "rolsuper", r.super, "rolinherit", r.inherit, "rolcreaterole", r.createRole,
			"rolcreatedb", false, "rolcanlogin", r.login, "rolreplication", false, "rolconnlimit", -1,
			"rolpassword", "********", "rolbypassrls", false, "oid", r.oid)
	}
}

// fillUser lists the roles that may log in, as PostgreSQL's pg_user.
func fillUser(e *env, out *rowSet) {
	for _, r := range e.roleRows() {
		if r.login {
			out.add("usename", r.name, "usesysid", r.oid, "usecreatedb", false, "usesuper", r.super,
				"userepl", false, "usebypassrls", false, "passwd", "********")
		}
	}
}

// fillAuthID shows the roles with their password verifiers, to
// superusers only, as PostgreSQL does.
func fillAuthID(e *env, out *rowSet) {
	if !e.info.Superuser {
		out.err = pgerr.New(pgerr.InsufficientPrivilege, "permission denied for table pg_authid")
		return
	}
	for _, r := range e.roleRows() {
		row := []any{"oid", r.oid, "rolname", r.name, "rolsuper", r.super, "rolinherit", r.inherit,
			"rolcreaterole", r.createRole, "rolcreatedb", false, "rolcanlogin", r.login, "rolreplication", false,
			"rolbypassrls", false, "rolconnlimit", -1}
		if r.password != "" {
			row = append(row, "rolpassword", r.password)
		}
		out.add(row...)
	}
}

// fillAuthMembers lists the grants of roles to roles.
func fillAuthMembers(e *env, out *rowSet) {
	snap := e.info.Snapshot
	if snap == nil {
		return
	}
	for _, name := range snap.RoleNames() {
		member := snap.Roles[name]
		for granted, m := range member.MemberOf {
			roleID, ok := e.roleOID(granted)
			if !ok {
				continue
			}
			grantor, ok := e.roleOID(m.Grantor)
			if !ok {
				grantor = superuserOID
			}
			out.add("roleid", roleID, "member", member.OID, "grantor", grantor, "admin_option", m.Admin)
		}
	}
}

// hasRole implements pg_has_role: MEMBER asks whether the role is a
// member of the other, directly or not; USAGE whether it has its
// privileges (through roles that inherit); SET, in PostgreSQL 15, is
// MEMBER. A superuser has every role. Roles given by name must exist;
// by OID, an unknown one gives NULL.
func hasRole(params []param) implFunc {
	return func(e *env, args []types.Datum) (types.Datum, error) {
		priv := args[len(args)-1].Str
		if _, err := roleClass.grants(priv); err != nil {
			return null, err
		}
		names := make([]string, 0, 2)
		if len(params) == 2 {
			names = append(names, e.user())
		}
		for i, p := range params[:len(params)-1] {
			if args[i].Null {
				return null, nil
			}
			if p == pOID {
				name, ok := e.roleName(oidArg(args[i]))
				if !ok {
					return null, nil
				}
				names = append(names, name)
				continue
			}
			if _, ok := e.roleOID(args[i].Str); !ok && !predefinedRoles[args[i].Str] {
				return null, pgerr.New(pgerr.UndefinedObject, "role %q does not exist", args[i].Str)
			}
			names = append(names, args[i].Str)
		}
		return types.BoolDatum(e.roleHas(names[0], names[1], priv)), nil
	}
}

// predefinedRoles are PostgreSQL 15's built-in roles, which tools ask
// pg_has_role about. Junction has none of their powers to give, so they
// have no members: only a superuser has them.
var predefinedRoles = map[string]bool{
	"pg_database_owner": true, "pg_read_all_data": true, "pg_write_all_data": true, "pg_monitor": true,
	"pg_read_all_settings": true, "pg_read_all_stats": true, "pg_stat_scan_tables": true,
	"pg_read_server_files": true, "pg_write_server_files": true, "pg_execute_server_program": true,
	"pg_signal_backend": true, "pg_checkpoint": true,
}

// roleHas reports whether member has role in the sense of the privilege
// list priv (already checked).
func (e *env) roleHas(member, role, priv string) bool {
	if e.isSuperuserRole(member) || member == role {
		return true
	}
	snap := e.info.Snapshot
	if snap == nil {
		return false
	}
	for _, p := range splitPrivileges(priv) {
		if p == "USAGE" && snap.HasPrivilegesOf(member, role) || p != "USAGE" && snap.IsMember(member, role) {
			return true
		}
	}
	return false
}

func (e *env) isSuperuserRole(name string) bool {
	if name == e.user() {
		return e.info.Superuser
	}
	if e.info.Snapshot == nil {
		return false
	}
	r, ok := e.info.Snapshot.Roles[name]
	return ok && r.Superuser
}

// splitPrivileges lists the privileges of a list such as "MEMBER, USAGE
// WITH ADMIN OPTION", upper-cased and without their options.
func splitPrivileges(list string) []string {
	var out []string
	for _, item := range strings.Split(list, ",") {
		priv := strings.ToUpper(strings.Join(strings.Fields(item), " "))
		out = append(out, strings.TrimSuffix(strings.TrimSuffix(priv, " WITH GRANT OPTION"), " WITH ADMIN OPTION"))
	}
	return out
}

// roleComment is a role's comment, which psql's \du+ shows: what makes
// it special, or "" for an ordinary role.
func roleComment(r *catalog.Role) string {
	switch {
	case r.Builtin:
		return "Members manage servers, user mappings and roles (built in)"
	case r.Config:
		return "Declared in the configuration file"
	}
	return ""
}

// fillShdescription lists the comments of shared objects: the roles'.
func fillShdescription(e *env, out *rowSet) {
	if e.info.Snapshot == nil {
		return
	}
	for _, name := range e.info.Snapshot.RoleNames() {
		r := e.info.Snapshot.Roles[name]
		if c := roleComment(r); c != "" {
			out.add("objoid", r.OID, "classoid", uint32(pgAuthIDOID), "description", c)
		}
	}
}

// sharedDescription is shobj_description(oid, catalog): a role's comment
// for pg_authid, NULL otherwise.
func sharedDescription(e *env, args []types.Datum) (types.Datum, error) {
	if args[0].Null || args[1].Str != "pg_authid" || e.info.Snapshot == nil {
		return null, nil
	}
	r, ok := e.info.Snapshot.RoleByOID(oidArg(args[0]))
	if !ok || roleComment(r) == "" {
		return null, nil
	}
	return types.StrDatum(roleComment(r)), nil
}
