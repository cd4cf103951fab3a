package system

import (
	"strings"

	"github.com/junction-db/junction/types"
)

// pg_class OIDs of the catalogs whose objects pg_describe_object names.
const (
	pgTypeOID               = 1247
	pgProcOID               = 1255
	pgAuthIDOID             = 1260
	pgDatabaseOID           = 1262
	pgForeignServerOID      = 1417
	pgForeignDataWrapperOID = 2328
)

// relationKinds are the words pg_describe_object uses for relkinds.
var relationKinds = map[byte]string{
	'r': "table", 'v': "view", 'm': "materialized view", 'f': "foreign table",
	'p': "partitioned table", 'i': "index", 'S': "sequence", 'c': "composite type",
}

// describeObject is pg_describe_object(classid, objid, objsubid): an
// object's description as PostgreSQL's messages word it ("table
// shop.orders", "column id of table orders", "schema crm"), NULL for an
// object that does not exist.
func describeObject(e *env, args []types.Datum) (types.Datum, error) {
	class, oid, sub := oidArg(args[0]), oidArg(args[1]), int32(args[2].Int)
	text, ok := e.objectDescription(class, oid, sub)
	if !ok {
		return null, nil
	}
	return types.StrDatum(text), nil
}

func (e *env) objectDescription(class, oid uint32, sub int32) (string, bool) {
	switch class {
	case pgClassOID:
		r := e.dir.relByOID[oid]
		if r == nil {
			return "", false
		}
		text := relationKinds[r.kind] + " " + e.qualifiedName(r)
		if sub == 0 {
			return text, true
		}
		attrs := e.attributes(r)
		if sub < 1 || int(sub) > len(attrs) {
			return "", false
		}
		return "column " + quoteIdent(attrs[sub-1].name) + " of " + text, true
	case pgNamespaceOID:
		if ns := e.dir.nsByOID[oid]; ns != nil {
			return "schema " + quoteIdent(ns.name), true
		}
	case pgTypeOID:
		if typeByOID[oid] != nil {
			return "type " + formatType(oid, -1, false), true
		}
	case pgProcOID:
		if p := procByOID[oid]; p != nil {
			args := make([]string, len(p.args))
			for i, a := range p.args {
				args[i] = formatType(a, -1, false)
			}
			return "function " + quoteIdent(p.name) + "(" + strings.Join(args, ",") + ")", true
		}
	case pgForeignServerOID:
		for _, ns := range e.dir.namespaces {
			if ns.source != nil && ns.remoteSchema == "" && ns.source.OID == oid {
				return "server " + quoteIdent(ns.name), true
			}
		}
	case pgForeignDataWrapperOID:
		for _, w := range e.wrappers() {
			if w.oid == oid {
				return "foreign-data wrapper " + quoteIdent(w.name), true
			}
		}
	case pgDatabaseOID:
		for _, db := range e.databases() {
			if db.oid == oid {
				return "database " + quoteIdent(db.name), true
			}
		}
	case pgAuthIDOID:
		if name, ok := e.roleName(oid); ok {
			return "role " + quoteIdent(name), true
		}
	}
	return "", false
}

// quoteLiteral is quote_literal(text): the string as a SQL literal, its
// quotes doubled, prefixed with E (backslashes doubled) when it holds
// a backslash.
func quoteLiteral(_ *env, args []types.Datum) (types.Datum, error) {
	return types.StrDatum(literalOf(args[0].Str)), nil
}

func literalOf(s string) string { return types.QuoteLiteralE(s) }

// quoteNullable is quote_nullable(text): quote_literal, or the word NULL.
func quoteNullable(_ *env, args []types.Datum) (types.Datum, error) {
	if args[0].Null {
		return types.StrDatum("NULL"), nil
	}
	return types.StrDatum(literalOf(args[0].Str)), nil
}
