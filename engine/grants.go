package engine

import (
	"fmt"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// GRANT, REVOKE and ALTER DEFAULT PRIVILEGES on schemas, tables and
// views, with PostgreSQL's rules: the owner and superusers grant (as the
// owner), other roles only what they hold WITH GRANT OPTION; a role that
// holds the privilege without the option gets PostgreSQL's warning and
// changes nothing, one without it an error. The ACLs live in the catalog
// (catalog/privileges.go), so a change reaches every session at its next
// statement.

// SQLSTATEs of GRANT and REVOKE.
const (
	invalidGrantOperation = "0LP01"
	dependentPrivileges   = "2BP01"
	privilegeNotGranted   = "01007"
	privilegeNotRevoked   = "01006"
)

// bootstrapOwner is the role that owns the sources declared in the
// configuration and the public schema: the first user declared superuser,
// or "junction" when there is none.
func (e *Engine) bootstrapOwner() string {
	if e.bootstrap != "" {
		return e.bootstrap
	}
	return "junction"
}

// accessOf is what role may read now, nil for a role that reads
// everything.
func (e *Engine) accessOf(role string) *catalog.Access { return e.accessAt(e.catalog.Snapshot(), role) }

// accessAt is accessOf in the catalog snapshot snap.
func (e *Engine) accessAt(snap *catalog.Snapshot, role string) *catalog.Access {
	if e.IsSuperuser(role) {
		return nil
	}
	return &catalog.Access{Snap: snap, Roles: e.RolesOf(role), Bootstrap: e.bootstrapOwner()}
}

// roleExists reports whether name is a role of the catalog. A server
// that trusts every client takes it under the name it gives, so any name
// is a role there.
func (e *Engine) roleExists(name string) bool {
	if !e.RequiresPassword() {
		return true
	}
	_, ok := e.catalog.Snapshot().Roles[name]
	return ok
}

// grantTarget is one object a GRANT or REVOKE names.
type grantTarget struct {
	schema, name string
	// kind is "schema", "table" or "view", as messages name it.
	kind string
}

func (t grantTarget) display() string {
	if t.kind == "schema" {
		return t.schema
	}
	return t.name
}

// privilege is the one privilege Junction has for objects of kind.
func privilege(kind string) (letter byte, name string) {
	if kind == "schema" {
		return catalog.PrivUsage, "USAGE"
	}
	return catalog.PrivSelect, "SELECT"
}

func (s *Session) prepareGrant(gs *pg.GrantStmt, st *Statement) (*Statement, error) {
	targets, err := s.grantTargets(gs)
	if err != nil {
		return nil, err
	}
	if err := checkPrivilegeNames(gs, gs.Objtype == pg.ObjectType_OBJECT_SCHEMA); err != nil {
		return nil, err
	}
	grantees, err := s.grantees(gs.Grantees)
	if err != nil {
		return nil, err
	}
	if gs.Grantor != nil {
		return nil, pgerr.NotSupported("GRANTED BY")
	}
	if gs.IsGrant && gs.GrantOption && slices.Contains(grantees, catalog.PublicRole) {
		return nil, pgerr.New(invalidGrantOperation, "grant options can only be granted to roles")
	}
	tag := "REVOKE"
	if gs.IsGrant {
		tag = "GRANT"
	}
	st.run = func(runContext, []types.Datum) (*Result, error) {
		res := &Result{Tag: tag}
		err := s.engine.catalog.Update(func(snap *catalog.Snapshot) error {
			res.Notices = nil
			access := &catalog.Access{Snap: snap, Roles: s.engine.RolesOf(s.user), Bootstrap: s.engine.bootstrapOwner()}
			for _, t := range targets {
				notice, err := s.changeACL(snap, access, t, gs, grantees)
				if err != nil {
					return err
				}
				if notice != nil {
					res.Notices = append(res.Notices, notice)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return res, nil
	}
	return st, nil
}

// changeACL applies a GRANT or REVOKE to one object; a role that may not
// grant but holds the privilege gets a warning back instead.
func (s *Session) changeACL(snap *catalog.Snapshot, access *catalog.Access, t grantTarget, gs *pg.GrantStmt, grantees []string) (*pgerr.Error, error) {
	priv, privName := privilege(t.kind)
	var acl catalog.ACL
	var owner string
	if t.kind == "schema" {
		acl, owner = access.SchemaACL(t.schema), access.SchemaOwner(t.schema)
	} else {
		acl, owner = access.TableACL(t.schema, t.name), access.TableOwner(t.schema, t.name)
	}
	grantor, notice, err := s.grantor(access, acl, owner, priv, t, gs.IsGrant)
	if err != nil || notice != nil {
		return notice, err
	}
	for _, grantee := range grantees {
		if gs.IsGrant {
			acl = acl.Grant(grantee, grantor, string(priv), gs.GrantOption)
			continue
		}
		var dep *catalog.ACLItem
		acl, dep = acl.Revoke(grantee, grantor, string(priv), gs.GrantOption, gs.Behavior == pg.DropBehavior_DROP_CASCADE, owner)
		if dep != nil {
			err := pgerr.New(dependentPrivileges, "dependent privileges exist").WithHint("Use CASCADE to revoke them too.")
			err.Detail = fmt.Sprintf("%s granted %s on %s to %s.", roleName(grantee), privName, t.display(), roleName(dep.Grantee))
			return nil, err
		}
	}
	if t.kind == "schema" {
		snap.Privileges.SetSchemaACL(t.schema, acl)
	} else {
		snap.Privileges.SetTableACL(t.schema, t.name, acl)
	}
	return nil, nil
}

// grantor is the role a GRANT or REVOKE acts as, PostgreSQL's choice: the
// owner for the owner, its members and superusers, else a role of the
// user's that holds the grant option. A user with the privilege but no
// grant option gets a warning, one without it an error.
func (s *Session) grantor(access *catalog.Access, acl catalog.ACL, owner string, priv byte, t grantTarget, isGrant bool) (string, *pgerr.Error, error) {
	if s.superuser || slices.Contains(access.Roles, owner) {
		return owner, nil, nil
	}
	if acl.Has([]string{s.user}, owner, priv, true) {
		return s.user, nil, nil
	}
	for _, role := range access.Roles {
		if acl.Has([]string{role}, owner, priv, true) {
			return role, nil, nil
		}
	}
	if !acl.Has(access.Roles, owner, priv, false) {
		return "", nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied for %s %s", t.kind, t.display())
	}
	if isGrant {
		return "", pgerr.New(privilegeNotGranted, "no privileges were granted for %q", t.display()), nil
	}
	return "", pgerr.New(privilegeNotRevoked, "no privileges could be revoked for %q", t.display()), nil
}

func roleName(r string) string {
	if r == catalog.PublicRole {
		return "PUBLIC"
	}
	return r
}

// checkPrivilegeNames accepts the privileges a schema (USAGE) or a table
// or view (SELECT) has, and ALL; Junction is read-only, so the writing
// ones and CREATE are refused, and column lists are not kept.
func checkPrivilegeNames(gs *pg.GrantStmt, schema bool) error {
	kind := "table"
	if schema {
		kind = "schema"
	}
	_, want := privilege(kind)
	valid := map[string]bool{"SELECT": true, "INSERT": true, "UPDATE": true, "DELETE": true, "TRUNCATE": true, "REFERENCES": true, "TRIGGER": true}
	if schema {
		valid = map[string]bool{"USAGE": true, "CREATE": true}
	}
	for _, n := range gs.Privileges {
		ap := n.GetAccessPriv()
		if ap == nil {
			continue
		}
		name := strings.ToUpper(ap.PrivName)
		switch {
		case !valid[name]:
			return pgerr.New(invalidGrantOperation, "invalid privilege type %s for %s", name, kind)
		case len(ap.Cols) > 0:
			return pgerr.NotSupported("column privileges").WithHint("Grant %s on the whole table, or on a view of the columns.", want)
		case name != want:
			return pgerr.New(pgerr.FeatureNotSupported, "privilege %s is not supported: Junction is read-only and a %s has only %s", name, kind, want)
		}
	}
	return nil
}

// grantees resolves TO/FROM role names: PUBLIC, CURRENT_USER and the
// like, or roles that must exist.
func (s *Session) grantees(nodes []*pg.Node) ([]string, error) {
	var out []string
	for _, n := range nodes {
		role, err := s.roleSpec(n.GetRoleSpec())
		if err != nil {
			return nil, err
		}
		out = append(out, role)
	}
	return out, nil
}

func (s *Session) roleSpec(rs *pg.RoleSpec) (string, error) {
	switch rs.GetRoletype() {
	case pg.RoleSpecType_ROLESPEC_PUBLIC:
		return catalog.PublicRole, nil
	case pg.RoleSpecType_ROLESPEC_CSTRING:
		if rs.Rolename == catalog.PublicRole || !s.engine.roleExists(rs.Rolename) {
			return "", pgerr.New(pgerr.UndefinedObject, "role %q does not exist", rs.Rolename)
		}
		return rs.Rolename, nil
	default:
		return s.user, nil
	}
}

// grantTargets resolves the objects a GRANT names, or the relations of
// ALL TABLES IN SCHEMA.
func (s *Session) grantTargets(gs *pg.GrantStmt) ([]grantTarget, error) {
	snap := s.engine.catalog.Snapshot()
	switch {
	case gs.Objtype == pg.ObjectType_OBJECT_SCHEMA && gs.Targtype == pg.GrantTargetType_ACL_TARGET_OBJECT,
		gs.Objtype == pg.ObjectType_OBJECT_TABLE && gs.Targtype == pg.GrantTargetType_ACL_TARGET_ALL_IN_SCHEMA:
		var out []grantTarget
		for _, n := range gs.Objects {
			schema := n.GetString_().GetSval()
			if err := checkGrantableSchema(snap, schema); err != nil {
				return nil, err
			}
			if gs.Objtype == pg.ObjectType_OBJECT_SCHEMA {
				out = append(out, grantTarget{schema: schema, kind: "schema"})
				continue
			}
			for _, rel := range snap.Relations(schema) {
				out = append(out, relationTarget(snap, schema, rel))
			}
		}
		return out, nil
	case gs.Objtype == pg.ObjectType_OBJECT_TABLE:
		var out []grantTarget
		for _, n := range gs.Objects {
			t, err := s.resolveGrantRelation(snap, n.GetRangeVar())
			if err != nil {
				return nil, err
			}
			if access := s.engine.accessOf(s.user); access != nil && !access.SchemaUsage(t.schema) {
				// Naming a relation needs USAGE on its schema, as in
				// PostgreSQL.
				return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied for schema %s", t.schema)
			}
			out = append(out, t)
		}
		return out, nil
	}
	return nil, pgerr.NotSupported(fmt.Sprintf("privileges on %s", strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(gs.Objtype.String(), "OBJECT_"), "_", " ")))).
		WithHint("Junction grants USAGE on schemas and SELECT on tables and views.")
}

func relationTarget(snap *catalog.Snapshot, schema, name string) grantTarget {
	kind := "table"
	if _, ok := snap.Views[catalog.ViewKey(schema, name)]; ok {
		kind = "view"
	}
	if _, ok := snap.MatViews[catalog.ViewKey(schema, name)]; ok {
		kind = "materialized view"
	}
	return grantTarget{schema: schema, name: name, kind: kind}
}

// checkGrantableSchema accepts public and the sources' namespaces; the
// system schemas are every role's and keep their privileges.
func checkGrantableSchema(snap *catalog.Snapshot, name string) error {
	if slices.Contains(system.Schemas(), name) {
		return pgerr.New(pgerr.FeatureNotSupported, "privileges on system schema %s cannot be changed: every role may use it", name)
	}
	if name != "public" && snap.SchemaSource(name) == nil {
		return pgerr.New(pgerr.UndefinedSchema, "schema %q does not exist", name)
	}
	return nil
}

// resolveGrantRelation finds the table or view a GRANT names, by its
// one-, two- or three-part name; an unqualified one along the search path
// of the schemas the user may use, as PostgreSQL looks names up.
func (s *Session) resolveGrantRelation(snap *catalog.Snapshot, rv *pg.RangeVar) (grantTarget, error) {
	var schemas []string
	switch {
	case rv.Catalogname != "":
		schemas = []string{rv.Catalogname + "." + rv.Schemaname}
		if src := snap.Sources[rv.Catalogname]; src != nil && src.DefaultSchema == rv.Schemaname {
			schemas = []string{rv.Catalogname}
		}
	case rv.Schemaname != "":
		schemas = []string{rv.Schemaname}
	default:
		info := s.env().System
		for _, schema := range system.SearchPath(info) {
			if info.Access == nil || info.Access.SchemaUsage(schema) {
				schemas = append(schemas, schema)
			}
		}
	}
	for _, schema := range schemas {
		if slices.Contains(system.Schemas(), schema) {
			if _, ok := system.Lookup(nil, schema, rv.Relname); ok {
				return grantTarget{}, pgerr.New(pgerr.FeatureNotSupported, "privileges on system table %s.%s cannot be changed: every role may read it", schema, rv.Relname)
			}
			continue
		}
		if slices.Contains(snap.Relations(schema), rv.Relname) {
			return relationTarget(snap, schema, rv.Relname), nil
		}
	}
	name := rv.Relname
	if len(schemas) == 1 && (rv.Schemaname != "") {
		name = schemas[0] + "." + name
	}
	return grantTarget{}, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", name)
}

// prepareAlterDefaultPrivileges keeps the privileges that relations a
// role owns get when they appear in a schema (or in any, without IN
// SCHEMA): tables discovered in a source the role owns, views it creates.
func (s *Session) prepareAlterDefaultPrivileges(ad *pg.AlterDefaultPrivilegesStmt, st *Statement) (*Statement, error) {
	gs := ad.Action
	if gs.Objtype != pg.ObjectType_OBJECT_TABLE {
		return nil, pgerr.NotSupported(fmt.Sprintf("default privileges on %s", strings.ToLower(strings.TrimPrefix(gs.Objtype.String(), "OBJECT_"))+"s")).
			WithHint("Junction keeps default privileges ON TABLES.")
	}
	if err := checkPrivilegeNames(gs, false); err != nil {
		return nil, err
	}
	grantees, err := s.grantees(gs.Grantees)
	if err != nil {
		return nil, err
	}
	schemas, roles := []string{""}, []string{s.user}
	for _, o := range ad.Options {
		d := o.GetDefElem()
		switch d.GetDefname() {
		case "schemas":
			schemas = listStrings(d.Arg.GetList().GetItems())
		case "roles":
			roles = nil
			for _, n := range d.Arg.GetList().GetItems() {
				role, err := s.roleSpec(n.GetRoleSpec())
				if err != nil {
					return nil, err
				}
				roles = append(roles, role)
			}
		}
	}
	snap := s.engine.catalog.Snapshot()
	for _, schema := range schemas {
		if schema == "" {
			continue
		}
		if err := checkGrantableSchema(snap, schema); err != nil {
			return nil, err
		}
	}
	for _, role := range roles {
		if !s.superuser && !slices.Contains(s.engine.RolesOf(s.user), role) {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied to change default privileges").
				WithHint("Only superusers and members of %s may change its default privileges.", role)
		}
	}
	st.run = func(runContext, []types.Datum) (*Result, error) {
		err := s.engine.catalog.Update(func(snap *catalog.Snapshot) error {
			for _, schema := range schemas {
				for _, role := range roles {
					snap.Privileges.SetDefaultACL(schema, role, changeDefaultACL(snap, schema, role, gs, grantees))
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return &Result{Tag: "ALTER DEFAULT PRIVILEGES"}, nil
	}
	return st, nil
}

// changeDefaultACL applies a GRANT or REVOKE to role's default privileges
// in schema. Those for every schema start from the default ACL and are
// dropped when they come back to it; those for one schema only add to
// them, and start empty, as PostgreSQL keeps them.
func changeDefaultACL(snap *catalog.Snapshot, schema, role string, gs *pg.GrantStmt, grantees []string) catalog.ACL {
	priv := string(catalog.PrivSelect)
	initial := catalog.ACL{}
	if schema == "" {
		initial = catalog.DefaultACL(role, priv, false)
	}
	acl, ok := snap.Privileges.Defaults[schema][role]
	if !ok {
		acl = initial
	}
	for _, grantee := range grantees {
		if gs.IsGrant {
			acl = acl.Grant(grantee, role, priv, gs.GrantOption)
		} else {
			acl, _ = acl.Revoke(grantee, role, priv, gs.GrantOption, true, role)
		}
	}
	if schema == "" && slices.Equal(acl, initial) {
		return nil
	}
	return acl
}
