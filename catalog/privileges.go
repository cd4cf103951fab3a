package catalog

import (
	"slices"
	"sort"
	"strings"

	"github.com/junction-db/junction/connectors"
)

// Object privileges, in PostgreSQL's terms. A namespace (a source, one of
// its remote schemas "source.remote", or public) has an ACL that grants
// USAGE; a relation (a source's table or a stored view) has one that
// grants SELECT. Junction is read-only, so these are the only privileges
// there are: ALL PRIVILEGES means them.
//
// An object without a stored ACL has PostgreSQL's default one: its owner
// holds every privilege, and on public PUBLIC holds USAGE too. A source
// and its tables are owned by the role that created the source (sources
// declared in the configuration by the bootstrap superuser, whose name an
// empty Owner stands for); a view by the role that created it.
//
// Tables appear by discovery rather than by CREATE, so ALTER DEFAULT
// PRIVILEGES is kept per namespace and owner and applied, in Update, to
// every table that is new in a source and has no ACL of its own, and to
// every new view. A source declared in the configuration is not stored,
// so its tables count as new only when they appear while the server runs
// (a refresh), not at start. The grants of a source or view go with it when it is
// dropped; those of a table that vanishes from its source stay, so that a
// table briefly missing (a source restored from a backup) keeps them.

// The privilege letters PostgreSQL's aclitem text uses.
const (
	PrivSelect = 'r'
	PrivUsage  = 'U'
)

// PublicRole is the pseudo-role every role belongs to, stored under this
// name as a grantee and in a policy's roles.
const PublicRole = "public"

// ACLItem is one grant: the privileges Grantor gave Grantee, and among
// them those Grantee may grant in turn.
type ACLItem struct {
	Grantee      string `json:"grantee"`
	Grantor      string `json:"grantor"`
	Privs        string `json:"privs"`
	GrantOptions string `json:"grant_options,omitempty"`
}

// ACL is an object's access control list.
type ACL []ACLItem

// Privileges are the ACLs the catalog stores. A missing entry means the
// object's default ACL; a present, empty one that every privilege was
// revoked, the owner's too.
type Privileges struct {
	// Schemas are the namespaces' ACLs by namespace name.
	Schemas map[string]ACL `json:"schemas,omitempty"`
	// Tables are the relations' ACLs by namespace and relation name.
	Tables map[string]map[string]ACL `json:"tables,omitempty"`
	// Defaults are the default privileges (ALTER DEFAULT PRIVILEGES) by
	// namespace ("" for every namespace) and by the role whose new
	// relations they apply to.
	Defaults map[string]map[string]ACL `json:"defaults,omitempty"`
}

func (p Privileges) clone() Privileges {
	return Privileges{Schemas: cloneACLs(p.Schemas), Tables: cloneNested(p.Tables), Defaults: cloneNested(p.Defaults)}
}

func cloneACLs(m map[string]ACL) map[string]ACL {
	if m == nil {
		return nil
	}
	out := make(map[string]ACL, len(m))
	for k, acl := range m {
		out[k] = slices.Clone(acl)
		if acl != nil && out[k] == nil {
			out[k] = ACL{}
		}
	}
	return out
}

func cloneNested(m map[string]map[string]ACL) map[string]map[string]ACL {
	if m == nil {
		return nil
	}
	out := make(map[string]map[string]ACL, len(m))
	for k, inner := range m {
		out[k] = cloneACLs(inner)
	}
	return out
}

// SetTableACL stores a relation's ACL.
func (p *Privileges) SetTableACL(schema, name string, acl ACL) {
	p.Tables = setNested(p.Tables, schema, name, acl)
}

// SetSchemaACL stores a namespace's ACL.
func (p *Privileges) SetSchemaACL(schema string, acl ACL) {
	if p.Schemas == nil {
		p.Schemas = map[string]ACL{}
	}
	p.Schemas[schema] = nonNil(acl)
}

// SetDefaultACL stores the default privileges of role's new relations
// in schema ("" for all); an empty one is removed.
func (p *Privileges) SetDefaultACL(schema, role string, acl ACL) {
	if len(acl) == 0 {
		delete(p.Defaults[schema], role)
		if len(p.Defaults[schema]) == 0 {
			delete(p.Defaults, schema)
		}
		return
	}
	p.Defaults = setNested(p.Defaults, schema, role, acl)
}

func setNested(m map[string]map[string]ACL, outer, inner string, acl ACL) map[string]map[string]ACL {
	if m == nil {
		m = map[string]map[string]ACL{}
	}
	if m[outer] == nil {
		m[outer] = map[string]ACL{}
	}
	m[outer][inner] = nonNil(acl)
	return m
}

func nonNil(acl ACL) ACL {
	if acl == nil {
		return ACL{}
	}
	return acl
}

// DefaultACL is the ACL of an object that has none stored: its owner
// holds privs and may grant them; the public schema also grants PUBLIC
// USAGE, as PostgreSQL's does.
func DefaultACL(owner, privs string, publicSchema bool) ACL {
	acl := ACL{{Grantee: owner, Grantor: owner, Privs: privs}}
	if publicSchema {
		acl = append(acl, ACLItem{Grantee: PublicRole, Grantor: owner, Privs: privs})
	}
	return acl
}

// Has reports whether any of roles holds priv; withGrantOption asks for
// the right to grant it too, which the owner always holds.
func (acl ACL) Has(roles []string, owner string, priv byte, withGrantOption bool) bool {
	if withGrantOption && slices.Contains(roles, owner) {
		return true
	}
	for _, it := range acl {
		if !slices.Contains(roles, it.Grantee) {
			continue
		}
		held := it.Privs
		if withGrantOption {
			held = it.GrantOptions
		}
		if strings.IndexByte(held, priv) >= 0 {
			return true
		}
	}
	return false
}

// Grant adds privs, and their grant options if grantOption, to what
// grantor gave grantee.
func (acl ACL) Grant(grantee, grantor, privs string, grantOption bool) ACL {
	out := slices.Clone(acl)
	i := slices.IndexFunc(out, func(it ACLItem) bool { return it.Grantee == grantee && it.Grantor == grantor })
	if i < 0 {
		out = append(out, ACLItem{Grantee: grantee, Grantor: grantor})
		i = len(out) - 1
	}
	out[i].Privs = addLetters(out[i].Privs, privs)
	if grantOption {
		out[i].GrantOptions = addLetters(out[i].GrantOptions, privs)
	}
	return out
}

// Revoke takes privs (only their grant options if optionOnly) that
// grantor gave grantee. A grant option taken from a role that no longer
// holds it another way takes the privileges that role granted with it,
// recursively, when cascade; without cascade such dependent grants make
// it fail, and dependent names one of them.
func (acl ACL) Revoke(grantee, grantor, privs string, optionOnly, cascade bool, owner string) (ACL, *ACLItem) {
	out := slices.Clone(acl)
	for i := range out {
		if out[i].Grantee != grantee || out[i].Grantor != grantor {
			continue
		}
		if !optionOnly {
			out[i].Privs = removeLetters(out[i].Privs, privs)
		}
		out[i].GrantOptions = removeLetters(out[i].GrantOptions, privs)
	}
	out = slices.DeleteFunc(out, func(it ACLItem) bool { return it.Privs == "" })
	for _, p := range privs {
		priv := byte(p)
		if out.Has([]string{grantee}, owner, priv, true) {
			continue
		}
		for {
			i := slices.IndexFunc(out, func(it ACLItem) bool { return it.Grantor == grantee && strings.IndexByte(it.Privs, priv) >= 0 })
			if i < 0 {
				break
			}
			if !cascade {
				dep := out[i]
				return nil, &dep
			}
			var dep *ACLItem
			if out, dep = out.Revoke(out[i].Grantee, grantee, string(priv), false, true, owner); dep != nil {
				return nil, dep
			}
		}
	}
	return out, nil
}

func addLetters(have, add string) string {
	for _, c := range add {
		if !strings.ContainsRune(have, c) {
			have += string(c)
		}
	}
	return have
}

func removeLetters(have, remove string) string {
	return strings.Map(func(c rune) rune {
		if strings.ContainsRune(remove, c) {
			return -1
		}
		return c
	}, have)
}

// Strings prints the ACL as PostgreSQL prints aclitem[]: grantee=privs/
// grantor, an asterisk after each privilege held with grant option, an
// empty grantee for PUBLIC.
func (acl ACL) Strings() []string {
	out := make([]string, len(acl))
	for i, it := range acl {
		grantee := quoteACLName(it.Grantee)
		if it.Grantee == PublicRole {
			grantee = ""
		}
		var privs strings.Builder
		for _, c := range it.Privs {
			privs.WriteRune(c)
			if strings.ContainsRune(it.GrantOptions, c) {
				privs.WriteByte('*')
			}
		}
		out[i] = grantee + "=" + privs.String() + "/" + quoteACLName(it.Grantor)
	}
	return out
}

// quoteACLName double-quotes a role name as aclitem output does when it
// holds characters other than letters, digits and underscores.
func quoteACLName(name string) string {
	for _, c := range name {
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c > 127) {
			return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
	}
	return name
}

// TableSchema is the namespace a source's table appears in: the source's
// for its default remote schema, "source.remote" for the others.
func TableSchema(src *Source, t *connectors.Table) string {
	if t.Schema == src.DefaultSchema {
		return src.Name
	}
	return src.Name + "." + t.Schema
}

// ViewSchema is the namespace a view appears in.
func ViewSchema(v *View) string {
	if v.Schema == "" {
		return "public"
	}
	return v.Schema
}

// SchemaSource is the source a namespace belongs to; nil for public and
// the system schemas.
func (s *Snapshot) SchemaSource(schema string) *Source {
	if src, ok := s.Sources[schema]; ok {
		return src
	}
	for i := strings.IndexByte(schema, '.'); i > 0; i = nextDot(schema, i) {
		if src, ok := s.Sources[schema[:i]]; ok && src.hasRemoteSchema(schema[i+1:]) {
			return src
		}
	}
	return nil
}

func nextDot(s string, after int) int {
	j := strings.IndexByte(s[after+1:], '.')
	if j < 0 {
		return -1
	}
	return after + 1 + j
}

func (src *Source) hasRemoteSchema(remote string) bool {
	return remote != src.DefaultSchema && slices.ContainsFunc(src.Tables, func(t connectors.Table) bool { return t.Schema == remote })
}

// Access answers privilege questions for one role: Roles are the role,
// the roles it is a member of and PUBLIC; Bootstrap is the name of the
// owner of sources declared in the configuration.
type Access struct {
	Snap      *Snapshot
	Roles     []string
	Bootstrap string
}

// SchemaOwner is the owner of a namespace: a source's (and its remote
// schemas') is the source's, public's the bootstrap superuser.
func (a *Access) SchemaOwner(schema string) string {
	if src := a.Snap.SchemaSource(schema); src != nil {
		return a.owner(src.Owner)
	}
	return a.Bootstrap
}

// TableOwner is the owner of a relation of schema: a view's creator, or
// the owner of the source whose table it is.
func (a *Access) TableOwner(schema, name string) string {
	if v, ok := a.Snap.Views[ViewKey(schema, name)]; ok {
		return a.owner(v.Owner)
	}
	if m, ok := a.Snap.MatViews[ViewKey(schema, name)]; ok {
		return a.owner(m.Owner)
	}
	return a.SchemaOwner(schema)
}

func (a *Access) owner(o string) string {
	if o == "" {
		return a.Bootstrap
	}
	return o
}

// SchemaACL is a namespace's ACL, stored or default.
func (a *Access) SchemaACL(schema string) ACL {
	if acl, ok := a.Snap.Privileges.Schemas[schema]; ok {
		return acl
	}
	return DefaultACL(a.SchemaOwner(schema), string(PrivUsage), schema == "public")
}

// TableACL is a relation's ACL, stored or default.
func (a *Access) TableACL(schema, name string) ACL {
	if acl, ok := a.Snap.Privileges.Tables[schema][name]; ok {
		return acl
	}
	return DefaultACL(a.TableOwner(schema, name), string(PrivSelect), false)
}

// SchemaUsage reports whether the role may use the namespace.
func (a *Access) SchemaUsage(schema string) bool { return a.SchemaHolds(schema, false) }

// SchemaHolds reports whether the role holds USAGE on the namespace, and
// may grant it if withGrantOption.
func (a *Access) SchemaHolds(schema string, withGrantOption bool) bool {
	return a.SchemaACL(schema).Has(a.Roles, a.SchemaOwner(schema), PrivUsage, withGrantOption)
}

// TableSelect reports whether the role may read the relation (its
// namespace's USAGE aside).
func (a *Access) TableSelect(schema, name string) bool { return a.TableHolds(schema, name, false) }

// TableHolds reports whether the role holds SELECT on the relation, and
// may grant it if withGrantOption.
func (a *Access) TableHolds(schema, name string, withGrantOption bool) bool {
	return a.TableACL(schema, name).Has(a.Roles, a.TableOwner(schema, name), PrivSelect, withGrantOption)
}

// applyPrivilegeChanges keeps the ACLs in step with what appeared and
// vanished between prev and s: new tables and views get the default
// privileges their owner set for their namespace, dropped sources and
// views lose their ACLs.
func (s *Snapshot) applyPrivilegeChanges(prev *Snapshot) {
	for name := range prev.Sources {
		if _, ok := s.Sources[name]; !ok {
			s.Privileges.dropNamespaces(func(ns string) bool { return ns == name || strings.HasPrefix(ns, name+".") })
		}
	}
	for key, v := range prev.Views {
		if _, ok := s.Views[key]; !ok {
			delete(s.Privileges.Tables[ViewSchema(v)], v.Name)
		}
	}
	for key, m := range prev.MatViews {
		if _, ok := s.MatViews[key]; !ok {
			delete(s.Privileges.Tables[m.Schema], m.Name)
		}
	}
	if len(s.Privileges.Defaults) == 0 {
		return
	}
	for name, src := range s.Sources {
		old := prev.Sources[name]
		if old == src || old == nil && src.Builtin {
			// A source declared in the configuration is registered anew
			// at every start, with tables that are not new.
			continue
		}
		known := map[[2]string]bool{}
		if old != nil {
			for i := range old.Tables {
				known[[2]string{TableSchema(old, &old.Tables[i]), old.Tables[i].Name}] = true
			}
		}
		for i := range src.Tables {
			ns := TableSchema(src, &src.Tables[i])
			if !known[[2]string{ns, src.Tables[i].Name}] {
				s.applyDefaults(ns, src.Tables[i].Name, src.Owner)
			}
		}
	}
	for key, v := range s.Views {
		if _, existed := prev.Views[key]; !existed {
			s.applyDefaults(ViewSchema(v), v.Name, v.Owner)
		}
	}
	for key, m := range s.MatViews {
		if _, existed := prev.MatViews[key]; !existed {
			s.applyDefaults(m.Schema, m.Name, m.Owner)
		}
	}
}

func (p *Privileges) dropNamespaces(match func(string) bool) {
	for ns := range p.Schemas {
		if match(ns) {
			delete(p.Schemas, ns)
		}
	}
	for ns := range p.Tables {
		if match(ns) {
			delete(p.Tables, ns)
		}
	}
	for ns := range p.Defaults {
		if match(ns) {
			delete(p.Defaults, ns)
		}
	}
}

// applyDefaults gives a new relation owned by owner the default
// privileges for it, as PostgreSQL does at CREATE: those set for every
// schema (else the default ACL) with those set for its schema added.
// A relation that already has an ACL keeps it.
func (s *Snapshot) applyDefaults(schema, name, owner string) {
	if _, has := s.Privileges.Tables[schema][name]; has {
		return
	}
	global, hasGlobal := s.Privileges.Defaults[""][owner]
	local, hasLocal := s.Privileges.Defaults[schema][owner]
	if !hasGlobal && !hasLocal {
		return
	}
	acl := global
	if !hasGlobal {
		acl = DefaultACL(owner, string(PrivSelect), false)
	}
	for _, it := range local {
		acl = acl.Grant(it.Grantee, it.Grantor, it.Privs, false)
		acl = acl.Grant(it.Grantee, it.Grantor, it.GrantOptions, true)
	}
	s.Privileges.SetTableACL(schema, name, acl)
}

// Relations lists the relations of a namespace in name order: a source's
// tables there and the views stored in it.
func (s *Snapshot) Relations(schema string) []string {
	var out []string
	if src := s.SchemaSource(schema); src != nil {
		for i := range src.Tables {
			if TableSchema(src, &src.Tables[i]) == schema {
				out = append(out, src.Tables[i].Name)
			}
		}
	}
	for _, v := range s.Views {
		if ViewSchema(v) == schema && !slices.Contains(out, v.Name) {
			out = append(out, v.Name)
		}
	}
	for _, m := range s.MatViews {
		if m.Schema == schema && !slices.Contains(out, m.Name) {
			out = append(out, m.Name)
		}
	}
	sort.Strings(out)
	return out
}
