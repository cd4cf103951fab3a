package engine

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// prepareCreateForeignTable defines a table of a source whose type
// accepts definitions (files): CREATE FOREIGN TABLE [IF NOT EXISTS]
// [server.]name (column type, ...) SERVER server OPTIONS (...). The
// definition is kept among the server's options (see
// connectors.TableOptionPrefix) and the server reconnects with it, so a
// definition the source cannot read leaves the catalog unchanged.
func (s *Session) prepareCreateForeignTable(ct *pg.CreateForeignTableStmt, st *Statement) (*Statement, error) {
	base := ct.GetBaseStmt()
	rel := base.GetRelation()
	if schema := rel.GetSchemaname(); schema != "" && schema != ct.Servername {
		return nil, pgerr.New(pgerr.InvalidSchemaName, "foreign table %s.%s must be created in the schema of its server %s", schema, rel.GetRelname(), ct.Servername).
			WithHint("The tables of a source live in the schema named after it: CREATE FOREIGN TABLE %s.%s ...", ct.Servername, rel.GetRelname())
	}
	def := connectors.TableDefinition{}
	for _, elt := range base.GetTableElts() {
		cd := elt.GetColumnDef()
		if cd == nil {
			return nil, pgerr.NotSupported("table constraints in CREATE FOREIGN TABLE")
		}
		t, err := planner.TypeFromName(cd.GetTypeName())
		if err != nil {
			return nil, err
		}
		def.Columns = append(def.Columns, connectors.Column{Name: cd.Colname, Type: t, Nullable: !declaredNotNull(cd)})
	}
	opts, err := defElems(ct.Options)
	if err != nil {
		return nil, err
	}
	def.Options = opts
	name := rel.GetRelname()
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		if err := s.engine.checkTableDefinitions(ct.Servername); err != nil {
			return nil, err
		}
		key := connectors.TableOptionPrefix + name
		if _, exists := s.engine.catalog.Snapshot().Sources[ct.Servername].Options[key]; exists && base.GetIfNotExists() {
			return &Result{Tag: "CREATE FOREIGN TABLE", Notices: []*pgerr.Error{pgerr.New("00000", "relation %q already exists, skipping", name)}}, nil
		}
		_, err := s.engine.alterSource(rc.ctx, ct.Servername, nil, func(opts map[string]string) error {
			if _, exists := opts[key]; exists {
				return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", name)
			}
			opts[key] = connectors.EncodeTableDefinition(def)
			return nil
		})
		if err != nil {
			return nil, err
		}
		res := &Result{Tag: "CREATE FOREIGN TABLE"}
		return res, nil
	}
	return st, nil
}

// declaredNotNull reports whether a column is declared NOT NULL: the
// parser keeps the constraint in the column's list, the last of NOT NULL
// and NULL counting, as in PostgreSQL. As on PostgreSQL's foreign tables,
// it is assumed of the data, not checked.
func declaredNotNull(cd *pg.ColumnDef) bool {
	notNull := cd.IsNotNull
	for _, c := range cd.GetConstraints() {
		switch c.GetConstraint().GetContype() {
		case pg.ConstrType_CONSTR_NOTNULL:
			notNull = true
		case pg.ConstrType_CONSTR_NULL:
			notNull = false
		}
	}
	return notNull
}

// prepareAlterForeignTable changes the OPTIONS of a table CREATE FOREIGN
// TABLE defined: ALTER FOREIGN TABLE [IF EXISTS] server.table OPTIONS
// (SET|ADD|DROP name 'value', ...). Its columns are changed by dropping
// and creating it again.
func (s *Session) prepareAlterForeignTable(at *pg.AlterTableStmt, st *Statement) (*Statement, error) {
	var changes []*pg.Node
	for _, c := range at.Cmds {
		cmd := c.GetAlterTableCmd()
		if cmd.GetSubtype() != pg.AlterTableType_AT_GenericOptions {
			return nil, pgerr.NotSupported("ALTER FOREIGN TABLE other than OPTIONS (drop the foreign table and create it again)")
		}
		changes = append(changes, cmd.GetDef().GetList().GetItems()...)
	}
	qualified := at.GetRelation().GetRelname()
	if schema := at.GetRelation().GetSchemaname(); schema != "" {
		qualified = schema + "." + qualified
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		server, table := splitForeignTableName(s.engine.catalog.Snapshot(), qualified)
		if server == "" {
			if at.MissingOk {
				return &Result{Tag: "ALTER FOREIGN TABLE", Notices: []*pgerr.Error{pgerr.New("00000", "relation %q does not exist, skipping", qualified)}}, nil
			}
			return nil, pgerr.New(pgerr.UndefinedTable, "foreign table %q does not exist", qualified).
				WithHint("ALTER FOREIGN TABLE changes tables defined with CREATE FOREIGN TABLE; name them as server.table.")
		}
		key := connectors.TableOptionPrefix + table
		_, err := s.engine.alterSource(rc.ctx, server, nil, func(opts map[string]string) error {
			defs, _, err := connectors.TableDefinitions(map[string]string{key: opts[key]})
			if err != nil {
				return err
			}
			def := defs[table]
			if def.Options == nil {
				def.Options = map[string]string{}
			}
			if err := applyOptionChanges(def.Options, changes); err != nil {
				return err
			}
			opts[key] = connectors.EncodeTableDefinition(def)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return &Result{Tag: "ALTER FOREIGN TABLE"}, nil
	}
	return st, nil
}

// dropForeignTables removes table definitions: each name is server.table
// or, unqualified, a table defined on exactly one server.
func (s *Session) dropForeignTables(rc runContext, names []string, missingOK bool) error {
	for _, qualified := range names {
		server, table := splitForeignTableName(s.engine.catalog.Snapshot(), qualified)
		if server == "" {
			if missingOK {
				continue
			}
			return pgerr.New(pgerr.UndefinedTable, "foreign table %q does not exist", qualified).
				WithHint("DROP FOREIGN TABLE removes tables defined with CREATE FOREIGN TABLE; name them as server.table.")
		}
		_, err := s.engine.alterSource(rc.ctx, server, nil, func(opts map[string]string) error {
			delete(opts, connectors.TableOptionPrefix+table)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// splitForeignTableName finds the server that defines the table a DROP
// FOREIGN TABLE names; server is "" when none does.
func splitForeignTableName(snap *catalog.Snapshot, qualified string) (server, table string) {
	for name, src := range snap.Sources {
		for key := range src.Options {
			t, ok := strings.CutPrefix(key, connectors.TableOptionPrefix)
			if ok && (qualified == name+"."+t || qualified == t) {
				return name, t
			}
		}
	}
	return "", ""
}

// checkTableDefinitions refuses CREATE FOREIGN TABLE on a server whose
// source type discovers its tables by itself.
func (e *Engine) checkTableDefinitions(server string) error {
	src, ok := e.catalog.Snapshot().Sources[server]
	if !ok {
		return pgerr.New(pgerr.UndefinedObject, "server %q does not exist", server)
	}
	wrapper, _ := connectors.Canonical(src.Wrapper)
	if !connectors.AcceptsTableDefinitions(wrapper) {
		return pgerr.New(pgerr.FeatureNotSupported, "CREATE FOREIGN TABLE is not supported for servers of foreign-data wrapper %s", src.Wrapper).
			WithHint("Junction discovers the tables of %s servers; run IMPORT FOREIGN SCHEMA to see new ones.", src.Wrapper)
	}
	return nil
}
