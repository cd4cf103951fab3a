package system

import (
	"sort"
	"strconv"
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
)

// OIDs of catalog objects that other rows refer to.
const (
	pgClassOID           = 1259
	pgNamespaceOID       = 2615
	defaultTablespaceOID = 1663
	globalTablespaceOID  = 1664
	internalLanguageOID  = 12
	junctionDatabaseOID  = 16100
)

// junctionDatabase is the database every connection reaches, whatever
// name the client asked for.
const junctionDatabase = "junction"

func pgCatalogTables() []*sysTable {
	pg := func(oid uint32, name string, kind byte, cols []column, fill func(*env, *rowSet)) *sysTable {
		return &sysTable{schema: PgCatalog, name: name, oid: oid, kind: kind, cols: cols, fill: fill}
	}
	return []*sysTable{
		pg(1213, "pg_tablespace", 'r', pgTablespaceColumns, fillTablespace),
		pg(1247, "pg_type", 'r', pgTypeColumns, fillType),
		pg(1249, "pg_attribute", 'r', pgAttributeColumns, fillAttribute),
		pg(1255, "pg_proc", 'r', pgProcColumns, fillProc),
		pg(2600, "pg_aggregate", 'r', pgAggregateColumns, fillAggregate),
		pg(pgClassOID, "pg_class", 'r', pgClassColumns, fillClass),
		pg(pgAuthIDOID, "pg_authid", 'r', pgAuthIDColumns, fillAuthID),
		pg(1261, "pg_auth_members", 'r', pgAuthMembersColumns, fillAuthMembers),
		pg(1262, "pg_database", 'r', pgDatabaseColumns, fillDatabase),
		pg(1417, "pg_foreign_server", 'r', pgForeignServerColumns, fillForeignServer),
		pg(2224, "pg_sequence", 'r', pgSequenceColumns, nil),
		pg(2328, "pg_foreign_data_wrapper", 'r', pgForeignDataWrapperColumns, fillForeignDataWrapper),
		pg(2396, "pg_shdescription", 'r', pgShdescriptionColumns, fillShdescription),
		pg(2601, "pg_am", 'r', pgAmColumns, fillAm),
		pg(2604, "pg_attrdef", 'r', pgAttrdefColumns, nil),
		pg(2606, "pg_constraint", 'r', pgConstraintColumns, fillConstraint),
		pg(2607, "pg_conversion", 'r', pgConversionColumns, nil),
		pg(2608, "pg_depend", 'r', pgDependColumns, nil),
		pg(2609, "pg_description", 'r', pgDescriptionColumns, fillDescription),
		pg(2610, "pg_index", 'r', pgIndexColumns, fillIndex),
		pg(2611, "pg_inherits", 'r', pgInheritsColumns, nil),
		pg(2612, "pg_language", 'r', pgLanguageColumns, fillLanguage),
		pg(pgNamespaceOID, "pg_namespace", 'r', pgNamespaceColumns, fillNamespace),
		pg(2618, "pg_rewrite", 'r', pgRewriteColumns, nil),
		pg(2620, "pg_trigger", 'r', pgTriggerColumns, nil),
		pg(3079, "pg_extension", 'r', pgExtensionColumns, nil),
		pg(3118, "pg_foreign_table", 'r', pgForeignTableColumns, fillForeignTable),
		pg(3256, "pg_policy", 'r', pgPolicyColumns, fillPolicy),
		pg(3592, "pg_shseclabel", 'r', pgShseclabelColumns, fillShseclabel),
		pg(3596, "pg_seclabel", 'r', pgSeclabelColumns, fillSeclabel),
		pg(3350, "pg_partitioned_table", 'r', pgPartitionedTableColumns, nil),
		pg(3381, "pg_statistic_ext", 'r', pgStatisticExtColumns, nil),
		pg(3456, "pg_collation", 'r', pgCollationColumns, fillCollation),
		pg(3466, "pg_event_trigger", 'r', pgEventTriggerColumns, nil),
		pg(3501, "pg_enum", 'r', pgEnumColumns, nil),
		pg(3541, "pg_range", 'r', pgRangeColumns, nil),
		pg(6104, "pg_publication", 'r', pgPublicationColumns, nil),
		pg(6106, "pg_publication_rel", 'r', pgPublicationRelColumns, nil),
		pg(6237, "pg_publication_namespace", 'r', pgPublicationNamespaceColumns, nil),
		pg(12000, "pg_roles", 'v', pgRolesColumns, fillRoles),
		pg(12014, "pg_user", 'v', pgUserColumns, fillUser),
		pg(12018, "pg_policies", 'v', pgPoliciesColumns, fillPolicies),
		pg(12028, "pg_views", 'v', pgViewsColumns, fillViews),
		pg(12033, "pg_tables", 'v', pgTablesColumns, fillPgTables),
		pg(12038, "pg_matviews", 'v', pgMatviewsColumns, fillMatViews),
		pg(12043, "pg_indexes", 'v', pgIndexesColumns, fillPgIndexes),
		pg(12048, "pg_sequences", 'v', pgSequencesColumns, nil),
		pg(12327, "pg_user_mappings", 'v', pgUserMappingsColumns, fillUserMappings),
		pg(12077, "pg_cursors", 'v', pgCursorsColumns, fillCursors),
		pg(12099, "pg_seclabels", 'v', pgSeclabelsColumns, fillSeclabels),
		pg(12104, "pg_settings", 'v', pgSettingsColumns, fillSettings),
		pg(12222, "pg_stat_activity", 'v', pgStatActivityColumns, fillStatActivity),
		pg(12253, "pg_stat_gssapi", 'v', pgStatGssapiColumns, fillStatGssapi),
	}
}

func fillNamespace(e *env, out *rowSet) {
	for _, ns := range e.dir.namespaces {
		out.add("oid", ns.oid, "nspname", ns.name, "nspowner", e.ownerOID(e.namespaceOwner(ns)), "nspacl", e.aclOf(ns, nil))
	}
}

func fillClass(e *env, out *rowSet) {
	for _, r := range e.dir.relations {
		// -1 is PostgreSQL's "never analyzed".
		tuples := -1.0
		if r.table != nil && r.table.RowEstimate >= 0 {
			tuples = float64(r.table.RowEstimate)
		}
		replIdent := 'd'
		if r.kind == 'v' {
			replIdent = 'n'
		}
		var options any // NULL: no options
		if r.view != nil && r.view.SecurityInvoker {
			options = textArray([]string{"security_invoker=true"})
		}
		out.add("oid", r.oid, "relname", r.name, "relnamespace", r.ns.oid, "relowner", e.ownerOID(e.relationOwner(r)),
			"reltuples", tuples, "relpersistence", 'p', "relkind", rune(r.kind), "relnatts", r.columnCount(),
			"relispopulated", e.populated(r), "relreplident", replIdent, "relhasindex", r.hasIndexes(), "relrowsecurity", e.rowSecurity(r),
			"relacl", e.aclOf(r.ns, r), "reloptions", options)
	}
	fillIndexClass(e, out)
}

func fillAttribute(e *env, out *rowSet) {
	rels := e.dir.relations
	for _, ix := range e.dir.indexes {
		rels = append(rels[:len(rels):len(rels)], ix.rel)
	}
	for _, r := range rels {
		for i, a := range e.attributes(r) {
			t := typeOf(a.typ)
			dims := 0
			if t.input == arrayInOID {
				dims = 1
			}
			out.add("attrelid", r.oid, "attname", a.name, "atttypid", t.oid, "attstattarget", -1,
				"attlen", t.length, "attnum", i+1, "attndims", dims, "attcacheoff", -1,
				"atttypmod", a.typ.Modifier(), "attbyval", t.byVal(), "attalign", rune(t.align),
				"attstorage", rune(t.storage), "attnotnull", a.notNull, "attislocal", true,
				"attcollation", t.collation)
		}
	}
}

func fillType(_ *env, out *rowSet) {
	for _, t := range pgTypes {
		out.add("oid", t.oid, "typname", t.name, "typnamespace", uint32(PgCatalogOID), "typowner", uint32(superuserOID),
			"typlen", t.length, "typbyval", t.byVal(), "typtype", rune(t.typtype), "typcategory", rune(t.category),
			"typispreferred", t.preferred, "typisdefined", true, "typdelim", ',', "typelem", t.elem,
			"typarray", t.array, "typinput", t.input, "typoutput", t.output, "typreceive", t.receive,
			"typsend", t.send, "typalign", rune(t.align), "typstorage", rune(t.storage), "typtypmod", -1,
			"typcollation", t.collation)
	}
}

func fillProc(_ *env, out *rowSet) {
	for _, p := range procedures {
		args := make([]string, len(p.args))
		for i, a := range p.args {
			args[i] = strconv.FormatUint(uint64(a), 10)
		}
		out.add("oid", p.oid, "proname", p.name, "pronamespace", uint32(PgCatalogOID), "proowner", uint32(superuserOID),
			"prolang", uint32(internalLanguageOID), "procost", 1.0, "prokind", p.kind(), "proisstrict", p.strict,
			"provolatile", rune(p.volatile), "proparallel", 's', "pronargs", len(p.args), "prorettype", p.result,
			"proargtypes", strings.Join(args, " "), "prosrc", p.name)
	}
}

// database is one row of pg_database.
type database struct {
	oid  uint32
	name string
}

// databases lists "junction" and, when the client connected under another
// name, that name too: every name reaches the same catalog.
func (e *env) databases() []database {
	out := []database{{junctionDatabaseOID, junctionDatabase}}
	if name := e.database(); name != junctionDatabase {
		out = append(out, database{derivedOID("database", name, map[uint32]bool{}), name})
	}
	return out
}

func fillDatabase(e *env, out *rowSet) {
	for _, db := range e.databases() {
		out.add("oid", db.oid, "datname", db.name, "datdba", uint32(superuserOID), "encoding", utf8Encoding,
			"datlocprovider", 'c', "datallowconn", true, "datconnlimit", -1,
			"dattablespace", uint32(defaultTablespaceOID), "datcollate", "C", "datctype", "C")
	}
}

// fillUserMappings lists the servers' user mappings. umoptions never
// shows a password, to anyone: PostgreSQL hides the options from users
// other than the server's owner and the mapped user, and Junction's
// superusers share the server. umuser is 0 for PUBLIC, as in PostgreSQL,
// and the role's OID for a role's mappings (null for a name that is no
// role, as a server trusting every client allows). Mappings have no OID
// of their own, so umid is null.
func fillUserMappings(e *env, out *rowSet) {
	for _, ns := range e.dir.namespaces {
		if ns.source == nil || ns.remoteSchema != "" {
			continue
		}
		for _, user := range ns.source.MappingUsers() {
			opts := make([]string, 0, len(ns.source.UserMappings[user]))
			for k, v := range ns.source.UserMappings[user] {
				if !catalog.SecretOptions[k] {
					opts = append(opts, k+"="+v)
				}
			}
			sort.Strings(opts)
			row := []any{"srvid", ns.source.OID, "srvname", ns.name, "usename", user, "umoptions", textArray(opts)}
			if user == catalog.PublicMapping {
				row = append(row, "umuser", uint32(0))
			} else if oid, ok := e.roleOID(user); ok {
				row = append(row, "umuser", oid)
			}
			out.add(row...)
		}
	}
}

// description is one row of pg_description.
type description struct {
	objOID, classOID uint32
	subID            int32
	text             string
}

// descriptions are the comments on schemas and system tables.
func (e *env) descriptions() []description {
	var out []description
	for _, ns := range e.dir.namespaces {
		if ns.comment != "" {
			out = append(out, description{ns.oid, pgNamespaceOID, 0, ns.comment})
		}
	}
	for _, r := range e.dir.relations {
		if r.sys != nil && r.sys.comment != "" {
			out = append(out, description{r.oid, pgClassOID, 0, r.sys.comment})
		}
		if r.table == nil {
			continue
		}
		if r.table.Comment != "" {
			out = append(out, description{r.oid, pgClassOID, 0, r.table.Comment})
		}
		for i, c := range r.table.Columns {
			if c.Comment != "" {
				out = append(out, description{r.oid, pgClassOID, int32(i + 1), c.Comment})
			}
		}
	}
	return out
}

func fillDescription(e *env, out *rowSet) {
	for _, d := range e.descriptions() {
		out.add("objoid", d.objOID, "classoid", d.classOID, "objsubid", d.subID, "description", d.text)
	}
}

func fillAm(_ *env, out *rowSet) {
	out.add("oid", uint32(2), "amname", "heap", "amtype", 't')
	names := make([]string, 0, len(accessMethods))
	for name := range accessMethods {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return accessMethods[names[i]] < accessMethods[names[j]] })
	for _, name := range names {
		out.add("oid", accessMethods[name], "amname", name, "amtype", 'i')
	}
}

// collation is one row of pg_collation.
type collation struct {
	oid      uint32
	name     string
	provider rune
	locale   string
}

var collations = []collation{{100, "default", 'd', ""}, {950, "C", 'c', "C"}, {951, "POSIX", 'c', "POSIX"}}

func collationByOID(oid uint32) *collation {
	for i := range collations {
		if collations[i].oid == oid {
			return &collations[i]
		}
	}
	return nil
}

func fillCollation(_ *env, out *rowSet) {
	for _, c := range collations {
		var locale any
		if c.locale != "" {
			locale = c.locale
		}
		out.add("oid", c.oid, "collname", c.name, "collnamespace", uint32(PgCatalogOID), "collowner", uint32(superuserOID),
			"collprovider", c.provider, "collisdeterministic", true, "collencoding", -1,
			"collcollate", locale, "collctype", locale)
	}
}

func fillTablespace(_ *env, out *rowSet) {
	out.add("oid", uint32(defaultTablespaceOID), "spcname", "pg_default", "spcowner", uint32(superuserOID))
	out.add("oid", uint32(globalTablespaceOID), "spcname", "pg_global", "spcowner", uint32(superuserOID))
}

func fillLanguage(_ *env, out *rowSet) {
	for _, l := range []struct {
		oid     uint32
		name    string
		trusted bool
	}{{internalLanguageOID, "internal", false}, {13, "c", false}, {14, "sql", true}} {
		out.add("oid", l.oid, "lanname", l.name, "lanowner", uint32(superuserOID), "lanpltrusted", l.trusted)
	}
}

// wrapper is one row of pg_foreign_data_wrapper.
type wrapper struct {
	oid  uint32
	name string
}

// builtinWrappers are the source types Junction ships.
var builtinWrappers = []string{"files", "mysql", "postgres", "sqlite"}

// wrappers lists the source types: those Junction ships, those registered
// in this binary and any a source uses.
func (e *env) wrappers() []wrapper {
	names := map[string]bool{}
	for _, w := range builtinWrappers {
		names[w] = true
	}
	for _, w := range connectors.Known() {
		names[w] = true
	}
	for _, ns := range e.dir.namespaces {
		if ns.source != nil {
			names[wrapperName(ns.source)] = true
		}
	}
	sorted := make([]string, 0, len(names))
	for w := range names {
		sorted = append(sorted, w)
	}
	sort.Strings(sorted)
	used := map[uint32]bool{}
	out := make([]wrapper, len(sorted))
	for i, w := range sorted {
		out[i] = wrapper{derivedOID("wrapper", w, used), w}
	}
	return out
}

// wrapperName is the canonical name of a source's wrapper (postgres for
// postgres_fdw).
func wrapperName(src *catalog.Source) string {
	if w, ok := connectors.Canonical(src.Wrapper); ok {
		return w
	}
	return strings.ToLower(src.Wrapper)
}

func (e *env) wrapperOID(src *catalog.Source) uint32 {
	name := wrapperName(src)
	for _, w := range e.wrappers() {
		if w.name == name {
			return w.oid
		}
	}
	return 0
}

func fillForeignDataWrapper(e *env, out *rowSet) {
	for _, w := range e.wrappers() {
		out.add("oid", w.oid, "fdwname", w.name, "fdwowner", uint32(superuserOID))
	}
}

// fillForeignServer lists every server to every role, as PostgreSQL's
// pg_foreign_server does: a server's name and options (never a password)
// give no access to its data, whose schemas and tables stay hidden from
// roles without USAGE.
func fillForeignServer(e *env, out *rowSet) {
	for _, ns := range e.full.namespaces {
		if ns.source == nil || ns.remoteSchema != "" {
			continue
		}
		out.add("oid", ns.source.OID, "srvname", ns.name, "srvowner", e.ownerOID(e.namespaceOwner(ns)),
			"srvfdw", e.wrapperOID(ns.source), "srvoptions", textArray(sourceOptions(ns.source, false)))
	}
}

// fillForeignTable lists every source table with its server and its name
// at the source, in postgres_fdw's option names.
func fillForeignTable(e *env, out *rowSet) {
	for _, r := range e.dir.relations {
		if r.table == nil {
			continue
		}
		var opts []string
		if r.table.Schema != "" {
			opts = append(opts, "schema_name="+r.table.Schema)
		}
		opts = append(opts, "table_name="+r.table.Name)
		out.add("ftrelid", r.oid, "ftserver", r.ns.source.OID, "ftoptions", textArray(opts))
	}
}

func fillViews(e *env, out *rowSet) {
	for _, r := range e.dir.relations {
		if r.kind == 'v' {
			out.add("schemaname", r.ns.name, "viewname", r.name, "viewowner", e.ownerName(e.relationOwner(r)), "definition", viewDefinition(r))
		}
	}
}

func fillPgTables(e *env, out *rowSet) {
	for _, r := range e.dir.relations {
		if r.kind == 'r' {
			out.add("schemaname", r.ns.name, "tablename", r.name, "tableowner", e.ownerName(e.relationOwner(r)), "hasindexes", r.hasIndexes(),
				"hasrules", false, "hastriggers", false, "rowsecurity", e.rowSecurity(r))
		}
	}
}

// settingInfo describes a setting for pg_settings.
type settingInfo struct {
	category, description, vartype, context string
}

var knownSettings = map[string]settingInfo{
	"application_name":                    {"Reporting and Logging / What to Log", "Sets the application name to be reported in statistics and logs.", "string", "user"},
	"bytea_output":                        {"Client Connection Defaults / Statement Behavior", "Sets the output format for bytea.", "enum", "user"},
	"client_encoding":                     {"Client Connection Defaults / Locale and Formatting", "Sets the client's character set encoding.", "string", "user"},
	"datestyle":                           {"Client Connection Defaults / Locale and Formatting", "Sets the display format for date and time values.", "string", "user"},
	"extra_float_digits":                  {"Client Connection Defaults / Locale and Formatting", "Sets the number of digits displayed for floating-point values.", "integer", "user"},
	"integer_datetimes":                   {"Preset Options", "Shows whether datetimes are integer based.", "bool", "internal"},
	"intervalstyle":                       {"Client Connection Defaults / Locale and Formatting", "Sets the display format for interval values.", "enum", "user"},
	"is_superuser":                        {"Preset Options", "Shows whether the current user is a superuser.", "bool", "internal"},
	"max_identifier_length":               {"Preset Options", "Shows the maximum identifier length.", "integer", "internal"},
	"max_index_keys":                      {"Preset Options", "Shows the maximum number of index keys.", "integer", "internal"},
	"max_connections":                     {"Connections and Authentication / Connection Settings", "Sets the maximum number of concurrent connections.", "integer", "postmaster"},
	"work_mem":                            {"Resource Usage / Memory", "Sets the maximum memory to be used for query workspaces.", "integer", "user"},
	"statement_timeout":                   {"Client Connection Defaults / Statement Behavior", "Sets the maximum allowed duration of any statement.", "integer", "user"},
	"idle_in_transaction_session_timeout": {"Client Connection Defaults / Statement Behavior", "Sets the maximum allowed idle time between queries, when in a transaction.", "integer", "user"},
	"lc_monetary":                         {"Client Connection Defaults / Locale and Formatting", "Sets the locale for formatting monetary amounts.", "string", "user"},
	"lc_numeric":                          {"Client Connection Defaults / Locale and Formatting", "Sets the locale for formatting numbers.", "string", "user"},
	"lc_time":                             {"Client Connection Defaults / Locale and Formatting", "Sets the locale for formatting date and time values.", "string", "user"},
	"default_transaction_isolation":       {"Client Connection Defaults / Statement Behavior", "Sets the transaction isolation level of each new transaction.", "enum", "user"},
	"default_transaction_read_only":       {"Client Connection Defaults / Statement Behavior", "Sets the default read-only status of new transactions.", "bool", "user"},
	"transaction_read_only":               {"Client Connection Defaults / Statement Behavior", "Sets the current transaction's read-only status.", "bool", "user"},
	"search_path":                         {"Client Connection Defaults / Statement Behavior", "Sets the schema search order for names that are not schema-qualified.", "string", "user"},
	"server_encoding":                     {"Preset Options", "Shows the server (database) character set encoding.", "string", "internal"},
	"server_version":                      {"Preset Options", "Shows the server version.", "string", "internal"},
	"server_version_num":                  {"Preset Options", "Shows the server version as an integer.", "integer", "internal"},
	"session_authorization":               {"Preset Options", "Sets the session user name.", "string", "user"},
	"standard_conforming_strings":         {"Version and Platform Compatibility / Previous PostgreSQL Versions", "Causes '...' strings to treat backslashes literally.", "bool", "user"},
	"timezone":                            {"Client Connection Defaults / Locale and Formatting", "Sets the time zone for displaying and interpreting time stamps.", "string", "user"},
	"transaction_isolation":               {"Client Connection Defaults / Statement Behavior", "Sets the current transaction's isolation level.", "enum", "user"},
}

func fillSettings(e *env, out *rowSet) {
	names := make([]string, 0, len(e.info.Settings))
	for name := range e.info.Settings {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		info, ok := knownSettings[strings.ToLower(name)]
		if !ok {
			info = settingInfo{"Customized Options", "", "string", "user"}
		}
		value := e.info.Settings[name]
		setting, unit, reset := value, "", value
		if e.info.SettingDetail != nil {
			setting, unit, reset = e.info.SettingDetail(name)
		}
		source := "session"
		if value == reset {
			source = "default"
		}
		var unitValue any // NULL for a setting without a unit
		if unit != "" {
			unitValue = unit
		}
		out.add("name", name, "setting", setting, "unit", unitValue, "category", info.category, "short_desc", info.description,
			"context", info.context, "vartype", info.vartype, "source", source, "reset_val", reset,
			"pending_restart", false)
	}
}

// fillStatActivity shows the current session, the one Info describes.
func fillStatActivity(e *env, out *rowSet) {
	app, _ := e.setting("application_name")
	dbs := e.databases()
	out.add("datid", dbs[len(dbs)-1].oid, "datname", e.database(), "pid", e.info.BackendPID,
		"usesysid", uint32(superuserOID), "usename", e.user(), "application_name", app,
		"backend_start", timestampDatum(e.info.SessionStart), "state", "active", "backend_type", "client backend")
}
