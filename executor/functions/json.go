package functions

import (
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// json and jsonb values travel as text, as every other string-like type
// does: json as the text the user or source gave (PostgreSQL keeps it
// verbatim, whitespace, key order and duplicate keys included), jsonb in
// the canonical form PostgreSQL prints (keys sorted by length then bytes,
// the last of duplicate keys kept, ", " and ": " separators, numbers in
// numeric's form). Keeping jsonb canonical makes equality, hashing,
// grouping and DISTINCT plain string operations that agree with
// PostgreSQL's, lets connectors hand over PostgreSQL's own output without
// work, and leaves the parse to the functions that look inside a value:
// they read it into a jsonNode, which remembers each sub-value's exact
// text so that json -> 'k' returns that text unchanged.

// jsonNode is one parsed JSON value.
type jsonNode struct {
	kind byte   // 'o' object, 'a' array, 's' string, 'n' number, 'b' boolean, 'z' null
	raw  string // the value's text exactly as it appears in the input
	str  string // the decoded string of a string
	keys []string
	vals []*jsonNode // object values (parallel to keys) or array elements
}

// typeName is what json_typeof and jsonb_typeof answer.
func (n *jsonNode) typeName() string {
	switch n.kind {
	case 'o':
		return "object"
	case 'a':
		return "array"
	case 's':
		return "string"
	case 'n':
		return "number"
	case 'b':
		return "boolean"
	}
	return "null"
}

// field returns the value of key k of an object: the last one with that
// key, as PostgreSQL's json -> does; nil if there is none.
func (n *jsonNode) field(k string) *jsonNode {
	if n.kind != 'o' {
		return nil
	}
	var found *jsonNode
	for i, key := range n.keys {
		if key == k {
			found = n.vals[i]
		}
	}
	return found
}

// element returns array element i, counting from the end when i is
// negative; nil if there is none.
func (n *jsonNode) element(i int64) *jsonNode {
	if n.kind != 'a' {
		return nil
	}
	if i < 0 {
		i += int64(len(n.vals))
	}
	if i < 0 || i >= int64(len(n.vals)) {
		return nil
	}
	return n.vals[i]
}

// text is what ->> returns: a string's decoded value, NULL for null and
// the JSON text of anything else.
func (n *jsonNode) text() types.Datum {
	switch n.kind {
	case 's':
		return types.StrDatum(n.str)
	case 'z':
		return types.NullDatum
	}
	return types.StrDatum(n.raw)
}

// parseJSON reads a json or jsonb value's text.
func parseJSON(s string) (*jsonNode, error) {
	p := &jsonParser{s: s}
	p.space()
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(s) {
		return nil, p.fail()
	}
	return n, nil
}

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) fail() error {
	return pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type json")
}

func (p *jsonParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *jsonParser) value() (*jsonNode, error) {
	if p.i >= len(p.s) {
		return nil, p.fail()
	}
	start := p.i
	n := &jsonNode{}
	switch c := p.s[p.i]; {
	case c == '{':
		n.kind = 'o'
		if err := p.members(n); err != nil {
			return nil, err
		}
	case c == '[':
		n.kind = 'a'
		if err := p.elements(n); err != nil {
			return nil, err
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		n.kind, n.str = 's', s
	case c == '-' || c >= '0' && c <= '9':
		n.kind = 'n'
		for p.i < len(p.s) && strings.IndexByte("+-.eE0123456789", p.s[p.i]) >= 0 {
			p.i++
		}
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if strings.HasPrefix(p.s[p.i:], lit) {
				n.kind = 'b'
				if lit == "null" {
					n.kind = 'z'
				}
				p.i += len(lit)
				break
			}
		}
		if n.kind == 0 {
			return nil, p.fail()
		}
	}
	n.raw = p.s[start:p.i]
	return n, nil
}

func (p *jsonParser) members(n *jsonNode) error {
	return p.list('}', func() error {
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return p.fail()
		}
		k, err := p.str()
		if err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return p.fail()
		}
		p.i++
		p.space()
		v, err := p.value()
		if err != nil {
			return err
		}
		n.keys, n.vals = append(n.keys, k), append(n.vals, v)
		return nil
	})
}

func (p *jsonParser) elements(n *jsonNode) error {
	return p.list(']', func() error {
		v, err := p.value()
		if err != nil {
			return err
		}
		n.vals = append(n.vals, v)
		return nil
	})
}

// list reads the comma-separated items of an object or array, from its
// opening bracket to the closing one.
func (p *jsonParser) list(closing byte, item func() error) error {
	p.i++
	p.space()
	if p.i < len(p.s) && p.s[p.i] == closing {
		p.i++
		return nil
	}
	for {
		p.space()
		if err := item(); err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.s) {
			return p.fail()
		}
		p.i++
		switch p.s[p.i-1] {
		case ',':
		case closing:
			return nil
		default:
			return p.fail()
		}
	}
}

// str reads a quoted string, decoding its escapes.
func (p *jsonParser) str() (string, error) {
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.i += 2
			switch e := p.s[p.i-1]; e {
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, err := p.hex4()
				if err != nil {
					return "", err
				}
				if r >= 0xD800 && r < 0xDC00 && strings.HasPrefix(p.s[p.i:], `\u`) {
					p.i += 2
					lo, err := p.hex4()
					if err != nil {
						return "", err
					}
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				}
				if r == 0 {
					e := pgerr.New(untranslatableCharacter, "unsupported Unicode escape sequence")
					e.Detail = `\u0000 cannot be converted to text.`
					return "", e
				}
				b.WriteRune(r)
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.fail()
}

func (p *jsonParser) hex4() (rune, error) {
	if p.i+4 > len(p.s) {
		return 0, p.fail()
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, p.fail()
	}
	p.i += 4
	return rune(v), nil
}

// untranslatableCharacter is SQLSTATE 22P05.
const untranslatableCharacter = "22P05"

// jsonbText returns the canonical jsonb text of a JSON text.
func jsonbText(s string) (string, error) { return types.ParseStringText(types.TJSONB, s) }

// jsonDatum is a JSON text as a value of t (json or jsonb).
func jsonDatum(t types.Type, s string) (types.Datum, error) {
	if t.Kind == types.JSONB {
		c, err := jsonbText(s)
		return types.StrDatum(c), err
	}
	return types.StrDatum(s), nil
}

// appendJSONQuoted appends s as a JSON string, escaped as PostgreSQL's
// escape_json does.
func appendJSONQuoted(buf []byte, s string) []byte { return types.AppendJSONString(buf, s) }

// appendToJSON appends the JSON form of a value of type t, as to_json
// converts it: numbers stay numbers (but NaN and infinities become
// strings), booleans booleans, json and jsonb are used as they are,
// arrays become JSON arrays, date and time values ISO 8601 strings, and
// everything else its text output as a string.
func appendToJSON(buf []byte, t types.Type, d types.Datum) ([]byte, error) {
	if d.Null {
		return append(buf, "null"...), nil
	}
	switch {
	case t.Kind == types.JSON || t.Kind == types.JSONB:
		return append(buf, d.Str...), nil
	case t.Kind == types.Bool:
		return strconv.AppendBool(buf, d.Bool), nil
	case t.IsNumeric():
		s := types.FormatText(t, d)
		if s == "NaN" || s == "Infinity" || s == "-Infinity" {
			return appendJSONQuoted(buf, s), nil
		}
		return append(buf, s...), nil
	case t.Kind == types.Record:
		return appendRecordJSON(buf, t, d.Str)
	case isArrayKind(t.Kind):
		a, err := parseArray(t, d.Str)
		if err != nil {
			return nil, err
		}
		elem, _ := ArrayElement(t)
		return appendArrayJSON(buf, a, elem, 0, 0)
	case t.Kind == types.Timestamp || t.Kind == types.TimestampTZ:
		s := strings.Replace(types.FormatText(t, d), " ", "T", 1)
		if t.Kind == types.TimestampTZ && len(s) > 3 && (s[len(s)-3] == '+' || s[len(s)-3] == '-') {
			s += ":00"
		}
		return appendJSONQuoted(buf, s), nil
	}
	return appendJSONQuoted(buf, types.FormatText(t, d)), nil
}

// appendArrayJSON writes dimension dim of an array, starting at element
// offset, as nested JSON arrays, as array_to_json does (no spaces).
func appendArrayJSON(buf []byte, a *arrayValue, elem types.Type, dim, offset int) ([]byte, error) {
	buf = append(buf, '[')
	if len(a.dims) == 0 {
		return append(buf, ']'), nil
	}
	stride := 1
	for _, n := range a.dims[dim+1:] {
		stride *= n
	}
	for i := 0; i < a.dims[dim]; i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if dim+1 < len(a.dims) {
			buf, err = appendArrayJSON(buf, a, elem, dim+1, offset+i*stride)
		} else {
			e := a.elems[offset+i]
			d := types.NullDatum
			if !e.null {
				if d, err = types.ParseText(elem, e.text); err != nil {
					return nil, err
				}
			}
			buf, err = appendToJSON(buf, elem, d)
		}
		if err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

// appendPretty writes a JSON value as jsonb_pretty does: four spaces per
// level, one member or element per line.
func appendPretty(buf []byte, n *jsonNode, level int) []byte {
	indent := func(l int) {
		buf = append(buf, '\n')
		for i := 0; i < l; i++ {
			buf = append(buf, "    "...)
		}
	}
	switch n.kind {
	case 'o', 'a':
		open, closing := byte('['), byte(']')
		if n.kind == 'o' {
			open, closing = '{', '}'
		}
		buf = append(buf, open)
		for i, v := range n.vals {
			if i > 0 {
				buf = append(buf, ',')
			}
			indent(level + 1)
			if n.kind == 'o' {
				buf = appendJSONQuoted(buf, n.keys[i])
				buf = append(buf, ": "...)
			}
			buf = appendPretty(buf, v, level+1)
		}
		indent(level)
		return append(buf, closing)
	}
	return append(buf, n.raw...)
}
