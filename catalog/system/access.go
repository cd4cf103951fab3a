package system

import (
	"strings"
	"sync"

	"github.com/junction-db/junction/catalog"
)

// What a role that is not a superuser sees. information_schema shows in
// PostgreSQL only what the role may use; here every system table does,
// pg_catalog's too (PostgreSQL's pg_class lists every relation): the
// namespaces the role has USAGE on, the tables and views of those it has
// SELECT on, their columns, indexes and keys. So \dn, \dt, \d, BI tools'
// browsers, regclass and pg_table_is_visible all agree with what the
// role's queries may read. The system schemas are every role's.

// readableCache keeps the filtered directories of the current catalog
// directory, by the roles they were filtered for.
var readableCache struct {
	sync.Mutex
	full *directory
	dirs map[string]*directory
}

// readableDirectory is d with only what access may read.
func readableDirectory(d *directory, access *catalog.Access) *directory {
	key := access.Bootstrap + "\x00" + strings.Join(access.Roles, "\x00")
	readableCache.Lock()
	defer readableCache.Unlock()
	if readableCache.full != d {
		readableCache.full, readableCache.dirs = d, map[string]*directory{}
	}
	if f, ok := readableCache.dirs[key]; ok {
		return f
	}
	f := d.filtered(access)
	readableCache.dirs[key] = f
	return f
}

// filtered copies the directory without the namespaces access has no
// USAGE on and the relations it may not read, with their indexes and
// keys; a foreign key to a hidden table is hidden too.
func (d *directory) filtered(access *catalog.Access) *directory {
	f := newDirectory()
	for _, ns := range d.namespaces {
		if isSystemNamespace(ns) || access.SchemaUsage(ns.name) {
			f.addNamespace(ns)
		}
	}
	for _, r := range d.relations {
		if f.nsByName[r.ns.name] == r.ns && (r.sys != nil || access.TableSelect(r.ns.name, r.name)) {
			f.addRelation(r)
		}
	}
	for _, ix := range d.indexes {
		if f.relByOID[ix.table.oid] == ix.table {
			f.indexes = append(f.indexes, ix)
			f.relByOID[ix.rel.oid] = ix.rel
			f.relByName[ix.rel.ns][ix.rel.name] = ix.rel
		}
	}
	for _, c := range d.constraints {
		if f.relByOID[c.table.oid] == c.table && (c.ref == nil || f.relByOID[c.ref.oid] == c.ref) {
			f.constraints = append(f.constraints, c)
			f.conByOID[c.oid] = c
		}
	}
	return f
}

func isSystemNamespace(ns *namespace) bool {
	return ns.oid == PgCatalogOID || ns.oid == InformationSchemaOID || ns.oid == JunctionOID
}

// aclOf is a relation's relacl or a namespace's nspacl as PostgreSQL
// shows it: NULL while the object has its default privileges (public's
// are shown, as PostgreSQL shows them), else its aclitems.
func (e *env) aclOf(ns *namespace, r *relation) any {
	if ns == nil || isSystemNamespace(ns) || r != nil && r.sys != nil {
		return nil
	}
	access := &catalog.Access{Snap: e.info.Snapshot, Bootstrap: e.bootstrapOwner()}
	if access.Snap == nil {
		return nil
	}
	privs := access.Snap.Privileges
	switch {
	case r != nil:
		if acl, ok := privs.Tables[ns.name][r.name]; ok {
			return textArray(acl.Strings())
		}
	case ns.name == "public":
		return textArray(access.SchemaACL(ns.name).Strings())
	default:
		if acl, ok := privs.Schemas[ns.name]; ok {
			return textArray(acl.Strings())
		}
	}
	return nil
}

func (e *env) bootstrapOwner() string {
	if e.info.BootstrapOwner == "" {
		return e.user()
	}
	return e.info.BootstrapOwner
}

// roleAccess is what role may read, for the privilege functions; "" is
// the session's user. Nil means everything.
func (e *env) roleAccess(role string) *catalog.Access {
	if role == "" {
		return e.info.Access
	}
	if e.info.AccessOf == nil {
		return nil
	}
	return e.info.AccessOf(role)
}
