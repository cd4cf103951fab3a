package catalog

import (
	"regexp"
	"slices"
	"strings"
)

// TableSecurity is what restricts reading one source table: whether row
// level security is on (ALTER TABLE ... ENABLE ROW LEVEL SECURITY), its
// policies (CREATE POLICY) and its column masks (SECURITY LABEL FOR
// junction ON COLUMN). It is kept apart from the source's discovered
// tables, which IMPORT FOREIGN SCHEMA replaces, and names the table the
// way the source does.
type TableSecurity struct {
	Source string `json:"source"`
	// Schema is the table's remote schema (never empty: the source's
	// default schema is spelt out).
	Schema      string   `json:"schema"`
	Table       string   `json:"table"`
	RowSecurity bool     `json:"row_security,omitempty"`
	Policies    []Policy `json:"policies,omitempty"`
	// Masks are the masking labels of columns by column name, as given
	// ("MASKED WITH VALUE NULL").
	Masks map[string]string `json:"masks,omitempty"`
}

// Policy is a row security policy on a table.
type Policy struct {
	Name string `json:"name"`
	OID  uint32 `json:"oid"`
	// Restrictive policies must all pass; of the permissive ones, one.
	Restrictive bool `json:"restrictive,omitempty"`
	// Command is "all" or "select": the commands the policy applies to.
	Command string `json:"command"`
	// Roles are the roles the policy applies to; PublicRole is PUBLIC.
	Roles []string `json:"roles"`
	// Using is the USING expression as SQL text; empty when the policy
	// has none, which makes it grant no rows.
	Using string `json:"using,omitempty"`
}

// IsEmpty reports whether the table needs no entry: row security off, no
// policies and no masks.
func (ts *TableSecurity) IsEmpty() bool {
	return !ts.RowSecurity && len(ts.Policies) == 0 && len(ts.Masks) == 0
}

// Policy finds a policy by name.
func (ts *TableSecurity) Policy(name string) (int, bool) {
	i := slices.IndexFunc(ts.Policies, func(p Policy) bool { return p.Name == name })
	return i, i >= 0
}

// Clone returns a deep copy to change.
func (ts *TableSecurity) Clone() *TableSecurity {
	out := *ts
	out.Policies = make([]Policy, len(ts.Policies))
	for i, p := range ts.Policies {
		p.Roles = slices.Clone(p.Roles)
		out.Policies[i] = p
	}
	out.Masks = make(map[string]string, len(ts.Masks))
	for k, v := range ts.Masks {
		out.Masks[k] = v
	}
	return &out
}

// SecurityOf returns the security of a table, nil when it has none.
// schema "" is the source's default schema.
func (s *Snapshot) SecurityOf(source, schema, table string) *TableSecurity {
	if schema == "" {
		if src, ok := s.Sources[source]; ok {
			schema = src.DefaultSchema
		}
	}
	for _, ts := range s.Security {
		if ts.Source == source && ts.Schema == schema && ts.Table == table {
			return ts
		}
	}
	return nil
}

// SetSecurity replaces the security of ts's table with ts, or removes it
// when ts is empty.
func (s *Snapshot) SetSecurity(ts *TableSecurity) {
	out := make([]*TableSecurity, 0, len(s.Security)+1)
	for _, old := range s.Security {
		if old.Source != ts.Source || old.Schema != ts.Schema || old.Table != ts.Table {
			out = append(out, old)
		}
	}
	if !ts.IsEmpty() {
		out = append(out, ts)
	}
	s.Security = out
}

// DropSourceSecurity forgets the security of a dropped source's tables.
func (s *Snapshot) DropSourceSecurity(source string) {
	s.Security = slices.DeleteFunc(slices.Clone(s.Security), func(ts *TableSecurity) bool { return ts.Source == source })
}

// IsMaskedRole reports whether role carries the MASKED label itself.
func (s *Snapshot) IsMaskedRole(role string) bool {
	return slices.Contains(s.MaskedRoles, role)
}

// maskLabel is a column's masking label: MASKED WITH VALUE <expr> or
// MASKED WITH FUNCTION <expr>, the PostgreSQL Anonymizer's spelling.
var maskLabel = regexp.MustCompile(`(?is)^\s*MASKED\s+WITH\s+(VALUE|FUNCTION)\s+(.+?)\s*$`)

// MaskExpression returns the SQL expression a column's masking label
// stands for, false when the label is not one.
func MaskExpression(label string) (string, bool) {
	m := maskLabel.FindStringSubmatch(label)
	if m == nil {
		return "", false
	}
	return m[2], true
}

// IsRoleMaskLabel reports whether label is the label that masks a role.
func IsRoleMaskLabel(label string) bool {
	return strings.EqualFold(strings.TrimSpace(label), "MASKED")
}
