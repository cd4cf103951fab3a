package types

import (
	"strings"
	"sync"

	"github.com/junction-db/junction/pgerr"
)

// Records are the values of row constructors, ROW(a, b) or (a, b), and of
// whole-row references to a table. Like arrays they are stored in
// PostgreSQL's text form, '(1,"a b",)' with an empty field for NULL.
// PostgreSQL's type of them is the anonymous "record"; Junction keeps
// what the planner knows of their fields (names and types) in a table of
// shapes, and the Type of a record names its shape by number in Length
// (0: fields unknown), so that comparisons and field selection read each
// field as its own type.

// Field is one field of a record.
type Field struct {
	Name string
	Type Type
}

var shapes = struct {
	sync.Mutex
	byKey map[string]int32
	list  [][]Field
}{byKey: map[string]int32{}, list: [][]Field{nil}}

// RecordOf returns the record type with the given fields. The same fields
// give the same type.
func RecordOf(fields []Field) Type {
	var key strings.Builder
	for _, f := range fields {
		key.WriteString(f.Name)
		key.WriteByte(0)
		key.WriteString(f.Type.String())
		key.WriteByte(0)
		key.WriteByte(byte(f.Type.Length))
		key.WriteByte(byte(f.Type.Length >> 8))
		key.WriteByte(byte(f.Type.Length >> 16))
		key.WriteByte(0)
	}
	shapes.Lock()
	defer shapes.Unlock()
	id, ok := shapes.byKey[key.String()]
	if !ok {
		id = int32(len(shapes.list))
		shapes.list = append(shapes.list, append([]Field(nil), fields...))
		shapes.byKey[key.String()] = id
	}
	return Type{Kind: Record, Length: id}
}

// Fields returns the fields of a record type, nil when they are unknown.
func (t Type) Fields() []Field {
	if t.Kind != Record && t.Kind != RecordArray {
		return nil
	}
	shapes.Lock()
	defer shapes.Unlock()
	if int(t.Length) >= len(shapes.list) || t.Length < 0 {
		return nil
	}
	return shapes.list[t.Length]
}

// AppendRecord writes a record's text form as record_out does: fields
// that are empty or hold a quote, backslash, parenthesis, comma or blank
// are quoted, with quotes and backslashes doubled; a NULL field is empty.
// fields holds each field's text form, nil for NULL.
func AppendRecord(buf []byte, fields []*string) []byte {
	buf = append(buf, '(')
	for i, f := range fields {
		if i > 0 {
			buf = append(buf, ',')
		}
		if f == nil {
			continue
		}
		s := *f
		if s != "" && !strings.ContainsAny(s, "\"\\(),"+" \t\n\r\v\f") {
			buf = append(buf, s...)
			continue
		}
		buf = append(buf, '"')
		for j := 0; j < len(s); j++ {
			if s[j] == '"' || s[j] == '\\' {
				buf = append(buf, s[j])
			}
			buf = append(buf, s[j])
		}
		buf = append(buf, '"')
	}
	return append(buf, ')')
}

// ParseRecord reads a record's text form as record_in does into its
// fields' text forms, nil for NULL.
func ParseRecord(s string) ([]*string, error) {
	malformed := func(detail string) error {
		e := pgerr.New(pgerr.InvalidTextRep, "malformed record literal: \"%s\"", s)
		e.Detail = detail
		return e
	}
	p := strings.TrimLeft(s, " \t\n\r\v\f")
	if !strings.HasPrefix(p, "(") {
		return nil, malformed("Missing left parenthesis.")
	}
	p = p[1:]
	var out []*string
	if strings.HasPrefix(p, ")") {
		p = p[1:]
		if strings.TrimSpace(p) != "" {
			return nil, malformed("Junk after right parenthesis.")
		}
		return out, nil
	}
	for {
		var b strings.Builder
		quotedOrEscaped := false
		inQuote := false
		for {
			if p == "" {
				return nil, malformed("Unexpected end of input.")
			}
			c := p[0]
			if !inQuote && (c == ',' || c == ')') {
				break
			}
			p = p[1:]
			switch {
			case c == '\\':
				if p == "" {
					return nil, malformed("Unexpected end of input.")
				}
				b.WriteByte(p[0])
				p = p[1:]
				quotedOrEscaped = true
			case c == '"' && !inQuote:
				inQuote, quotedOrEscaped = true, true
			case c == '"' && strings.HasPrefix(p, "\""):
				b.WriteByte('"')
				p = p[1:]
			case c == '"':
				inQuote = false
			default:
				b.WriteByte(c)
			}
		}
		if b.Len() == 0 && !quotedOrEscaped {
			out = append(out, nil)
		} else {
			v := b.String()
			out = append(out, &v)
		}
		c := p[0]
		p = p[1:]
		if c == ')' {
			break
		}
	}
	if strings.TrimSpace(p) != "" {
		return nil, malformed("Junk after right parenthesis.")
	}
	return out, nil
}
