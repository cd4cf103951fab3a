package mysql

import (
	"context"
	"database/sql"
	"strings"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// discoverSQL lists the tables and views of the given databases with their
// columns in order; %s is the list of placeholders. Sequences (MariaDB)
// are not tables one reads.
const discoverSQL = `
SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_TYPE, t.TABLE_ROWS,
       c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, c.IS_NULLABLE,
       c.CHARACTER_MAXIMUM_LENGTH, c.NUMERIC_PRECISION, c.NUMERIC_SCALE
FROM information_schema.TABLES t
LEFT JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME
WHERE t.TABLE_SCHEMA IN (%s) AND t.TABLE_TYPE <> 'SEQUENCE'
ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME, c.ORDINAL_POSITION`

// jsonChecksSQL finds MariaDB's JSON columns: MariaDB's json is an alias of
// longtext that adds the column constraint CHECK (json_valid(col)).
const jsonChecksSQL = `
SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA IN (%s) AND CHECK_CLAUSE LIKE 'json\_valid(%%'`

// Discover lists the tables of the configured databases.
func (c *Connector) Discover(ctx context.Context) (*connectors.Discovery, error) {
	args := make([]any, len(c.schemas))
	for i, s := range c.schemas {
		args[i] = s
	}
	placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")
	if err := c.checkSchemas(ctx, placeholders, args); err != nil {
		return nil, err
	}
	jsonCols := map[[3]string]bool{}
	if c.mariaDB {
		var err error
		if jsonCols, err = c.jsonColumns(ctx, placeholders, args); err != nil {
			return nil, err
		}
	}
	rows, err := c.db.QueryContext(ctx, strings.Replace(discoverSQL, "%s", placeholders, 1), args...)
	if err != nil {
		return nil, c.queryError(ctx, err)
	}
	defer rows.Close()
	d := &connectors.Discovery{DefaultSchema: c.defaultSchema}
	var cur *connectors.Table
	for rows.Next() {
		var (
			schema, table, kind          string
			tableRows                    sql.NullInt64
			col, dataType, colType, null sql.NullString
			charLen, precision, scale    sql.NullInt64
		)
		if err := rows.Scan(&schema, &table, &kind, &tableRows, &col, &dataType, &colType, &null, &charLen, &precision, &scale); err != nil {
			return nil, c.queryError(ctx, err)
		}
		if cur == nil || cur.Schema != schema || cur.Name != table {
			isView := kind == "VIEW" || kind == "SYSTEM VIEW"
			estimate := int64(-1)
			if tableRows.Valid && !isView {
				estimate = tableRows.Int64
			}
			d.Tables = append(d.Tables, connectors.Table{Schema: schema, Name: table, IsView: isView, RowEstimate: estimate})
			cur = &d.Tables[len(d.Tables)-1]
		}
		if !col.Valid {
			continue
		}
		column := connectors.Column{
			Name:       col.String,
			Nullable:   null.String == "YES",
			NativeType: colType.String,
			Type:       mapType(strings.ToLower(dataType.String), strings.ToLower(colType.String), charLen, precision, scale),
		}
		if jsonCols[[3]string{schema, table, col.String}] && column.Type.Kind == types.Text {
			column.Type, column.NativeType = types.TJSON, "json"
		}
		cur.Columns = append(cur.Columns, column)
	}
	if err := rows.Err(); err != nil {
		return nil, c.queryError(ctx, err)
	}
	if err := c.discoverKeys(ctx, d, placeholders, args); err != nil {
		return nil, err
	}
	return d, nil
}

// checkSchemas reports a database named in the options that does not
// exist, rather than discovering nothing in it.
func (c *Connector) checkSchemas(ctx context.Context, placeholders string, args []any) error {
	rows, err := c.db.QueryContext(ctx, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ("+placeholders+")", args...)
	if err != nil {
		return c.queryError(ctx, err)
	}
	defer rows.Close()
	found := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return c.queryError(ctx, err)
		}
		found[s] = true
	}
	if err := rows.Err(); err != nil {
		return c.queryError(ctx, err)
	}
	for _, s := range c.schemas {
		if !found[s] {
			return pgerr.New(pgerr.UndefinedSchema, "database %q does not exist in the %s", s, c.ep).
				WithHint("Check the schema and schemas options of the server.")
		}
	}
	return nil
}

// jsonColumns returns the (database, table, column) triples that carry
// MariaDB's json_valid column check.
func (c *Connector) jsonColumns(ctx context.Context, placeholders string, args []any) (map[[3]string]bool, error) {
	rows, err := c.db.QueryContext(ctx, strings.Replace(jsonChecksSQL, "%s", placeholders, 1), args...)
	if err != nil {
		return nil, c.queryError(ctx, err)
	}
	defer rows.Close()
	out := map[[3]string]bool{}
	for rows.Next() {
		var schema, table, clause string
		if err := rows.Scan(&schema, &table, &clause); err != nil {
			return nil, c.queryError(ctx, err)
		}
		// The clause is json_valid(`col`) with backquotes in col doubled.
		if inner, ok := strings.CutPrefix(clause, "json_valid(`"); ok {
			if col, ok := strings.CutSuffix(inner, "`)"); ok {
				out[[3]string{schema, table, strings.ReplaceAll(col, "``", "`")}] = true
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, c.queryError(ctx, err)
	}
	return out, nil
}

// mapType maps a column's DATA_TYPE and COLUMN_TYPE (both lower case) to
// the PostgreSQL type it is read as; see the package documentation.
func mapType(dataType, columnType string, charLen, precision, scale sql.NullInt64) types.Type {
	unsigned := strings.Contains(columnType, "unsigned")
	switch dataType {
	case "tinyint":
		if strings.HasPrefix(columnType, "tinyint(1)") {
			return types.TBool
		}
		return types.TInt2
	case "smallint":
		if unsigned {
			return types.TInt4
		}
		return types.TInt2
	case "mediumint":
		return types.TInt4
	case "int", "integer":
		if unsigned {
			return types.TInt8
		}
		return types.TInt4
	case "bigint":
		if unsigned {
			return types.Type{Kind: types.Numeric, Precision: 20}
		}
		return types.TInt8
	case "bit":
		if precision.Int64 <= 1 {
			return types.TBool
		}
		return types.TBytea
	case "decimal", "numeric":
		return types.Type{Kind: types.Numeric, Precision: int32(precision.Int64), Scale: int32(scale.Int64)}
	case "float":
		return types.TFloat4
	case "double", "real", "double precision":
		return types.TFloat8
	case "char":
		return types.Type{Kind: types.Bpchar, Length: int32(charLen.Int64)}
	case "varchar":
		return types.Type{Kind: types.Varchar, Length: int32(charLen.Int64)}
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob",
		"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
		"multipolygon", "geometrycollection", "geomcollection", "vector":
		return types.TBytea
	case "date":
		return types.TDate
	case "datetime":
		return types.TTimestamp
	case "timestamp":
		return types.TTimestampTZ
	case "time":
		return types.TTime
	case "year":
		return types.TInt4
	case "json":
		return types.TJSON
	case "uuid":
		return types.TUUID
	}
	// text types, enum, set, inet4, inet6 and anything newer.
	return types.TText
}
