package engine

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/auth"
	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// Roles live in the catalog: CREATE/ALTER/DROP ROLE, GRANT and REVOKE of
// role membership, with PostgreSQL 15's rules for who may do what.
// Superusers manage every role; roles with CREATEROLE and members of
// junction_admin manage every role that is not a superuser (and may not
// hand out junction_admin itself without its ADMIN OPTION); any role may
// change its own password. Roles declared in the configuration file take
// their attributes and password from there and are not changed by SQL,
// only granted to and from other roles.

// SQLSTATEs of role management beyond pgerr's.
const (
	reservedName = "42939"
	objectInUse  = "55006"
	noticeCode   = "00000"
	warningCode  = "01000"
)

// isRoleStatement reports whether n manages roles.
func isRoleStatement(n *pg.Node) bool {
	return n.GetCreateRoleStmt() != nil || n.GetAlterRoleStmt() != nil || n.GetDropRoleStmt() != nil ||
		n.GetRenameStmt().GetRenameType() == pg.ObjectType_OBJECT_ROLE || n.GetGrantRoleStmt() != nil || n.GetAlterRoleSetStmt() != nil
}

// prepareRoleStatement handles CREATE/ALTER/DROP ROLE, ALTER ROLE ...
// RENAME TO and GRANT/REVOKE role (see isRoleStatement). Every check
// runs when the statement executes, against the catalog and the
// session's role of that moment.
func (s *Session) prepareRoleStatement(n *pg.Node, st *Statement) (*Statement, error) {
	switch {
	case n.GetCreateRoleStmt() != nil:
		cs := n.GetCreateRoleStmt()
		st.secret = true
		st.run = s.roleRun("CREATE ROLE", func(snap *catalog.Snapshot, res *Result) error { return s.createRole(snap, cs, res) })
	case n.GetAlterRoleStmt() != nil:
		as := n.GetAlterRoleStmt()
		st.secret = true
		st.run = s.roleRun("ALTER ROLE", func(snap *catalog.Snapshot, res *Result) error { return s.alterRole(snap, as, res) })
	case n.GetDropRoleStmt() != nil:
		ds := n.GetDropRoleStmt()
		st.run = s.roleRun("DROP ROLE", func(snap *catalog.Snapshot, res *Result) error { return s.dropRoles(snap, ds, res) })
	case n.GetRenameStmt().GetRenameType() == pg.ObjectType_OBJECT_ROLE:
		rs := n.GetRenameStmt()
		st.run = s.roleRun("ALTER ROLE", func(snap *catalog.Snapshot, _ *Result) error { return s.renameRole(snap, rs.Subname, rs.Newname) })
	case n.GetGrantRoleStmt() != nil:
		gs := n.GetGrantRoleStmt()
		tag := "GRANT ROLE"
		if !gs.IsGrant {
			tag = "REVOKE ROLE"
		}
		st.run = s.roleRun(tag, func(snap *catalog.Snapshot, res *Result) error { return s.grantRoles(snap, gs, res) })
	case n.GetAlterRoleSetStmt() != nil:
		return nil, pgerr.NotSupported("ALTER ROLE ... SET (per-role settings)")
	}
	return st, nil
}

// roleRun runs a role change as one catalog update; notices are kept only
// from the attempt that was stored. A statement that changes nothing
// (GRANT of a membership held already, DROP ROLE IF EXISTS of no role)
// stores nothing, so that the plans every session cached stay valid.
func (s *Session) roleRun(tag string, change func(snap *catalog.Snapshot, res *Result) error) func(runContext, []types.Datum) (*Result, error) {
	return func(runContext, []types.Datum) (*Result, error) {
		var res *Result
		err := s.engine.catalog.Update(func(snap *catalog.Snapshot) error {
			res = &Result{Tag: tag}
			roles, sources, nextOID := maps.Clone(snap.Roles), maps.Clone(snap.Sources), snap.NextOID
			if err := change(snap, res); err != nil {
				return err
			}
			if maps.Equal(roles, snap.Roles) && maps.Equal(sources, snap.Sources) && nextOID == snap.NextOID {
				return errRolesUnchanged
			}
			return nil
		})
		if err != nil && !errors.Is(err, errRolesUnchanged) {
			return nil, err
		}
		s.refreshRole()
		return res, nil
	}
}

// roleActor is what the session's role may do to roles, at one snapshot.
type roleActor struct {
	name      string
	superuser bool
	// admin has junction_admin's privileges.
	admin bool
	// manager may manage roles that are not superusers: CREATEROLE or
	// admin.
	manager bool
}

func (s *Session) actor(snap *catalog.Snapshot) roleActor {
	a := roleActor{name: s.user, superuser: s.engine.superuserIn(snap, s.user), admin: snap.HasPrivilegesOf(s.user, catalog.AdminRole)}
	r, ok := snap.Roles[s.user]
	a.manager = a.superuser || a.admin || ok && r.CreateRole
	return a
}

// checkAdminMember refuses a role manager without junction_admin's
// privileges any change to a role that is a member of junction_admin:
// setting that role's password would hand the manager junction_admin.
func checkAdminMember(snap *catalog.Snapshot, a roleActor, target, verb string) error {
	if a.superuser || a.admin || !snap.IsMember(target, catalog.AdminRole) {
		return nil
	}
	e := pgerr.New(pgerr.InsufficientPrivilege, "permission denied to %s role %q", verb, target)
	e.Detail = fmt.Sprintf("Only superusers and members of %s may %s a member of %s.", catalog.AdminRole, verb, catalog.AdminRole)
	return e
}

// privileged reports whether granting role, or changing it, needs a
// superuser (or, for a grant, the role's ADMIN OPTION) rather than a
// role manager.
func privileged(r *catalog.Role) bool { return r.Superuser || r.Name == catalog.AdminRole }

// checkNewRoleName refuses the names PostgreSQL reserves, and
// junction_'s, for built-in roles.
func checkNewRoleName(name string) error {
	if name == "public" || name == "none" {
		return pgerr.New(reservedName, "role name %q is reserved", name)
	}
	for _, prefix := range []string{"pg_", "junction_"} {
		if strings.HasPrefix(name, prefix) {
			e := pgerr.New(reservedName, "role name %q is reserved", name)
			e.Detail = fmt.Sprintf("Role names starting with %q are reserved.", prefix)
			return e
		}
	}
	return nil
}

func roleNotFound(name string) error {
	return pgerr.New(pgerr.UndefinedObject, "role %q does not exist", name)
}

// roleSpecName names the role a RoleSpec means (CURRENT_USER and the like
// are the session's role).
func (s *Session) roleSpecName(spec *pg.RoleSpec) (string, error) {
	switch spec.GetRoletype() {
	case pg.RoleSpecType_ROLESPEC_CSTRING:
		return spec.GetRolename(), nil
	case pg.RoleSpecType_ROLESPEC_PUBLIC:
		return "", roleNotFound("public")
	case pg.RoleSpecType_ROLESPEC_SESSION_USER:
		return s.sessionUser, nil
	default:
		return s.user, nil
	}
}

// lookupRole finds a role a statement names.
func lookupRole(snap *catalog.Snapshot, name string) (*catalog.Role, error) {
	r, ok := snap.Roles[name]
	if !ok {
		return nil, roleNotFound(name)
	}
	return r, nil
}

// checkChangeable refuses SQL changes to the built-in roles and to roles
// of the configuration file.
func checkChangeable(r *catalog.Role, verb string) error {
	switch {
	case r.Builtin:
		return pgerr.New(reservedName, "cannot %s role %q: it is built in", verb, r.Name)
	case r.Config:
		return pgerr.New(pgerr.InsufficientPrivilege, "cannot %s role %q: it is declared in the configuration file", verb, r.Name).
			WithHint("Change the users: section of the configuration file and restart Junction.")
	}
	return nil
}

// roleOptions are the options of CREATE ROLE and ALTER ROLE.
type roleOptions struct {
	login, superuser, createRole, inherit *bool
	// password is set when PASSWORD was given; nil inside for NULL.
	password     **string
	inRoles      []string
	members      []string
	adminMembers []string
}

// parseRoleOptions reads the options, refusing the attributes Junction
// cannot honour with PostgreSQL's error for an unsupported feature.
func (s *Session) parseRoleOptions(list []*pg.Node, res *Result) (roleOptions, error) {
	var o roleOptions
	seen := map[string]bool{}
	for _, n := range list {
		d := n.GetDefElem()
		if seen[d.Defname] {
			return o, pgerr.New(pgerr.SyntaxError, "conflicting or redundant options")
		}
		seen[d.Defname] = true
		flag := func() *bool { v := d.Arg.GetBoolean().GetBoolval(); return &v }
		switch d.Defname {
		case "canlogin":
			o.login = flag()
		case "superuser":
			o.superuser = flag()
		case "createrole":
			o.createRole = flag()
		case "inherit":
			o.inherit = flag()
		case "createdb", "isreplication", "bypassrls":
			if *flag() {
				return o, pgerr.NotSupported(map[string]string{"createdb": "CREATEDB", "isreplication": "REPLICATION", "bypassrls": "BYPASSRLS"}[d.Defname] +
					" (Junction has one database, no replication and no per-role policy bypass)")
			}
		case "connectionlimit":
			if d.Arg.GetInteger().GetIval() != -1 {
				return o, pgerr.NotSupported("CONNECTION LIMIT per role (the server's max_connections bounds all sessions)")
			}
		case "validUntil":
			if v := d.Arg.GetString_().GetSval(); v != "infinity" {
				return o, pgerr.NotSupported("VALID UNTIL a time other than 'infinity'")
			}
		case "sysid":
			res.Notices = append(res.Notices, pgerr.New(noticeCode, "SYSID can no longer be specified"))
		case "password":
			var p *string
			if d.Arg != nil {
				v := d.Arg.GetString_().GetSval()
				p = &v
			}
			o.password = &p
		case "addroleto", "rolemembers", "adminmembers":
			var names []string
			for _, item := range d.Arg.GetList().GetItems() {
				name, err := s.roleSpecName(item.GetRoleSpec())
				if err != nil {
					return o, err
				}
				names = append(names, name)
			}
			switch d.Defname {
			case "addroleto":
				o.inRoles = names
			case "rolemembers":
				o.members = names
			default:
				o.adminMembers = names
			}
		default:
			return o, pgerr.New(pgerr.SyntaxError, "option %q not recognized", d.Defname)
		}
	}
	return o, nil
}

// md5Hash is PostgreSQL's form of an MD5-hashed password, which it stores
// as given.
var md5Hash = regexp.MustCompile(`^md5[0-9a-f]{32}$`)

// storedPassword turns a PASSWORD option into what the catalog keeps: a
// verifier given as such is kept as it is, as PostgreSQL keeps one from
// pg_dumpall; a password is replaced by a verifier derived from it; NULL
// and the empty string (with PostgreSQL's notice) leave no password.
func storedPassword(role string, password *string, res *Result) (string, error) {
	if password == nil {
		return "", nil
	}
	if *password == "" {
		res.Notices = append(res.Notices, pgerr.New(noticeCode, "empty string is not a valid password, clearing password"))
		return "", nil
	}
	if auth.IsVerifierText(*password) {
		return *password, nil
	}
	if md5Hash.MatchString(*password) {
		return "", pgerr.NotSupported("an MD5 password hash (give the password, or a SCRAM-SHA-256 verifier)")
	}
	v, err := auth.NewVerifier(role, *password)
	if err != nil {
		return "", pgerr.New(pgerr.InvalidParameterValue, "password cannot be used: %v", err)
	}
	return v.String(), nil
}

func (s *Session) createRole(snap *catalog.Snapshot, cs *pg.CreateRoleStmt, res *Result) error {
	// CREATE USER is CREATE ROLE with LOGIN.
	login := cs.StmtType == pg.RoleStmtType_ROLESTMT_USER
	o, err := s.parseRoleOptions(cs.Options, res)
	if err != nil {
		return err
	}
	a := s.actor(snap)
	if o.superuser != nil && *o.superuser && !a.superuser {
		return pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to create superusers")
	}
	if !a.manager {
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied to create role")
	}
	if err := checkNewRoleName(cs.Role); err != nil {
		return err
	}
	if _, exists := snap.Roles[cs.Role]; exists {
		return pgerr.New(pgerr.DuplicateObject, "role %q already exists", cs.Role)
	}
	r := &catalog.Role{Name: cs.Role, OID: snap.AllocOID(), Login: login}
	applyAttributes(r, o)
	if o.password != nil {
		if r.Password, err = storedPassword(r.Name, *o.password, res); err != nil {
			return err
		}
	}
	snap.Roles[r.Name] = r
	for _, granted := range o.inRoles {
		if err := s.grantMembership(snap, a, granted, r.Name, false, res); err != nil {
			return err
		}
	}
	for _, member := range o.members {
		if err := s.grantMembership(snap, a, r.Name, member, false, res); err != nil {
			return err
		}
	}
	for _, member := range o.adminMembers {
		if err := s.grantMembership(snap, a, r.Name, member, true, res); err != nil {
			return err
		}
	}
	return nil
}

// applyAttributes sets the attributes the options give.
func applyAttributes(r *catalog.Role, o roleOptions) {
	if o.login != nil {
		r.Login = *o.login
	}
	if o.superuser != nil {
		r.Superuser = *o.superuser
	}
	if o.createRole != nil {
		r.CreateRole = *o.createRole
	}
	if o.inherit != nil {
		r.NoInherit = !*o.inherit
	}
}

func (s *Session) alterRole(snap *catalog.Snapshot, as *pg.AlterRoleStmt, res *Result) error {
	name, err := s.roleSpecName(as.Role)
	if err != nil {
		return err
	}
	o, err := s.parseRoleOptions(as.Options, res)
	if err != nil {
		return err
	}
	cur, err := lookupRole(snap, name)
	if err != nil {
		return err
	}
	if err := checkChangeable(cur, "alter"); err != nil {
		return err
	}
	a := s.actor(snap)
	onlyOwnPassword := name == s.user && o.login == nil && o.superuser == nil && o.createRole == nil && o.inherit == nil &&
		len(o.members)+len(o.adminMembers)+len(o.inRoles) == 0
	switch {
	case (cur.Superuser || o.superuser != nil) && !a.superuser:
		return pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to alter superuser roles or change superuser attribute")
	case !a.manager && !onlyOwnPassword:
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied")
	}
	if !onlyOwnPassword {
		if err := checkAdminMember(snap, a, name, "alter"); err != nil {
			return err
		}
	}
	r := cur.Clone()
	applyAttributes(r, o)
	if o.password != nil {
		if r.Password, err = storedPassword(r.Name, *o.password, res); err != nil {
			return err
		}
	}
	snap.Roles[name] = r
	// ALTER GROUP g ADD USER u (action 1) and DROP USER u (action -1).
	for _, member := range o.members {
		if as.Action < 0 {
			err = s.revokeMembership(snap, a, name, member, false, res)
		} else {
			err = s.grantMembership(snap, a, name, member, false, res)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) dropRoles(snap *catalog.Snapshot, ds *pg.DropRoleStmt, res *Result) error {
	a := s.actor(snap)
	if !a.manager {
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied to drop role")
	}
	for _, n := range ds.Roles {
		spec := n.GetRoleSpec()
		name, err := s.roleSpecName(spec)
		if err != nil {
			return err
		}
		r, ok := snap.Roles[name]
		if !ok {
			if ds.MissingOk {
				res.Notices = append(res.Notices, pgerr.New(noticeCode, "role %q does not exist, skipping", name))
				continue
			}
			return roleNotFound(name)
		}
		switch name {
		case s.user:
			return pgerr.New(objectInUse, "current user cannot be dropped")
		case s.sessionUser:
			return pgerr.New(objectInUse, "session user cannot be dropped")
		}
		if err := checkChangeable(r, "drop"); err != nil {
			return err
		}
		if r.Superuser && !a.superuser {
			return pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to drop superusers")
		}
		if err := checkAdminMember(snap, a, name, "drop"); err != nil {
			return err
		}
		if err := checkRoleDependents(snap, name); err != nil {
			return err
		}
		delete(snap.Roles, name)
		snap.MaskedRoles = slices.DeleteFunc(slices.Clone(snap.MaskedRoles), func(r string) bool { return r == name })
		// Its memberships go with it, both ways, as in PostgreSQL.
		for _, member := range snap.Members(name) {
			m := snap.Roles[member].Clone()
			delete(m.MemberOf, name)
			snap.Roles[member] = m
		}
	}
	return nil
}

// checkRoleDependents refuses to drop a role that objects depend on, as
// PostgreSQL does, naming them: its user mappings, the servers, views and
// materialized views it owns, the grants it holds or gave, its default
// privileges, and the row policies naming it. (A MASKED label goes with
// the role, as PostgreSQL's shared security labels do.)
func checkRoleDependents(snap *catalog.Snapshot, name string) error {
	var details []string
	for _, server := range snap.SourceNames() {
		src := snap.Sources[server]
		if src.Owner == name {
			details = append(details, "owner of foreign server "+server)
		}
		if _, ok := src.UserMappings[name]; ok {
			details = append(details, fmt.Sprintf("user mapping for %s on server %s", name, server))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(snap.Views)) {
		if v := snap.Views[key]; v.Owner == name {
			details = append(details, "owner of view "+key)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(snap.MatViews)) {
		if m := snap.MatViews[key]; m.Owner == name {
			details = append(details, "owner of materialized view "+key)
		}
	}
	names := func(acl catalog.ACL) bool {
		return slices.ContainsFunc(acl, func(it catalog.ACLItem) bool { return it.Grantee == name || it.Grantor == name })
	}
	for _, ns := range slices.Sorted(maps.Keys(snap.Privileges.Schemas)) {
		if names(snap.Privileges.Schemas[ns]) {
			details = append(details, "privileges for schema "+ns)
		}
	}
	for _, ns := range slices.Sorted(maps.Keys(snap.Privileges.Tables)) {
		for _, table := range slices.Sorted(maps.Keys(snap.Privileges.Tables[ns])) {
			if names(snap.Privileges.Tables[ns][table]) {
				details = append(details, "privileges for table "+ns+"."+table)
			}
		}
	}
	for _, ns := range slices.Sorted(maps.Keys(snap.Privileges.Defaults)) {
		for _, owner := range slices.Sorted(maps.Keys(snap.Privileges.Defaults[ns])) {
			if owner == name || names(snap.Privileges.Defaults[ns][owner]) {
				details = append(details, fmt.Sprintf("default privileges on new relations belonging to role %s", owner))
			}
		}
	}
	for _, ts := range snap.Security {
		for _, p := range ts.Policies {
			if slices.Contains(p.Roles, name) {
				details = append(details, fmt.Sprintf("target of policy %s on table %s.%s", p.Name, ts.Source, ts.Table))
			}
		}
	}
	if len(details) == 0 {
		return nil
	}
	e := pgerr.New(pgerr.DependentObjectsExist, "role %q cannot be dropped because some objects depend on it", name)
	e.Detail = strings.Join(details, "\n")
	e.Hint = "Drop or reassign what it owns, revoke its privileges, and drop its user mappings and the policies naming it first."
	return e
}

func (s *Session) renameRole(snap *catalog.Snapshot, from, to string) error {
	r, err := lookupRole(snap, from)
	if err != nil {
		return err
	}
	switch from {
	case s.sessionUser:
		return pgerr.New(pgerr.FeatureNotSupported, "session user cannot be renamed")
	case s.user:
		return pgerr.New(pgerr.FeatureNotSupported, "current user cannot be renamed")
	}
	if err := checkChangeable(r, "rename"); err != nil {
		return err
	}
	a := s.actor(snap)
	switch {
	case r.Superuser && !a.superuser:
		return pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to rename superusers")
	case !a.manager:
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied to rename role")
	}
	if err := checkAdminMember(snap, a, from, "rename"); err != nil {
		return err
	}
	if _, exists := snap.Roles[to]; exists {
		return pgerr.New(pgerr.DuplicateObject, "role %q already exists", to)
	}
	if err := checkNewRoleName(to); err != nil {
		return err
	}
	renamed := r.Clone()
	renamed.Name = to
	delete(snap.Roles, from)
	snap.Roles[to] = renamed
	for name, other := range snap.Roles {
		m, member := other.MemberOf[from]
		granted := false
		for _, g := range other.MemberOf {
			granted = granted || g.Grantor == from
		}
		if !member && !granted {
			continue
		}
		cp := other.Clone()
		if member {
			delete(cp.MemberOf, from)
			cp.MemberOf[to] = m
		}
		for k, g := range cp.MemberOf {
			if g.Grantor == from {
				g.Grantor = to
				cp.MemberOf[k] = g
			}
		}
		snap.Roles[name] = cp
	}
	// User mappings are kept by role name.
	for name, src := range snap.Sources {
		if m, ok := src.UserMappings[from]; ok {
			cp := *src
			cp.UserMappings = maps.Clone(src.UserMappings)
			delete(cp.UserMappings, from)
			cp.UserMappings[to] = m
			snap.Sources[name] = &cp
		}
	}
	snap.RenameRoleReferences(from, to)
	return nil
}

func (s *Session) grantRoles(snap *catalog.Snapshot, gs *pg.GrantRoleStmt, res *Result) error {
	// GRANT ... WITH ADMIN OPTION grants the option with the role;
	// REVOKE ADMIN OPTION FOR revokes the option alone.
	admin := false
	for _, o := range gs.Opt {
		d := o.GetDefElem()
		if d.Defname != "admin" {
			return pgerr.New(pgerr.SyntaxError, "unrecognized role option %q", d.Defname)
		}
		admin = !gs.IsGrant || d.Arg == nil || d.Arg.GetBoolean().GetBoolval()
	}
	if gs.Grantor != nil {
		grantor, err := s.roleSpecName(gs.Grantor)
		if err != nil {
			return err
		}
		if grantor != s.user {
			return pgerr.NotSupported("GRANTED BY a role other than the current user")
		}
	}
	a := s.actor(snap)
	for _, g := range gs.GrantedRoles {
		ap := g.GetAccessPriv()
		if len(ap.GetCols()) > 0 {
			return pgerr.New(pgerr.InvalidParameterValue, "column names cannot be included in GRANT/REVOKE ROLE")
		}
		for _, m := range gs.GranteeRoles {
			member, err := s.roleSpecName(m.GetRoleSpec())
			if err != nil {
				return err
			}
			if gs.IsGrant {
				err = s.grantMembership(snap, a, ap.PrivName, member, admin, res)
			} else {
				err = s.revokeMembership(snap, a, ap.PrivName, member, admin, res)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// checkGrantAuthority checks that the acting role may grant or revoke
// role: superuser and junction_admin need a superuser or the ADMIN
// OPTION; other roles a role manager too.
func checkGrantAuthority(snap *catalog.Snapshot, a roleActor, r *catalog.Role) error {
	if a.superuser || snap.HasAdminOption(a.name, r.Name) {
		return nil
	}
	if r.Superuser {
		return pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to alter superusers")
	}
	if !privileged(r) && a.manager {
		return nil
	}
	return pgerr.New(pgerr.InsufficientPrivilege, "must have admin option on role %q", r.Name)
}

// membershipChange checks that role and member exist and that the
// acting role may grant or revoke role; it returns the member.
func membershipChange(snap *catalog.Snapshot, a roleActor, role, member string) (*catalog.Role, error) {
	r, err := lookupRole(snap, role)
	if err != nil {
		return nil, err
	}
	m, err := lookupRole(snap, member)
	if err != nil {
		return nil, err
	}
	return m, checkGrantAuthority(snap, a, r)
}

// grantMembership makes member a member of role.
func (s *Session) grantMembership(snap *catalog.Snapshot, a roleActor, role, member string, admin bool, res *Result) error {
	m, err := membershipChange(snap, a, role, member)
	if err != nil {
		return err
	}
	if member == role || snap.IsMember(role, member) {
		return pgerr.New(invalidGrantOperation, "role %q is a member of role %q", role, member)
	}
	if cur, ok := m.MemberOf[role]; ok && (cur.Admin || !admin) {
		res.Notices = append(res.Notices, pgerr.New(noticeCode, "role %q is already a member of role %q", member, role))
		return nil
	}
	cp := m.Clone()
	if cp.MemberOf == nil {
		cp.MemberOf = map[string]catalog.Membership{}
	}
	cp.MemberOf[role] = catalog.Membership{Admin: admin, Grantor: a.name}
	snap.Roles[member] = cp
	return nil
}

// revokeMembership ends member's membership of role, or with adminOnly
// only its ADMIN OPTION.
func (s *Session) revokeMembership(snap *catalog.Snapshot, a roleActor, role, member string, adminOnly bool, res *Result) error {
	m, err := membershipChange(snap, a, role, member)
	if err != nil {
		return err
	}
	cur, ok := m.MemberOf[role]
	if !ok {
		res.Notices = append(res.Notices, pgerr.New(warningCode, "role %q is not a member of role %q", member, role))
		return nil
	}
	cp := m.Clone()
	if adminOnly {
		cur.Admin = false
		cp.MemberOf[role] = cur
	} else {
		delete(cp.MemberOf, role)
	}
	snap.Roles[member] = cp
	return nil
}
