package audit

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// Unscannable replaces a statement whose text PostgreSQL's scanner
// rejects (an unterminated string, say): where its literals are cannot
// be known, so none of it is shown.
const Unscannable = "<statement not shown: it could not be scanned>"

// Redact replaces every literal of a statement's text, as PostgreSQL's
// scanner finds them (strings in every quoting: 'x', E'x', U&'x',
// $$x$$; bit and hex strings; integers and decimals), with a placeholder $n, as
// pg_stat_statements shows statements: n counts on from the highest
// parameter the text already has. Keywords (TRUE, NULL, ...),
// identifiers, comments and parameters stay, and so does whatever is not
// a literal; a password in OPTIONS (password '...') is a literal.
func Redact(sql string) string {
	res, err := pg.Scan(sql)
	if err != nil {
		return Unscannable
	}
	next := 1
	for _, t := range res.Tokens {
		if t.Token == pg.Token_PARAM {
			if n, err := strconv.Atoi(strings.TrimPrefix(sql[t.Start:t.End], "$")); err == nil && n >= next {
				next = n + 1
			}
		}
	}
	var b strings.Builder
	b.Grow(len(sql))
	at := 0
	for _, t := range res.Tokens {
		switch t.Token {
		case pg.Token_SCONST, pg.Token_USCONST, pg.Token_BCONST, pg.Token_XCONST, pg.Token_ICONST, pg.Token_FCONST:
		default:
			continue
		}
		b.WriteString(sql[at:t.Start])
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(next))
		next++
		at = int(t.End)
	}
	b.WriteString(sql[at:])
	return b.String()
}
