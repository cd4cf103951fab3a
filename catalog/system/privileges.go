package system

import (
	"sort"

	"github.com/junction-db/junction/catalog"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// The has_*_privilege functions answer from the catalog's grants: SELECT
// on tables and views and USAGE on schemas as the role holds them (a
// superuser holds all), the writing privileges never, since nobody may
// write through Junction, the others as every role holds them. They check
// the privilege names and, where an object is given by name, that it
// exists, as PostgreSQL does; an object given by OID that does not exist
// answers NULL.

// objectClass is the kind of object a privilege function asks about.
type objectClass struct {
	name string
	// privileges maps each privilege PostgreSQL accepts for the class to
	// whether Junction grants it.
	privileges map[string]bool
	// check resolves an object given by name, raising PostgreSQL's error
	// when it does not exist; nil accepts any name.
	check func(e *env, name string) (object, error)
	// byOID finds an object given by OID; nil accepts any OID.
	byOID func(e *env, oid uint32) (object, bool)
	// held answers, for a role that is not a superuser, whether it holds
	// a privilege on the object; nil holds every privilege Junction
	// grants.
	held func(access *catalog.Access, obj object, p requested) bool
}

// object is what a privilege function asks about: a relation, or a
// namespace.
type object struct {
	rel *relation
	ns  *namespace
}

// checkRelation resolves a relation name among all relations, as
// PostgreSQL does, but in a schema the user may not use it raises
// PostgreSQL's error for naming one.
func checkRelation(e *env, name string) (object, error) {
	full := &env{info: e.info, dir: e.full, full: e.full}
	r, err := full.findRelation(name)
	if err != nil {
		return object{}, err
	}
	if e.dir.nsByName[r.ns.name] != r.ns {
		return object{}, pgerr.New(pgerr.InsufficientPrivilege, "permission denied for schema %s", r.ns.name)
	}
	return object{rel: r}, nil
}

func relationByOID(e *env, oid uint32) (object, bool) {
	r := e.full.relByOID[oid]
	return object{rel: r}, r != nil
}

// relationHeld is SELECT on a source table or stored view as granted,
// and on a system table to everyone.
func relationHeld(access *catalog.Access, obj object, p requested) bool {
	r := obj.rel
	if r.sys != nil || r.index != nil {
		return !p.withGrantOption
	}
	return p.name == "SELECT" && access.TableHolds(r.ns.name, r.name, p.withGrantOption)
}

func checkSequence(e *env, name string) (object, error) {
	r, err := e.findRelation(name)
	if err != nil {
		return object{}, err
	}
	return object{}, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", r.name)
}

func checkSchema(e *env, name string) (object, error) {
	ns := e.full.nsByName[name]
	if ns == nil {
		return object{}, pgerr.New(pgerr.UndefinedSchema, "schema \"%s\" does not exist", name)
	}
	return object{ns: ns}, nil
}

func schemaByOID(e *env, oid uint32) (object, bool) {
	ns := e.full.nsByOID[oid]
	return object{ns: ns}, ns != nil
}

// schemaHeld is USAGE as granted, and on the system schemas to everyone;
// CREATE only superusers hold, who create views.
func schemaHeld(access *catalog.Access, obj object, p requested) bool {
	if isSystemNamespace(obj.ns) {
		return p.name == "USAGE" && !p.withGrantOption
	}
	return p.name == "USAGE" && access.SchemaHolds(obj.ns.name, p.withGrantOption)
}

func checkDatabase(e *env, name string) (object, error) {
	for _, db := range e.databases() {
		if db.name == name {
			return object{}, nil
		}
	}
	return object{}, pgerr.New(undefinedDatabase, "database \"%s\" does not exist", name)
}

var (
	tableClass = objectClass{"table", map[string]bool{"SELECT": true, "INSERT": false, "UPDATE": false, "DELETE": false,
		"TRUNCATE": false, "REFERENCES": false, "TRIGGER": false}, checkRelation, relationByOID, relationHeld}
	columnClass = objectClass{"column", map[string]bool{"SELECT": true, "INSERT": false, "UPDATE": false,
		"REFERENCES": false}, checkRelation, relationByOID, relationHeld}
	sequenceClass = objectClass{"sequence", map[string]bool{"USAGE": true, "SELECT": true, "UPDATE": false}, checkSequence, nil, nil}
	databaseClass = objectClass{"database", map[string]bool{"CONNECT": true, "CREATE": false, "TEMPORARY": false,
		"TEMP": false}, checkDatabase, nil, nil}
	schemaClass     = objectClass{"schema", map[string]bool{"USAGE": true, "CREATE": true}, checkSchema, schemaByOID, schemaHeld}
	functionClass   = objectClass{"function", map[string]bool{"EXECUTE": true}, nil, nil, nil}
	usageClass      = objectClass{"object", map[string]bool{"USAGE": true}, nil, nil, nil}
	tablespaceClass = objectClass{"tablespace", map[string]bool{"CREATE": false}, nil, nil, nil}
	roleClass       = objectClass{"role", map[string]bool{"MEMBER": true, "USAGE": true}, nil, nil, nil}
)

// privilegeFunctions lists the has_*_privilege and pg_has_role signatures
// of PostgreSQL 15 with their OIDs: the object comes as a name or an OID,
// optionally after a role given as a name or an OID.
func privilegeFunctions() []*overload {
	var out []*overload
	standard := [][]param{
		{pName, pText, pText}, {pName, pOID, pText}, {pOID, pText, pText}, {pOID, pOID, pText}, {pText, pText}, {pOID, pText},
	}
	for _, f := range []struct {
		name  string
		first uint32
		class objectClass
	}{
		{"has_table_privilege", 1922, tableClass},
		{"has_sequence_privilege", 2181, sequenceClass},
		{"has_database_privilege", 2250, databaseClass},
		{"has_function_privilege", 2256, functionClass},
		{"has_schema_privilege", 2268, schemaClass},
		{"has_tablespace_privilege", 2390, tablespaceClass},
		{"has_foreign_data_wrapper_privilege", 3000, usageClass},
		{"has_server_privilege", 3006, usageClass},
		{"has_any_column_privilege", 3024, columnClass},
		{"has_type_privilege", 3138, usageClass},
	} {
		for i, params := range standard {
			out = append(out, stable(f.first+uint32(i), f.name, tBool, params, hasPrivilege(f.class, params, false)))
		}
	}
	column := [][]param{
		{pName, pText, pText, pText}, {pName, pText, pInt2, pText}, {pName, pOID, pText, pText}, {pName, pOID, pInt2, pText},
		{pOID, pText, pText, pText}, {pOID, pText, pInt2, pText}, {pOID, pOID, pText, pText}, {pOID, pOID, pInt2, pText},
		{pText, pText, pText}, {pText, pInt2, pText}, {pOID, pText, pText}, {pOID, pInt2, pText},
	}
	for i, params := range column {
		out = append(out, stable(3012+uint32(i), "has_column_privilege", tBool, params, hasPrivilege(columnClass, params, true)))
	}
	role := [][]param{{pName, pName, pText}, {pName, pOID, pText}, {pOID, pName, pText}, {pOID, pOID, pText}, {pName, pText}, {pOID, pText}}
	for i, params := range role {
		out = append(out, stable(2705+uint32(i), "pg_has_role", tBool, params, hasRole(params)))
	}
	return out
}

// hasPrivilege implements one signature of a privilege function, whose
// arguments are an optional role, the object, for column functions the
// column, and the privilege list. Objects and columns given by name are
// checked; ones given by OID or number are not, as PostgreSQL answers
// NULL rather than an error for those.
func hasPrivilege(class objectClass, params []param, withColumn bool) implFunc {
	objectAt := len(params) - 2
	if withColumn {
		objectAt--
	}
	return func(e *env, args []types.Datum) (types.Datum, error) {
		requested, err := class.grants(args[len(args)-1].Str)
		if err != nil {
			return null, err
		}
		role, known := "", true
		if objectAt > 0 {
			if role, known = roleArg(params[0], args[0]); !known {
				return null, nil
			}
		}
		var obj object
		switch {
		case params[objectAt] == pText && class.check != nil:
			if obj, err = class.check(e, args[objectAt].Str); err != nil {
				return null, err
			}
		case class.byOID != nil:
			var ok bool
			if obj, ok = class.byOID(e, oidArg(args[objectAt])); !ok {
				return null, nil
			}
		}
		if withColumn && params[objectAt+1] == pText {
			if column := args[objectAt+1].Str; !hasColumn(e, obj.rel, column) {
				return null, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", column, obj.rel.name)
			}
		}
		access := e.roleAccess(role)
		if access == nil || class.held == nil || (obj.rel == nil && obj.ns == nil) {
			return types.BoolDatum(len(requested) > 0), nil
		}
		for _, p := range requested {
			if class.held(access, obj, p) {
				return types.BoolDatum(true), nil
			}
		}
		return types.BoolDatum(false), nil
	}
}

// roleArg is the role a privilege function asks about: by name, or by
// the OID the system tables give the session's user ("" then); known is
// false for another OID.
func roleArg(p param, d types.Datum) (role string, known bool) {
	if p == pOID {
		return "", oidArg(d) == superuserOID
	}
	return d.Str, true
}

func hasColumn(e *env, r *relation, name string) bool {
	for _, a := range e.attributes(r) {
		if a.name == name {
			return true
		}
	}
	return false
}

// requested is one privilege a privilege function asks about.
type requested struct {
	name            string
	withGrantOption bool
}

// grants parses a privilege list such as "SELECT, INSERT WITH GRANT
// OPTION" and returns those of them Junction may grant.
func (c objectClass) grants(list string) ([]requested, error) {
	var granted []requested
	for _, item := range strings.Split(list, ",") {
		priv := strings.ToUpper(strings.Join(strings.Fields(item), " "))
		name := strings.TrimSuffix(strings.TrimSuffix(priv, " WITH GRANT OPTION"), " WITH ADMIN OPTION")
		ok, known := c.privileges[name]
		if !known {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "unrecognized privilege type: \"%s\"", strings.TrimSpace(item)).
				WithHint("Privileges of a %s are %s.", c.name, c.privilegeNames())
		}
		if ok {
			granted = append(granted, requested{name: name, withGrantOption: name != priv})
		}
	}
	return granted, nil
}

func (c objectClass) privilegeNames() string {
	names := make([]string, 0, len(c.privileges))
	for p := range c.privileges {
		names = append(names, p)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
