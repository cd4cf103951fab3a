package functions

import (
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// likeEscape is PostgreSQL's like_escape(pattern, escape), which the
// parser calls for LIKE ... ESCAPE: it rewrites a pattern written with
// another escape character into one escaped by backslash. An empty
// escape makes every character literal but the wildcards.
func likeEscape(pattern, escape string) (string, error) {
	e, size := utf8.DecodeRuneInString(escape)
	if size != len(escape) {
		return "", invalidEscape()
	}
	return string(escapeLike([]rune(pattern), e, escape != "")), nil
}

// likeEscapeBytes is like_escape over bytea, byte by byte.
func likeEscapeBytes(pattern, escape []byte) ([]byte, error) {
	if len(escape) > 1 {
		return nil, invalidEscape()
	}
	var e byte
	if len(escape) == 1 {
		e = escape[0]
	}
	return escapeLike(pattern, e, len(escape) == 1), nil
}

func invalidEscape() error {
	return pgerr.New(pgerr.InvalidEscapeSequence, "invalid escape string").WithHint("Escape string must be empty or one character.")
}

// escapeLike rewrites a LIKE pattern escaped by e (by nothing without
// hasEscape) into one escaped by backslash.
func escapeLike[C rune | byte](pattern []C, e C, hasEscape bool) []C {
	out := make([]C, 0, len(pattern)+2)
	if hasEscape && e == '\\' {
		return append(out, pattern...)
	}
	afterEscape := false
	for _, c := range pattern {
		switch {
		case hasEscape && c == e && !afterEscape:
			out = append(out, '\\')
			afterEscape = true
		case c == '\\':
			out = append(out, '\\')
			if !afterEscape {
				out = append(out, '\\')
			}
			afterEscape = false
		default:
			out = append(out, c)
			afterEscape = false
		}
	}
	return out
}

func init() {
	text, bytea := types.TText, types.TBytea
	register([]funcSig{
		fn(text, strict2(strs, strs, strs, likeEscape), text, text),
		fn(bytea, strict2(byteSlices, byteSlices, byteSlices, likeEscapeBytes), bytea, bytea),
	}, "like_escape")
}
