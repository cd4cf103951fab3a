package system

import (
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// The object identifier types (regclass, regtype, regproc, regnamespace)
// are OIDs that read and print as names. The planner calls the *_in
// functions to cast text to them and the *_name functions to cast them
// to text; to_reg* are PostgreSQL's forgiving variants, NULL when the
// name resolves to nothing. Input accepts a numeric OID as is.

// regOutput prints an OID as name, "-" for 0 and digits for an OID that
// names nothing, as PostgreSQL's output functions do.
func regOutput(oid uint32, name func(uint32) (string, bool)) types.Datum {
	if oid == 0 {
		return types.StrDatum("-")
	}
	if s, ok := name(oid); ok {
		return types.StrDatum(s)
	}
	return types.StrDatum(strconv.FormatUint(uint64(oid), 10))
}

// notFound reports whether err means the name resolved to nothing, which
// to_reg* turn into NULL; syntax errors still fail.
func notFound(err error) bool {
	switch pgerr.Code(err) {
	case pgerr.UndefinedTable, pgerr.UndefinedSchema, pgerr.UndefinedObject, pgerr.UndefinedFunction, ambiguousFunction:
		return true
	}
	return false
}

// forgiving makes a to_reg* function from a lookup.
func forgiving(lookup func(e *env, name string) (uint32, error)) implFunc {
	return func(e *env, args []types.Datum) (types.Datum, error) {
		oid, err := lookup(e, args[0].Str)
		if notFound(err) {
			return null, nil
		}
		if err != nil {
			return null, err
		}
		return oidDatum(oid), nil
	}
}

// strictInput makes a *_in function from a lookup, accepting digits.
func strictInput(lookup func(e *env, name string) (uint32, error)) implFunc {
	return func(e *env, args []types.Datum) (types.Datum, error) {
		if oid, ok := numericOID(args[0].Str); ok {
			return oidDatum(oid), nil
		}
		oid, err := lookup(e, args[0].Str)
		if err != nil {
			return null, err
		}
		return oidDatum(oid), nil
	}
}

func lookupRelation(e *env, name string) (uint32, error) {
	r, err := e.findRelation(name)
	if err != nil {
		return 0, err
	}
	return r.oid, nil
}

var (
	toRegclass = forgiving(lookupRelation)
	regclassIn = strictInput(lookupRelation)
	toRegtype  = forgiving(lookupType)
	regtypeIn  = strictInput(lookupType)
	toRegproc  = forgiving(lookupProcedure)
	regprocIn  = strictInput(lookupProcedure)
)

func regclassName(e *env, args []types.Datum) (types.Datum, error) {
	return regOutput(oidArg(args[0]), func(oid uint32) (string, bool) {
		r := e.dir.relByOID[oid]
		if r == nil {
			return "", false
		}
		return e.qualifiedName(r), true
	}), nil
}

func regtypeName(_ *env, args []types.Datum) (types.Datum, error) {
	return regOutput(oidArg(args[0]), func(oid uint32) (string, bool) {
		t := typeByOID[oid]
		if t == nil {
			return "", false
		}
		return t.display, true
	}), nil
}

func regprocName(_ *env, args []types.Datum) (types.Datum, error) {
	return regOutput(oidArg(args[0]), func(oid uint32) (string, bool) {
		p := procByOID[oid]
		if p == nil {
			return "", false
		}
		return quoteIdent(p.name), true
	}), nil
}

func regnamespaceName(e *env, args []types.Datum) (types.Datum, error) {
	return regOutput(oidArg(args[0]), func(oid uint32) (string, bool) {
		ns := e.dir.nsByOID[oid]
		if ns == nil {
			return "", false
		}
		return quoteIdent(ns.name), true
	}), nil
}

var regnamespaceIn = strictInput(func(e *env, text string) (uint32, error) {
	name, ok := unquoteIdent(strings.TrimSpace(text))
	if !ok {
		return 0, pgerr.New(invalidName, "invalid name syntax: %s", text)
	}
	ns := e.dir.nsByName[name]
	if ns == nil {
		return 0, pgerr.New(pgerr.UndefinedSchema, "schema \"%s\" does not exist", name)
	}
	return ns.oid, nil
})

// lookupType resolves a type name as regtype input does: PostgreSQL's
// internal names (int4, _text), SQL spellings (integer, character
// varying, double precision), an optional pg_catalog qualification, a
// modifier that is ignored, and [] for the array type.
func lookupType(_ *env, text string) (uint32, error) {
	missing := pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", text)
	name := strings.ToLower(strings.Join(strings.Fields(text), " "))
	name = strings.TrimPrefix(strings.TrimPrefix(name, "pg_catalog."), `"pg_catalog".`)
	array := strings.HasSuffix(name, "[]")
	name = strings.TrimSpace(strings.TrimSuffix(name, "[]"))
	if open := strings.IndexByte(name, '('); open >= 0 {
		closing := strings.IndexByte(name, ')')
		if closing < open {
			return 0, pgerr.New(pgerr.SyntaxError, "invalid type name \"%s\"", text)
		}
		// A modifier sits before any "with/without time zone" suffix.
		name = strings.TrimSpace(name[:open] + name[closing+1:])
		name = strings.Join(strings.Fields(name), " ")
	}
	t := typeByName[strings.Trim(name, `"`)]
	if t == nil || name == "char" {
		// "char" unquoted is SQL's character(1); quoted it is the
		// internal single-byte type, which typeByName holds as "char".
		t = nil
		if sqlType, ok := types.ByName(name); ok && !strings.HasSuffix(name, "serial") {
			t = typeOf(sqlType)
		}
	}
	if t == nil {
		return 0, missing
	}
	if !array {
		return t.oid, nil
	}
	if t.array == 0 {
		return 0, missing
	}
	return t.array, nil
}

// lookupProcedure resolves a function name as regproc input does: the
// name must be unique among pg_proc's functions.
func lookupProcedure(_ *env, text string) (uint32, error) {
	parts, err := parseQualifiedName(text)
	if err != nil {
		return 0, err
	}
	if len(parts) == 2 && parts[0] == PgCatalog {
		parts = parts[1:]
	}
	if len(parts) != 1 {
		return 0, pgerr.New(pgerr.UndefinedFunction, "function \"%s\" does not exist", text)
	}
	var found []*procedure
	for _, p := range procedures {
		if p.name == parts[0] {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return 0, pgerr.New(pgerr.UndefinedFunction, "function \"%s\" does not exist", text)
	case 1:
		return found[0].oid, nil
	}
	return 0, pgerr.New(ambiguousFunction, "more than one function named \"%s\"", text).
		WithHint("Use regprocedure with the argument types, or compare OIDs.")
}

// regOutputs are the output functions of the OID alias types.
var regOutputs = map[types.Kind]implFunc{
	types.RegClass: regclassName, types.RegType: regtypeName, types.RegProc: regprocName, types.RegNamespace: regnamespaceName,
}

// RegNamer returns the output function of an OID alias type (regclass,
// regtype, regproc, regnamespace) for one result: the name of the object
// an OID stands for, or the OID when no object has it, as PostgreSQL's
// regclassout and friends print them. ok is false for other types. info
// is asked only for an OID alias type, which spares the others (every
// column of every result) the cost of gathering it.
func RegNamer(info func() *Info, t types.Type) (name func(oid uint32) string, ok bool) {
	out, ok := regOutputs[t.Kind]
	if !ok {
		return nil, false
	}
	e := newEnv(info())
	return func(oid uint32) string {
		d, _ := out(e, []types.Datum{oidDatum(oid)})
		return d.Str
	}, true
}
