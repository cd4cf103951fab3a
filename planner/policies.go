package planner

import (
	"context"
	"fmt"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Row security and column masks are applied where a source table is bound,
// before any rewrite: the table's scan is wrapped in a filter holding its
// policies' predicate and a projection putting each masked column's mask
// in place of its value. Everything the query does with the table reads
// through them, so the optimizer pushes the policy predicate to the
// source like any filter, and a user's predicate on a masked column is
// rewritten over the mask, never the raw value.

// rowSecurity wraps scan, a table of the source read as the binder's
// role (the user, or the owner of the view being bound), in the table's
// row filter and masks; scan itself when none applies. Superusers bypass
// both.
func (b *binder) rowSecurity(scan *plan.Scan) (plan.Node, error) {
	roles := b.env.Roles
	if roles == nil || roles.IsSuperuser(b.role) {
		return scan, nil
	}
	ts := b.env.Snapshot.SecurityOf(scan.Table.Source, scan.Table.RemoteSchema, scan.Table.RemoteName)
	if ts == nil {
		return scan, nil
	}
	member := roles.RolesOf(b.role)
	sc := scopeOf(scan.Cols, scan.Table.Name)
	var n plan.Node = scan
	table := scan.Table.Source + "." + scan.Table.Name
	if ts.RowSecurity {
		pred, label, err := b.policyPredicate(ts, member, sc, table)
		if err != nil {
			return nil, err
		}
		scan.Security = append(scan.Security, label)
		n = &plan.Filter{Input: n, Pred: pred}
	}
	if len(ts.Masks) > 0 && slices.ContainsFunc(member, b.env.Snapshot.IsMaskedRole) {
		exprs := make([]plan.Expr, len(scan.Cols))
		var masked []string
		for i, c := range scan.Cols {
			exprs[i] = &plan.ColRef{Index: i, T: c.Type, Name: c.Name}
			label, ok := ts.Masks[c.Name]
			if !ok {
				continue
			}
			mask, err := b.maskExpr(label, c, sc)
			if err != nil {
				return nil, err
			}
			exprs[i] = mask
			masked = append(masked, c.Name)
		}
		if len(masked) > 0 {
			scan.Security = append(scan.Security, "Masked: "+strings.Join(masked, ", "))
			n = &plan.Project{Input: n, Exprs: exprs, Cols: slices.Clone(scan.Cols)}
		}
	}
	return n, nil
}

// policyPredicate is the row filter of a table whose row security is on,
// for a user who is a member of roles: the OR of the permissive policies
// that apply to one of the roles, AND every restrictive one that does.
// Without a permissive policy no row passes, as in PostgreSQL. label says
// where the filter comes from, for EXPLAIN.
func (b *binder) policyPredicate(ts *catalog.TableSecurity, roles []string, sc *scope, table string) (plan.Expr, string, error) {
	var permissive, restrictive []plan.Expr
	var names, permissiveSQL, restrictiveSQL []string
	for _, p := range ts.Policies {
		if !slices.ContainsFunc(p.Roles, func(r string) bool { return slices.Contains(roles, r) }) {
			continue
		}
		names = append(names, p.Name)
		if p.Using == "" {
			// A policy without USING lets no row through by itself.
			continue
		}
		e, err := b.policyExpr(p.Using, sc)
		if err != nil {
			return nil, "", err
		}
		if p.Restrictive {
			restrictive = append(restrictive, e)
			restrictiveSQL = append(restrictiveSQL, "("+p.Using+")")
		} else {
			permissive = append(permissive, e)
			permissiveSQL = append(permissiveSQL, "("+p.Using+")")
		}
	}
	var pred plan.Expr = &plan.Const{Value: types.BoolDatum(false), T: types.TBool}
	switch len(permissive) {
	case 0:
	case 1:
		pred = permissive[0]
	default:
		pred = &plan.Op{Op: plan.OpOr, Args: permissive, T: types.TBool}
	}
	pred = plan.And(append([]plan.Expr{pred}, restrictive...))
	shown := "false"
	if len(permissiveSQL) > 0 {
		shown = strings.Join(permissiveSQL, " OR ")
		if len(permissiveSQL) > 1 && len(restrictiveSQL) > 0 {
			shown = "(" + shown + ")"
		}
	}
	shown = strings.Join(append([]string{shown}, restrictiveSQL...), " AND ")
	label := fmt.Sprintf("Row Filter (no policy on %s applies): false", table)
	if len(names) > 0 {
		label = fmt.Sprintf("Row Filter (policy %s on %s): %s", strings.Join(names, ", "), table, shown)
	}
	return pred, label, nil
}

// policyExpr binds a policy's USING expression over the table's columns.
func (b *binder) policyExpr(sql string, sc *scope) (plan.Expr, error) {
	e, err := b.storedExpr(sql, sc, "POLICY USING")
	if err != nil {
		return nil, err
	}
	return b.requireBool(e, "POLICY USING")
}

// storedExpr binds the SQL text of a policy's or a mask's expression over
// the table's columns, out of sight of the query's WITH items, which are
// not the tables the expression names.
func (b *binder) storedExpr(sql string, sc *scope, clause string) (plan.Expr, error) {
	n, err := parseStoredExpr(sql)
	if err != nil {
		return nil, err
	}
	saved := b.ctes
	b.ctes = nil
	defer func() { b.ctes = saved }()
	return (&exprBinder{binder: b, sc: sc, clause: clause}).expr(n)
}

// maskExpr binds a column's mask over the table's columns, as a value of
// the column's type.
func (b *binder) maskExpr(label string, col plan.Column, sc *scope) (plan.Expr, error) {
	sql, ok := catalog.MaskExpression(label)
	if !ok {
		return nil, invalidMaskLabel(label)
	}
	e, err := b.storedExpr(sql, sc, "MASKED WITH")
	if err != nil {
		return nil, err
	}
	if isUnknown(e) {
		return b.coerce(e, col.Type)
	}
	if _, ok := unify(e.Type(), col.Type); !ok {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "column %q is of type %s but its mask is of type %s", col.Name, col.Type.BaseName(), e.Type().BaseName()).
			WithHint("Cast the mask to the column's type: MASKED WITH FUNCTION (...)::%s.", col.Type.BaseName())
	}
	return b.coerce(e, col.Type)
}

func invalidMaskLabel(label string) error {
	return pgerr.New(pgerr.InvalidParameterValue, "'%s' is not a valid label for a column", label).
		WithHint("Write MASKED WITH VALUE <expression> or MASKED WITH FUNCTION <expression>.")
}

// parseStoredExpr parses the SQL text of one expression.
func parseStoredExpr(sql string) (*pg.Node, error) {
	stmts, err := Parse("SELECT " + sql)
	if err == nil && len(stmts) == 1 {
		if sel := stmts[0].Stmt.GetSelectStmt(); sel != nil && len(sel.TargetList) == 1 && len(sel.FromClause) == 0 &&
			sel.WhereClause == nil && len(sel.GroupClause) == 0 && sel.HavingClause == nil && len(sel.SortClause) == 0 &&
			sel.LimitCount == nil && sel.LimitOffset == nil && sel.WithClause == nil && len(sel.DistinctClause) == 0 &&
			sel.Op == pg.SetOperation_SETOP_NONE {
			if t := sel.TargetList[0].GetResTarget(); t != nil && t.Name == "" {
				return t.Val, nil
			}
		}
	}
	return nil, pgerr.New(pgerr.SyntaxError, "%q is not one SQL expression", sql)
}

// ExprSQL prints an expression's parse tree as SQL, as a policy keeps it.
func ExprSQL(n *pg.Node) (string, error) {
	sel := &pg.SelectStmt{TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}}}
	text, err := Deparse(&pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}})
	if err != nil {
		return "", pgerr.New(pgerr.SyntaxError, "cannot print the expression: %v", err)
	}
	return strings.TrimPrefix(text, "SELECT "), nil
}

// CheckPolicy binds a policy's USING expression (SQL text) over the
// columns of a source table, as queries will, and refuses what a policy
// cannot hold: a non-boolean, a parameter, an aggregate, a subquery.
func CheckPolicy(ctx context.Context, env *Env, src *catalog.Source, t *connectors.Table, using string) error {
	b, sc, err := tableBinder(ctx, env, src, t)
	if err != nil {
		return err
	}
	e, err := b.policyExpr(using, sc)
	if err != nil {
		return err
	}
	return checkStoredExpr(b, e, "policy expressions")
}

// CheckMask binds a column's masking label over the columns of a source
// table and refuses a mask that is not an expression of the row of a type
// that converts to the column's.
func CheckMask(ctx context.Context, env *Env, src *catalog.Source, t *connectors.Table, column, label string) error {
	b, sc, err := tableBinder(ctx, env, src, t)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(sc.cols, func(c scopeCol) bool { return c.name == column })
	if i < 0 {
		return pgerr.New(pgerr.UndefinedColumn, "column %q of relation %q does not exist", column, t.Name)
	}
	e, err := b.maskExpr(label, sc.columns()[i], sc)
	if err != nil {
		return err
	}
	return checkStoredExpr(b, e, "column masks")
}

func tableBinder(ctx context.Context, env *Env, src *catalog.Source, t *connectors.Table) (*binder, *scope, error) {
	b := newBinder(ctx, env, nil)
	n, err := b.scanOf(src, t)
	if err != nil {
		return nil, nil, err
	}
	return b, scopeOf(n.Columns(), t.Name), nil
}

// checkStoredExpr refuses an expression that reads more than the row.
func checkStoredExpr(b *binder, e plan.Expr, what string) error {
	if len(b.params) > 0 {
		return pgerr.New(pgerr.UndefinedParameter, "there is no parameter $1").WithHint("%s cannot read parameters", what)
	}
	if holds(e, func(x plan.Expr) bool { _, ok := x.(*plan.Subquery); return ok }) {
		return pgerr.NotSupported("subqueries in " + what)
	}
	return nil
}

// securityLines are the row filters and masks applied to the scans of a
// query a source runs, for EXPLAIN.
func securityLines(n plan.Node) []string {
	var out []string
	if s, ok := n.(*plan.Scan); ok {
		out = append(out, s.Security...)
	}
	for _, in := range n.Inputs() {
		out = append(out, securityLines(in)...)
	}
	return out
}
