package system

// Owners as the catalogs show them. A source (its namespaces and tables),
// a view and a materialized view are owned by the role that created them,
// public and what the configuration declares by the bootstrap superuser;
// the system schemas and their tables by OID 10, the role PostgreSQL's
// bootstrap superuser has.

// relationOwner names the role owning r; "" for a system table.
func (e *env) relationOwner(r *relation) string {
	switch {
	case r.view != nil:
		return e.ownerOrBootstrap(r.view.Owner)
	case r.matview != nil:
		return e.ownerOrBootstrap(r.matview.Owner)
	case r.sys != nil:
		return ""
	}
	return e.namespaceOwner(r.ns)
}

// namespaceOwner names the role owning ns; "" for a system schema.
func (e *env) namespaceOwner(ns *namespace) string {
	switch {
	case ns.source != nil:
		return e.ownerOrBootstrap(ns.source.Owner)
	case ns.name == "public":
		return e.bootstrapOwner()
	}
	return ""
}

func (e *env) ownerOrBootstrap(owner string) string {
	if owner == "" {
		return e.bootstrapOwner()
	}
	return owner
}

// ownerOID is the OID of an owner relationOwner or namespaceOwner named:
// 10 for none, or for a role that is gone.
func (e *env) ownerOID(owner string) uint32 {
	if owner != "" {
		if oid, ok := e.roleOID(owner); ok {
			return oid
		}
	}
	return superuserOID
}

// ownerName is an owner as pg_tables and pg_views name it.
func (e *env) ownerName(owner string) string {
	name, _ := e.roleName(e.ownerOID(owner))
	return name
}
