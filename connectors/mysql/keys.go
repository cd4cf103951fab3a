package mysql

import (
	"context"
	"database/sql"
	"strings"

	"github.com/junction-db/junction/connectors"
)

// keysSQL lists the primary key, unique and foreign key constraints of
// the tables of the given databases, a row per column in key order; %s
// is the list of placeholders.
const keysSQL = `
SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, k.COLUMN_NAME,
       k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME,
       rc.UPDATE_RULE, rc.DELETE_RULE
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA
  AND tc.TABLE_NAME = k.TABLE_NAME AND tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA
  AND rc.TABLE_NAME = k.TABLE_NAME AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA IN (%s) AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`

// indexesSQL lists the B-tree and hash indexes on plain columns, a row
// per column in index order. COLLATION is D for a descending column.
const indexesSQL = `
SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, COLLATION, INDEX_TYPE
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA IN (%s)
ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`

// keyKinds and referentialActions translate to pg_constraint's letters.
var (
	keyKinds           = map[string]string{"PRIMARY KEY": connectors.PrimaryKey, "UNIQUE": connectors.UniqueKey, "FOREIGN KEY": connectors.ForeignKey}
	referentialActions = map[string]string{"NO ACTION": "a", "RESTRICT": "r", "CASCADE": "c", "SET NULL": "n", "SET DEFAULT": "d"}
	indexMethods       = map[string]string{"BTREE": "btree", "HASH": "hash"}
)

// discoverKeys adds the keys and indexes of the tables d lists.
func (c *Connector) discoverKeys(ctx context.Context, d *connectors.Discovery, placeholders string, args []any) error {
	byName := map[[2]string]*connectors.Table{}
	for i := range d.Tables {
		byName[[2]string{d.Tables[i].Schema, d.Tables[i].Name}] = &d.Tables[i]
	}
	rows, err := c.db.QueryContext(ctx, strings.Replace(keysSQL, "%s", placeholders, 1), args...)
	if err != nil {
		return c.queryError(ctx, err)
	}
	for rows.Next() {
		var schema, table, name, kind, col string
		var refSchema, refTable, refCol, onUpdate, onDelete sql.NullString
		if err := rows.Scan(&schema, &table, &name, &kind, &col, &refSchema, &refTable, &refCol, &onUpdate, &onDelete); err != nil {
			rows.Close()
			return c.queryError(ctx, err)
		}
		t := byName[[2]string{schema, table}]
		if t == nil {
			continue
		}
		if n := len(t.Keys); n == 0 || t.Keys[n-1].Name != name {
			k := connectors.Key{Name: name, Kind: keyKinds[kind]}
			if k.Kind == connectors.ForeignKey {
				k.RefSchema, k.RefTable = refSchema.String, refTable.String
				k.OnUpdate, k.OnDelete, k.Match = referentialActions[onUpdate.String], referentialActions[onDelete.String], "s"
			}
			t.Keys = append(t.Keys, k)
		}
		k := &t.Keys[len(t.Keys)-1]
		k.Columns = append(k.Columns, col)
		if k.Kind == connectors.ForeignKey {
			k.RefColumns = append(k.RefColumns, refCol.String)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c.queryError(ctx, err)
	}
	return c.discoverIndexes(ctx, byName, placeholders, args)
}

func (c *Connector) discoverIndexes(ctx context.Context, byName map[[2]string]*connectors.Table, placeholders string, args []any) error {
	rows, err := c.db.QueryContext(ctx, strings.Replace(indexesSQL, "%s", placeholders, 1), args...)
	if err != nil {
		return c.queryError(ctx, err)
	}
	defer rows.Close()
	// skip marks indexes Junction cannot describe (on an expression, full
	// text, spatial); they are removed at the end.
	skip := map[[3]string]bool{}
	for rows.Next() {
		var schema, table, name, method string
		var nonUnique int
		var col, collation sql.NullString
		if err := rows.Scan(&schema, &table, &name, &nonUnique, &col, &collation, &method); err != nil {
			return c.queryError(ctx, err)
		}
		t := byName[[2]string{schema, table}]
		if t == nil {
			continue
		}
		if n := len(t.Indexes); n == 0 || t.Indexes[n-1].Name != name {
			t.Indexes = append(t.Indexes, connectors.Index{Name: name, Unique: nonUnique == 0, Primary: name == "PRIMARY", Method: indexMethods[method]})
		}
		ix := &t.Indexes[len(t.Indexes)-1]
		if !col.Valid || ix.Method == "" {
			skip[[3]string{schema, table, name}] = true
			continue
		}
		desc := collation.String == "D"
		// MySQL sorts NULL below every value: first ascending, last descending.
		ix.Columns, ix.Descending, ix.NullsFirst = append(ix.Columns, col.String), append(ix.Descending, desc), append(ix.NullsFirst, !desc)
	}
	if err := rows.Err(); err != nil {
		return c.queryError(ctx, err)
	}
	for key, t := range byName {
		kept := t.Indexes[:0]
		for _, ix := range t.Indexes {
			if !skip[[3]string{key[0], key[1], ix.Name}] {
				kept = append(kept, ix)
			}
		}
		t.Indexes = kept
	}
	return nil
}
