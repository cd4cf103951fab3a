package engine

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/executor"
	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

func (s *Session) parse(ctx context.Context, sql string, paramOIDs []uint32) ([]*Statement, error) {
	key, v := newStatementKey(sql, paramOIDs), s.planVersion()
	if stmts, ok := s.cachedParse(key, v); ok {
		return stmts, nil
	}
	if len(paramOIDs) == 0 {
		if st, ok := s.fromTemplate(sql, v); ok {
			return []*Statement{st}, nil
		}
	}
	stmts, err := s.parseUncached(ctx, sql, paramOIDs)
	if err == nil {
		s.rememberParse(key, v, stmts)
		if len(paramOIDs) == 0 {
			s.rememberTemplate(ctx, sql, v, stmts)
		}
	}
	return stmts, err
}

func (s *Session) parseUncached(ctx context.Context, sql string, paramOIDs []uint32) ([]*Statement, error) {
	raws, err := planner.Parse(sql)
	if err != nil {
		return nil, err
	}
	paramTypes := make([]types.Type, len(paramOIDs))
	for i, oid := range paramOIDs {
		if oid == 0 {
			continue
		}
		t, ok := types.ByOID(oid)
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "parameter $%d has type OID %d, which Junction does not support", i+1, oid)
		}
		paramTypes[i] = t
	}
	out := make([]*Statement, 0, len(raws))
	for _, raw := range raws {
		text := statementText(sql, raw)
		st, err := s.prepare(ctx, raw.Stmt, text, paramTypes)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func statementText(sql string, raw *pg.RawStmt) string {
	start := int(raw.StmtLocation)
	end := start + int(raw.StmtLen)
	if raw.StmtLen == 0 || end > len(sql) {
		end = len(sql)
	}
	if start > len(sql) {
		return sql
	}
	return strings.TrimSpace(sql[start:end])
}

// env is the planning environment for this session now.
func (s *Session) env() *planner.Env {
	e := s.engine
	snap := e.catalog.Snapshot()
	return &planner.Env{
		Snapshot: snap,
		System: &system.Info{
			Snapshot:      snap,
			User:          s.user,
			SessionUser:   s.sessionUser,
			Superuser:     s.superuser,
			Database:      s.database,
			Settings:      s.settings,
			SettingDetail: s.settingDetail,
			SourceStatus:  e.sourceStatus,
			Queries:       e.history.list,
			Server:        e.serverStatus,
			Cursors:       s.cursors.info,
			ViewColumns:   s.viewColumns,
			MatViewStatus: e.matviewStatus,
			Accelerations: e.accelerationStatuses,
			SessionStart:  s.started,
			SetConfig:     s.setConfig,
			// Access filters what the system tables show to what the
			// user may read.
			Access:         e.accessAt(snap, s.user),
			AccessOf:       e.accessOf,
			BootstrapOwner: e.bootstrapOwner(),
		},
		Dialect:      e.dialect,
		User:         s.user,
		Roles:        e,
		Acceleration: s.acceleration,
	}
}

func tagOnly(tag string) func(runContext, []types.Datum) (*Result, error) {
	return func(runContext, []types.Datum) (*Result, error) { return &Result{Tag: tag}, nil }
}

// prepare dispatches one statement by kind.
func (s *Session) prepare(ctx context.Context, n *pg.Node, text string, paramTypes []types.Type) (*Statement, error) {
	st := &Statement{SQL: text, privileged: privilegedStatement(n)}
	if err := s.checkPrivilege(n); err != nil {
		return nil, err
	}
	switch {
	case n.GetSelectStmt() != nil:
		return s.prepareSelect(ctx, n.GetSelectStmt(), text, paramTypes)
	case n.GetExplainStmt() != nil:
		return s.prepareExplain(ctx, n.GetExplainStmt(), text, paramTypes)
	case n.GetCreateForeignServerStmt() != nil:
		cs := n.GetCreateForeignServerStmt()
		st.secret = true
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			if _, exists := s.engine.catalog.Snapshot().Sources[cs.Servername]; exists && cs.IfNotExists {
				return &Result{Tag: "CREATE SERVER"}, nil
			}
			opts, err := defElems(cs.Options)
			if err != nil {
				return nil, err
			}
			src := catalog.Source{Name: cs.Servername, Wrapper: cs.Fdwname, Options: opts, Owner: s.user}
			stored, err := s.engine.registerSource(rc.ctx, src, false)
			if err != nil {
				return nil, err
			}
			return &Result{Tag: "CREATE SERVER", Notices: skippedWarnings(stored)}, nil
		}
	case n.GetAlterForeignServerStmt() != nil:
		as := n.GetAlterForeignServerStmt()
		st.secret = true
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			stored, err := s.engine.alterSource(rc.ctx, as.Servername, optionNames(as.Options), func(opts map[string]string) error {
				return applyOptionChanges(opts, as.Options)
			})
			if err != nil {
				return nil, err
			}
			return &Result{Tag: "ALTER SERVER", Notices: skippedWarnings(stored)}, nil
		}
	case n.GetCreateForeignTableStmt() != nil:
		return s.prepareCreateForeignTable(n.GetCreateForeignTableStmt(), st)
	case isRowSecurityChange(n.GetAlterTableStmt()):
		return s.prepareRowSecurity(n.GetAlterTableStmt(), st)
	case n.GetAlterTableStmt().GetObjtype() == pg.ObjectType_OBJECT_FOREIGN_TABLE:
		return s.prepareAlterForeignTable(n.GetAlterTableStmt(), st)
	case n.GetImportForeignSchemaStmt() != nil:
		is := n.GetImportForeignSchemaStmt()
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			stored, err := s.engine.refreshSource(rc.ctx, is.ServerName)
			if err != nil {
				return nil, err
			}
			return &Result{Tag: "IMPORT FOREIGN SCHEMA", Notices: skippedWarnings(stored)}, nil
		}
	case n.GetDropStmt() != nil:
		return s.prepareDrop(n.GetDropStmt(), st)
	case n.GetViewStmt() != nil:
		return s.prepareCreateView(ctx, n.GetViewStmt(), st)
	case n.GetVariableSetStmt().GetKind() == pg.VariableSetKind_VAR_SET_MULTI:
		return s.prepareSetTransaction(n.GetVariableSetStmt(), st)
	case n.GetVariableSetStmt() != nil:
		vs := n.GetVariableSetStmt()
		st.run = func(runContext, []types.Datum) (*Result, error) {
			if err := s.set(vs); err != nil {
				return nil, err
			}
			return &Result{Tag: "SET"}, nil
		}
	case n.GetVariableShowStmt() != nil:
		return s.prepareShow(n.GetVariableShowStmt().Name, st)
	case n.GetTransactionStmt() != nil:
		return s.prepareTransaction(n.GetTransactionStmt(), st)
	case n.GetDeclareCursorStmt() != nil:
		return s.prepareDeclare(ctx, n.GetDeclareCursorStmt(), text, paramTypes)
	case n.GetFetchStmt() != nil:
		return s.prepareFetch(n.GetFetchStmt(), st)
	case n.GetClosePortalStmt() != nil:
		return s.prepareClose(n.GetClosePortalStmt().Portalname, st)
	case n.GetCopyStmt() != nil:
		return s.prepareCopy(ctx, n.GetCopyStmt(), text, paramTypes)
	case n.GetDeallocateStmt() != nil:
		st.run = tagOnly("DEALLOCATE")
	case n.GetDiscardStmt() != nil:
		return s.prepareDiscard(n.GetDiscardStmt(), st)
	case n.GetCreatePolicyStmt() != nil:
		return s.prepareCreatePolicy(n.GetCreatePolicyStmt(), st)
	case n.GetAlterPolicyStmt() != nil:
		return s.prepareAlterPolicy(n.GetAlterPolicyStmt(), st)
	case n.GetRenameStmt().GetRenameType() == pg.ObjectType_OBJECT_POLICY:
		return s.prepareRenamePolicy(n.GetRenameStmt(), st)
	case n.GetSecLabelStmt() != nil:
		return s.prepareSecurityLabel(n.GetSecLabelStmt(), st)
	case n.GetCreateTableAsStmt().GetObjtype() == pg.ObjectType_OBJECT_MATVIEW:
		return s.prepareCreateMatView(n.GetCreateTableAsStmt(), st)
	case n.GetRefreshMatViewStmt() != nil:
		return s.prepareRefreshMatView(n.GetRefreshMatViewStmt(), st)
	case n.GetRenameStmt().GetRenameType() == pg.ObjectType_OBJECT_MATVIEW:
		return s.prepareRenameMatView(n.GetRenameStmt(), st)
	case n.GetAlterTableStmt().GetObjtype() == pg.ObjectType_OBJECT_MATVIEW:
		return s.prepareAlterMatViewOptions(n.GetAlterTableStmt(), st)
	case n.GetInsertStmt() != nil, n.GetUpdateStmt() != nil, n.GetDeleteStmt() != nil, n.GetMergeStmt() != nil,
		n.GetCreateStmt() != nil, n.GetTruncateStmt() != nil, n.GetAlterTableStmt() != nil, n.GetIndexStmt() != nil,
		n.GetCreateTableAsStmt() != nil, n.GetCreateSchemaStmt() != nil:
		return nil, pgerr.New(pgerr.ReadOnlyTransaction, "cannot execute %s: Junction is read-only; change data in the source database itself", statementName(n))
	case n.GetCreateUserMappingStmt() != nil, n.GetAlterUserMappingStmt() != nil, n.GetDropUserMappingStmt() != nil:
		return s.prepareUserMapping(n, st)
	case n.GetGrantStmt() != nil:
		return s.prepareGrant(n.GetGrantStmt(), st)
	case n.GetAlterDefaultPrivilegesStmt() != nil:
		return s.prepareAlterDefaultPrivileges(n.GetAlterDefaultPrivilegesStmt(), st)
	case isRoleStatement(n):
		return s.prepareRoleStatement(n, st)
	default:
		return nil, pgerr.NotSupported(statementName(n))
	}
	return st, nil
}

func statementName(n *pg.Node) string {
	name := fmt.Sprintf("%T", n.Node)
	name = strings.TrimPrefix(name, "*pg_query.Node_")
	return name
}

// defElems reads OPTIONS (name 'value', ...).
func defElems(list []*pg.Node) (map[string]string, error) {
	out := map[string]string{}
	for _, n := range list {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		v, err := defElemValue(d)
		if err != nil {
			return nil, err
		}
		if _, dup := out[d.Defname]; dup {
			return nil, pgerr.New(pgerr.SyntaxError, "option %q provided more than once", d.Defname)
		}
		out[d.Defname] = v
	}
	return out, nil
}

func defElemValue(d *pg.DefElem) (string, error) {
	if d.Arg == nil {
		return "", nil
	}
	switch {
	case d.Arg.GetString_() != nil:
		return d.Arg.GetString_().Sval, nil
	case d.Arg.GetInteger() != nil:
		return fmt.Sprint(d.Arg.GetInteger().Ival), nil
	case d.Arg.GetFloat() != nil:
		return d.Arg.GetFloat().Fval, nil
	case d.Arg.GetBoolean() != nil:
		return fmt.Sprint(d.Arg.GetBoolean().Boolval), nil
	case d.Arg.GetTypeName() != nil:
		names := d.Arg.GetTypeName().Names
		if len(names) > 0 && names[len(names)-1].GetString_() != nil {
			return names[len(names)-1].GetString_().Sval, nil
		}
	}
	return "", pgerr.New(pgerr.SyntaxError, "option %q needs a string value", d.Defname)
}

func applyOptionChanges(opts map[string]string, changes []*pg.Node) error {
	for _, n := range changes {
		d := n.GetDefElem()
		v, err := defElemValue(d)
		if err != nil {
			return err
		}
		_, exists := opts[d.Defname]
		switch d.Defaction {
		case pg.DefElemAction_DEFELEM_DROP:
			if !exists {
				return pgerr.New(pgerr.UndefinedObject, "option %q not found", d.Defname)
			}
			delete(opts, d.Defname)
		case pg.DefElemAction_DEFELEM_ADD:
			if exists {
				return pgerr.New(pgerr.DuplicateObject, "option %q provided more than once", d.Defname)
			}
			opts[d.Defname] = v
		default:
			opts[d.Defname] = v
		}
	}
	return nil
}

func (s *Session) prepareDrop(ds *pg.DropStmt, st *Statement) (*Statement, error) {
	var names []string
	for _, obj := range ds.Objects {
		switch {
		case obj.GetString_() != nil:
			names = append(names, obj.GetString_().Sval)
		case obj.GetList() != nil:
			names = append(names, strings.Join(listStrings(obj.GetList().Items), "."))
		}
	}
	switch ds.RemoveType {
	case pg.ObjectType_OBJECT_FOREIGN_SERVER:
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			res := &Result{Tag: "DROP SERVER"}
			for _, name := range names {
				notices, err := s.engine.dropSource(rc.ctx, name, ds.MissingOk, ds.Behavior == pg.DropBehavior_DROP_CASCADE, s.relationName)
				if err != nil {
					return nil, err
				}
				res.Notices = append(res.Notices, notices...)
			}
			return res, nil
		}
	case pg.ObjectType_OBJECT_VIEW:
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			for _, name := range names {
				if err := s.dropView(name, ds.MissingOk, ds.Behavior == pg.DropBehavior_DROP_CASCADE); err != nil {
					return nil, err
				}
			}
			s.engine.pruneCopies(rc.ctx)
			return &Result{Tag: "DROP VIEW"}, nil
		}
	case pg.ObjectType_OBJECT_POLICY:
		return s.prepareDropPolicy(ds, st)
	case pg.ObjectType_OBJECT_FOREIGN_TABLE:
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			if err := s.dropForeignTables(rc, names, ds.MissingOk); err != nil {
				return nil, err
			}
			return &Result{Tag: "DROP FOREIGN TABLE"}, nil
		}
	case pg.ObjectType_OBJECT_MATVIEW:
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			return s.dropMatViews(rc.ctx, names, ds.MissingOk, ds.Behavior == pg.DropBehavior_DROP_CASCADE)
		}
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_INDEX, pg.ObjectType_OBJECT_SCHEMA:
		return nil, pgerr.New(pgerr.ReadOnlyTransaction, "cannot execute DROP %s: Junction is read-only; to remove a source use DROP SERVER", strings.TrimPrefix(ds.RemoveType.String(), "OBJECT_"))
	default:
		return nil, pgerr.NotSupported("DROP " + strings.TrimPrefix(ds.RemoveType.String(), "OBJECT_"))
	}
	return st, nil
}

func listStrings(items []*pg.Node) []string {
	var out []string
	for _, n := range items {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}

// prepareSelect prepares a query whose rows go to the client.
func (s *Session) prepareSelect(ctx context.Context, sel *pg.SelectStmt, text string, paramTypes []types.Type) (*Statement, error) {
	q, err := s.bindQuery(ctx, sel, paramTypes)
	if err != nil {
		return nil, err
	}
	st := &Statement{SQL: text, Columns: q.columns, Params: q.params, reusable: true, bound: q.logical}
	st.run = func(rc runContext, params []types.Datum) (*Result, error) {
		physical, values, err := q.optimize(rc, text, params)
		if err != nil {
			return nil, err
		}
		return s.run(rc, physical, st.Columns, values)
	}
	return st, nil
}

// boundQuery is a query bound now (so Describe knows its columns) and
// optimized at execution: once for any parameter values when a generic
// plan serves (see genericPlan), else at each execution with the values
// known. It is bound again when the catalog, the live sources or the
// session's settings changed since, or when its choice between an
// accelerated table's copy and its source stopped holding.
type boundQuery struct {
	session *Session
	sel     *pg.SelectStmt
	columns []plan.Column
	params  []types.Type
	logical plan.Node
	version planVersion
	generic genericPlan
	// accel is what the choices of the query's accelerated tables
	// depend on.
	accel accelChoice
}

// accelChoice is what a bound query's choices between accelerated
// tables' copies and their sources depend on: the copies as they were
// (the engine's accelGeneration: a new copy may now be fresh enough) and
// the clock (a copy read grows too old at until).
type accelChoice struct {
	accelerated bool
	generation  uint64
	until       time.Time
}

// choiceOf is the accelChoice of q, bound when the copies were at
// generation.
func choiceOf(q *planner.Query, generation uint64) accelChoice {
	return accelChoice{accelerated: q.Accelerated, generation: generation, until: q.AcceleratedUntil}
}

// stale reports whether the query must choose again.
func (c accelChoice) stale(e *Engine) bool {
	return c.accelerated && (c.generation != e.accelGeneration.Load() || !c.until.IsZero() && !time.Now().Before(c.until))
}

func (s *Session) bindQuery(ctx context.Context, sel *pg.SelectStmt, paramTypes []types.Type) (*boundQuery, error) {
	version, generation := s.planVersion(), s.engine.accelGeneration.Load()
	q, err := planner.BindSelect(ctx, s.env(), sel, paramTypes)
	if err != nil {
		return nil, err
	}
	return &boundQuery{session: s, sel: sel, columns: q.Plan.Columns(), params: q.Params, logical: q.Plan, version: version,
		accel: choiceOf(q, generation)}, nil
}

// optimize returns the physical plan for one execution of the query text
// with params, and the parameter values the plan still needs when it runs
// (those of a generic plan; nil for a plan made for the values).
func (q *boundQuery) optimize(rc runContext, text string, params []types.Datum) (plan.Node, []types.Datum, error) {
	if v := q.session.planVersion(); v != q.version || q.accel.stale(q.session.engine) {
		generation := q.session.engine.accelGeneration.Load()
		q2, err := planner.BindSelect(rc.ctx, q.session.env(), q.sel, q.params)
		if err != nil {
			return nil, nil, err
		}
		if !sameResultType(q2.Plan.Columns(), q.columns) {
			// The client was told the old columns and decodes by them.
			return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "cached plan must not change result type")
		}
		q.logical, q.version, q.generic, q.accel = q2.Plan, v, genericPlan{}, choiceOf(q2, generation)
	}
	if physical := q.generic.plan(rc.ctx, q.session.env, text, q.logical, params); physical != nil {
		return physical, params, nil
	}
	physical, err := planner.Optimize(rc.ctx, q.session.env(), planner.BindParams(q.logical, params))
	return physical, nil, err
}

// sameResultType reports whether a statement bound again returns columns
// of the names and types it was described with.
func sameResultType(now, described []plan.Column) bool {
	return slices.EqualFunc(now, described, func(a, b plan.Column) bool { return a.Name == b.Name && a.Type == b.Type })
}

// run starts a physical plan, with the values of the parameters it still
// holds; its output is the result's stream.
func (s *Session) run(rc runContext, physical plan.Node, cols []plan.Column, params []types.Datum) (*Result, error) {
	run, err := executor.Build(rc.ctx, physical, &executor.Env{Source: s.sessionSource, Params: params, Random: s.random, Memory: s.memoryBudget()})
	if err != nil {
		return nil, err
	}
	return &Result{Columns: cols, Rows: run}, nil
}

// sourceFor gives the executor a source behind its guard, which fails
// fast and names the source while the source is down.
func (e *Engine) sourceFor(name string) (connectors.Connector, error) {
	if c, ok := e.localCopies(name); ok {
		return c, nil
	}
	if g, ok := e.guardOf(name); ok {
		return g, nil
	}
	return nil, pgerr.New(pgerr.FDWUnableToConnect, "source %q is not connected", name).WithHint("Run IMPORT FOREIGN SCHEMA or ALTER SERVER to connect it.")
}

func (s *Session) prepareShow(name string, st *Statement) (*Statement, error) {
	if name == "all" {
		st.Columns = []plan.Column{{Name: "name", Type: types.TText}, {Name: "setting", Type: types.TText}, {Name: "description", Type: types.TText}}
		st.run = func(runContext, []types.Datum) (*Result, error) {
			keys := make([]string, 0, len(s.settings))
			for k := range s.settings {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			rows := make([][]string, len(keys))
			for i, k := range keys {
				rows[i] = []string{k, s.settings[k], ""}
			}
			return showResult(st.Columns, rows), nil
		}
		return st, nil
	}
	key := s.settingKey(name)
	st.Columns = []plan.Column{{Name: name, Type: types.TText}}
	st.run = func(runContext, []types.Datum) (*Result, error) {
		v, ok := s.settings[key]
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter %q", name)
		}
		return showResult(st.Columns, [][]string{{v}}), nil
	}
	return st, nil
}

// showResult is SHOW's answer, whose command tag is SHOW.
func showResult(cols []plan.Column, rows [][]string) *Result {
	res := textResult(cols, rows)
	res.Tag = "SHOW"
	return res
}

// settingKey finds a setting's canonical spelling (DateStyle, TimeZone)
// from its case-insensitive name.
func (s *Session) settingKey(name string) string {
	for k := range s.settings {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

func (s *Session) set(vs *pg.VariableSetStmt) error {
	// Plans may depend on any setting (search_path above all): a change
	// makes the session's cached ones stale.
	s.settingsGeneration++
	if isAuthorizationSetting(vs.Name) && vs.Kind != pg.VariableSetKind_VAR_SET_VALUE && vs.Kind != pg.VariableSetKind_VAR_RESET_ALL {
		s.resetAuthorization(vs.Name)
		return nil
	}
	switch vs.Kind {
	case pg.VariableSetKind_VAR_RESET_ALL:
		s.settings = s.defaultSettings()
		return nil
	case pg.VariableSetKind_VAR_RESET, pg.VariableSetKind_VAR_SET_DEFAULT:
		key := s.settingKey(vs.Name)
		if v, ok := s.defaultSettings()[key]; ok {
			s.settings[key] = v
		} else {
			delete(s.settings, key)
		}
		return nil
	}
	var vals []string
	for _, a := range vs.Args {
		switch {
		case a.GetAConst() != nil:
			c := a.GetAConst()
			switch {
			case c.GetSval() != nil:
				vals = append(vals, c.GetSval().Sval)
			case c.GetIval() != nil:
				vals = append(vals, fmt.Sprint(c.GetIval().Ival))
			case c.GetFval() != nil:
				vals = append(vals, c.GetFval().Fval)
			case c.GetBoolval() != nil:
				vals = append(vals, fmt.Sprint(c.GetBoolval().Boolval))
			}
		case a.GetTypeCast() != nil:
			if c := a.GetTypeCast().Arg.GetAConst(); c != nil && c.GetSval() != nil {
				vals = append(vals, c.GetSval().Sval)
			}
		}
	}
	_, err := s.setValue(vs.Name, strings.Join(vals, ", "))
	return err
}

// setValue sets a setting (SET, set_config) and returns the value it
// took.
func (s *Session) setValue(name, value string) (string, error) {
	s.settingsGeneration++
	key := s.settingKey(name)
	switch strings.ToLower(key) {
	case "timezone":
		if !types.IsUTCZone(value) {
			return "", pgerr.NotSupported(fmt.Sprintf("time zone %q (Junction sessions run in UTC)", value))
		}
		value = "UTC"
	case "client_encoding":
		if !strings.EqualFold(strings.ReplaceAll(value, "-", ""), "UTF8") && !strings.EqualFold(value, "UNICODE") {
			return "", pgerr.NotSupported(fmt.Sprintf("client_encoding %q (Junction speaks UTF8)", value))
		}
		value = "UTF8"
	case "transaction_read_only", "default_transaction_read_only", "transaction_isolation", "default_transaction_isolation":
		var err error
		if value, err = transactionSetting(key, value); err != nil {
			return "", err
		}
	case maxConnections:
		return "", pgerr.New(cantChangeRuntimeParam, "parameter %q cannot be changed without restarting the server", key)
	case "is_superuser":
		return "", pgerr.New(cantChangeRuntimeParam, "parameter %q cannot be changed", key)
	case "password_encryption":
		if !strings.EqualFold(value, "scram-sha-256") {
			return "", pgerr.NotSupported(fmt.Sprintf("password_encryption %q (Junction stores SCRAM-SHA-256 verifiers)", value))
		}
		value = "scram-sha-256"
	case "role", "session_authorization":
		var err error
		if value, err = s.setAuthorization(key, value); err != nil {
			return "", err
		}
	case statementTimeout, idleInTransactionTimeout:
		ms, err := parseTimeSetting(key, value)
		if err != nil {
			return "", err
		}
		value = formatTimeSetting(ms)
	case maxStalenessSetting:
		if _, _, err := parseMaxStaleness(value); err != nil {
			return "", err
		}
	case workMem:
		bytes, err := memory.ParseSetting(key, value)
		if err != nil {
			return "", err
		}
		value = memory.FormatBytes(bytes)
	case "bytea_output":
		if !strings.EqualFold(value, "hex") {
			return "", pgerr.NotSupported(fmt.Sprintf("bytea_output %q (Junction writes bytea in hex)", value))
		}
		value = "hex"
	case "lc_numeric", "lc_monetary", "lc_time":
		switch strings.ToLower(value) {
		case "c", "posix", "c.utf-8", "c.utf8":
		default:
			return "", pgerr.NotSupported(fmt.Sprintf("%s %q (Junction formats numbers and dates in the C locale)", key, value))
		}
	}
	s.settings[key] = value
	return value, nil
}

// setConfig is set_config(name, value, is_local). Junction runs every
// statement in its own transaction, so a setting local to the
// transaction ends with the statement, as PostgreSQL's does outside a
// transaction block: it is checked and returned but not kept.
func (s *Session) setConfig(name, value string, local bool) (string, error) {
	if !local {
		return s.setValue(name, value)
	}
	saved, had := s.settings[s.settingKey(name)]
	user, sessionUser := s.user, s.sessionUser
	v, err := s.setValue(name, value)
	if s.user != user || s.sessionUser != sessionUser {
		s.becomeRole(sessionUser, user)
	}
	if had {
		s.settings[s.settingKey(name)] = saved
	} else {
		delete(s.settings, s.settingKey(name))
	}
	return v, err
}

// textResult is a small in-memory result of text columns.
func textResult(cols []plan.Column, rows [][]string) *Result {
	b := vector.NewBatch(plan.ColumnTypes(&plan.Values{Cols: cols}), len(rows))
	for _, r := range rows {
		for i, v := range r {
			b.Cols[i].AppendDatum(types.StrDatum(v))
		}
		b.Len++
	}
	return &Result{Columns: cols, Rows: &batchStream{batches: []*vector.Batch{b}}}
}

type batchStream struct {
	batches []*vector.Batch
}

func (b *batchStream) Next() (*vector.Batch, error) {
	if len(b.batches) == 0 {
		return nil, nil
	}
	out := b.batches[0]
	b.batches = b.batches[1:]
	return out, nil
}

func (b *batchStream) Close() { b.batches = nil }

func (s *Session) prepareExplain(ctx context.Context, es *pg.ExplainStmt, text string, paramTypes []types.Type) (*Statement, error) {
	analyze := false
	for _, o := range es.Options {
		d := o.GetDefElem()
		switch d.Defname {
		case "analyze":
			v, _ := defElemValue(d)
			analyze = v == "" || v == "true" || v == "on" || v == "1"
		case "verbose", "costs", "format", "buffers", "timing", "summary", "settings", "wal":
			if d.Defname == "format" {
				if v, _ := defElemValue(d); !strings.EqualFold(v, "text") {
					return nil, pgerr.NotSupported("EXPLAIN (FORMAT " + v + ")")
				}
			}
		default:
			return nil, pgerr.New(pgerr.SyntaxError, "unrecognized EXPLAIN option %q", d.Defname)
		}
	}
	sel := es.Query.GetSelectStmt()
	if sel == nil {
		return nil, pgerr.NotSupported("EXPLAIN of " + statementName(es.Query))
	}
	env := s.env()
	generation := s.engine.accelGeneration.Load()
	q, err := planner.BindSelect(ctx, env, sel, paramTypes)
	if err != nil {
		return nil, err
	}
	choice := choiceOf(q, generation)
	cols := []plan.Column{{Name: "QUERY PLAN", Type: types.TText}}
	st := &Statement{SQL: text, Columns: cols, Params: q.Params}
	st.run = func(rc runContext, params []types.Datum) (*Result, error) {
		env := s.env()
		if choice.stale(s.engine) {
			// EXPLAIN shows the choice the query would make now.
			generation := s.engine.accelGeneration.Load()
			if q, err = planner.BindSelect(rc.ctx, env, sel, q.Params); err != nil {
				return nil, err
			}
			choice = choiceOf(q, generation)
		}
		physical, err := planner.Optimize(rc.ctx, env, planner.BindParams(q.Plan, params))
		if err != nil {
			return nil, err
		}
		var stats planner.StatsFunc
		if analyze {
			start := time.Now()
			run, err := executor.Build(rc.ctx, physical, &executor.Env{Source: s.sessionSource, Analyze: true, Random: s.random, Memory: s.memoryBudget()})
			if err != nil {
				return nil, err
			}
			for {
				b, err := run.Next()
				if err != nil {
					run.Close()
					return nil, err
				}
				if b == nil {
					break
				}
			}
			run.Close()
			elapsed := time.Since(start)
			stats = func(n plan.Node) (string, bool) {
				st, ok := run.Stats(n)
				if !ok {
					return "", false
				}
				return formatStats(n, st), true
			}
			lines := planner.Explain(env, physical, stats)
			lines = append(lines, fmt.Sprintf("Execution Time: %.3f ms", float64(elapsed.Microseconds())/1000))
			return explainResult(cols, lines), nil
		}
		return explainResult(cols, planner.Explain(env, physical, nil)), nil
	}
	return st, nil
}

func explainResult(cols []plan.Column, lines []string) *Result {
	rows := make([][]string, len(lines))
	for i, l := range lines {
		rows[i] = []string{l}
	}
	return textResult(cols, rows)
}

// formatStats prints a node's EXPLAIN ANALYZE figures.
func formatStats(n plan.Node, st executor.Stats) string {
	out := fmt.Sprintf("rows=%d batches=%d time=%.3f ms", st.Rows, st.Batches, float64(st.Time.Microseconds())/1000)
	if r, remote := n.(*plan.Remote); remote {
		out += fmt.Sprintf(" source rows=%d bytes=%d time=%.3f ms", st.SourceRows, st.SourceBytes, float64(st.SourceTime.Microseconds())/1000)
		if r.Dynamic != nil {
			out += fmt.Sprintf(" dynamic filter keys=%d ranges=%d", st.DynamicKeys, st.DynamicRanges)
		}
	}
	if st.SpilledBytes > 0 {
		out += fmt.Sprintf(" spilled bytes=%d", st.SpilledBytes)
	}
	return out
}
