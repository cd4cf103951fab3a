package system

import (
	"strconv"

	"github.com/junction-db/junction/types"
)

// information_schema shows the same relations as pg_class, in the SQL
// standard's terms. Junction is read-only, so nothing is updatable or
// insertable; the constraints it shows are the sources' keys, and it has
// no routines of its own.

func informationSchemaTables() []*sysTable {
	is := func(oid uint32, name string, cols []column, fill func(*env, *rowSet)) *sysTable {
		return &sysTable{schema: InformationSchema, name: name, oid: oid, kind: 'v', cols: cols, fill: fill}
	}
	return []*sysTable{
		is(13295, "columns", columnsColumns, fillColumns),
		is(13329, "key_column_usage", keyColumnUsageColumns, fillKeyColumnUsage),
		is(13339, "referential_constraints", referentialConstraintsColumns, fillReferentialConstraints),
		is(13377, "routines", routinesColumns, nil),
		is(13382, "schemata", schemataColumns, fillSchemata),
		is(13411, "table_constraints", tableConstraintsColumns, fillTableConstraints),
		is(13425, "tables", tablesColumns, fillInfoTables),
		is(13483, "views", viewsColumns, fillInfoViews),
	}
}

func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

func fillSchemata(e *env, out *rowSet) {
	for _, ns := range e.dir.namespaces {
		out.add("catalog_name", e.database(), "schema_name", ns.name, "schema_owner", e.user())
	}
}

func fillInfoTables(e *env, out *rowSet) {
	for _, r := range e.dir.relations {
		if r.kind == 'm' {
			continue // PostgreSQL lists no materialized views here
		}
		kind := "BASE TABLE"
		if r.kind == 'v' {
			kind = "VIEW"
		}
		out.add("table_catalog", e.database(), "table_schema", r.ns.name, "table_name", r.name, "table_type", kind,
			"is_insertable_into", "NO", "is_typed", "NO")
	}
}

func fillInfoViews(e *env, out *rowSet) {
	for _, r := range e.dir.relations {
		if r.kind != 'v' {
			continue
		}
		out.add("table_catalog", e.database(), "table_schema", r.ns.name, "table_name", r.name,
			"view_definition", viewDefinition(r), "check_option", "NONE", "is_updatable", "NO",
			"is_insertable_into", "NO", "is_trigger_updatable", "NO", "is_trigger_deletable", "NO",
			"is_trigger_insertable_into", "NO")
	}
}

func fillColumns(e *env, out *rowSet) {
	db := e.database()
	for _, r := range e.dir.relations {
		if r.kind == 'm' {
			continue // as in PostgreSQL, whose view lists no materialized view
		}
		for i, a := range e.attributes(r) {
			t := typeOf(a.typ)
			dataType := t.display
			if t.isArray() {
				dataType = "ARRAY"
			}
			f := describeType(a.typ)
			out.add("table_catalog", db, "table_schema", r.ns.name, "table_name", r.name, "column_name", a.name,
				"ordinal_position", i+1, "is_nullable", yesNo(!a.notNull), "data_type", dataType,
				"character_maximum_length", f.charMaxLength, "character_octet_length", f.charOctetLength,
				"numeric_precision", f.numericPrecision, "numeric_precision_radix", f.numericRadix,
				"numeric_scale", f.numericScale, "datetime_precision", f.datetimePrecision,
				"udt_catalog", db, "udt_schema", PgCatalog, "udt_name", t.name,
				"dtd_identifier", strconv.Itoa(i+1), "is_self_referencing", "NO", "is_identity", "NO",
				"identity_cycle", "NO", "is_generated", "NEVER", "is_updatable", "NO")
		}
	}
}

// typeFacts are the sizes information_schema.columns reports for a type;
// nil means NULL.
type typeFacts struct {
	charMaxLength, charOctetLength               any
	numericPrecision, numericRadix, numericScale any
	datetimePrecision                            any
}

// maxCharBytes is the longest UTF-8 character, and unboundedOctets the
// octet length PostgreSQL reports for strings without a length limit.
const (
	maxCharBytes    = 4
	unboundedOctets = 1 << 30
)

// describeType follows PostgreSQL's _pg_char_max_length,
// _pg_char_octet_length, _pg_numeric_precision, _pg_numeric_scale and
// _pg_datetime_precision.
func describeType(t types.Type) typeFacts {
	var f typeFacts
	switch t.Kind {
	case types.Varchar, types.Bpchar, types.Text:
		f.charOctetLength = unboundedOctets
		if t.Kind != types.Text && t.Length > 0 {
			f.charMaxLength = int(t.Length)
			f.charOctetLength = int(t.Length) * maxCharBytes
		}
	case types.Int2, types.Int4, types.Int8:
		f.numericPrecision, f.numericRadix, f.numericScale = 8*int(t.Size()), 2, 0
	case types.Float4:
		f.numericPrecision, f.numericRadix = 24, 2
	case types.Float8:
		f.numericPrecision, f.numericRadix = 53, 2
	case types.Numeric:
		f.numericRadix = 10
		if t.Precision > 0 {
			f.numericPrecision, f.numericScale = int(t.Precision), int(t.Scale)
		}
	case types.Date:
		f.datetimePrecision = 0
	case types.Time, types.TimeTZ, types.Timestamp, types.TimestampTZ, types.Interval:
		// Junction's times carry microseconds, PostgreSQL's default,
		// unless the type's modifier keeps fewer digits.
		f.datetimePrecision = 6
		if p, ok := t.SecondsPrecision(); ok {
			f.datetimePrecision = int(p)
		}
	}
	return f
}
