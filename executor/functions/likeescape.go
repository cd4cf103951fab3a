package functions

import (
	"strings"
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// invalidEscapeString is SQLSTATE 22019.
const invalidEscapeString = "22019"

// likeEscape is PostgreSQL's like_escape(pattern, escape), which the
// parser calls for LIKE ... ESCAPE: it rewrites a pattern written with
// another escape character into one escaped by backslash. An empty
// escape makes every character literal but the wildcards.
func likeEscape(pattern, escape string) (string, error) {
	if escape == `\` {
		return pattern, nil
	}
	var b strings.Builder
	if escape == "" {
		return strings.ReplaceAll(pattern, `\`, `\\`), nil
	}
	e, size := utf8.DecodeRuneInString(escape)
	if size != len(escape) {
		return "", pgerr.New(invalidEscapeString, "invalid escape string").WithHint("Escape string must be empty or one character.")
	}
	afterEscape := false
	for _, c := range pattern {
		switch {
		case c == e && !afterEscape:
			b.WriteByte('\\')
			afterEscape = true
		case c == '\\':
			b.WriteByte('\\')
			if !afterEscape {
				b.WriteByte('\\')
			}
			afterEscape = false
		default:
			b.WriteRune(c)
			afterEscape = false
		}
	}
	return b.String(), nil
}

func init() {
	text := types.TText
	register([]funcSig{fn(text, strict2(strs, strs, strs, likeEscape), text, text)}, "like_escape")
}
