package functions

import (
	"unicode/utf8"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// The templates of to_char, to_number, to_date and to_timestamp are read
// as PostgreSQL's formatting.c reads them: at each position the longest
// keyword of the table that starts there (tables list longer keywords
// first), else one literal character; "..." quotes literal text, and a
// backslash quotes the next character inside quotes or a double quote
// outside them. Date/time templates also take the prefixes FM and TM and
// the suffixes TH, th and SP around a keyword.

type templateNodeKind uint8

const (
	nodeAction    templateNodeKind = iota // a keyword
	nodeChar                              // literal text
	nodeSpace                             // a white-space character
	nodeSeparator                         // ASCII punctuation (date/time templates only)
)

// templateKeyword is one keyword of a template table.
type templateKeyword struct {
	name string
	id   int
	// isDigit keywords read digits, which decides whether a number before
	// them in to_timestamp's input must keep its fixed width.
	isDigit bool
	// mode is the date convention the keyword belongs to (to_timestamp).
	mode dateMode
}

type dateMode uint8

const (
	dateModeNone dateMode = iota
	dateModeGregorian
	dateModeISOWeek
)

// Date/time keyword suffixes.
const (
	suffixFM = 1 << iota // fill mode: no padding
	suffixTM             // translation mode: names without padding
	suffixTHUpper
	suffixTHLower
	suffixSP
)

type templateNode struct {
	kind   templateNodeKind
	key    *templateKeyword
	suffix int
	char   string
}

// keywordIndex finds keywords by their first byte, in table order.
type keywordIndex [128][]*templateKeyword

func newKeywordIndex(table []templateKeyword) *keywordIndex {
	var idx keywordIndex
	for i := range table {
		k := &table[i]
		idx[k.name[0]] = append(idx[k.name[0]], k)
	}
	return &idx
}

func (idx *keywordIndex) search(s string) *templateKeyword {
	if s == "" || s[0] >= 128 {
		return nil
	}
	for _, k := range idx[s[0]] {
		if len(s) >= len(k.name) && s[:len(k.name)] == k.name {
			return k
		}
	}
	return nil
}

type templateSuffix struct {
	name   string
	id     int
	prefix bool
}

var dateSuffixes = []templateSuffix{
	{"FM", suffixFM, true}, {"fm", suffixFM, true}, {"TM", suffixTM, true}, {"tm", suffixTM, true},
	{"TH", suffixTHUpper, false}, {"th", suffixTHLower, false}, {"SP", suffixSP, false},
}

func searchSuffix(s string, prefix bool) *templateSuffix {
	for i := range dateSuffixes {
		sf := &dateSuffixes[i]
		if sf.prefix == prefix && len(s) >= 2 && s[:2] == sf.name {
			return sf
		}
	}
	return nil
}

// isSeparatorChar is printable ASCII other than letters and digits.
func isSeparatorChar(c byte) bool {
	return c > 0x20 && c < 0x7f && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// parseTemplate splits a template into nodes; dateTime selects the
// date/time suffixes and separators. onAction, if set, sees each keyword
// node as it is read (the number templates check their combinations
// there) and may refuse it.
func parseTemplate(format string, idx *keywordIndex, dateTime bool, onAction func(*templateNode) error) ([]templateNode, error) {
	var nodes []templateNode
	s := format
	for s != "" {
		suffix := 0
		if dateTime {
			if sf := searchSuffix(s, true); sf != nil {
				suffix |= sf.id
				s = s[2:]
			}
		}
		if k := idx.search(s); k != nil {
			n := templateNode{kind: nodeAction, key: k, suffix: suffix}
			s = s[len(k.name):]
			if onAction != nil {
				if err := onAction(&n); err != nil {
					return nil, err
				}
			}
			if dateTime && s != "" {
				if sf := searchSuffix(s, false); sf != nil {
					n.suffix |= sf.id
					s = s[2:]
				}
			}
			nodes = append(nodes, n)
			continue
		}
		if s == "" {
			break
		}
		if s[0] == '"' {
			s = s[1:]
			for s != "" {
				if s[0] == '"' {
					s = s[1:]
					break
				}
				if s[0] == '\\' && len(s) > 1 {
					s = s[1:]
				}
				_, size := utf8.DecodeRuneInString(s)
				nodes = append(nodes, templateNode{kind: nodeChar, char: s[:size]})
				s = s[size:]
			}
			continue
		}
		if s[0] == '\\' && len(s) > 1 && s[1] == '"' {
			s = s[1:]
		}
		_, size := utf8.DecodeRuneInString(s)
		kind := nodeChar
		switch {
		case dateTime && isSeparatorChar(s[0]):
			kind = nodeSeparator
		case isSpaceByte(s[0]):
			kind = nodeSpace
		}
		nodes = append(nodes, templateNode{kind: kind, char: s[:size]})
		s = s[size:]
	}
	return nodes, nil
}

// ordinalSuffix is the English ordinal suffix of the number num ends
// with: ST, ND, RD or TH, in lower case unless upper.
func ordinalSuffix(num string, upper bool) string {
	last := num[len(num)-1]
	if len(num) > 1 && num[len(num)-2] == '1' {
		last = '0'
	}
	var sfx string
	switch last {
	case '1':
		sfx = "st"
	case '2':
		sfx = "nd"
	case '3':
		sfx = "rd"
	default:
		sfx = "th"
	}
	if upper {
		return string([]byte{sfx[0] - 32, sfx[1] - 32})
	}
	return sfx
}

// templateImpl builds a function of a value and a template whose result
// may be NULL (to_char of an empty template) from one row's computation.
// A template is parsed once for the rows that share it.
func templateImpl[A, R, T any](a func(*vector.Vector) []A, r func(*vector.Vector) []R, parse func(string) (T, error), f func(v A, format string, tmpl T) (R, bool, error)) funcImpl {
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		x, y, res := a(args[0]), strs(args[1]), r(out)
		xm, ym := rowMask(args[0], n), rowMask(args[1], n)
		var (
			parsed    bool
			lastFmt   string
			lastTmpl  T
			lastError error
		)
		for i := range res {
			if out.Nulls.Get(i) {
				continue
			}
			format := y[i&ym]
			if !parsed || format != lastFmt {
				lastTmpl, lastError = parse(format)
				parsed, lastFmt = true, format
			}
			if lastError != nil {
				return lastError
			}
			v, ok, err := f(x[i&xm], format, lastTmpl)
			if err != nil {
				return err
			}
			if !ok {
				setDatum(out, i, types.NullDatum)
				continue
			}
			res[i] = v
		}
		return nil
	}
}
