package system

import (
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
)

// Keys and indexes are the source's own: discovery reads the primary key,
// unique and foreign key constraints and the plain-column indexes a
// source declares, and the system tables show them (pg_constraint,
// pg_index, pg_class rows of kind 'i', information_schema's constraint
// views) so that JDBC's DatabaseMetaData, SQLAlchemy's inspector and BI
// tools find a table's keys and relationships. A foreign key whose
// referenced table Junction does not list is left out.

// index is an index of a source table; its pg_class row is rel.
type index struct {
	rel     *relation
	table   *relation
	def     *connectors.Index
	attnums []int16
}

// constraint is one row of pg_constraint.
type constraint struct {
	oid        uint32
	table      *relation
	key        *connectors.Key
	attnums    []int16
	ref        *relation // foreign keys: the referenced table
	refAttnums []int16
	index      *relation // the index that enforces it (or, for a foreign key, that the referenced columns have)
}

// addKeys registers the indexes and constraints of every source table of
// d; it runs once every table is known, since keys refer across tables.
func (d *directory) addKeys(derived map[uint32]bool) {
	tables := append([]*relation(nil), d.relations...)
	for _, r := range tables {
		if r.table == nil {
			continue
		}
		for i := range r.table.Indexes {
			ix := &r.table.Indexes[i]
			attnums, ok := attnumsOf(r.table, ix.Columns)
			if !ok || d.relByName[r.ns][ix.Name] != nil {
				continue
			}
			rel := &relation{oid: derivedOID("index", r.ns.name+"."+ix.Name, derived), name: ix.Name, ns: r.ns, kind: 'i'}
			rel.index = &index{rel: rel, table: r, def: ix, attnums: attnums}
			d.indexes = append(d.indexes, rel.index)
			d.relByOID[rel.oid] = rel
			d.relByName[r.ns][rel.name] = rel
		}
	}
	for _, r := range tables {
		if r.table == nil {
			continue
		}
		for i := range r.table.Keys {
			k := &r.table.Keys[i]
			attnums, ok := attnumsOf(r.table, k.Columns)
			if !ok {
				continue
			}
			c := &constraint{table: r, key: k, attnums: attnums}
			if k.Kind == connectors.ForeignKey {
				c.ref = d.sourceTable(r.ns.source, k.RefSchema, k.RefTable)
				if c.ref == nil {
					continue
				}
				if c.refAttnums, ok = attnumsOf(c.ref.table, k.RefColumns); !ok {
					continue
				}
				c.index = d.indexOn(c.ref, c.refAttnums)
			} else {
				c.index = d.indexOn(r, attnums)
			}
			c.oid = derivedOID("constraint", r.ns.name+"."+r.name+"."+k.Name, derived)
			d.constraints = append(d.constraints, c)
			d.conByOID[c.oid] = c
		}
	}
}

// sourceTable finds the relation of a source's table by its remote
// schema and name.
func (d *directory) sourceTable(src *catalog.Source, schema, name string) *relation {
	if src == nil {
		return nil
	}
	nsName := src.Name
	if schema != src.DefaultSchema {
		nsName += "." + schema
	}
	ns := d.nsByName[nsName]
	if ns == nil || ns.source != src {
		return nil
	}
	if r := d.relByName[ns][name]; r != nil && r.table != nil {
		return r
	}
	return nil
}

// indexOn finds the unique index of table on exactly the given columns.
func (d *directory) indexOn(table *relation, attnums []int16) *relation {
	for _, ix := range d.indexes {
		if ix.table == table && ix.def.Unique && equalAttnums(ix.attnums, attnums) {
			return ix.rel
		}
	}
	return nil
}

func equalAttnums(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// attnumsOf maps column names to their attnums; ok is false if a name is
// not a column of t.
func attnumsOf(t *connectors.Table, names []string) ([]int16, bool) {
	out := make([]int16, len(names))
	for i, name := range names {
		out[i] = -1
		for j, c := range t.Columns {
			if c.Name == name {
				out[i] = int16(j + 1)
			}
		}
		if out[i] < 0 {
			return nil, false
		}
	}
	return out, len(names) > 0
}

// quotedColumns lists column names as SQL prints them: "(a, b)".
func quotedColumns(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// hasIndexes is pg_class.relhasindex.
func (r *relation) hasIndexes() bool { return r.table != nil && len(r.table.Indexes) > 0 }
