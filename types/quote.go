package types

import "strings"

// QuoteIdent quotes a name when PostgreSQL would: unless it is all lower
// case letters, digits and underscores not starting with a digit, and not
// a keyword that cannot be a column name.
func QuoteIdent(name string) string {
	safe := name != "" && (name[0] == '_' || name[0] >= 'a' && name[0] <= 'z')
	for i := 0; safe && i < len(name); i++ {
		c := name[i]
		safe = c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
	}
	if safe && !reservedKeywords[name] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// reservedKeywords are PostgreSQL 15's keywords other than the unreserved
// ones: quote_ident quotes them.
var reservedKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`all analyse analyze and any array as asc asymmetric
		authorization between bigint binary bit boolean both case cast char character check
		coalesce collate collation column concurrently constraint create cross
		current_catalog current_date current_role current_schema current_time
		current_timestamp current_user dec decimal default deferrable desc distinct do
		else end except exists extract false fetch float for foreign freeze from full
		grant greatest group grouping having ilike in initially inner inout int integer
		intersect interval into is isnull join lateral leading least left like limit
		localtime localtimestamp national natural nchar none normalize not notnull null
		nullif numeric offset on only or order out outer overlaps overlay placing
		position precision primary real references returning right row select
		session_user setof similar smallint some substring symmetric table tablesample
		then time timestamp to trailing treat trim true union unique user using values
		varchar variadic verbose when where window with xmlattributes xmlconcat
		xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot
		xmlserialize xmltable`) {
		m[w] = true
	}
	return m
}()

// QuoteLiteralE quotes a string as quote_literal does:
// quotes and backslashes doubled, and an E prefix when there is a
// backslash.
func QuoteLiteralE(s string) string {
	var b strings.Builder
	if strings.Contains(s, `\`) {
		b.WriteByte('E')
	}
	b.WriteByte('\'')
	for _, c := range []byte(s) {
		if c == '\'' || c == '\\' {
			b.WriteByte(c)
		}
		b.WriteByte(c)
	}
	b.WriteByte('\'')
	return b.String()
}
