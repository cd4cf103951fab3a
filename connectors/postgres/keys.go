package postgres

import (
	"context"

	"github.com/junction-db/junction/connectors"
)

// keysSQL lists the primary key, unique and foreign key constraints of
// the tables outside the system schemas, with their columns in key order.
const keysSQL = `
SELECT n.nspname, c.relname, k.conname, k.contype::text,
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(num, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num ORDER BY u.ord),
       coalesce(rn.nspname::text, ''), coalesce(rc.relname::text, ''),
       ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(num, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num ORDER BY u.ord),
       k.confupdtype::text, k.confdeltype::text, k.confmatchtype::text
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE k.contype IN ('p', 'u', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
ORDER BY n.nspname, c.relname, k.conname`

// indexesSQL lists the indexes on plain columns (none on an expression,
// none partial) of the same tables, with each key column's DESC and
// NULLS FIRST flags (indoption bits 1 and 2).
const indexesSQL = `
SELECT n.nspname, c.relname, ic.relname, i.indisunique, i.indisprimary, am.amname::text,
       ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(num, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.num
             WHERE u.ord <= i.indnkeyatts ORDER BY u.ord),
       ARRAY(SELECT (o & 1) <> 0 FROM unnest(i.indoption::int2[]) WITH ORDINALITY u(o, ord) ORDER BY ord),
       ARRAY(SELECT (o & 2) <> 0 FROM unnest(i.indoption::int2[]) WITH ORDINALITY u(o, ord) ORDER BY ord)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE i.indexprs IS NULL AND i.indpred IS NULL AND 0 <> ALL (i.indkey::int2[])
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
ORDER BY n.nspname, c.relname, ic.relname`

// discoverKeys adds the keys and indexes of the tables d lists.
func (c *Connector) discoverKeys(ctx context.Context, d *connectors.Discovery) error {
	byName := map[[2]string]*connectors.Table{}
	for i := range d.Tables {
		t := &d.Tables[i]
		byName[[2]string{t.Schema, t.Name}] = t
	}
	rows, err := c.pool.Query(ctx, keysSQL)
	if err != nil {
		return c.queryError(ctx, err)
	}
	for rows.Next() {
		var schema, table string
		var k connectors.Key
		if err := rows.Scan(&schema, &table, &k.Name, &k.Kind, &k.Columns, &k.RefSchema, &k.RefTable, &k.RefColumns,
			&k.OnUpdate, &k.OnDelete, &k.Match); err != nil {
			rows.Close()
			return c.queryError(ctx, err)
		}
		if k.Kind != connectors.ForeignKey {
			k.RefColumns, k.OnUpdate, k.OnDelete, k.Match = nil, "", "", ""
		}
		if t := byName[[2]string{schema, table}]; t != nil {
			t.Keys = append(t.Keys, k)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c.queryError(ctx, err)
	}
	if rows, err = c.pool.Query(ctx, indexesSQL); err != nil {
		return c.queryError(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var schema, table string
		var ix connectors.Index
		if err := rows.Scan(&schema, &table, &ix.Name, &ix.Unique, &ix.Primary, &ix.Method, &ix.Columns, &ix.Descending, &ix.NullsFirst); err != nil {
			return c.queryError(ctx, err)
		}
		if t := byName[[2]string{schema, table}]; t != nil {
			t.Indexes = append(t.Indexes, ix)
		}
	}
	if err := rows.Err(); err != nil {
		return c.queryError(ctx, err)
	}
	return nil
}
