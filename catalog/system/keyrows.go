package system

import (
	"strconv"
	"strings"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/types"
)

// accessMethods are pg_am's index access methods by name.
var accessMethods = map[string]uint32{"btree": 403, "hash": 405, "gist": 783, "gin": 2742, "brin": 3580, "spgist": 4000}

// indexOptions are pg_index.indoption's bits.
const (
	indoptionDesc       = 1
	indoptionNullsFirst = 2
)

func int2Vector(ns []int16) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(int(n))
	}
	return strings.Join(s, " ")
}

func int2Array(ns []int16) string { return "{" + strings.ReplaceAll(int2Vector(ns), " ", ",") + "}" }

func (ix *index) options() []int16 {
	out := make([]int16, len(ix.attnums))
	for i := range out {
		if i < len(ix.def.Descending) && ix.def.Descending[i] {
			out[i] |= indoptionDesc
		}
		if i < len(ix.def.NullsFirst) && ix.def.NullsFirst[i] {
			out[i] |= indoptionNullsFirst
		}
	}
	return out
}

func fillIndex(e *env, out *rowSet) {
	for _, ix := range e.dir.indexes {
		collations := make([]string, len(ix.attnums))
		classes := make([]string, len(ix.attnums))
		for i, a := range e.attributes(ix.rel) {
			collations[i] = strconv.FormatUint(uint64(typeOf(a.typ).collation), 10)
			classes[i] = "0" // Junction does not list operator classes
		}
		out.add("indexrelid", ix.rel.oid, "indrelid", ix.table.oid, "indnatts", len(ix.attnums), "indnkeyatts", len(ix.attnums),
			"indisunique", ix.def.Unique, "indisprimary", ix.def.Primary, "indimmediate", true, "indisvalid", true,
			"indisready", true, "indislive", true, "indkey", int2Vector(ix.attnums),
			"indcollation", strings.Join(collations, " "), "indclass", strings.Join(classes, " "),
			"indoption", int2Vector(ix.options()))
	}
}

// fillIndexClass adds the pg_class rows of the indexes.
func fillIndexClass(e *env, out *rowSet) {
	for _, ix := range e.dir.indexes {
		out.add("oid", ix.rel.oid, "relname", ix.rel.name, "relnamespace", ix.rel.ns.oid, "relowner", e.ownerOID(e.relationOwner(ix.rel)),
			"relam", accessMethods[ix.def.Method], "reltuples", -1.0, "relpersistence", 'p', "relkind", 'i',
			"relnatts", len(ix.attnums), "relispopulated", true, "relreplident", 'n')
	}
}

func fillConstraint(e *env, out *rowSet) {
	for _, c := range e.dir.constraints {
		var refOID, indexOID uint32
		var refKey any
		if c.ref != nil {
			refOID, refKey = c.ref.oid, int2Array(c.refAttnums)
		}
		if c.index != nil {
			indexOID = c.index.oid
		}
		upd, del, match := ' ', ' ', ' '
		if c.key.Kind == connectors.ForeignKey {
			upd, del, match = letter(c.key.OnUpdate, 'a'), letter(c.key.OnDelete, 'a'), letter(c.key.Match, 's')
		}
		out.add("oid", c.oid, "conname", c.key.Name, "connamespace", c.table.ns.oid, "contype", letter(c.key.Kind, 'p'),
			"convalidated", true, "conrelid", c.table.oid, "conindid", indexOID, "confrelid", refOID,
			"confupdtype", upd, "confdeltype", del, "confmatchtype", match, "conislocal", true, "connoinherit", true,
			"conkey", int2Array(c.attnums), "confkey", refKey)
	}
}

// letter is the first letter of a pg_constraint code, or none for "".
func letter(s string, none rune) rune {
	if s == "" {
		return none
	}
	return rune(s[0])
}

func fillPgIndexes(e *env, out *rowSet) {
	for _, ix := range e.dir.indexes {
		out.add("schemaname", ix.rel.ns.name, "tablename", ix.table.name, "indexname", ix.rel.name,
			"indexdef", e.indexDefinition(ix, 0))
	}
}

// indexDefinition is pg_get_indexdef's text: the CREATE INDEX statement,
// or for column > 0 that key column's name.
func (e *env) indexDefinition(ix *index, column int) string {
	names := make([]string, len(ix.attnums))
	for i, a := range e.attributes(ix.rel) {
		names[i] = quoteIdent(a.name)
	}
	if column > 0 {
		if column > len(names) {
			return ""
		}
		return names[column-1]
	}
	opts := ix.options()
	for i := range names {
		desc, nullsFirst := opts[i]&indoptionDesc != 0, opts[i]&indoptionNullsFirst != 0
		if desc {
			names[i] += " DESC"
		}
		if nullsFirst && !desc {
			names[i] += " NULLS FIRST"
		} else if !nullsFirst && desc {
			names[i] += " NULLS LAST"
		}
	}
	unique := ""
	if ix.def.Unique {
		unique = "UNIQUE "
	}
	return "CREATE " + unique + "INDEX " + quoteIdent(ix.rel.name) + " ON " + quoteIdent(ix.table.ns.name) + "." +
		quoteIdent(ix.table.name) + " USING " + ix.def.Method + " (" + strings.Join(names, ", ") + ")"
}

// foreignKeyActions are the words of pg_constraint's action letters.
var foreignKeyActions = map[string]string{"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

// constraintDefinition is pg_get_constraintdef's text.
func (e *env) constraintDefinition(c *constraint) string {
	switch c.key.Kind {
	case connectors.PrimaryKey:
		return "PRIMARY KEY " + quotedColumns(c.key.Columns)
	case connectors.UniqueKey:
		return "UNIQUE " + quotedColumns(c.key.Columns)
	}
	def := "FOREIGN KEY " + quotedColumns(c.key.Columns) + " REFERENCES " + e.qualifiedName(c.ref) + quotedColumns(c.key.RefColumns)
	if c.key.Match == "f" {
		def += " MATCH FULL"
	}
	if a, ok := foreignKeyActions[c.key.OnUpdate]; ok {
		def += " ON UPDATE " + a
	}
	if a, ok := foreignKeyActions[c.key.OnDelete]; ok {
		def += " ON DELETE " + a
	}
	return def
}

func indexDefByOID(e *env, args []types.Datum) (types.Datum, error) {
	r := e.dir.relByOID[oidArg(args[0])]
	if r == nil || r.index == nil {
		return null, nil
	}
	column := 0
	if len(args) > 1 {
		column = int(args[1].Int)
	}
	return types.StrDatum(e.indexDefinition(r.index, column)), nil
}

func constraintDefByOID(e *env, args []types.Datum) (types.Datum, error) {
	c := e.dir.conByOID[oidArg(args[0])]
	if c == nil {
		return null, nil
	}
	return types.StrDatum(e.constraintDefinition(c)), nil
}

// constraintTypes are information_schema's words for the key kinds.
var constraintTypes = map[string]string{connectors.PrimaryKey: "PRIMARY KEY", connectors.UniqueKey: "UNIQUE", connectors.ForeignKey: "FOREIGN KEY"}

func fillTableConstraints(e *env, out *rowSet) {
	db := e.database()
	for _, c := range e.dir.constraints {
		out.add("constraint_catalog", db, "constraint_schema", c.table.ns.name, "constraint_name", c.key.Name,
			"table_catalog", db, "table_schema", c.table.ns.name, "table_name", c.table.name,
			"constraint_type", constraintTypes[c.key.Kind], "is_deferrable", "NO", "initially_deferred", "NO",
			"enforced", "YES", "nulls_distinct", yesNoNull(c.key.Kind != connectors.ForeignKey))
	}
}

// yesNoNull is "YES" or NULL: nulls_distinct applies to unique keys only.
func yesNoNull(b bool) any {
	if b {
		return "YES"
	}
	return nil
}

func fillKeyColumnUsage(e *env, out *rowSet) {
	db := e.database()
	for _, c := range e.dir.constraints {
		for i, col := range c.key.Columns {
			var position any
			if c.ref != nil {
				position = i + 1
			}
			out.add("constraint_catalog", db, "constraint_schema", c.table.ns.name, "constraint_name", c.key.Name,
				"table_catalog", db, "table_schema", c.table.ns.name, "table_name", c.table.name, "column_name", col,
				"ordinal_position", i+1, "position_in_unique_constraint", position)
		}
	}
}

// referentialRules are information_schema's words for the action letters.
var referentialRules = map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

func fillReferentialConstraints(e *env, out *rowSet) {
	db := e.database()
	for _, c := range e.dir.constraints {
		if c.ref == nil {
			continue
		}
		match := map[string]string{"f": "FULL", "p": "PARTIAL"}[c.key.Match]
		if match == "" {
			match = "NONE"
		}
		var uniqueSchema, uniqueName any
		if uc := e.dir.constraintOfIndex(c.index); uc != nil {
			uniqueSchema, uniqueName = uc.table.ns.name, uc.key.Name
		}
		out.add("constraint_catalog", db, "constraint_schema", c.table.ns.name, "constraint_name", c.key.Name,
			"unique_constraint_catalog", db, "unique_constraint_schema", uniqueSchema, "unique_constraint_name", uniqueName,
			"match_option", match, "update_rule", referentialRules[string(letter(c.key.OnUpdate, 'a'))],
			"delete_rule", referentialRules[string(letter(c.key.OnDelete, 'a'))])
	}
}

// constraintOfIndex is the primary key or unique constraint an index
// enforces.
func (d *directory) constraintOfIndex(ix *relation) *constraint {
	for _, c := range d.constraints {
		if ix != nil && c.ref == nil && c.index == ix {
			return c
		}
	}
	return nil
}
