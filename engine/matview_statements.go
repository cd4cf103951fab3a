package engine

import (
	"context"
	"fmt"
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// refreshIntervalOption is the one storage parameter CREATE MATERIALIZED
// VIEW takes: WITH (junction.refresh_interval = '5 min').
const refreshIntervalOption = "refresh_interval"

// prepareCreateMatView is CREATE MATERIALIZED VIEW [IF NOT EXISTS] name
// [(columns)] [WITH (junction.refresh_interval = '...')] AS SELECT ...
// [WITH [NO] DATA].
func (s *Session) prepareCreateMatView(cs *pg.CreateTableAsStmt, st *Statement) (*Statement, error) {
	sel := cs.Query.GetSelectStmt()
	if sel == nil {
		return nil, pgerr.NotSupported("this materialized view body")
	}
	if err := s.engine.requireCopies("materialized views"); err != nil {
		return nil, err
	}
	rel := cs.Into.Rel
	if rel.Catalogname != "" {
		return nil, pgerr.NotSupported("a materialized view name with a catalog")
	}
	schema := rel.Schemaname
	if schema == "" {
		schema = s.creationSchema()
	}
	if schema != "public" {
		if _, ok := s.engine.catalog.Snapshot().Sources[schema]; !ok {
			return nil, pgerr.New(pgerr.UndefinedSchema, "schema %q does not exist", schema)
		}
	}
	name := rel.Relname
	interval, err := matviewOptions(cs.Into.Options)
	if err != nil {
		return nil, err
	}
	colNames := listStrings(cs.Into.ColNames)
	body, err := planner.Deparse(cs.Query)
	if err != nil {
		return nil, pgerr.New(pgerr.InternalError, "cannot store materialized view %q: %v", name, err)
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		if cs.IfNotExists && s.engine.catalog.Snapshot().RelationExists(schema, name) {
			return &Result{Tag: "CREATE MATERIALIZED VIEW",
				Notices: []*pgerr.Error{pgerr.New(pgerr.DuplicateTable, "relation %q already exists, skipping", name)}}, nil
		}
		q, err := planner.BindSelect(rc.ctx, s.env(), sel, nil)
		if err != nil {
			return nil, err
		}
		if len(q.Params) > 0 {
			return nil, pgerr.New(pgerr.UndefinedParameter, "materialized views may not be defined using bound parameters")
		}
		cols := q.Plan.Columns()
		names, err := columnNames(cols, colNames, "too many column names were specified")
		if err != nil {
			return nil, err
		}
		stored := make([]connectors.Column, len(cols))
		for i, c := range cols {
			stored[i] = connectors.Column{Name: names[i], Type: copyType(c.Type), Nullable: true}
		}
		var oid uint32
		err = s.engine.catalog.Update(func(snap *catalog.Snapshot) error {
			if snap.RelationExists(schema, name) {
				return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", name)
			}
			oid = snap.AllocOID()
			snap.MatViews[catalog.ViewKey(schema, name)] = &catalog.MatView{Schema: schema, Name: name, SQL: body, Columns: stored,
				OID: oid, Owner: s.user, RefreshInterval: interval, DependsOn: q.Views, Servers: q.Sources}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if cs.Into.SkipData {
			return &Result{Tag: "CREATE MATERIALIZED VIEW"}, nil
		}
		rows, err := s.engine.refreshMatView(rc.ctx, oid)
		if err != nil {
			// The statement failed as a whole: the view goes with it.
			s.engine.catalog.Update(func(snap *catalog.Snapshot) error { //nolint:errcheck // the error reported is the refresh's
				delete(snap.MatViews, catalog.ViewKey(schema, name))
				return nil
			})
			s.engine.pruneCopies(context.WithoutCancel(rc.ctx))
			return nil, err
		}
		return &Result{Tag: fmt.Sprintf("SELECT %d", rows)}, nil
	}
	return st, nil
}

// matviewOptions reads the storage parameters of CREATE MATERIALIZED
// VIEW: junction.refresh_interval, and nothing else.
func matviewOptions(opts []*pg.Node) (string, error) {
	interval := ""
	for _, n := range opts {
		d := n.GetDefElem()
		if d.Defnamespace != "junction" || d.Defname != refreshIntervalOption {
			name := d.Defname
			if d.Defnamespace != "" {
				name = d.Defnamespace + "." + name
			}
			return "", pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter %q", name).
				WithHint("A materialized view takes one parameter: WITH (junction.refresh_interval = '5 min').")
		}
		v, err := defElemValue(d)
		if err != nil {
			return "", err
		}
		if _, err := parseRefreshInterval(v); err != nil {
			return "", err
		}
		interval = v
	}
	return interval, nil
}

// findMatView resolves a materialized view's name along the search path.
// A view of that name is reported as not being a materialized view.
func (s *Session) findMatView(rv *pg.RangeVar) (*catalog.MatView, error) {
	snap := s.engine.catalog.Snapshot()
	schemas := s.searchPath()
	if rv.Schemaname != "" {
		schemas = []string{rv.Schemaname}
	}
	for _, schema := range schemas {
		key := catalog.ViewKey(schema, rv.Relname)
		if mv, ok := snap.MatViews[key]; ok {
			return mv, nil
		}
		if snap.RelationExists(schema, rv.Relname) {
			return nil, pgerr.New(pgerr.WrongObjectType, "%q is not a materialized view", rv.Relname)
		}
	}
	return nil, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", qualifiedRelName(rv))
}

func qualifiedRelName(rv *pg.RangeVar) string {
	if rv.Schemaname != "" {
		return rv.Schemaname + "." + rv.Relname
	}
	return rv.Relname
}

// prepareRefreshMatView is REFRESH MATERIALIZED VIEW [CONCURRENTLY] name
// [WITH [NO] DATA]. Every refresh builds a new copy while readers keep
// the old one, so CONCURRENTLY changes nothing but its checks.
func (s *Session) prepareRefreshMatView(rs *pg.RefreshMatViewStmt, st *Statement) (*Statement, error) {
	if rs.Concurrent && rs.SkipData {
		return nil, pgerr.New(pgerr.SyntaxError, "CONCURRENTLY and WITH NO DATA options cannot be used together")
	}
	if err := s.engine.requireCopies("materialized views"); err != nil {
		return nil, err
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		mv, err := s.findMatView(rs.Relation)
		if err != nil {
			return nil, err
		}
		if rs.Concurrent && !s.engine.matviewStatus(mv.OID).Populated {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "CONCURRENTLY cannot be used when the materialized view is not populated")
		}
		if rs.SkipData {
			err = s.engine.unpopulate(rc.ctx, mv)
		} else {
			_, err = s.engine.refreshMatView(rc.ctx, mv.OID)
		}
		if err != nil {
			return nil, err
		}
		return &Result{Tag: "REFRESH MATERIALIZED VIEW"}, nil
	}
	return st, nil
}

// dropMatViews is DROP MATERIALIZED VIEW [IF EXISTS] names [CASCADE]:
// all of them or, on an error, none.
func (s *Session) dropMatViews(ctx context.Context, names []string, missingOK, cascade bool) (*Result, error) {
	res := &Result{Tag: "DROP MATERIALIZED VIEW"}
	var keys []string
	for _, name := range names {
		mv, err := s.findMatView(relationOfName(name))
		switch {
		case pgerr.Code(err) == pgerr.UndefinedTable && missingOK:
			res.Notices = append(res.Notices, pgerr.New("00000", "materialized view %q does not exist, skipping", name))
		case pgerr.Code(err) == pgerr.UndefinedTable:
			return nil, pgerr.New(pgerr.UndefinedTable, "materialized view %q does not exist", name)
		case err != nil:
			return nil, pgerr.As(err).WithHint("Use DROP VIEW to remove a view.")
		default:
			keys = append(keys, catalog.ViewKey(mv.Schema, mv.Name))
		}
	}
	err := s.engine.catalog.Update(func(snap *catalog.Snapshot) error {
		for _, key := range keys {
			if _, ok := snap.MatViews[key]; !ok {
				continue // dropped with an earlier one of the list
			}
			if err := dropMatViewAndDependents(snap, key, cascade); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.engine.pruneCopies(ctx)
	return res, nil
}

// relationOfName splits a dotted name of DROP into schema and relation.
func relationOfName(name string) *pg.RangeVar {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return &pg.RangeVar{Schemaname: name[:i], Relname: name[i+1:]}
		}
	}
	return &pg.RangeVar{Relname: name}
}

// dropMatViewAndDependents removes a materialized view; the views and
// materialized views reading it block the drop unless cascade, which
// removes them too.
func dropMatViewAndDependents(snap *catalog.Snapshot, key string, cascade bool) error {
	if err := dropDependents(snap, key, "materialized view", cascade); err != nil {
		return err
	}
	delete(snap.MatViews, key)
	return nil
}

// dropDependents removes, with cascade, the views and materialized views
// that read the relation key, and refuses otherwise.
func dropDependents(snap *catalog.Snapshot, key, kind string, cascade bool) error {
	for depKey, dep := range snap.Views {
		if !slices.Contains(dep.DependsOn, key) {
			continue
		}
		if !cascade {
			return pgerr.New(pgerr.DependentObjectsExist, "cannot drop %s %s because other objects depend on it", kind, key).
				WithHint("view %s depends on it; use DROP ... CASCADE to drop the dependent objects too.", depKey)
		}
		if err := dropViewAndDependents(snap, depKey, true); err != nil {
			return err
		}
	}
	for depKey, dep := range snap.MatViews {
		if !slices.Contains(dep.DependsOn, key) {
			continue
		}
		if !cascade {
			return pgerr.New(pgerr.DependentObjectsExist, "cannot drop %s %s because other objects depend on it", kind, key).
				WithHint("materialized view %s depends on it; use DROP ... CASCADE to drop the dependent objects too.", depKey)
		}
		if err := dropMatViewAndDependents(snap, depKey, true); err != nil {
			return err
		}
	}
	return nil
}

// prepareRenameMatView is ALTER MATERIALIZED VIEW [IF EXISTS] name
// RENAME TO new_name. The copy is named by the view's OID and stays.
// Views that read the materialized view name it in their SQL text, so
// it is not renamed while they exist.
func (s *Session) prepareRenameMatView(rs *pg.RenameStmt, st *Statement) (*Statement, error) {
	if rs.Subname != "" {
		return nil, pgerr.NotSupported("renaming a column of a materialized view")
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		res := &Result{Tag: "ALTER MATERIALIZED VIEW"}
		mv, err := s.findMatView(rs.Relation)
		if err != nil {
			if pgerr.Code(err) == pgerr.UndefinedTable && rs.MissingOk {
				res.Notices = append(res.Notices, pgerr.New("00000", "relation %q does not exist, skipping", qualifiedRelName(rs.Relation)))
				return res, nil
			}
			return nil, err
		}
		err = s.engine.updateMatView(mv, func(snap *catalog.Snapshot, key string, renamed *catalog.MatView) error {
			if snap.RelationExists(mv.Schema, rs.Newname) {
				return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", rs.Newname)
			}
			if err := dropDependents(snap, key, "materialized view", false); err != nil {
				return pgerr.New(pgerr.DependentObjectsExist, "cannot rename materialized view %s because other objects depend on it", key).
					WithHint("%s", pgerr.As(err).Hint)
			}
			renamed.Name = rs.Newname
			return nil
		})
		if err != nil {
			return nil, err
		}
		return res, nil
	}
	return st, nil
}

// matviewRefusal is PostgreSQL's message refusing an ordinary user's
// CREATE, REFRESH or ALTER of a materialized view; empty for other
// statements. schema names the schema one is created in by default.
func matviewRefusal(n *pg.Node, schema func() string) string {
	switch {
	case n.GetCreateTableAsStmt().GetObjtype() == pg.ObjectType_OBJECT_MATVIEW:
		name := n.GetCreateTableAsStmt().Into.Rel.Schemaname
		if name == "" {
			name = schema()
		}
		return "permission denied for schema " + name
	case n.GetRefreshMatViewStmt() != nil:
		return "must be owner of materialized view " + n.GetRefreshMatViewStmt().Relation.Relname
	case n.GetRenameStmt().GetRenameType() == pg.ObjectType_OBJECT_MATVIEW:
		return "must be owner of materialized view " + n.GetRenameStmt().Relation.Relname
	case n.GetAlterTableStmt().GetObjtype() == pg.ObjectType_OBJECT_MATVIEW:
		return "must be owner of materialized view " + n.GetAlterTableStmt().Relation.Relname
	}
	return ""
}

// prepareAlterMatViewOptions is ALTER MATERIALIZED VIEW [IF EXISTS] name
// SET (junction.refresh_interval = '...') or RESET
// (junction.refresh_interval): the schedule changes from the next tick.
func (s *Session) prepareAlterMatViewOptions(as *pg.AlterTableStmt, st *Statement) (*Statement, error) {
	var interval *string
	for _, c := range as.Cmds {
		cmd := c.GetAlterTableCmd()
		opts := cmd.GetDef().GetList().GetItems()
		switch cmd.GetSubtype() {
		case pg.AlterTableType_AT_SetRelOptions:
			v, err := matviewOptions(opts)
			if err != nil {
				return nil, err
			}
			interval = &v
		case pg.AlterTableType_AT_ResetRelOptions:
			for _, n := range opts {
				if d := n.GetDefElem(); d.Defnamespace != "junction" || d.Defname != refreshIntervalOption {
					return nil, pgerr.New(pgerr.InvalidParameterValue, "unrecognized parameter %q", d.Defname)
				}
			}
			none := ""
			interval = &none
		default:
			return nil, pgerr.NotSupported("this ALTER MATERIALIZED VIEW (only RENAME TO, SET and RESET of junction.refresh_interval)")
		}
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		res := &Result{Tag: "ALTER MATERIALIZED VIEW"}
		mv, err := s.findMatView(as.Relation)
		if err != nil {
			if pgerr.Code(err) == pgerr.UndefinedTable && as.MissingOk {
				res.Notices = append(res.Notices, pgerr.New("00000", "relation %q does not exist, skipping", qualifiedRelName(as.Relation)))
				return res, nil
			}
			return nil, err
		}
		if interval == nil {
			return res, nil
		}
		err = s.engine.updateMatView(mv, func(_ *catalog.Snapshot, _ string, changed *catalog.MatView) error {
			changed.RefreshInterval = *interval
			return nil
		})
		if err != nil {
			return nil, err
		}
		return res, nil
	}
	return st, nil
}

// updateMatView stores the change change makes to a copy of mv, under
// its (possibly new) name, if mv is still in the catalog as found.
func (e *Engine) updateMatView(mv *catalog.MatView, change func(snap *catalog.Snapshot, key string, changed *catalog.MatView) error) error {
	return e.catalog.Update(func(snap *catalog.Snapshot) error {
		key := catalog.ViewKey(mv.Schema, mv.Name)
		current, ok := snap.MatViews[key]
		if !ok || current.OID != mv.OID {
			return pgerr.New(pgerr.UndefinedTable, "materialized view %q does not exist", mv.Name)
		}
		changed := *current
		if err := change(snap, key, &changed); err != nil {
			return err
		}
		delete(snap.MatViews, key)
		snap.MatViews[catalog.ViewKey(changed.Schema, changed.Name)] = &changed
		return nil
	})
}

// requireCopies refuses what (materialized views, accelerated tables)
// on a server that could not open the local copies.
func (e *Engine) requireCopies(what string) error {
	if e.cfg.LocalCopies == nil {
		return pgerr.New(pgerr.FeatureNotSupported, "%s are unavailable: the server could not open their local copies in its data directory", what).
			WithHint("See the server log; another server may be using the same data directory.")
	}
	return nil
}
