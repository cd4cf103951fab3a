package planner

import (
	"slices"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
)

// Privilege checks of the binder. A query needs USAGE on the schema of
// every table and view it names and SELECT on it; a view's body is bound
// with its owner's privileges, so its readers need SELECT on the view
// alone. Checks happen when a query is bound, and every plan bound under
// one catalog snapshot is bound again under the next, so a GRANT or
// REVOKE holds from the next execution of every statement, prepared ones
// too.

// accessFor is what role may read under env; nil when nothing is
// checked: planning without Roles, or for a superuser.
func accessFor(env *Env, role string) *catalog.Access {
	if env.Roles == nil {
		return nil
	}
	role = ownerRole(env, role)
	if env.Roles.IsSuperuser(role) {
		return nil
	}
	return &catalog.Access{Snap: env.Snapshot, Roles: env.Roles.RolesOf(role), Bootstrap: bootstrapOwner(env)}
}

// ownerRole is the role an object's recorded owner names: objects
// without one are the bootstrap superuser's.
func ownerRole(env *Env, owner string) string {
	if owner == "" {
		return bootstrapOwner(env)
	}
	return owner
}

func bootstrapOwner(env *Env) string {
	if env.System != nil {
		return env.System.BootstrapOwner
	}
	return ""
}

// checkRead refuses a relation of schema (kind "table" or "view") the
// binder's current role may not read, naming what is missing as
// PostgreSQL does.
func (b *binder) checkRead(schema, name, kind string) error {
	if b.access == nil {
		return nil
	}
	if !b.access.SchemaUsage(schema) {
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for schema %s", schema)
	}
	if !b.access.TableSelect(schema, name) {
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for %s %s", kind, name)
	}
	return nil
}

// asOwnerOf switches the binder to the privileges, row policies and
// masks of v's owner, for binding v's body, as PostgreSQL binds a view
// (current_user stays the session's), unless v is security_invoker, and
// returns what restores the current ones.
func (b *binder) asOwnerOf(v *catalog.View) func() {
	savedAccess, savedRole := b.access, b.role
	if v.SecurityInvoker {
		return func() {}
	}
	b.access, b.role = accessFor(b.env, v.Owner), ownerRole(b.env, v.Owner)
	return func() { b.access, b.role = savedAccess, savedRole }
}

// usableSchemas drops from a search path the schemas the current role has
// no USAGE on, which PostgreSQL's name lookup skips; the system schemas
// are everyone's.
func (b *binder) usableSchemas(path []string) []string {
	if b.access == nil {
		return path
	}
	return slices.DeleteFunc(slices.Clone(path), func(schema string) bool {
		return !isSystemSchema(schema) && !b.access.SchemaUsage(schema)
	})
}
