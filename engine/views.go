package engine

import (
	"context"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// prepareCreateView checks the view's query by binding it, then stores its
// SQL; views are re-planned on every use and may join sources.
func (s *Session) prepareCreateView(ctx context.Context, vs *pg.ViewStmt, st *Statement) (*Statement, error) {
	sel := vs.Query.GetSelectStmt()
	if sel == nil {
		return nil, pgerr.NotSupported("this view body")
	}
	if vs.View.Catalogname != "" {
		return nil, pgerr.NotSupported("a view name with a catalog")
	}
	schema := vs.View.Schemaname
	if schema == "" {
		schema = s.creationSchema()
	}
	if schema != "public" {
		if _, ok := s.engine.catalog.Snapshot().Sources[schema]; !ok {
			return nil, pgerr.New(pgerr.UndefinedSchema, "schema %q does not exist", schema)
		}
	}
	invoker, err := viewSecurityInvoker(vs)
	if err != nil {
		return nil, err
	}
	name := vs.View.Relname
	colNames := listStrings(vs.Aliases)
	body, err := planner.Deparse(vs.Query)
	if err != nil {
		return nil, pgerr.New(pgerr.InternalError, "cannot store view %q: %v", name, err)
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		q, err := planner.BindSelect(rc.ctx, s.env(), sel, nil)
		if err != nil {
			return nil, err
		}
		if len(q.Params) > 0 {
			return nil, pgerr.New(pgerr.UndefinedParameter, "a view cannot have parameters")
		}
		names, err := columnNames(q.Plan.Columns(), colNames, "CREATE VIEW specifies more column names than columns")
		if err != nil {
			return nil, err
		}
		key := catalog.ViewKey(schema, name)
		err = s.engine.catalog.Update(func(snap *catalog.Snapshot) error {
			old, exists := snap.Views[key]
			if exists && !vs.Replace {
				return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", name)
			}
			if _, _, isTable := snap.FindTable(schema, "", name); isTable {
				return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", name)
			}
			v := &catalog.View{Schema: schema, Name: name, SQL: body, Columns: names, DependsOn: q.Views, Servers: q.Sources, Owner: s.user, SecurityInvoker: invoker}
			if exists {
				v.OID, v.Owner = old.OID, old.Owner
			} else {
				v.OID = snap.AllocOID()
			}
			snap.Views[key] = v
			return nil
		})
		if err != nil {
			return nil, err
		}
		return &Result{Tag: "CREATE VIEW"}, nil
	}
	return st, nil
}

// columnNames names the columns of a view's query: given names first,
// then the query's own; tooMany is the error when more are given than
// there are columns.
func columnNames(cols []plan.Column, given []string, tooMany string) ([]string, error) {
	if len(given) > len(cols) {
		return nil, pgerr.New(pgerr.SyntaxError, "%s", tooMany)
	}
	names := make([]string, len(cols))
	seen := map[string]bool{}
	for i, c := range cols {
		names[i] = c.Name
		if i < len(given) {
			names[i] = given[i]
		}
		if seen[names[i]] {
			return nil, pgerr.New("42701", "column %q specified more than once", names[i])
		}
		seen[names[i]] = true
	}
	return names, nil
}

func (s *Session) dropView(name string, missingOK, cascade bool) error {
	schema, rel := "", name
	if i := strings.LastIndex(name, "."); i >= 0 {
		schema, rel = name[:i], name[i+1:]
	}
	if schema == "" {
		schema = s.viewSchema(rel)
	}
	return s.engine.catalog.Update(func(snap *catalog.Snapshot) error {
		key := catalog.ViewKey(schema, rel)
		if _, ok := snap.Views[key]; !ok {
			if _, isMatView := snap.MatViews[key]; isMatView {
				return pgerr.New(pgerr.WrongObjectType, "%q is not a view", rel).WithHint("Use DROP MATERIALIZED VIEW to remove a materialized view.")
			}
			if missingOK {
				return nil
			}
			return pgerr.New(pgerr.UndefinedTable, "view %q does not exist", name)
		}
		return dropViewAndDependents(snap, key, cascade)
	})
}

// dropViewAndDependents removes a view; views built on it block the drop
// unless cascade, which removes them too, as PostgreSQL's DROP VIEW does.
func dropViewAndDependents(snap *catalog.Snapshot, key string, cascade bool) error {
	if err := dropDependents(snap, key, "view", cascade); err != nil {
		return err
	}
	delete(snap.Views, key)
	return nil
}

// viewColumns plans a stored view to describe its columns (pg_attribute,
// information_schema.columns).
func (s *Session) viewColumns(v *catalog.View) ([]plan.Column, error) {
	stmts, err := planner.Parse(v.SQL)
	if err != nil || len(stmts) != 1 || stmts[0].Stmt.GetSelectStmt() == nil {
		return nil, pgerr.New(pgerr.InternalError, "view %s.%s has an invalid definition", v.Schema, v.Name)
	}
	env := s.env()
	env.System.ViewColumns = nil // a view's columns never depend on describing views
	env.User = v.Owner           // its body reads with its owner's privileges
	q, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
	if err != nil {
		return nil, err
	}
	cols := q.Plan.Columns()
	for i := range cols {
		if i < len(v.Columns) {
			cols[i].Name = v.Columns[i]
		}
	}
	return cols, nil
}

// searchPath lists the schemas of the session's search_path that exist (a
// source or public), in order.
func (s *Session) searchPath() []string {
	snap := s.engine.catalog.Snapshot()
	var out []string
	for _, part := range strings.Split(s.settings["search_path"], ",") {
		name := strings.TrimSpace(part)
		if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
			name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
		} else {
			name = strings.ToLower(name)
		}
		if name == "$user" {
			name = s.user
		}
		if _, isSource := snap.Sources[name]; isSource || name == "public" {
			out = append(out, name)
		}
	}
	return out
}

// relationName names a relation in a message as PostgreSQL does: by its
// name alone when its schema is on the search path, else qualified.
func (s *Session) relationName(schema, name string) string {
	if slices.Contains(s.searchPath(), schema) {
		return name
	}
	return schema + "." + name
}

// creationSchema is where an unqualified CREATE VIEW puts the view, as
// PostgreSQL does: the first existing schema of search_path.
func (s *Session) creationSchema() string {
	if path := s.searchPath(); len(path) > 0 {
		return path[0]
	}
	return "public"
}

// viewSchema is the schema an unqualified view name resolves to: the first
// schema of search_path holding such a view.
func (s *Session) viewSchema(name string) string {
	snap := s.engine.catalog.Snapshot()
	for _, schema := range s.searchPath() {
		if _, ok := snap.Views[catalog.ViewKey(schema, name)]; ok {
			return schema
		}
	}
	return s.creationSchema()
}
