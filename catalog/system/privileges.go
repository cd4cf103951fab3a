package system

import (
	"sort"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// Junction has no grants: every user may read everything and nobody may
// write through it. The has_*_privilege functions therefore grant the
// read and use privileges and refuse the writing ones, after checking the
// privilege names and, where an object is given by name, that it exists,
// as PostgreSQL does.

// objectClass is the kind of object a privilege function asks about.
type objectClass struct {
	name string
	// privileges maps each privilege PostgreSQL accepts for the class to
	// whether Junction grants it.
	privileges map[string]bool
	// check resolves an object given by name, raising PostgreSQL's error
	// when it does not exist; nil accepts any name.
	check func(e *env, name string) (*relation, error)
}

func checkRelation(e *env, name string) (*relation, error) { return e.findRelation(name) }

func checkSequence(e *env, name string) (*relation, error) {
	r, err := e.findRelation(name)
	if err != nil {
		return nil, err
	}
	return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", r.name)
}

func checkSchema(e *env, name string) (*relation, error) {
	if e.dir.nsByName[name] == nil {
		return nil, pgerr.New(pgerr.UndefinedSchema, "schema \"%s\" does not exist", name)
	}
	return nil, nil
}

func checkDatabase(e *env, name string) (*relation, error) {
	for _, db := range e.databases() {
		if db.name == name {
			return nil, nil
		}
	}
	return nil, pgerr.New(undefinedDatabase, "database \"%s\" does not exist", name)
}

var (
	tableClass = objectClass{"table", map[string]bool{"SELECT": true, "INSERT": false, "UPDATE": false, "DELETE": false,
		"TRUNCATE": false, "REFERENCES": false, "TRIGGER": false}, checkRelation}
	columnClass = objectClass{"column", map[string]bool{"SELECT": true, "INSERT": false, "UPDATE": false,
		"REFERENCES": false}, checkRelation}
	sequenceClass = objectClass{"sequence", map[string]bool{"USAGE": true, "SELECT": true, "UPDATE": false}, checkSequence}
	databaseClass = objectClass{"database", map[string]bool{"CONNECT": true, "CREATE": false, "TEMPORARY": false,
		"TEMP": false}, checkDatabase}
	schemaClass     = objectClass{"schema", map[string]bool{"USAGE": true, "CREATE": true}, checkSchema}
	functionClass   = objectClass{"function", map[string]bool{"EXECUTE": true}, nil}
	usageClass      = objectClass{"object", map[string]bool{"USAGE": true}, nil}
	tablespaceClass = objectClass{"tablespace", map[string]bool{"CREATE": false}, nil}
	roleClass       = objectClass{"role", map[string]bool{"MEMBER": true, "USAGE": true}, nil}
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
		granted, err := class.grants(args[len(args)-1].Str)
		if err != nil {
			return null, err
		}
		if params[objectAt] != pText || class.check == nil {
			return types.BoolDatum(granted), nil
		}
		r, err := class.check(e, args[objectAt].Str)
		if err != nil {
			return null, err
		}
		if withColumn && params[objectAt+1] == pText {
			if column := args[objectAt+1].Str; !hasColumn(e, r, column) {
				return null, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", column, r.name)
			}
		}
		return types.BoolDatum(granted), nil
	}
}

func hasColumn(e *env, r *relation, name string) bool {
	for _, a := range e.attributes(r) {
		if a.name == name {
			return true
		}
	}
	return false
}

// grants parses a privilege list such as "SELECT, INSERT WITH GRANT
// OPTION" and reports whether any of them is granted.
func (c objectClass) grants(list string) (bool, error) {
	granted := false
	for _, item := range strings.Split(list, ",") {
		priv := strings.ToUpper(strings.Join(strings.Fields(item), " "))
		priv = strings.TrimSuffix(priv, " WITH GRANT OPTION")
		priv = strings.TrimSuffix(priv, " WITH ADMIN OPTION")
		ok, known := c.privileges[priv]
		if !known {
			return false, pgerr.New(pgerr.InvalidParameterValue, "unrecognized privilege type: \"%s\"", strings.TrimSpace(item)).
				WithHint("Privileges of a %s are %s.", c.name, c.privilegeNames())
		}
		granted = granted || ok
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
