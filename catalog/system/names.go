package system

import (
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// invalidName is SQLSTATE 42602, a malformed object name.
const invalidName = "42602"

// maxIdentifierLength is NAMEDATALEN-1: PostgreSQL truncates longer names.
const maxIdentifierLength = 63

// splitOutsideQuotes splits s at sep, except inside double quotes.
func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == sep && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// unquoteIdent reads one identifier as PostgreSQL does: a double-quoted
// identifier is taken literally ("" is a quote), any other is folded to
// lower case; both are truncated to 63 bytes.
func unquoteIdent(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	var name string
	if s[0] == '"' {
		if len(s) < 2 || s[len(s)-1] != '"' {
			return "", false
		}
		inner := s[1 : len(s)-1]
		if strings.Contains(strings.ReplaceAll(inner, `""`, ""), `"`) {
			return "", false
		}
		name = strings.ReplaceAll(inner, `""`, `"`)
		if name == "" {
			return "", false
		}
	} else {
		if strings.ContainsAny(s, "\" \t\n") {
			return "", false
		}
		name = strings.ToLower(s)
	}
	if len(name) > maxIdentifierLength {
		name = truncateUTF8(name, maxIdentifierLength)
	}
	return name, true
}

func truncateUTF8(s string, n int) string {
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// parseQualifiedName splits a dotted, possibly quoted name such as
// crm."Order Lines" into its parts.
func parseQualifiedName(s string) ([]string, error) {
	parts := splitOutsideQuotes(strings.TrimSpace(s), '.')
	out := make([]string, len(parts))
	for i, p := range parts {
		name, ok := unquoteIdent(strings.TrimSpace(p))
		if !ok {
			return nil, pgerr.New(invalidName, "invalid name syntax: %s", s).WithHint("Write a name such as schema.table, double-quoting parts that contain upper case or special characters.")
		}
		out[i] = name
	}
	return out, nil
}

// quoteIdent quotes a name when PostgreSQL would.
func quoteIdent(name string) string { return types.QuoteIdent(name) }

// numericOID reads an OID written as digits, as regclass and regtype input
// accept it.
func numericOID(s string) (uint32, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil
}

// findRelation resolves a relation name written in SQL (unqualified,
// schema.name, or source.remote_schema.name); it returns nil and the error
// PostgreSQL would raise when there is no such relation.
func (e *env) findRelation(text string) (*relation, error) {
	parts, err := parseQualifiedName(text)
	if err != nil {
		return nil, err
	}
	missing := pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", text)
	switch len(parts) {
	case 1:
		if r := e.findUnqualified(parts[0]); r != nil {
			return r, nil
		}
		return nil, missing
	case 2:
		return e.findInSchema(parts[0], parts[1], missing)
	case 3:
		if ns := e.dir.nsByName[parts[0]+"."+parts[1]]; ns != nil {
			return e.findInSchema(ns.name, parts[2], missing)
		}
		if parts[0] == e.database() {
			return e.findInSchema(parts[1], parts[2], missing)
		}
		if e.dir.nsByName[parts[0]] != nil {
			return nil, pgerr.New(pgerr.UndefinedSchema, "schema \"%s\" does not exist", parts[0]+"."+parts[1]).
				WithHint("Source %s has no remote schema %s with tables.", parts[0], parts[1])
		}
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cross-database references are not implemented: %s", text)
	}
	return nil, pgerr.New(pgerr.SyntaxError, "improper relation name (too many dotted names): %s", text)
}

func (e *env) findInSchema(schema, name string, missing error) (*relation, error) {
	ns := e.dir.nsByName[schema]
	if ns == nil {
		return nil, pgerr.New(pgerr.UndefinedSchema, "schema \"%s\" does not exist", schema)
	}
	if r := e.dir.relByName[ns][name]; r != nil {
		return r, nil
	}
	return nil, missing
}
