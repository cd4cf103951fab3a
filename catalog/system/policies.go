package system

import (
	"sort"
	"strconv"
	"strings"

	"github.com/junction-db/junction/catalog"
)

// Row security, policies and column masks as PostgreSQL's catalogs show
// them: pg_class.relrowsecurity, pg_policy and the pg_policies view,
// pg_seclabel, pg_shseclabel and the pg_seclabels view.

var pgPoliciesColumns = []column{
	{"schemaname", tName, false},
	{"tablename", tName, false},
	{"policyname", tName, false},
	{"permissive", tText, false},
	{"roles", tTextArray, false},
	{"cmd", tText, false},
	{"qual", tText, false},
	{"with_check", tText, false},
}

var pgSeclabelColumns = []column{
	{"objoid", tOID, true},
	{"classoid", tOID, true},
	{"objsubid", tInt4, true},
	{"provider", tText, true},
	{"label", tText, true},
}

var pgShseclabelColumns = []column{
	{"objoid", tOID, true},
	{"classoid", tOID, true},
	{"provider", tText, true},
	{"label", tText, true},
}

var pgSeclabelsColumns = []column{
	{"objoid", tOID, false},
	{"classoid", tOID, false},
	{"objsubid", tInt4, false},
	{"objtype", tText, false},
	{"objnamespace", tOID, false},
	{"objname", tText, false},
	{"provider", tText, false},
	{"label", tText, false},
}

// pgAuthIDClassOID is pg_authid's OID, the class of roles' labels.
const pgAuthIDClassOID = 1260

// securityProvider is the label provider Junction's labels belong to.
const securityProvider = "junction"

// securityOf returns the row security, policies and masks of a source
// table, nil for other relations and tables without any.
func (e *env) securityOf(r *relation) *catalog.TableSecurity {
	if r.table == nil || r.ns.source == nil {
		return nil
	}
	return e.info.Snapshot.SecurityOf(r.ns.source.Name, r.table.Schema, r.table.Name)
}

func (e *env) rowSecurity(r *relation) bool {
	ts := e.securityOf(r)
	return ts != nil && ts.RowSecurity
}

// policyRoleOID is the OID a role a policy or label names shows: 0 for
// PUBLIC, as PostgreSQL shows it, else the role's; one derived from the
// name if the role is gone.
func (e *env) policyRoleOID(role string) uint32 {
	if role == catalog.PublicRole {
		return 0
	}
	if oid, ok := e.roleOID(role); ok {
		return oid
	}
	return derivedOID("role", role, map[uint32]bool{})
}

// policyNodeTree is how a policy's USING expression is kept in
// pg_policy.polqual, which pg_get_expr prints back.
const policyNodeTreePrefix = "{JUNCTION_SQL :text "

func policyNodeTree(sql string) string {
	return policyNodeTreePrefix + strconv.Quote(sql) + "}"
}

// exprOfNodeTree reads back a node tree policyNodeTree wrote.
func exprOfNodeTree(tree string) (string, bool) {
	quoted, ok := strings.CutPrefix(tree, policyNodeTreePrefix)
	if !ok {
		return "", false
	}
	sql, err := strconv.Unquote(strings.TrimSuffix(quoted, "}"))
	return sql, err == nil
}

func policyCommand(p catalog.Policy) (rune, string) {
	if p.Command == "select" {
		return 'r', "SELECT"
	}
	return '*', "ALL"
}

// eachPolicy calls fn with every policy of every table.
func (e *env) eachPolicy(fn func(r *relation, p catalog.Policy)) {
	for _, r := range e.dir.relations {
		if ts := e.securityOf(r); ts != nil {
			for _, p := range ts.Policies {
				fn(r, p)
			}
		}
	}
}

func fillPolicy(e *env, out *rowSet) {
	e.eachPolicy(func(r *relation, p catalog.Policy) {
		oids := make([]string, len(p.Roles))
		for i, role := range p.Roles {
			oids[i] = strconv.FormatUint(uint64(e.policyRoleOID(role)), 10)
		}
		cmd, _ := policyCommand(p)
		var qual any
		if p.Using != "" {
			qual = policyNodeTree("(" + p.Using + ")")
		}
		out.add("oid", p.OID, "polname", p.Name, "polrelid", r.oid, "polcmd", cmd, "polpermissive", !p.Restrictive,
			"polroles", textArray(oids), "polqual", qual)
	})
}

func fillPolicies(e *env, out *rowSet) {
	e.eachPolicy(func(r *relation, p catalog.Policy) {
		permissive := "PERMISSIVE"
		if p.Restrictive {
			permissive = "RESTRICTIVE"
		}
		_, cmd := policyCommand(p)
		var qual any
		if p.Using != "" {
			qual = "(" + p.Using + ")"
		}
		out.add("schemaname", r.ns.name, "tablename", r.name, "policyname", p.Name, "permissive", permissive,
			"roles", textArray(p.Roles), "cmd", cmd, "qual", qual)
	})
}

// columnLabel is one masked column's label.
type columnLabel struct {
	rel    *relation
	attnum int
	column string
	label  string
}

func (e *env) columnLabels() []columnLabel {
	var out []columnLabel
	for _, r := range e.dir.relations {
		ts := e.securityOf(r)
		if ts == nil {
			continue
		}
		for i, c := range r.table.Columns {
			if label, ok := ts.Masks[c.Name]; ok {
				out = append(out, columnLabel{rel: r, attnum: i + 1, column: c.Name, label: label})
			}
		}
	}
	return out
}

func (e *env) maskedRoles() []string {
	roles := append([]string(nil), e.info.Snapshot.MaskedRoles...)
	sort.Strings(roles)
	return roles
}

func fillSeclabel(e *env, out *rowSet) {
	for _, l := range e.columnLabels() {
		out.add("objoid", l.rel.oid, "classoid", uint32(pgClassOID), "objsubid", l.attnum, "provider", securityProvider, "label", l.label)
	}
}

func fillShseclabel(e *env, out *rowSet) {
	for _, role := range e.maskedRoles() {
		out.add("objoid", e.policyRoleOID(role), "classoid", uint32(pgAuthIDClassOID), "provider", securityProvider, "label", "MASKED")
	}
}

func fillSeclabels(e *env, out *rowSet) {
	for _, l := range e.columnLabels() {
		name := quoteIdent(l.rel.ns.name) + "." + quoteIdent(l.rel.name) + "." + quoteIdent(l.column)
		out.add("objoid", l.rel.oid, "classoid", uint32(pgClassOID), "objsubid", l.attnum, "objtype", "column",
			"objnamespace", l.rel.ns.oid, "objname", name, "provider", securityProvider, "label", l.label)
	}
	for _, role := range e.maskedRoles() {
		out.add("objoid", e.policyRoleOID(role), "classoid", uint32(pgAuthIDClassOID), "objsubid", 0, "objtype", "role",
			"objname", quoteIdent(role), "provider", securityProvider, "label", "MASKED")
	}
}
