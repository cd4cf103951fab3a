package postgres

import (
	"context"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// discoverSQL lists the tables, views, materialized views, foreign and
// partitioned tables the user may read, outside the system schemas, with
// their columns in order. A domain column is described by its base type,
// whose text form it shares.
const discoverSQL = `
SELECT n.nspname, c.relname, c.relkind::text, c.reltuples::float8,
       a.attname,
       CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END,
       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END,
       a.attnotnull OR coalesce(t.typnotnull, false),
       format_type(a.atttypid, a.atttypmod),
       coalesce(obj_description(c.oid, 'pg_class'), ''),
       coalesce(col_description(c.oid, a.attnum), '')
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND has_schema_privilege(n.oid, 'USAGE')
  AND has_any_column_privilege(c.oid, 'SELECT')
ORDER BY n.nspname, c.relname, a.attnum`

// Discover lists the readable tables of every non-system schema.
func (c *Connector) Discover(ctx context.Context) (*connectors.Discovery, error) {
	var schemaExists bool
	err := c.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", c.defaultSchema).Scan(&schemaExists)
	if err != nil {
		return nil, c.queryError(ctx, err)
	}
	if !schemaExists {
		return nil, pgerr.New(pgerr.UndefinedSchema, "schema %q does not exist in the %s", c.defaultSchema, c.ep).
			WithHint("Set the server's schema option to an existing schema.")
	}
	rows, err := c.pool.Query(ctx, discoverSQL)
	if err != nil {
		return nil, c.queryError(ctx, err)
	}
	defer rows.Close()
	d := &connectors.Discovery{DefaultSchema: c.defaultSchema}
	var cur *connectors.Table
	for rows.Next() {
		var (
			schema, table, kind string
			comment, colComment string
			reltuples           float64
			col, native         *string
			typ                 *uint32
			typmod              *int32
			notNull             *bool
		)
		if err := rows.Scan(&schema, &table, &kind, &reltuples, &col, &typ, &typmod, &notNull, &native, &comment, &colComment); err != nil {
			return nil, c.queryError(ctx, err)
		}
		if cur == nil || cur.Schema != schema || cur.Name != table {
			d.Tables = append(d.Tables, connectors.Table{Schema: schema, Name: table, IsView: kind == "v", RowEstimate: rowEstimate(kind, reltuples), Comment: comment})
			cur = &d.Tables[len(d.Tables)-1]
		}
		if col == nil {
			continue // a table without columns
		}
		cur.Columns = append(cur.Columns, connectors.Column{Name: *col, Type: mapType(*typ, *typmod), Nullable: !*notNull, NativeType: *native, Comment: colComment})
	}
	if err := rows.Err(); err != nil {
		return nil, c.queryError(ctx, err)
	}
	if err := c.discoverKeys(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// rowEstimate reads pg_class.reltuples, which is -1 (or 0 before version
// 14) until the table is first analyzed, and meaningless for views.
func rowEstimate(kind string, reltuples float64) int64 {
	if kind == "v" || reltuples < 0 {
		return -1
	}
	return int64(reltuples)
}

// Type OIDs from pg_type.dat.
const (
	oidBool        = 16
	oidBytea       = 17
	oidChar        = 18
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidOID         = 26
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidBpchar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimeTZ      = 1266
	oidTimestamp   = 1114
	oidTimestampTZ = 1184
	oidInterval    = 1186
	oidNumeric     = 1700
	oidUUID        = 2950
	oidJSONB       = 3802
)

var typesByOID = map[uint32]types.Type{
	oidBool: types.TBool, oidBytea: types.TBytea, oidChar: types.TChar, oidName: types.TName,
	oidInt8: types.TInt8, oidInt2: types.TInt2, oidInt4: types.TInt4, oidText: types.TText,
	oidOID: types.TOID, oidJSON: types.TJSON, oidFloat4: types.TFloat4, oidFloat8: types.TFloat8,
	oidBpchar: {Kind: types.Bpchar}, oidVarchar: types.TVarchar, oidDate: types.TDate,
	oidTime: types.TTime, oidTimeTZ: types.TTimeTZ, oidTimestamp: types.TTimestamp, oidTimestampTZ: types.TTimestampTZ,
	oidInterval: types.TInterval, oidNumeric: types.TNumeric, oidUUID: types.TUUID, oidJSONB: types.TJSONB,
}

// mapType maps a column's pg_type OID and atttypmod to Junction's type;
// types Junction does not model are read as text.
func mapType(oid uint32, typmod int32) types.Type {
	t, ok := typesByOID[oid]
	if !ok {
		return arrayType(oid)
	}
	if typmod < 0 {
		return t
	}
	switch t.Kind {
	case types.Numeric:
		if typmod < 4 {
			return t
		}
		m := typmod - 4
		t.Precision = (m >> 16) & 0xffff
		// The scale is an 11-bit two's complement number: PostgreSQL 15
		// allows negative scales.
		t.Scale = (m&0x7ff ^ 0x400) - 0x400
	case types.Varchar, types.Bpchar:
		if typmod < 4 {
			return t
		}
		t.Length = typmod - 4
	case types.Time, types.TimeTZ, types.Timestamp, types.TimestampTZ:
		if modified, err := types.WithSecondsPrecision(t, typmod); err == nil {
			return modified
		}
	case types.Interval:
		// The field bits above, the seconds' digits below.
		if modified, err := types.IntervalType(typmod>>16&types.IntervalFullRange, typmod&types.IntervalFullPrecision); err == nil {
			return modified
		}
	}
	return t
}

// Array type OIDs whose element types Junction reads as text[]'s.
const (
	oidBpcharArray  = 1014
	oidVarcharArray = 1015
	oidNameArray    = 1003
)

// arrayType maps an array column's type OID: to the array type of the
// same OID, or text[] for the character types, whose elements print
// alike; other types are read as text.
func arrayType(oid uint32) types.Type {
	switch oid {
	case oidBpcharArray, oidVarcharArray, oidNameArray:
		return types.Type{Kind: types.TextArray}
	}
	if t, ok := types.ByOID(oid); ok && t.IsArray() && t.Kind != types.Int2Vector {
		return t
	}
	return types.TText
}
