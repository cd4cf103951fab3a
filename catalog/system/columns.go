package system

import "github.com/junction-db/junction/types"

// The columns of the PostgreSQL 15 catalogs and views, with their names,
// order and NOT NULL flags as PostgreSQL declares them. Columns whose types
// Junction has no counterpart for and that no client reads (xid, anyarray)
// are left out; the rest keep their PostgreSQL type, or the nearest type with
// the same text form.

var (
	tOID         = types.TOID
	tName        = types.TName
	tChar        = types.TChar
	tBool        = types.TBool
	tInt2        = types.TInt2
	tInt4        = types.TInt4
	tInt8        = types.TInt8
	tFloat4      = types.TFloat4
	tFloat8      = types.TFloat8
	tText        = types.TText
	tVarchar     = types.TVarchar
	tBytea       = types.TBytea
	tTimestampTZ = types.TTimestampTZ
	tRegProc     = types.Type{Kind: types.RegProc}
	tRegType     = types.Type{Kind: types.RegType}
	tRegClass    = types.Type{Kind: types.RegClass}
	tTextArray   = types.Type{Kind: types.TextArray}
	tOIDArray    = types.Type{Kind: types.OIDArray}
	tInt2Array   = types.Type{Kind: types.Int2Array}
	tInt2Vector  = types.Type{Kind: types.Int2Vector}
	// oidvector is shown in its own text form ("23 25"), which is what
	// drivers split when they read proargtypes.
	tOIDVector = types.TText
	// pg_node_tree values are NULL but for pg_policy.polqual, which holds
	// the policy's SQL for pg_get_expr (see policyNodeTree).
	tNodeTree = types.TText
	// inet: Junction does not know client addresses, so the column is NULL.
	tInet = types.TText
	// information_schema.yes_or_no is a domain over varchar(3).
	tYesOrNo = types.Type{Kind: types.Varchar, Length: 3}
)

var pgTablespaceColumns = []column{
	{"oid", tOID, true},
	{"spcname", tName, true},
	{"spcowner", tOID, true},
	{"spcacl", tTextArray, false},
	{"spcoptions", tTextArray, false},
}

var pgTypeColumns = []column{
	{"oid", tOID, true},
	{"typname", tName, true},
	{"typnamespace", tOID, true},
	{"typowner", tOID, true},
	{"typlen", tInt2, true},
	{"typbyval", tBool, true},
	{"typtype", tChar, true},
	{"typcategory", tChar, true},
	{"typispreferred", tBool, true},
	{"typisdefined", tBool, true},
	{"typdelim", tChar, true},
	{"typrelid", tOID, true},
	{"typsubscript", tRegProc, true},
	{"typelem", tOID, true},
	{"typarray", tOID, true},
	{"typinput", tRegProc, true},
	{"typoutput", tRegProc, true},
	{"typreceive", tRegProc, true},
	{"typsend", tRegProc, true},
	{"typmodin", tRegProc, true},
	{"typmodout", tRegProc, true},
	{"typanalyze", tRegProc, true},
	{"typalign", tChar, true},
	{"typstorage", tChar, true},
	{"typnotnull", tBool, true},
	{"typbasetype", tOID, true},
	{"typtypmod", tInt4, true},
	{"typndims", tInt4, true},
	{"typcollation", tOID, true},
	{"typdefaultbin", tNodeTree, false},
	{"typdefault", tText, false},
	{"typacl", tTextArray, false},
}

var pgAttributeColumns = []column{
	{"attrelid", tOID, true},
	{"attname", tName, true},
	{"atttypid", tOID, true},
	{"attstattarget", tInt4, true},
	{"attlen", tInt2, true},
	{"attnum", tInt2, true},
	{"attndims", tInt4, true},
	{"attcacheoff", tInt4, true},
	{"atttypmod", tInt4, true},
	{"attbyval", tBool, true},
	{"attalign", tChar, true},
	{"attstorage", tChar, true},
	{"attcompression", tChar, true},
	{"attnotnull", tBool, true},
	{"atthasdef", tBool, true},
	{"atthasmissing", tBool, true},
	{"attidentity", tChar, true},
	{"attgenerated", tChar, true},
	{"attisdropped", tBool, true},
	{"attislocal", tBool, true},
	{"attinhcount", tInt4, true},
	{"attcollation", tOID, true},
	{"attacl", tTextArray, false},
	{"attoptions", tTextArray, false},
	{"attfdwoptions", tTextArray, false},
}

var pgProcColumns = []column{
	{"oid", tOID, true},
	{"proname", tName, true},
	{"pronamespace", tOID, true},
	{"proowner", tOID, true},
	{"prolang", tOID, true},
	{"procost", tFloat4, true},
	{"prorows", tFloat4, true},
	{"provariadic", tOID, true},
	{"prosupport", tRegProc, true},
	{"prokind", tChar, true},
	{"prosecdef", tBool, true},
	{"proleakproof", tBool, true},
	{"proisstrict", tBool, true},
	{"proretset", tBool, true},
	{"provolatile", tChar, true},
	{"proparallel", tChar, true},
	{"pronargs", tInt2, true},
	{"pronargdefaults", tInt2, true},
	{"prorettype", tOID, true},
	{"proargtypes", tOIDVector, true},
	{"proallargtypes", tOIDArray, false},
	{"proargmodes", tTextArray, false},
	{"proargnames", tTextArray, false},
	{"proargdefaults", tNodeTree, false},
	{"protrftypes", tOIDArray, false},
	{"prosrc", tText, true},
	{"probin", tText, false},
	{"prosqlbody", tNodeTree, false},
	{"proconfig", tTextArray, false},
	{"proacl", tTextArray, false},
}

var pgClassColumns = []column{
	{"oid", tOID, true},
	{"relname", tName, true},
	{"relnamespace", tOID, true},
	{"reltype", tOID, true},
	{"reloftype", tOID, true},
	{"relowner", tOID, true},
	{"relam", tOID, true},
	{"relfilenode", tOID, true},
	{"reltablespace", tOID, true},
	{"relpages", tInt4, true},
	{"reltuples", tFloat4, true},
	{"relallvisible", tInt4, true},
	{"reltoastrelid", tOID, true},
	{"relhasindex", tBool, true},
	{"relisshared", tBool, true},
	{"relpersistence", tChar, true},
	{"relkind", tChar, true},
	{"relnatts", tInt2, true},
	{"relchecks", tInt2, true},
	{"relhasrules", tBool, true},
	{"relhastriggers", tBool, true},
	{"relhassubclass", tBool, true},
	{"relrowsecurity", tBool, true},
	{"relforcerowsecurity", tBool, true},
	{"relispopulated", tBool, true},
	{"relreplident", tChar, true},
	{"relispartition", tBool, true},
	{"relrewrite", tOID, true},
	{"relacl", tTextArray, false},
	{"reloptions", tTextArray, false},
	{"relpartbound", tNodeTree, false},
}

var pgAuthIDColumns = []column{
	{"oid", tOID, true},
	{"rolname", tName, true},
	{"rolsuper", tBool, true},
	{"rolinherit", tBool, true},
	{"rolcreaterole", tBool, true},
	{"rolcreatedb", tBool, true},
	{"rolcanlogin", tBool, true},
	{"rolreplication", tBool, true},
	{"rolbypassrls", tBool, true},
	{"rolconnlimit", tInt4, true},
	{"rolpassword", tText, false},
	{"rolvaliduntil", tTimestampTZ, false},
}

var pgAuthMembersColumns = []column{
	{"roleid", tOID, true},
	{"member", tOID, true},
	{"grantor", tOID, true},
	{"admin_option", tBool, true},
}

var pgDatabaseColumns = []column{
	{"oid", tOID, true},
	{"datname", tName, true},
	{"datdba", tOID, true},
	{"encoding", tInt4, true},
	{"datlocprovider", tChar, true},
	{"datistemplate", tBool, true},
	{"datallowconn", tBool, true},
	{"datconnlimit", tInt4, true},
	{"dattablespace", tOID, true},
	{"datcollate", tText, true},
	{"datctype", tText, true},
	{"daticulocale", tText, false},
	{"datcollversion", tText, false},
	{"datacl", tTextArray, false},
}

var pgForeignServerColumns = []column{
	{"oid", tOID, true},
	{"srvname", tName, true},
	{"srvowner", tOID, true},
	{"srvfdw", tOID, true},
	{"srvtype", tText, false},
	{"srvversion", tText, false},
	{"srvacl", tTextArray, false},
	{"srvoptions", tTextArray, false},
}

var pgSequenceColumns = []column{
	{"seqrelid", tOID, true},
	{"seqtypid", tOID, true},
	{"seqstart", tInt8, true},
	{"seqincrement", tInt8, true},
	{"seqmax", tInt8, true},
	{"seqmin", tInt8, true},
	{"seqcache", tInt8, true},
	{"seqcycle", tBool, true},
}

var pgForeignDataWrapperColumns = []column{
	{"oid", tOID, true},
	{"fdwname", tName, true},
	{"fdwowner", tOID, true},
	{"fdwhandler", tOID, true},
	{"fdwvalidator", tOID, true},
	{"fdwacl", tTextArray, false},
	{"fdwoptions", tTextArray, false},
}

var pgShdescriptionColumns = []column{
	{"objoid", tOID, true},
	{"classoid", tOID, true},
	{"description", tText, true},
}

var pgAggregateColumns = []column{
	{"aggfnoid", tRegProc, true},
	{"aggkind", tChar, true},
	{"aggnumdirectargs", tInt2, true},
	{"aggtransfn", tRegProc, true},
	{"aggfinalfn", tRegProc, true},
	{"aggcombinefn", tRegProc, true},
	{"aggserialfn", tRegProc, true},
	{"aggdeserialfn", tRegProc, true},
	{"aggmtransfn", tRegProc, true},
	{"aggminvtransfn", tRegProc, true},
	{"aggmfinalfn", tRegProc, true},
	{"aggfinalextra", tBool, true},
	{"aggmfinalextra", tBool, true},
	{"aggfinalmodify", tChar, true},
	{"aggmfinalmodify", tChar, true},
	{"aggsortop", tOID, true},
	{"aggtranstype", tOID, true},
	{"aggtransspace", tInt4, true},
	{"aggmtranstype", tOID, true},
	{"aggmtransspace", tInt4, true},
	{"agginitval", tText, false},
	{"aggminitval", tText, false},
}

var pgAmColumns = []column{
	{"oid", tOID, true},
	{"amname", tName, true},
	{"amhandler", tRegProc, true},
	{"amtype", tChar, true},
}

var pgAttrdefColumns = []column{
	{"oid", tOID, true},
	{"adrelid", tOID, true},
	{"adnum", tInt2, true},
	{"adbin", tNodeTree, true},
}

var pgConstraintColumns = []column{
	{"oid", tOID, true},
	{"conname", tName, true},
	{"connamespace", tOID, true},
	{"contype", tChar, true},
	{"condeferrable", tBool, true},
	{"condeferred", tBool, true},
	{"convalidated", tBool, true},
	{"conrelid", tOID, true},
	{"contypid", tOID, true},
	{"conindid", tOID, true},
	{"conparentid", tOID, true},
	{"confrelid", tOID, true},
	{"confupdtype", tChar, true},
	{"confdeltype", tChar, true},
	{"confmatchtype", tChar, true},
	{"conislocal", tBool, true},
	{"coninhcount", tInt4, true},
	{"connoinherit", tBool, true},
	{"conkey", tInt2Array, false},
	{"confkey", tInt2Array, false},
	{"conpfeqop", tOIDArray, false},
	{"conppeqop", tOIDArray, false},
	{"conffeqop", tOIDArray, false},
	{"confdelsetcols", tInt2Array, false},
	{"conexclop", tOIDArray, false},
	{"conbin", tNodeTree, false},
}

var pgConversionColumns = []column{
	{"oid", tOID, true},
	{"conname", tName, true},
	{"connamespace", tOID, true},
	{"conowner", tOID, true},
	{"conforencoding", tInt4, true},
	{"contoencoding", tInt4, true},
	{"conproc", tRegProc, true},
	{"condefault", tBool, true},
}

var pgDependColumns = []column{
	{"classid", tOID, true},
	{"objid", tOID, true},
	{"objsubid", tInt4, true},
	{"refclassid", tOID, true},
	{"refobjid", tOID, true},
	{"refobjsubid", tInt4, true},
	{"deptype", tChar, true},
}

var pgDescriptionColumns = []column{
	{"objoid", tOID, true},
	{"classoid", tOID, true},
	{"objsubid", tInt4, true},
	{"description", tText, true},
}

var pgIndexColumns = []column{
	{"indexrelid", tOID, true},
	{"indrelid", tOID, true},
	{"indnatts", tInt2, true},
	{"indnkeyatts", tInt2, true},
	{"indisunique", tBool, true},
	{"indnullsnotdistinct", tBool, true},
	{"indisprimary", tBool, true},
	{"indisexclusion", tBool, true},
	{"indimmediate", tBool, true},
	{"indisclustered", tBool, true},
	{"indisvalid", tBool, true},
	{"indcheckxmin", tBool, true},
	{"indisready", tBool, true},
	{"indislive", tBool, true},
	{"indisreplident", tBool, true},
	{"indkey", tInt2Vector, true},
	{"indcollation", tOIDVector, true},
	{"indclass", tOIDVector, true},
	{"indoption", tInt2Vector, true},
	{"indexprs", tNodeTree, false},
	{"indpred", tNodeTree, false},
}

var pgInheritsColumns = []column{
	{"inhrelid", tOID, true},
	{"inhparent", tOID, true},
	{"inhseqno", tInt4, true},
	{"inhdetachpending", tBool, true},
}

var pgLanguageColumns = []column{
	{"oid", tOID, true},
	{"lanname", tName, true},
	{"lanowner", tOID, true},
	{"lanispl", tBool, true},
	{"lanpltrusted", tBool, true},
	{"lanplcallfoid", tOID, true},
	{"laninline", tOID, true},
	{"lanvalidator", tOID, true},
	{"lanacl", tTextArray, false},
}

var pgNamespaceColumns = []column{
	{"oid", tOID, true},
	{"nspname", tName, true},
	{"nspowner", tOID, true},
	{"nspacl", tTextArray, false},
}

var pgRewriteColumns = []column{
	{"oid", tOID, true},
	{"rulename", tName, true},
	{"ev_class", tOID, true},
	{"ev_type", tChar, true},
	{"ev_enabled", tChar, true},
	{"is_instead", tBool, true},
	{"ev_qual", tNodeTree, true},
	{"ev_action", tNodeTree, true},
}

var pgTriggerColumns = []column{
	{"oid", tOID, true},
	{"tgrelid", tOID, true},
	{"tgparentid", tOID, true},
	{"tgname", tName, true},
	{"tgfoid", tOID, true},
	{"tgtype", tInt2, true},
	{"tgenabled", tChar, true},
	{"tgisinternal", tBool, true},
	{"tgconstrrelid", tOID, true},
	{"tgconstrindid", tOID, true},
	{"tgconstraint", tOID, true},
	{"tgdeferrable", tBool, true},
	{"tginitdeferred", tBool, true},
	{"tgnargs", tInt2, true},
	{"tgattr", tInt2Vector, true},
	{"tgargs", tBytea, true},
	{"tgqual", tNodeTree, false},
	{"tgoldtable", tName, false},
	{"tgnewtable", tName, false},
}

var pgExtensionColumns = []column{
	{"oid", tOID, true},
	{"extname", tName, true},
	{"extowner", tOID, true},
	{"extnamespace", tOID, true},
	{"extrelocatable", tBool, true},
	{"extversion", tText, true},
	{"extconfig", tOIDArray, false},
	{"extcondition", tTextArray, false},
}

var pgForeignTableColumns = []column{
	{"ftrelid", tOID, true},
	{"ftserver", tOID, true},
	{"ftoptions", tTextArray, false},
}

var pgPolicyColumns = []column{
	{"oid", tOID, true},
	{"polname", tName, true},
	{"polrelid", tOID, true},
	{"polcmd", tChar, true},
	{"polpermissive", tBool, true},
	{"polroles", tOIDArray, true},
	{"polqual", tNodeTree, false},
	{"polwithcheck", tNodeTree, false},
}

var pgPartitionedTableColumns = []column{
	{"partrelid", tOID, true},
	{"partstrat", tChar, true},
	{"partnatts", tInt2, true},
	{"partdefid", tOID, true},
	{"partattrs", tInt2Vector, true},
	{"partclass", tOIDVector, true},
	{"partcollation", tOIDVector, true},
	{"partexprs", tNodeTree, false},
}

var pgStatisticExtColumns = []column{
	{"oid", tOID, true},
	{"stxrelid", tOID, true},
	{"stxname", tName, true},
	{"stxnamespace", tOID, true},
	{"stxowner", tOID, true},
	{"stxstattarget", tInt4, true},
	{"stxkeys", tInt2Vector, true},
	{"stxkind", tTextArray, true},
	{"stxexprs", tNodeTree, false},
}

var pgCollationColumns = []column{
	{"oid", tOID, true},
	{"collname", tName, true},
	{"collnamespace", tOID, true},
	{"collowner", tOID, true},
	{"collprovider", tChar, true},
	{"collisdeterministic", tBool, true},
	{"collencoding", tInt4, true},
	{"collcollate", tText, false},
	{"collctype", tText, false},
	{"colliculocale", tText, false},
	{"collversion", tText, false},
}

var pgEventTriggerColumns = []column{
	{"oid", tOID, true},
	{"evtname", tName, true},
	{"evtevent", tName, true},
	{"evtowner", tOID, true},
	{"evtfoid", tOID, true},
	{"evtenabled", tChar, true},
	{"evttags", tTextArray, false},
}

var pgEnumColumns = []column{
	{"oid", tOID, true},
	{"enumtypid", tOID, true},
	{"enumsortorder", tFloat4, true},
	{"enumlabel", tName, true},
}

var pgRangeColumns = []column{
	{"rngtypid", tOID, true},
	{"rngsubtype", tOID, true},
	{"rngmultitypid", tOID, true},
	{"rngcollation", tOID, true},
	{"rngsubopc", tOID, true},
	{"rngcanonical", tRegProc, true},
	{"rngsubdiff", tRegProc, true},
}

var pgPublicationColumns = []column{
	{"oid", tOID, true},
	{"pubname", tName, true},
	{"pubowner", tOID, true},
	{"puballtables", tBool, true},
	{"pubinsert", tBool, true},
	{"pubupdate", tBool, true},
	{"pubdelete", tBool, true},
	{"pubtruncate", tBool, true},
	{"pubviaroot", tBool, true},
}

var pgPublicationRelColumns = []column{
	{"oid", tOID, true},
	{"prpubid", tOID, true},
	{"prrelid", tOID, true},
	{"prqual", tNodeTree, false},
	{"prattrs", tInt2Vector, false},
}

var pgPublicationNamespaceColumns = []column{
	{"oid", tOID, true},
	{"pnpubid", tOID, true},
	{"pnnspid", tOID, true},
}

var pgRolesColumns = []column{
	{"rolname", tName, false},
	{"rolsuper", tBool, false},
	{"rolinherit", tBool, false},
	{"rolcreaterole", tBool, false},
	{"rolcreatedb", tBool, false},
	{"rolcanlogin", tBool, false},
	{"rolreplication", tBool, false},
	{"rolconnlimit", tInt4, false},
	{"rolpassword", tText, false},
	{"rolvaliduntil", tTimestampTZ, false},
	{"rolbypassrls", tBool, false},
	{"rolconfig", tTextArray, false},
	{"oid", tOID, false},
}

var pgUserMappingsColumns = []column{
	{"umid", tOID, false},
	{"srvid", tOID, false},
	{"srvname", tName, false},
	{"umuser", tOID, false},
	{"usename", tName, false},
	{"umoptions", tTextArray, false},
}

var pgUserColumns = []column{
	{"usename", tName, false},
	{"usesysid", tOID, false},
	{"usecreatedb", tBool, false},
	{"usesuper", tBool, false},
	{"userepl", tBool, false},
	{"usebypassrls", tBool, false},
	{"passwd", tText, false},
	{"valuntil", tTimestampTZ, false},
	{"useconfig", tTextArray, false},
}

var pgViewsColumns = []column{
	{"schemaname", tName, false},
	{"viewname", tName, false},
	{"viewowner", tName, false},
	{"definition", tText, false},
}

var pgTablesColumns = []column{
	{"schemaname", tName, false},
	{"tablename", tName, false},
	{"tableowner", tName, false},
	{"tablespace", tName, false},
	{"hasindexes", tBool, false},
	{"hasrules", tBool, false},
	{"hastriggers", tBool, false},
	{"rowsecurity", tBool, false},
}

var pgMatviewsColumns = []column{
	{"schemaname", tName, false},
	{"matviewname", tName, false},
	{"matviewowner", tName, false},
	{"tablespace", tName, false},
	{"hasindexes", tBool, false},
	{"ispopulated", tBool, false},
	{"definition", tText, false},
}

var pgIndexesColumns = []column{
	{"schemaname", tName, false},
	{"tablename", tName, false},
	{"indexname", tName, false},
	{"tablespace", tName, false},
	{"indexdef", tText, false},
}

var pgSequencesColumns = []column{
	{"schemaname", tName, false},
	{"sequencename", tName, false},
	{"sequenceowner", tName, false},
	{"data_type", tRegType, false},
	{"start_value", tInt8, false},
	{"min_value", tInt8, false},
	{"max_value", tInt8, false},
	{"increment_by", tInt8, false},
	{"cycle", tBool, false},
	{"cache_size", tInt8, false},
	{"last_value", tInt8, false},
}

var pgSettingsColumns = []column{
	{"name", tText, false},
	{"setting", tText, false},
	{"unit", tText, false},
	{"category", tText, false},
	{"short_desc", tText, false},
	{"extra_desc", tText, false},
	{"context", tText, false},
	{"vartype", tText, false},
	{"source", tText, false},
	{"min_val", tText, false},
	{"max_val", tText, false},
	{"enumvals", tTextArray, false},
	{"boot_val", tText, false},
	{"reset_val", tText, false},
	{"sourcefile", tText, false},
	{"sourceline", tInt4, false},
	{"pending_restart", tBool, false},
}

var pgStatActivityColumns = []column{
	{"datid", tOID, false},
	{"datname", tName, false},
	{"pid", tInt4, false},
	{"leader_pid", tInt4, false},
	{"usesysid", tOID, false},
	{"usename", tName, false},
	{"application_name", tText, false},
	{"client_addr", tInet, false},
	{"client_hostname", tText, false},
	{"client_port", tInt4, false},
	{"backend_start", tTimestampTZ, false},
	{"xact_start", tTimestampTZ, false},
	{"query_start", tTimestampTZ, false},
	{"state_change", tTimestampTZ, false},
	{"wait_event_type", tText, false},
	{"wait_event", tText, false},
	{"state", tText, false},
	{"query_id", tInt8, false},
	{"query", tText, false},
	{"backend_type", tText, false},
}

var columnsColumns = []column{
	{"table_catalog", tName, false},
	{"table_schema", tName, false},
	{"table_name", tName, false},
	{"column_name", tName, false},
	{"ordinal_position", tInt4, false},
	{"column_default", tVarchar, false},
	{"is_nullable", tYesOrNo, false},
	{"data_type", tVarchar, false},
	{"character_maximum_length", tInt4, false},
	{"character_octet_length", tInt4, false},
	{"numeric_precision", tInt4, false},
	{"numeric_precision_radix", tInt4, false},
	{"numeric_scale", tInt4, false},
	{"datetime_precision", tInt4, false},
	{"interval_type", tVarchar, false},
	{"interval_precision", tInt4, false},
	{"character_set_catalog", tName, false},
	{"character_set_schema", tName, false},
	{"character_set_name", tName, false},
	{"collation_catalog", tName, false},
	{"collation_schema", tName, false},
	{"collation_name", tName, false},
	{"domain_catalog", tName, false},
	{"domain_schema", tName, false},
	{"domain_name", tName, false},
	{"udt_catalog", tName, false},
	{"udt_schema", tName, false},
	{"udt_name", tName, false},
	{"scope_catalog", tName, false},
	{"scope_schema", tName, false},
	{"scope_name", tName, false},
	{"maximum_cardinality", tInt4, false},
	{"dtd_identifier", tName, false},
	{"is_self_referencing", tYesOrNo, false},
	{"is_identity", tYesOrNo, false},
	{"identity_generation", tVarchar, false},
	{"identity_start", tVarchar, false},
	{"identity_increment", tVarchar, false},
	{"identity_maximum", tVarchar, false},
	{"identity_minimum", tVarchar, false},
	{"identity_cycle", tYesOrNo, false},
	{"is_generated", tVarchar, false},
	{"generation_expression", tVarchar, false},
	{"is_updatable", tYesOrNo, false},
}

var keyColumnUsageColumns = []column{
	{"constraint_catalog", tName, false},
	{"constraint_schema", tName, false},
	{"constraint_name", tName, false},
	{"table_catalog", tName, false},
	{"table_schema", tName, false},
	{"table_name", tName, false},
	{"column_name", tName, false},
	{"ordinal_position", tInt4, false},
	{"position_in_unique_constraint", tInt4, false},
}

var referentialConstraintsColumns = []column{
	{"constraint_catalog", tName, false},
	{"constraint_schema", tName, false},
	{"constraint_name", tName, false},
	{"unique_constraint_catalog", tName, false},
	{"unique_constraint_schema", tName, false},
	{"unique_constraint_name", tName, false},
	{"match_option", tVarchar, false},
	{"update_rule", tVarchar, false},
	{"delete_rule", tVarchar, false},
}

var routinesColumns = []column{
	{"specific_catalog", tName, false},
	{"specific_schema", tName, false},
	{"specific_name", tName, false},
	{"routine_catalog", tName, false},
	{"routine_schema", tName, false},
	{"routine_name", tName, false},
	{"routine_type", tVarchar, false},
	{"module_catalog", tName, false},
	{"module_schema", tName, false},
	{"module_name", tName, false},
	{"udt_catalog", tName, false},
	{"udt_schema", tName, false},
	{"udt_name", tName, false},
	{"data_type", tVarchar, false},
	{"character_maximum_length", tInt4, false},
	{"character_octet_length", tInt4, false},
	{"character_set_catalog", tName, false},
	{"character_set_schema", tName, false},
	{"character_set_name", tName, false},
	{"collation_catalog", tName, false},
	{"collation_schema", tName, false},
	{"collation_name", tName, false},
	{"numeric_precision", tInt4, false},
	{"numeric_precision_radix", tInt4, false},
	{"numeric_scale", tInt4, false},
	{"datetime_precision", tInt4, false},
	{"interval_type", tVarchar, false},
	{"interval_precision", tInt4, false},
	{"type_udt_catalog", tName, false},
	{"type_udt_schema", tName, false},
	{"type_udt_name", tName, false},
	{"scope_catalog", tName, false},
	{"scope_schema", tName, false},
	{"scope_name", tName, false},
	{"maximum_cardinality", tInt4, false},
	{"dtd_identifier", tName, false},
	{"routine_body", tVarchar, false},
	{"routine_definition", tVarchar, false},
	{"external_name", tVarchar, false},
	{"external_language", tVarchar, false},
	{"parameter_style", tVarchar, false},
	{"is_deterministic", tYesOrNo, false},
	{"sql_data_access", tVarchar, false},
	{"is_null_call", tYesOrNo, false},
	{"sql_path", tVarchar, false},
	{"schema_level_routine", tYesOrNo, false},
	{"max_dynamic_result_sets", tInt4, false},
	{"is_user_defined_cast", tYesOrNo, false},
	{"is_implicitly_invocable", tYesOrNo, false},
	{"security_type", tVarchar, false},
	{"to_sql_specific_catalog", tName, false},
	{"to_sql_specific_schema", tName, false},
	{"to_sql_specific_name", tName, false},
	{"as_locator", tYesOrNo, false},
	{"created", tTimestampTZ, false},
	{"last_altered", tTimestampTZ, false},
	{"new_savepoint_level", tYesOrNo, false},
	{"is_udt_dependent", tYesOrNo, false},
	{"result_cast_from_data_type", tVarchar, false},
	{"result_cast_as_locator", tYesOrNo, false},
	{"result_cast_char_max_length", tInt4, false},
	{"result_cast_char_octet_length", tInt4, false},
	{"result_cast_char_set_catalog", tName, false},
	{"result_cast_char_set_schema", tName, false},
	{"result_cast_char_set_name", tName, false},
	{"result_cast_collation_catalog", tName, false},
	{"result_cast_collation_schema", tName, false},
	{"result_cast_collation_name", tName, false},
	{"result_cast_numeric_precision", tInt4, false},
	{"result_cast_numeric_precision_radix", tInt4, false},
	{"result_cast_numeric_scale", tInt4, false},
	{"result_cast_datetime_precision", tInt4, false},
	{"result_cast_interval_type", tVarchar, false},
	{"result_cast_interval_precision", tInt4, false},
	{"result_cast_type_udt_catalog", tName, false},
	{"result_cast_type_udt_schema", tName, false},
	{"result_cast_type_udt_name", tName, false},
	{"result_cast_scope_catalog", tName, false},
	{"result_cast_scope_schema", tName, false},
	{"result_cast_scope_name", tName, false},
	{"result_cast_maximum_cardinality", tInt4, false},
	{"result_cast_dtd_identifier", tName, false},
}

var schemataColumns = []column{
	{"catalog_name", tName, false},
	{"schema_name", tName, false},
	{"schema_owner", tName, false},
	{"default_character_set_catalog", tName, false},
	{"default_character_set_schema", tName, false},
	{"default_character_set_name", tName, false},
	{"sql_path", tVarchar, false},
}

var tableConstraintsColumns = []column{
	{"constraint_catalog", tName, false},
	{"constraint_schema", tName, false},
	{"constraint_name", tName, false},
	{"table_catalog", tName, false},
	{"table_schema", tName, false},
	{"table_name", tName, false},
	{"constraint_type", tVarchar, false},
	{"is_deferrable", tYesOrNo, false},
	{"initially_deferred", tYesOrNo, false},
	{"enforced", tYesOrNo, false},
	{"nulls_distinct", tYesOrNo, false},
}

var tablesColumns = []column{
	{"table_catalog", tName, false},
	{"table_schema", tName, false},
	{"table_name", tName, false},
	{"table_type", tVarchar, false},
	{"self_referencing_column_name", tName, false},
	{"reference_generation", tVarchar, false},
	{"user_defined_type_catalog", tName, false},
	{"user_defined_type_schema", tName, false},
	{"user_defined_type_name", tName, false},
	{"is_insertable_into", tYesOrNo, false},
	{"is_typed", tYesOrNo, false},
	{"commit_action", tVarchar, false},
}

var viewsColumns = []column{
	{"table_catalog", tName, false},
	{"table_schema", tName, false},
	{"table_name", tName, false},
	{"view_definition", tVarchar, false},
	{"check_option", tVarchar, false},
	{"is_updatable", tYesOrNo, false},
	{"is_insertable_into", tYesOrNo, false},
	{"is_trigger_updatable", tYesOrNo, false},
	{"is_trigger_deletable", tYesOrNo, false},
	{"is_trigger_insertable_into", tYesOrNo, false},
}
