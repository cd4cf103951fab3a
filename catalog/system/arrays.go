package system

import (
	"strings"

	"github.com/junction-db/junction/pgerr"
)

// Array values (text[], oid[], ...) travel in PostgreSQL's text form,
// '{a,"b c",NULL}'; these helpers write and read it.

// textArray writes a one-dimensional array of non-NULL elements.
func textArray(elems []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, e := range elems {
		if i > 0 {
			b.WriteByte(',')
		}
		if !needsArrayQuotes(e) {
			b.WriteString(e)
			continue
		}
		b.WriteByte('"')
		for _, c := range []byte(e) {
			if c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func needsArrayQuotes(s string) bool {
	if s == "" || strings.EqualFold(s, "NULL") {
		return true
	}
	return strings.ContainsAny(s, "{},\"\\ \t\n\r\v\f")
}

// parseArray reads an array's text form, flattening nested dimensions in
// storage order as array_to_string does; a nil element is NULL.
func parseArray(s string) ([]*string, error) {
	bad := func() error {
		return pgerr.New(pgerr.InvalidTextRep, "malformed array literal: \"%s\"", s).
			WithHint("An array is written as {elem,elem,...}; quote elements with commas, braces, quotes or spaces.")
	}
	text := strings.TrimSpace(s)
	if strings.HasPrefix(text, "[") {
		// Explicit bounds, as in [0:1]={a,b}, do not change the elements.
		eq := strings.IndexByte(text, '=')
		if eq < 0 {
			return nil, bad()
		}
		text = strings.TrimSpace(text[eq+1:])
	}
	if !strings.HasPrefix(text, "{") {
		return nil, bad()
	}
	var out []*string
	depth := 0
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '{':
			depth++
			i++
		case c == '}':
			depth--
			i++
			if depth == 0 && strings.TrimSpace(text[i:]) != "" {
				return nil, bad()
			}
		case c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case depth == 0:
			return nil, bad()
		case c == '"':
			var b strings.Builder
			i++
			for i < len(text) && text[i] != '"' {
				if text[i] == '\\' && i+1 < len(text) {
					i++
				}
				b.WriteByte(text[i])
				i++
			}
			if i >= len(text) {
				return nil, bad()
			}
			i++
			v := b.String()
			out = append(out, &v)
		default:
			var b strings.Builder
			for i < len(text) && !strings.ContainsRune(",{}\"", rune(text[i])) {
				if text[i] == '\\' && i+1 < len(text) {
					i++
				}
				b.WriteByte(text[i])
				i++
			}
			v := strings.TrimSpace(b.String())
			if strings.EqualFold(v, "NULL") {
				out = append(out, nil)
			} else {
				out = append(out, &v)
			}
		}
	}
	if depth != 0 {
		return nil, bad()
	}
	return out, nil
}
