package types

import (
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/junction-db/junction/pgerr"
)

// json keeps its input text verbatim once it is valid, as PostgreSQL does.
// PostgreSQL reports invalid json and jsonb input alike as "type json".
func validateJSON(s string) error {
	if json.Valid([]byte(s)) {
		return nil
	}
	var target any
	err := json.Unmarshal([]byte(s), &target)
	e := pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type json")
	if err != nil {
		e.Detail = err.Error()
	}
	return e
}

// normalizeJSONB returns the text PostgreSQL prints for a jsonb value: keys
// of each object sorted by length and then bytes with the last of duplicate
// keys kept, ", " and ": " separators, numbers in numeric's canonical form
// and strings re-escaped.
func normalizeJSONB(s string) (string, error) {
	if err := validateJSON(s); err != nil {
		return "", err
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	out, err := appendJSONBValue(nil, dec)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

func appendJSONBValue(buf []byte, dec *json.Decoder) ([]byte, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonbSyntax(err)
	}
	return appendJSONBToken(buf, dec, tok)
}

func appendJSONBToken(buf []byte, dec *json.Decoder, tok json.Token) ([]byte, error) {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return appendJSONBArray(buf, dec)
		}
		return appendJSONBObject(buf, dec)
	case string:
		if strings.IndexByte(v, 0) >= 0 {
			e := pgerr.New(untranslatableCharacter, "unsupported Unicode escape sequence")
			e.Detail = `\u0000 cannot be converted to text.`
			return nil, e
		}
		return AppendJSONString(buf, v), nil
	case json.Number:
		d, err := parseNumeric(string(v))
		if err != nil {
			return nil, err
		}
		return append(buf, numericString(d)...), nil
	case bool:
		if v {
			return append(buf, "true"...), nil
		}
		return append(buf, "false"...), nil
	case nil:
		return append(buf, "null"...), nil
	}
	return nil, pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type json")
}

func appendJSONBArray(buf []byte, dec *json.Decoder) ([]byte, error) {
	buf = append(buf, '[')
	for first := true; ; first = false {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonbSyntax(err)
		}
		if tok == json.Delim(']') {
			return append(buf, ']'), nil
		}
		if !first {
			buf = append(buf, ", "...)
		}
		if buf, err = appendJSONBToken(buf, dec, tok); err != nil {
			return nil, err
		}
	}
}

func appendJSONBObject(buf []byte, dec *json.Decoder) ([]byte, error) {
	type member struct {
		key   string
		value []byte
	}
	var members []member
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonbSyntax(err)
		}
		if tok == json.Delim('}') {
			break
		}
		key, _ := tok.(string)
		value, err := appendJSONBValue(nil, dec)
		if err != nil {
			return nil, err
		}
		members = append(members, member{key, value})
	}
	// A stable sort keeps duplicates in input order, so the last one wins.
	sort.SliceStable(members, func(i, j int) bool {
		a, b := members[i].key, members[j].key
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	buf = append(buf, '{')
	written := 0
	for i, m := range members {
		if i+1 < len(members) && members[i+1].key == m.key {
			continue
		}
		if written > 0 {
			buf = append(buf, ", "...)
		}
		buf = AppendJSONString(buf, m.key)
		buf = append(buf, ": "...)
		buf = append(buf, m.value...)
		written++
	}
	return append(buf, '}'), nil
}

func jsonbSyntax(err error) error {
	e := pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type json")
	if !errors.Is(err, io.EOF) {
		e.Detail = err.Error()
	}
	return e
}

// AppendJSONString quotes s as PostgreSQL's escape_json does: only quotes,
// backslashes and control characters are escaped.
func AppendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			buf = append(buf, `\"`...)
		case '\\':
			buf = append(buf, `\\`...)
		case '\b':
			buf = append(buf, `\b`...)
		case '\f':
			buf = append(buf, `\f`...)
		case '\n':
			buf = append(buf, `\n`...)
		case '\r':
			buf = append(buf, `\r`...)
		case '\t':
			buf = append(buf, `\t`...)
		default:
			if c < 0x20 {
				const hexDigits = "0123456789abcdef"
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			} else {
				buf = append(buf, c)
			}
		}
	}
	return append(buf, '"')
}
