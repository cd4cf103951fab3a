package system

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

type implFunc = func(e *env, args []types.Datum) (types.Datum, error)

// processStart is when the server process started, for
// pg_postmaster_start_time.
var processStart = time.Now()

// SQLSTATEs pgerr has no name for.
const (
	undefinedDatabase = "3D000"
	ambiguousFunction = "42725"
)

// defaultServerVersion is version()'s version when the session has no
// server_version setting.
const defaultServerVersion = "15.0 (Junction)"

var null = types.NullDatum

func oidArg(d types.Datum) uint32 { return uint32(d.Int) }

func oidDatum(oid uint32) types.Datum { return types.IntDatum(int64(oid)) }

// catalogFunctions lists every function this package implements. Those
// with an OID are PostgreSQL's own and appear in pg_proc under it.
func catalogFunctions() []*overload {
	fns := []*overload{
		stable(2079, "pg_table_is_visible", tBool, ps(pOID), tableIsVisible),
		stable(2080, "pg_type_is_visible", tBool, ps(pOID), existsIn(func(e *env, oid uint32) bool { return typeByOID[oid] != nil })),
		stable(2081, "pg_function_is_visible", tBool, ps(pOID), existsIn(func(e *env, oid uint32) bool { return procByOID[oid] != nil })),
		stable(3815, "pg_collation_is_visible", tBool, ps(pOID), existsIn(func(e *env, oid uint32) bool { return collationByOID(oid) != nil })),
		stable(2093, "pg_conversion_is_visible", tBool, ps(pOID), existsIn(func(*env, uint32) bool { return false })),
		nonStrict(stable(1081, "format_type", tText, ps(pOID, pInt4), formatTypeFunc)),
		stable(1642, "pg_get_userbyid", tName, ps(pOID), userByID),
		stable(1215, "obj_description", tText, ps(pOID, pName), objDescription),
		stable(1348, "obj_description", tText, ps(pOID), objDescription),
		stable(1216, "col_description", tText, ps(pOID, pInt4), colDescription),
		stable(1993, "shobj_description", tText, ps(pOID, pName), sharedDescription),
		stable(1716, "pg_get_expr", tText, ps(pNodeTree, pOID), nodeTreeInput),
		stable(2509, "pg_get_expr", tText, ps(pNodeTree, pOID, pBool), nodeTreeInput),
		stable(1643, "pg_get_indexdef", tText, ps(pOID), indexDefByOID),
		stable(2507, "pg_get_indexdef", tText, ps(pOID, pInt4, pBool), indexDefByOID),
		stable(1387, "pg_get_constraintdef", tText, ps(pOID), constraintDefByOID),
		stable(2508, "pg_get_constraintdef", tText, ps(pOID, pBool), constraintDefByOID),
		stable(1573, "pg_get_ruledef", tText, ps(pOID), noSuchObject),
		stable(2504, "pg_get_ruledef", tText, ps(pOID, pBool), noSuchObject),
		stable(1662, "pg_get_triggerdef", tText, ps(pOID), noSuchObject),
		stable(2730, "pg_get_triggerdef", tText, ps(pOID, pBool), noSuchObject),
		stable(3352, "pg_get_partkeydef", tText, ps(pOID), noSuchObject),
		stable(6174, "pg_get_statisticsobjdef_columns", tText, ps(pOID), noSuchObject),
		stable(1641, "pg_get_viewdef", tText, ps(pOID), viewDefByOID),
		stable(2506, "pg_get_viewdef", tText, ps(pOID, pBool), viewDefByOID),
		stable(3159, "pg_get_viewdef", tText, ps(pOID, pInt4), viewDefByOID),
		stable(1640, "pg_get_viewdef", tText, ps(pText), viewDefByName),
		stable(2505, "pg_get_viewdef", tText, ps(pText, pBool), viewDefByName),
		stable(2165, "pg_get_function_result", tText, ps(pOID), functionResult),
		stable(2162, "pg_get_function_arguments", tText, ps(pOID), functionArguments),
		stable(2232, "pg_get_function_identity_arguments", tText, ps(pOID), functionArguments),
		stable(1665, "pg_get_serial_sequence", tText, ps(pText, pText), serialSequence),
		stable(1597, "pg_encoding_to_char", tName, ps(pInt4), encodingToChar),
		stable(1264, "pg_char_to_encoding", tInt4, ps(pName), charToEncoding),
		stable(3778, "pg_tablespace_location", tText, ps(pOID), tablespaceLocation),
		stable(1402, "current_schema", tName, nil, currentSchema),
		stable(1403, "current_schemas", tTextArray, ps(pBool), currentSchemas),
		stable(745, "current_user", tName, nil, currentUser),
		stable(746, "session_user", tName, nil, sessionUser),
		stable(0, "user", tName, nil, currentUser),
		stable(0, "current_role", tName, nil, currentUser),
		stable(861, "current_database", tName, nil, currentDatabase),
		stable(0, "current_catalog", tName, nil, currentDatabase),
		stable(89, "version", tText, nil, version),
		stable(2026, "pg_backend_pid", tInt4, nil, backendPID),
		stable(2560, "pg_postmaster_start_time", tTimestampTZ, nil, postmasterStartTime),
		stable(2077, "current_setting", tText, ps(pText), currentSetting),
		stable(3294, "current_setting", tText, ps(pText, pBool), currentSetting),
		nonStrict(volatile(2078, "set_config", tText, ps(pText, pText, pBool), setConfig)),
		immutable(1282, "quote_ident", tText, ps(pText), quoteIdentFunc),
		immutable(1283, "quote_literal", tText, ps(pText), quoteLiteral),
		nonStrict(immutable(1289, "quote_nullable", tText, ps(pText), quoteNullable)),
		stable(3537, "pg_describe_object", tText, ps(pOID, pOID, pInt4), describeObject),
		stable(6197, "pg_get_function_sqlbody", tText, ps(pOID), noSuchObject),
		volatile(2325, "pg_relation_size", tInt8, ps(pRegClass), relationSize),
		volatile(2332, "pg_relation_size", tInt8, ps(pRegClass, pText), relationSize),
		volatile(2286, "pg_total_relation_size", tInt8, ps(pRegClass), relationSize),
		volatile(2997, "pg_table_size", tInt8, ps(pRegClass), relationSize),
		volatile(2998, "pg_indexes_size", tInt8, ps(pRegClass), relationSize),
		volatile(2168, "pg_database_size", tInt8, ps(pName), databaseSizeByName),
		volatile(2324, "pg_database_size", tInt8, ps(pOID), databaseSizeByOID),
		immutable(2288, "pg_size_pretty", tText, ps(pInt8), sizePretty),
		immutable(3166, "pg_size_pretty", tText, ps(pNumeric), sizePrettyNumeric),
		stable(395, "array_to_string", tText, ps(pAnyArray, pText), arrayToString),
		nonStrict(stable(384, "array_to_string", tText, ps(pAnyArray, pText, pText), arrayToString)),
		volatile(3810, "pg_is_in_recovery", tBool, nil, constant(types.BoolDatum(false))),
		volatile(3073, "pg_is_wal_replay_paused", tBool, nil, walReplayPaused),
		stable(1928, "pg_stat_get_numscans", tInt8, ps(pOID), indexScans),
		stable(6121, "pg_relation_is_publishable", tBool, ps(pRegClass), relationIsPublishable),
		stable(2854, "pg_my_temp_schema", tOID, nil, constant(oidDatum(0))),
		stable(2855, "pg_is_other_temp_schema", tBool, ps(pOID), constant(types.BoolDatum(false))),
		stable(3495, "to_regclass", tRegClass, ps(pText), toRegclass),
		stable(0, "regclass_in", tRegClass, ps(pText), regclassIn),
		stable(0, "regclass_name", tText, ps(pOID), regclassName),
		stable(3493, "to_regtype", tRegType, ps(pText), toRegtype),
		stable(0, "regtype_in", tRegType, ps(pText), regtypeIn),
		stable(0, "regtype_name", tText, ps(pOID), regtypeName),
		stable(3494, "to_regproc", tRegProc, ps(pText), toRegproc),
		stable(0, "regproc_in", tRegProc, ps(pText), regprocIn),
		stable(0, "regproc_name", tText, ps(pOID), regprocName),
		stable(0, "regnamespace_in", tOID, ps(pText), regnamespaceIn),
		stable(0, "regnamespace_name", tText, ps(pOID), regnamespaceName),
	}
	return append(fns, privilegeFunctions()...)
}

func ps(p ...param) []param { return p }

func stable(oid uint32, name string, result types.Type, params []param, impl implFunc) *overload {
	return &overload{oid: oid, name: name, params: params, result: result, volatile: 's', strict: true, impl: impl}
}

func immutable(oid uint32, name string, result types.Type, params []param, impl implFunc) *overload {
	o := stable(oid, name, result, params, impl)
	o.volatile = 'i'
	return o
}

func volatile(oid uint32, name string, result types.Type, params []param, impl implFunc) *overload {
	o := stable(oid, name, result, params, impl)
	o.volatile = 'v'
	return o
}

// nonStrict marks a function that handles NULL arguments itself.
func nonStrict(o *overload) *overload {
	o.strict = false
	return o
}

func constant(d types.Datum) implFunc {
	return func(*env, []types.Datum) (types.Datum, error) { return d, nil }
}

// noSuchObject answers the functions that describe objects Junction never
// has (indexes, constraints, rules, triggers, partition keys, extended
// statistics, comments on shared objects, SQL-standard function bodies):
// like PostgreSQL for an OID that names no such object, they return NULL.
func noSuchObject(*env, []types.Datum) (types.Datum, error) { return null, nil }

// existsIn makes a pg_*_is_visible function for objects that all live in
// pg_catalog: visible if they exist, NULL for an unknown OID.
func existsIn(exists func(e *env, oid uint32) bool) implFunc {
	return func(e *env, args []types.Datum) (types.Datum, error) {
		if !exists(e, oidArg(args[0])) {
			return null, nil
		}
		return types.BoolDatum(true), nil
	}
}

func tableIsVisible(e *env, args []types.Datum) (types.Datum, error) {
	r := e.dir.relByOID[oidArg(args[0])]
	if r == nil {
		return null, nil
	}
	return types.BoolDatum(e.visible(r)), nil
}

func formatTypeFunc(_ *env, args []types.Datum) (types.Datum, error) {
	if args[0].Null {
		return null, nil
	}
	return types.StrDatum(formatType(oidArg(args[0]), int32(args[1].Int), !args[1].Null)), nil
}

func userByID(e *env, args []types.Datum) (types.Datum, error) {
	oid := oidArg(args[0])
	name, ok := e.roleName(oid)
	if !ok {
		return types.StrDatum(fmt.Sprintf("unknown (OID=%d)", oid)), nil
	}
	return types.StrDatum(name), nil
}

func objDescription(e *env, args []types.Datum) (types.Datum, error) {
	classOID := uint32(0)
	if len(args) == 2 {
		catalogTable := e.dir.relByName[e.dir.nsByName[PgCatalog]][args[1].Str]
		if catalogTable == nil {
			return null, nil
		}
		classOID = catalogTable.oid
	}
	return e.description(oidArg(args[0]), classOID, 0), nil
}

func colDescription(e *env, args []types.Datum) (types.Datum, error) {
	return e.description(oidArg(args[0]), pgClassOID, int32(args[1].Int)), nil
}

// description looks a comment up in pg_description; classOID 0 matches
// any catalog, as one-argument obj_description does.
func (e *env) description(objOID, classOID uint32, subID int32) types.Datum {
	for _, d := range e.descriptions() {
		if d.objOID == objOID && (classOID == 0 || d.classOID == classOID) && d.subID == subID {
			return types.StrDatum(d.text)
		}
	}
	return null
}

// nodeTreeInput is pg_get_expr: the one pg_node_tree Junction writes is
// a policy's expression (pg_policy.polqual); any other value was typed by
// hand, which PostgreSQL refuses.
func nodeTreeInput(_ *env, args []types.Datum) (types.Datum, error) {
	if sql, ok := exprOfNodeTree(args[0].Str); ok {
		return types.StrDatum(sql), nil
	}
	return null, pgerr.New(pgerr.FeatureNotSupported, "cannot accept a value of type pg_node_tree").
		WithHint("pg_get_expr decompiles expression trees read from system catalog columns.")
}

func viewDefByOID(e *env, args []types.Datum) (types.Datum, error) {
	return viewDefinition(e.dir.relByOID[oidArg(args[0])]), nil
}

func viewDefByName(e *env, args []types.Datum) (types.Datum, error) {
	r, err := e.findRelation(args[0].Str)
	if err != nil {
		return null, err
	}
	return viewDefinition(r), nil
}

// viewDefinition is the stored query of a Junction view; the definitions
// of remote views stay at their source, and other relations have none.
func viewDefinition(r *relation) types.Datum {
	switch {
	case r == nil:
		return null
	case r.matview != nil:
		return types.StrDatum(r.matview.SQL)
	case r.view == nil:
		return null
	}
	return types.StrDatum(r.view.SQL)
}

func functionResult(_ *env, args []types.Datum) (types.Datum, error) {
	p := procByOID[oidArg(args[0])]
	if p == nil {
		return null, nil
	}
	return types.StrDatum(formatType(p.result, -1, false)), nil
}

func functionArguments(_ *env, args []types.Datum) (types.Datum, error) {
	p := procByOID[oidArg(args[0])]
	if p == nil {
		return null, nil
	}
	names := make([]string, len(p.args))
	for i, a := range p.args {
		names[i] = formatType(a, -1, false)
	}
	if a := aggregateOIDs[p.oid]; a != nil {
		return types.StrDatum(aggregateArguments(a, names)), nil
	}
	return types.StrDatum(strings.Join(names, ", ")), nil
}

// serialSequence checks the table and column like PostgreSQL and answers
// NULL: source columns never own a Junction sequence.
func serialSequence(e *env, args []types.Datum) (types.Datum, error) {
	r, err := e.findRelation(args[0].Str)
	if err != nil {
		return null, err
	}
	column, ok := unquoteIdent(args[1].Str)
	if ok {
		ok = false
		for _, a := range e.attributes(r) {
			ok = ok || a.name == column
		}
	}
	if !ok {
		return null, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", args[1].Str, r.name)
	}
	return null, nil
}

// encodings are PostgreSQL's server encodings by number.
var encodings = strings.Fields(`SQL_ASCII EUC_JP EUC_CN EUC_KR EUC_TW EUC_JIS_2004 UTF8
	MULE_INTERNAL LATIN1 LATIN2 LATIN3 LATIN4 LATIN5 LATIN6 LATIN7 LATIN8 LATIN9 LATIN10
	WIN1256 WIN1258 WIN866 WIN874 KOI8R WIN1251 WIN1252 ISO_8859_5 ISO_8859_6 ISO_8859_7
	ISO_8859_8 WIN1250 WIN1253 WIN1254 WIN1255 WIN1257 KOI8U SJIS BIG5 GBK UHC GB18030
	JOHAB SHIFT_JIS_2004`)

// utf8Encoding is the number of UTF8, Junction's only encoding.
const utf8Encoding = 6

func encodingToChar(_ *env, args []types.Datum) (types.Datum, error) {
	if n := args[0].Int; n >= 0 && n < int64(len(encodings)) {
		return types.StrDatum(encodings[n]), nil
	}
	return types.StrDatum(""), nil
}

// charToEncoding matches names as PostgreSQL does, ignoring case and
// punctuation, so "utf-8" is UTF8.
func charToEncoding(_ *env, args []types.Datum) (types.Datum, error) {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, strings.ToLower(s))
	}
	want := clean(args[0].Str)
	for i, name := range encodings {
		if clean(name) == want {
			return types.IntDatum(int64(i)), nil
		}
	}
	return types.IntDatum(-1), nil
}

func tablespaceLocation(_ *env, args []types.Datum) (types.Datum, error) {
	switch oid := oidArg(args[0]); oid {
	case 0, defaultTablespaceOID, globalTablespaceOID:
		return types.StrDatum(""), nil
	default:
		return null, pgerr.New(pgerr.UndefinedObject, "tablespace with OID %d does not exist", oid)
	}
}

func currentSchema(e *env, _ []types.Datum) (types.Datum, error) {
	if explicit := e.explicitPath(); len(explicit) > 0 {
		return types.StrDatum(explicit[0].name), nil
	}
	return null, nil
}

// currentSchemas lists the search path; without implicit schemas it
// leaves out pg_catalog and the source schemas Junction adds, which is
// what search_path itself names.
func currentSchemas(e *env, args []types.Datum) (types.Datum, error) {
	path := e.explicitPath()
	if args[0].Bool {
		path = e.searchPath()
	}
	names := make([]string, len(path))
	for i, ns := range path {
		names[i] = ns.name
	}
	return types.StrDatum(textArray(names)), nil
}

func currentUser(e *env, _ []types.Datum) (types.Datum, error) {
	return types.StrDatum(e.user()), nil
}

func sessionUser(e *env, _ []types.Datum) (types.Datum, error) {
	if e.info.SessionUser == "" {
		return currentUser(e, nil)
	}
	return types.StrDatum(e.info.SessionUser), nil
}

func currentDatabase(e *env, _ []types.Datum) (types.Datum, error) {
	return types.StrDatum(e.database()), nil
}

// version starts like PostgreSQL's, which drivers parse for the server
// version, and names Junction in the version's parentheses.
func version(e *env, _ []types.Datum) (types.Datum, error) {
	v, ok := e.setting("server_version")
	if !ok {
		v = defaultServerVersion
	}
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "i686"}[runtime.GOARCH]
	if arch == "" {
		arch = runtime.GOARCH
	}
	return types.StrDatum(fmt.Sprintf("PostgreSQL %s on %s-%s, compiled by %s, %d-bit", v, arch, runtime.GOOS, runtime.Version(), strconv.IntSize)), nil
}

func backendPID(e *env, _ []types.Datum) (types.Datum, error) {
	return types.IntDatum(int64(e.info.BackendPID)), nil
}

func postmasterStartTime(*env, []types.Datum) (types.Datum, error) {
	return timestampDatum(processStart), nil
}

func currentSetting(e *env, args []types.Datum) (types.Datum, error) {
	if v, ok := e.setting(args[0].Str); ok {
		return types.StrDatum(v), nil
	}
	if len(args) == 2 && args[1].Bool {
		return null, nil
	}
	return null, pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", args[0].Str)
}

// setConfig is set_config(name, value, is_local).
func setConfig(e *env, args []types.Datum) (types.Datum, error) {
	if args[0].Null {
		return null, pgerr.New("22004", "SET requires parameter name")
	}
	if e.info.SetConfig == nil {
		return null, pgerr.NotSupported("set_config outside a session")
	}
	if args[1].Null {
		return null, pgerr.NotSupported("set_config with a NULL value (use RESET)")
	}
	v, err := e.info.SetConfig(args[0].Str, args[1].Str, !args[2].Null && args[2].Bool)
	if err != nil {
		return null, err
	}
	return types.StrDatum(v), nil
}

func quoteIdentFunc(_ *env, args []types.Datum) (types.Datum, error) {
	return types.StrDatum(quoteIdent(args[0].Str)), nil
}

// relationSize is 0 for every relation: Junction stores no data; the
// sizes of remote tables are their sources' business.
func relationSize(e *env, args []types.Datum) (types.Datum, error) {
	if len(args) == 2 {
		switch args[1].Str {
		case "main", "fsm", "vm", "init":
		default:
			return null, pgerr.New(pgerr.InvalidParameterValue, "invalid fork name").
				WithHint("Valid fork names are \"main\", \"fsm\", \"vm\", and \"init\".")
		}
	}
	if e.dir.relByOID[oidArg(args[0])] == nil {
		return null, nil
	}
	return types.IntDatum(0), nil
}

func databaseSizeByName(e *env, args []types.Datum) (types.Datum, error) {
	for _, db := range e.databases() {
		if db.name == args[0].Str {
			return types.IntDatum(0), nil
		}
	}
	return null, pgerr.New(undefinedDatabase, "database \"%s\" does not exist", args[0].Str)
}

func databaseSizeByOID(e *env, args []types.Datum) (types.Datum, error) {
	for _, db := range e.databases() {
		if db.oid == oidArg(args[0]) {
			return types.IntDatum(0), nil
		}
	}
	return null, nil
}

// sizeUnit is one step of pg_size_pretty: a value below limit is printed
// in this unit, halved with rounding first when round is set.
type sizeUnit struct {
	name  string
	limit int64
	round bool
	bits  uint
}

var sizeUnits = []sizeUnit{
	{"bytes", 10 * 1024, false, 0},
	{"kB", 20*1024 - 1, true, 10},
	{"MB", 20*1024 - 1, true, 20},
	{"GB", 20*1024 - 1, true, 30},
	{"TB", 20*1024 - 1, true, 40},
	{"PB", 20*1024 - 1, true, 50},
}

// divisorBits is how far to shift between unit i and the next: one bit
// less when the next unit halves with rounding, one more when this one does.
func divisorBits(i int) uint {
	bits := sizeUnits[i+1].bits - sizeUnits[i].bits
	if sizeUnits[i+1].round {
		bits--
	}
	if sizeUnits[i].round {
		bits++
	}
	return bits
}

func sizePretty(_ *env, args []types.Datum) (types.Datum, error) {
	size := args[0].Int
	for i, u := range sizeUnits {
		abs := size
		if abs < 0 {
			abs = -abs
		}
		if i == len(sizeUnits)-1 || abs < u.limit {
			if u.round {
				if size < 0 {
					size = (size - 1) / 2
				} else {
					size = (size + 1) / 2
				}
			}
			return types.StrDatum(fmt.Sprintf("%d %s", size, u.name)), nil
		}
		size /= int64(1) << divisorBits(i)
	}
	return null, nil
}

func sizePrettyNumeric(_ *env, args []types.Datum) (types.Datum, error) {
	size := args[0].Dec
	if types.IsNumericSpecial(size) {
		// No comparison with a unit's limit holds for them.
		return types.StrDatum(types.FormatText(types.TNumeric, args[0]) + " " + sizeUnits[len(sizeUnits)-1].name), nil
	}
	one, two := decimal.NewFromInt(1), decimal.NewFromInt(2)
	for i, u := range sizeUnits {
		if i == len(sizeUnits)-1 || size.Abs().LessThan(decimal.NewFromInt(u.limit)) {
			if u.round {
				if size.Sign() >= 0 {
					size = size.Add(one)
				} else {
					size = size.Sub(one)
				}
				size = size.Div(two).Truncate(0)
			}
			return types.StrDatum(numericText(size) + " " + u.name), nil
		}
		size = size.Div(decimal.NewFromInt(int64(1) << divisorBits(i))).Truncate(0)
	}
	return null, nil
}

// arrayToString joins the non-NULL elements of an array, or writes
// NULL elements as the third argument when it is given and not NULL.
func arrayToString(_ *env, args []types.Datum) (types.Datum, error) {
	if args[0].Null || args[1].Null {
		return null, nil
	}
	elems, err := parseArray(args[0].Str)
	if err != nil {
		return null, err
	}
	var nullAs *string
	if len(args) == 3 && !args[2].Null {
		nullAs = &args[2].Str
	}
	parts := make([]string, 0, len(elems))
	for _, el := range elems {
		switch {
		case el != nil:
			parts = append(parts, *el)
		case nullAs != nil:
			parts = append(parts, *nullAs)
		}
	}
	return types.StrDatum(strings.Join(parts, args[1].Str)), nil
}

// relationIsPublishable is false for every relation: Junction has no
// logical replication.
func relationIsPublishable(e *env, args []types.Datum) (types.Datum, error) {
	if e.dir.relByOID[oidArg(args[0])] == nil {
		return null, nil
	}
	return types.BoolDatum(false), nil
}

// numericText prints a numeric with its display scale, as PostgreSQL does.
func numericText(d decimal.Decimal) string {
	if exp := d.Exponent(); exp < 0 {
		return d.StringFixed(-exp)
	}
	return d.String()
}
