package engine

import (
	"context"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// Row security and column masks, in PostgreSQL's words: ALTER TABLE ...
// ENABLE | DISABLE ROW LEVEL SECURITY, CREATE / ALTER / DROP POLICY, and
// the PostgreSQL Anonymizer's SECURITY LABEL FOR junction ON COLUMN ... IS
// 'MASKED WITH VALUE ...' and ON ROLE ... IS 'MASKED'. Each is a catalog
// change, so every session's next statement is planned with it; the
// planner applies them where a table is bound (planner/policies.go).

// securityProvider is the security label provider Junction implements.
const securityProvider = "junction"

// isRowSecurityChange reports whether an ALTER TABLE only switches row
// level security, the one ALTER TABLE a read-only engine runs.
func isRowSecurityChange(at *pg.AlterTableStmt) bool {
	if at == nil || len(at.Cmds) == 0 {
		return false
	}
	for _, c := range at.Cmds {
		switch c.GetAlterTableCmd().GetSubtype() {
		case pg.AlterTableType_AT_EnableRowSecurity, pg.AlterTableType_AT_DisableRowSecurity,
			pg.AlterTableType_AT_ForceRowSecurity, pg.AlterTableType_AT_NoForceRowSecurity:
		default:
			return false
		}
	}
	return true
}

// prepareRowSecurity is ALTER [FOREIGN] TABLE t ENABLE | DISABLE ROW
// LEVEL SECURITY.
func (s *Session) prepareRowSecurity(at *pg.AlterTableStmt, st *Statement) (*Statement, error) {
	enable := false
	for _, c := range at.Cmds {
		switch c.GetAlterTableCmd().GetSubtype() {
		case pg.AlterTableType_AT_EnableRowSecurity:
			enable = true
		case pg.AlterTableType_AT_DisableRowSecurity:
			enable = false
		default:
			return nil, pgerr.NotSupported("FORCE ROW LEVEL SECURITY: tables have no owners but superusers, who bypass row security").
				WithHint("ENABLE ROW LEVEL SECURITY applies it to every other user.")
		}
	}
	tag := "ALTER TABLE"
	if at.Objtype == pg.ObjectType_OBJECT_FOREIGN_TABLE {
		tag = "ALTER FOREIGN TABLE"
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		err := s.changeSecurity(at.Relation, func(_ *catalog.Snapshot, ts *catalog.TableSecurity, _ *catalog.Source, _ *connectors.Table) error {
			ts.RowSecurity = enable
			return nil
		})
		if err != nil && at.MissingOk && pgerr.Code(err) == pgerr.UndefinedTable {
			return &Result{Tag: tag, Notices: []*pgerr.Error{pgerr.New("00000", "relation %q does not exist, skipping", at.Relation.Relname)}}, nil
		}
		return &Result{Tag: tag}, err
	}
	return st, nil
}

// changeSecurity applies change to the security of the table rv names,
// as a superuser's catalog change.
func (s *Session) changeSecurity(rv *pg.RangeVar, change func(*catalog.Snapshot, *catalog.TableSecurity, *catalog.Source, *connectors.Table) error) error {
	if err := s.requireTableOwner(rv.Relname); err != nil {
		return err
	}
	return s.engine.catalog.Update(func(snap *catalog.Snapshot) error {
		src, t, err := findSourceTable(snap, rangeVarParts(rv))
		if err != nil {
			return err
		}
		ts := &catalog.TableSecurity{Source: src.Name, Schema: t.Schema, Table: t.Name, Masks: map[string]string{}}
		if cur := snap.SecurityOf(src.Name, t.Schema, t.Name); cur != nil {
			ts = cur.Clone()
		}
		if err := change(snap, ts, src, t); err != nil {
			return err
		}
		snap.SetSecurity(ts)
		return nil
	})
}

// requireTableOwner refuses an ordinary user: only superusers own tables.
func (s *Session) requireTableOwner(table string) error {
	if s.superuser {
		return nil
	}
	return pgerr.New(pgerr.InsufficientPrivilege, "must be owner of table %s", table).
		WithHint("Only superusers change row security, policies and masks; declare the user with superuser: true in the configuration file.")
}

func rangeVarParts(rv *pg.RangeVar) []string {
	var parts []string
	for _, p := range []string{rv.Catalogname, rv.Schemaname} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return append(parts, rv.Relname)
}

// findSourceTable resolves [source.[remote_schema.]]table to a source
// table. An unqualified name is a view's when a view has it, which would
// come first on the search path, else looked for in every source in name
// order, as queries look it up.
func findSourceTable(snap *catalog.Snapshot, parts []string) (*catalog.Source, *connectors.Table, error) {
	name := strings.Join(parts, ".")
	missing := pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", name)
	switch len(parts) {
	case 1:
		if viewNamed(snap, "", parts[0]) {
			return nil, nil, notATable(parts[0])
		}
		for _, srcName := range snap.SourceNames() {
			if src, t, ok := snap.FindTable(srcName, "", parts[0]); ok {
				return src, t, nil
			}
		}
	case 2, 3:
		remote := ""
		if len(parts) == 3 {
			remote = parts[1]
		}
		if src, t, ok := snap.FindTable(parts[0], remote, parts[len(parts)-1]); ok {
			return src, t, nil
		}
		if len(parts) == 2 && viewNamed(snap, parts[0], parts[1]) {
			return nil, nil, notATable(parts[1])
		}
	}
	return nil, nil, missing
}

func viewNamed(snap *catalog.Snapshot, schema, name string) bool {
	for _, v := range snap.Views {
		if v.Name == name && (schema == "" || v.Schema == schema) {
			return true
		}
	}
	return false
}

func notATable(name string) error {
	return pgerr.New(pgerr.WrongObjectType, "%q is not a table", name).
		WithHint("Row security, policies and masks apply to the source tables a view reads.")
}

// policyRoles reads a policy's TO list: PUBLIC when there is none.
func (s *Session) policyRoles(specs []*pg.Node) ([]string, error) {
	if len(specs) == 0 {
		return []string{catalog.PublicRole}, nil
	}
	var out []string
	for _, n := range specs {
		rs := n.GetRoleSpec()
		var role string
		switch rs.GetRoletype() {
		case pg.RoleSpecType_ROLESPEC_PUBLIC:
			role = catalog.PublicRole
		case pg.RoleSpecType_ROLESPEC_CSTRING:
			role = rs.Rolename
			if err := s.engine.checkRoleExists(role); err != nil {
				return nil, err
			}
		default:
			// CURRENT_USER, CURRENT_ROLE and SESSION_USER stand for
			// the role creating the policy.
			role = s.user
		}
		if !slices.Contains(out, role) {
			out = append(out, role)
		}
	}
	return out, nil
}

// checkRoleExists refuses a role name that is not a role (see
// roleExists).
func (e *Engine) checkRoleExists(role string) error {
	if e.roleExists(role) {
		return nil
	}
	return pgerr.New(pgerr.UndefinedObject, "role %q does not exist", role)
}

// policyUsing prints a USING expression and checks it over the table.
func (s *Session) policyUsing(ctx context.Context, snap *catalog.Snapshot, src *catalog.Source, t *connectors.Table, qual *pg.Node) (string, error) {
	if qual == nil {
		return "", nil
	}
	sql, err := planner.ExprSQL(qual)
	if err != nil {
		return "", err
	}
	env := s.env()
	env.Snapshot = snap
	return sql, planner.CheckPolicy(ctx, env, src, t, sql)
}

func policyNotFound(name, table string) error {
	return pgerr.New(pgerr.UndefinedObject, "policy %q for table %q does not exist", name, table)
}

func policyExists(name, table string) error {
	return pgerr.New(pgerr.DuplicateObject, "policy %q for table %q already exists", name, table)
}

// refuseWithCheck refuses WITH CHECK: Junction writes no rows to check.
func refuseWithCheck(withCheck *pg.Node) error {
	if withCheck == nil {
		return nil
	}
	return pgerr.NotSupported("WITH CHECK in a policy: Junction is read-only, so only USING applies")
}

// prepareCreatePolicy is CREATE POLICY name ON t [AS PERMISSIVE |
// RESTRICTIVE] [FOR SELECT | ALL] [TO role, ...] USING (expr).
func (s *Session) prepareCreatePolicy(cp *pg.CreatePolicyStmt, st *Statement) (*Statement, error) {
	if cp.CmdName != "all" && cp.CmdName != "select" && cp.CmdName != "" {
		return nil, pgerr.NotSupported("policies FOR " + strings.ToUpper(cp.CmdName) + ": Junction is read-only, so only SELECT and ALL policies apply")
	}
	if err := refuseWithCheck(cp.WithCheck); err != nil {
		return nil, err
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		roles, err := s.policyRoles(cp.Roles)
		if err != nil {
			return nil, err
		}
		err = s.changeSecurity(cp.Table, func(snap *catalog.Snapshot, ts *catalog.TableSecurity, src *catalog.Source, t *connectors.Table) error {
			if _, exists := ts.Policy(cp.PolicyName); exists {
				return policyExists(cp.PolicyName, t.Name)
			}
			using, err := s.policyUsing(rc.ctx, snap, src, t, cp.Qual)
			if err != nil {
				return err
			}
			command := cp.CmdName
			if command == "" {
				command = "all"
			}
			ts.Policies = append(ts.Policies, catalog.Policy{Name: cp.PolicyName, OID: snap.AllocOID(), Restrictive: !cp.Permissive,
				Command: command, Roles: roles, Using: using})
			return nil
		})
		return &Result{Tag: "CREATE POLICY"}, err
	}
	return st, nil
}

// prepareAlterPolicy is ALTER POLICY name ON t [TO role, ...] [USING
// (expr)].
func (s *Session) prepareAlterPolicy(ap *pg.AlterPolicyStmt, st *Statement) (*Statement, error) {
	if err := refuseWithCheck(ap.WithCheck); err != nil {
		return nil, err
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		var roles []string
		if len(ap.Roles) > 0 {
			var err error
			if roles, err = s.policyRoles(ap.Roles); err != nil {
				return nil, err
			}
		}
		err := s.changeSecurity(ap.Table, func(snap *catalog.Snapshot, ts *catalog.TableSecurity, src *catalog.Source, t *connectors.Table) error {
			i, ok := ts.Policy(ap.PolicyName)
			if !ok {
				return policyNotFound(ap.PolicyName, t.Name)
			}
			if roles != nil {
				ts.Policies[i].Roles = roles
			}
			if ap.Qual != nil {
				using, err := s.policyUsing(rc.ctx, snap, src, t, ap.Qual)
				if err != nil {
					return err
				}
				ts.Policies[i].Using = using
			}
			return nil
		})
		return &Result{Tag: "ALTER POLICY"}, err
	}
	return st, nil
}

// prepareRenamePolicy is ALTER POLICY name ON t RENAME TO new_name.
func (s *Session) prepareRenamePolicy(rs *pg.RenameStmt, st *Statement) (*Statement, error) {
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		err := s.changeSecurity(rs.Relation, func(_ *catalog.Snapshot, ts *catalog.TableSecurity, _ *catalog.Source, t *connectors.Table) error {
			i, ok := ts.Policy(rs.Subname)
			if !ok {
				return policyNotFound(rs.Subname, t.Name)
			}
			if _, taken := ts.Policy(rs.Newname); taken {
				return policyExists(rs.Newname, t.Name)
			}
			ts.Policies[i].Name = rs.Newname
			return nil
		})
		return &Result{Tag: "ALTER POLICY"}, err
	}
	return st, nil
}

// prepareDropPolicy is DROP POLICY [IF EXISTS] name ON t.
func (s *Session) prepareDropPolicy(ds *pg.DropStmt, st *Statement) (*Statement, error) {
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		res := &Result{Tag: "DROP POLICY"}
		for _, obj := range ds.Objects {
			parts := listStrings(obj.GetList().GetItems())
			if len(parts) < 2 {
				return nil, pgerr.New(pgerr.SyntaxError, "DROP POLICY needs the policy's table: DROP POLICY name ON table")
			}
			name, table := parts[len(parts)-1], parts[:len(parts)-1]
			rv := &pg.RangeVar{Relname: table[len(table)-1]}
			if len(table) > 1 {
				rv.Schemaname = table[len(table)-2]
			}
			if len(table) > 2 {
				rv.Catalogname = table[0]
			}
			err := s.changeSecurity(rv, func(_ *catalog.Snapshot, ts *catalog.TableSecurity, _ *catalog.Source, t *connectors.Table) error {
				i, ok := ts.Policy(name)
				if !ok {
					return policyNotFound(name, t.Name)
				}
				ts.Policies = slices.Delete(ts.Policies, i, i+1)
				return nil
			})
			if err != nil && ds.MissingOk {
				switch pgerr.Code(err) {
				case pgerr.UndefinedObject:
					res.Notices = append(res.Notices, pgerr.New("00000", "policy %q for relation %q does not exist, skipping", name, rv.Relname))
					continue
				case pgerr.UndefinedTable:
					res.Notices = append(res.Notices, pgerr.New("00000", "relation %q does not exist, skipping", rv.Relname))
					continue
				}
			}
			if err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	return st, nil
}

// prepareSecurityLabel is SECURITY LABEL [FOR junction] ON COLUMN t.c IS
// 'MASKED WITH VALUE ...' | 'MASKED WITH FUNCTION ...' | NULL, and ON
// ROLE r IS 'MASKED' | NULL.
func (s *Session) prepareSecurityLabel(sl *pg.SecLabelStmt, st *Statement) (*Statement, error) {
	if sl.Provider != "" && sl.Provider != securityProvider {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "security label provider %q is not loaded", sl.Provider).
			WithHint("Junction's provider is %q.", securityProvider)
	}
	switch sl.Objtype {
	case pg.ObjectType_OBJECT_COLUMN:
		parts := listStrings(sl.Object.GetList().GetItems())
		if len(parts) < 2 {
			return nil, pgerr.New(pgerr.SyntaxError, "column name must be qualified")
		}
		column := parts[len(parts)-1]
		rv := &pg.RangeVar{Relname: parts[len(parts)-2]}
		if len(parts) > 2 {
			rv.Schemaname = parts[len(parts)-3]
		}
		if len(parts) > 3 {
			rv.Catalogname = parts[len(parts)-4]
		}
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			err := s.changeSecurity(rv, func(snap *catalog.Snapshot, ts *catalog.TableSecurity, src *catalog.Source, t *connectors.Table) error {
				if !slices.ContainsFunc(t.Columns, func(c connectors.Column) bool { return c.Name == column }) {
					return pgerr.New(pgerr.UndefinedColumn, "column %q of relation %q does not exist", column, t.Name)
				}
				if sl.Label == "" {
					delete(ts.Masks, column)
					return nil
				}
				env := s.env()
				env.Snapshot = snap
				if err := planner.CheckMask(rc.ctx, env, src, t, column, sl.Label); err != nil {
					return err
				}
				ts.Masks[column] = sl.Label
				return nil
			})
			return &Result{Tag: "SECURITY LABEL"}, err
		}
	case pg.ObjectType_OBJECT_ROLE:
		role := sl.Object.GetString_().GetSval()
		if sl.Label != "" && !catalog.IsRoleMaskLabel(sl.Label) {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "'%s' is not a valid label for a role", sl.Label).WithHint("The label that masks a role is 'MASKED'.")
		}
		st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
			if !s.superuser {
				return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to set security labels on roles")
			}
			if err := s.engine.checkRoleExists(role); err != nil {
				return nil, err
			}
			err := s.engine.catalog.Update(func(snap *catalog.Snapshot) error {
				roles := slices.DeleteFunc(slices.Clone(snap.MaskedRoles), func(r string) bool { return r == role })
				if sl.Label != "" {
					roles = append(roles, role)
				}
				snap.MaskedRoles = roles
				return nil
			})
			return &Result{Tag: "SECURITY LABEL"}, err
		}
	default:
		return nil, pgerr.NotSupported("security labels on " + strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(sl.Objtype.String(), "OBJECT_"), "_", " ")) + ": Junction's labels mask columns and roles")
	}
	return st, nil
}
