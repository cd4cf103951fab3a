package functions

import (
	"strings"
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// SQL regular expressions (SIMILAR TO, SUBSTRING ... SIMILAR) become
// POSIX ones as PostgreSQL's similar_to_escape writes them, and
// substring(string FROM pattern) takes a POSIX pattern's match.

// invalidEscapeCharacterUse is SQLSTATE 2200C.
const invalidEscapeCharacterUse = "2200C"

// similarParts translates an SQL regular expression into the POSIX
// parts that its escape-double-quote separators divide it into (one to
// three). escape is the escape character, none when empty.
func similarParts(pat, escape string) ([]string, error) {
	if utf8.RuneCountInString(escape) > 1 {
		return nil, invalidEscape()
	}
	esc, _ := utf8.DecodeRuneInString(escape)
	var parts []string
	var out strings.Builder
	afterEscape, inClass := false, false
	for _, c := range pat {
		switch {
		case afterEscape:
			if c == '"' && !inClass {
				if len(parts) == 2 {
					return nil, pgerr.New(invalidEscapeCharacterUse, "SQL regular expression may not contain more than two escape-double-quote separators")
				}
				parts = append(parts, out.String())
				out.Reset()
			} else {
				out.WriteByte('\\')
				out.WriteRune(c)
			}
			afterEscape = false
		case escape != "" && c == esc:
			afterEscape = true
		case inClass:
			if c == '\\' {
				out.WriteByte('\\')
			}
			out.WriteRune(c)
			if c == ']' {
				inClass = false
			}
		case c == '[':
			out.WriteRune(c)
			inClass = true
		case c == '%':
			out.WriteString(".*")
		case c == '_':
			out.WriteByte('.')
		case c == '(':
			out.WriteString("(?:")
		case c == '\\' || c == '.' || c == '^' || c == '$':
			out.WriteByte('\\')
			out.WriteRune(c)
		default:
			out.WriteRune(c)
		}
	}
	return append(parts, out.String()), nil
}

// similarRegex is the POSIX regular expression of the parts, anchored at
// both ends: the first part as short as it can be, the second captured
// and as long as it can be.
func similarRegex(parts []string) string {
	switch len(parts) {
	case 1:
		return "^(?:" + parts[0] + ")$"
	case 2:
		return "^(?:" + parts[0] + "){1,1}?(" + parts[1] + ")$"
	}
	return "^(?:" + parts[0] + "){1,1}?(" + parts[1] + "){1,1}(?:" + parts[2] + ")$"
}

// similarToEscape is similar_to_escape(pattern [, escape]); the escape
// is a backslash when not given.
func similarToEscape(_ *funcCall, row []types.Datum) (types.Datum, error) {
	escape := `\`
	if len(row) > 1 {
		escape = row[1].Str
	}
	parts, err := similarParts(row[0].Str, escape)
	if err != nil {
		return types.Datum{}, err
	}
	return types.StrDatum(similarRegex(parts)), nil
}

// similarEscape is the older similar_escape(pattern, escape), where a
// NULL escape means the backslash.
func similarEscape(fc *funcCall, row []types.Datum) (types.Datum, error) {
	if row[0].Null {
		return types.NullDatum, nil
	}
	if row[1].Null {
		return similarToEscape(fc, row[:1])
	}
	return similarToEscape(fc, row)
}

// substringSimilar is substring(string SIMILAR pattern ESCAPE escape):
// the text the part between the separators matches, with the part
// before them as short as possible and that part as long as possible;
// the whole string without separators; NULL without a match.
func substringSimilar(_ *funcCall, row []types.Datum) (types.Datum, error) {
	s := row[0].Str
	parts, err := similarParts(row[1].Str, row[2].Str)
	if err != nil {
		return types.Datum{}, err
	}
	whole, err := compilePGRegex(similarRegex(parts), regexOptions{})
	if err != nil {
		return types.Datum{}, err
	}
	if !whole.re.MatchString(s) {
		return types.NullDatum, nil
	}
	if len(parts) == 1 {
		return row[0], nil
	}
	// Each part is matched alone, which is exact while no part asserts
	// anything about the text around it.
	for _, p := range parts {
		if assertsContext(p) {
			return types.Datum{}, pgerr.NotSupported("word and string boundaries in SUBSTRING ... SIMILAR with separators")
		}
	}
	if len(parts) == 2 {
		parts = append(parts, "")
	}
	var anchored [3]*pgRegex
	for i, p := range parts {
		if anchored[i], err = compilePGRegex("^(?:"+p+")$", regexOptions{}); err != nil {
			return types.Datum{}, err
		}
	}
	for i := 0; i <= len(s); i = nextChar(s, i) {
		if !anchored[0].re.MatchString(s[:i]) {
			continue
		}
		for j := len(s); j >= i; j = prevChar(s, j) {
			if anchored[2].re.MatchString(s[j:]) && anchored[1].re.MatchString(s[i:j]) {
				return types.StrDatum(s[i:j]), nil
			}
			if j == i {
				break
			}
		}
	}
	return types.NullDatum, nil
}

// assertsContext reports whether a translated pattern holds an escape
// that looks at the text beside a match: \m \M \y \Y \A \Z.
func assertsContext(p string) bool {
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '\\' {
			if strings.IndexByte("mMyYAZbB", p[i+1]) >= 0 {
				return true
			}
			i++
		}
	}
	return false
}

func nextChar(s string, i int) int {
	if i == len(s) {
		return i + 1
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

func prevChar(s string, j int) int {
	_, size := utf8.DecodeLastRuneInString(s[:j])
	return j - size
}

// substringRegex is substring(string FROM pattern): the text the
// pattern's first parenthesized subexpression matches, or the whole
// match without one; NULL without a match.
func substringRegex(_ *funcCall, row []types.Datum) (types.Datum, error) {
	re, err := compilePGRegex(row[1].Str, regexOptions{})
	if err == nil {
		err = re.checkGroups()
	}
	if err != nil {
		return types.Datum{}, err
	}
	m := re.search(row[0].Str, 0)
	if m == nil {
		return types.NullDatum, nil
	}
	if re.re.NumSubexp() > 0 {
		m = m[2:4]
	}
	if m[0] < 0 {
		return types.NullDatum, nil
	}
	return types.StrDatum(row[0].Str[m[0]:m[1]]), nil
}

func init() {
	text := types.TText
	strict := func(f rowImpl, params ...types.Type) funcSig {
		return funcSig{params: params, result: text, impl: perRow(f)}
	}
	register([]funcSig{strict(similarToEscape, text), strict(similarToEscape, text, text)}, "similar_to_escape")
	register([]funcSig{{params: []types.Type{text, text}, result: text, lenient: true, impl: perRow(similarEscape)}}, "similar_escape")
	register([]funcSig{strict(substringRegex, text, text), strict(substringSimilar, text, text, text)}, "substring")
}
