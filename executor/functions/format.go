package functions

import (
	"strings"
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// formatImpl is format(formatstr, VARIADIC args): %s inserts an argument
// as text (NULL as nothing), %I as a quoted identifier, %L as a quoted
// literal (NULL as NULL), %% a percent sign. A specifier may name its
// argument (%2$s), and take a width (%10s, %-10s, %*s, %*3$s) that pads on
// the left, or on the right when negative or flagged with -.
func formatImpl(fc *funcCall, row []types.Datum) (types.Datum, error) {
	if row[0].Null {
		return types.NullDatum, nil
	}
	f := &formatter{fc: fc, row: row, next: 1}
	return f.run(row[0].Str)
}

type formatter struct {
	fc   *funcCall
	row  []types.Datum
	next int // the argument a specifier without a position takes
}

func (f *formatter) run(s string) (types.Datum, error) {
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			out.WriteByte(s[i])
			continue
		}
		i++
		if i >= len(s) {
			return types.Datum{}, unterminatedFormat()
		}
		if s[i] == '%' {
			out.WriteByte('%')
			continue
		}
		end, err := f.spec(s, i, &out)
		if err != nil {
			return types.Datum{}, err
		}
		i = end
	}
	return types.StrDatum(out.String()), nil
}

func unterminatedFormat() error {
	return pgerr.New(invalidParameterValue, "unterminated format() type specifier").
		WithHint(`For a single "%%" use "%%%%".`)
}

// number reads digits at s[i:]; n is -1 when there are none.
func number(s string, i int) (n, end int, err error) {
	n, end = -1, i
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		if n < 0 {
			n = 0
		}
		n = n*10 + int(s[end]-'0')
		if n > 1<<30 {
			return 0, 0, pgerr.New(invalidParameterValue, "number is out of range")
		}
		end++
	}
	return n, end, nil
}

// arg takes argument k (1-based) or, for k < 0, the next one.
func (f *formatter) arg(k int) (types.Datum, types.Type, error) {
	if k < 0 {
		k = f.next
	}
	if k == 0 {
		return types.Datum{}, types.Type{}, pgerr.New(invalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
	}
	if k >= len(f.row) {
		return types.Datum{}, types.Type{}, pgerr.New(invalidParameterValue, "too few arguments for format()")
	}
	f.next = k + 1
	return f.row[k], f.fc.argTypes[k], nil
}

// spec formats the specifier starting at s[i] (after the %) and returns
// the index of its type letter.
func (f *formatter) spec(s string, i int, out *strings.Builder) (int, error) {
	position := -1
	if n, end, err := number(s, i); err != nil {
		return 0, err
	} else if n >= 0 && end < len(s) && s[end] == '$' {
		position, i = n, end+1
	}
	left := false
	for i < len(s) && s[i] == '-' {
		left, i = true, i+1
	}
	width := 0
	if i < len(s) && s[i] == '*' {
		i++
		widthArg := -1
		if n, end, err := number(s, i); err != nil {
			return 0, err
		} else if n >= 0 {
			if end >= len(s) || s[end] != '$' {
				return 0, unterminatedFormat()
			}
			widthArg, i = n, end+1
		}
		d, t, err := f.arg(widthArg)
		if err != nil {
			return 0, err
		}
		if !d.Null {
			if !t.IsInteger() {
				return 0, pgerr.New(invalidParameterValue, "format() width argument must be of type integer")
			}
			width = int(d.Int)
		}
	} else {
		n, end, err := number(s, i)
		if err != nil {
			return 0, err
		}
		if n > 0 {
			width, i = n, end
		}
	}
	if i >= len(s) {
		return 0, unterminatedFormat()
	}
	kind := s[i]
	if kind != 's' && kind != 'I' && kind != 'L' {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return 0, pgerr.New(invalidParameterValue, "unrecognized format() type specifier \"%s\"", string(r)).
			WithHint(`For a single "%%" use "%%%%".`)
	}
	d, t, err := f.arg(position)
	if err != nil {
		return 0, err
	}
	var text string
	switch {
	case kind == 'I' && d.Null:
		return 0, pgerr.New(nullValueNotAllowed, "null values cannot be formatted as an SQL identifier")
	case kind == 'L' && d.Null:
		text = "NULL"
	case d.Null:
	case kind == 'I':
		text = types.QuoteIdent(types.FormatText(t, d))
	case kind == 'L':
		text = types.QuoteLiteralE(types.FormatText(t, d))
	default:
		text = types.FormatText(t, d)
	}
	if width < 0 {
		left, width = true, -width
	}
	pad := strings.Repeat(" ", max(0, width-utf8.RuneCountInString(text)))
	if left {
		out.WriteString(text + pad)
	} else {
		out.WriteString(pad + text)
	}
	return i, nil
}

// parseIdentImpl is parse_ident(qualified_identifier [, strict]): the
// dot-separated names, unquoted ones folded to lower case.
func parseIdentImpl(fc *funcCall, row []types.Datum) (types.Datum, error) {
	s := row[0].Str
	strict := len(row) < 2 || row[1].Bool
	invalid := func(detail string) error {
		e := pgerr.New(invalidParameterValue, "string is not a valid identifier: \"%s\"", s)
		if detail != "" {
			e.Detail = detail
		}
		return e
	}
	space := func(i int) int {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v') {
			i++
		}
		return i
	}
	var parts []arrayElem
	i := space(0)
	for {
		var name string
		switch {
		case i < len(s) && s[i] == '"':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(s) {
					return types.Datum{}, invalid("String has unclosed double quotes.")
				}
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						b.WriteByte('"')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			if b.Len() == 0 {
				return types.Datum{}, invalid("Quoted identifier must not be empty.")
			}
			name, i = b.String(), j+1
		case i < len(s) && identStart(s[i]):
			j := i
			for j < len(s) && (identStart(s[j]) || s[j] >= '0' && s[j] <= '9' || s[j] == '$') {
				j++
			}
			name, i = strings.ToLower(s[i:j]), j
		case i < len(s) && s[i] == '.':
			return types.Datum{}, invalid(`No valid identifier before ".".`)
		case len(parts) > 0:
			return types.Datum{}, invalid(`No valid identifier after ".".`)
		default:
			return types.Datum{}, invalid("")
		}
		parts = append(parts, arrayElem{text: name})
		i = space(i)
		if i < len(s) && s[i] == '.' {
			i = space(i + 1)
			continue
		}
		if i < len(s) && strict {
			return types.Datum{}, invalid("")
		}
		break
	}
	return textArrayDatum(parts), nil
}

func identStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// textArrayDatum is a one-dimensional text[] of the given elements.
func textArrayDatum(elems []arrayElem) types.Datum {
	a := emptyArray
	if len(elems) > 0 {
		a = &arrayValue{lower: []int{1}, dims: []int{len(elems)}, elems: elems}
	}
	return types.StrDatum(a.format(types.Type{Kind: types.TextArray}))
}

// stringToArrayImpl is string_to_array(string, delimiter [, null_string]):
// a NULL delimiter splits into characters, an empty one keeps the string
// whole, and an empty string has no elements.
func stringToArrayImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	if row[0].Null {
		return types.NullDatum, nil
	}
	s := row[0].Str
	var pieces []string
	switch {
	case s == "":
	case row[1].Null:
		for _, r := range s {
			pieces = append(pieces, string(r))
		}
	case row[1].Str == "":
		pieces = []string{s}
	default:
		pieces = strings.Split(s, row[1].Str)
	}
	elems := make([]arrayElem, len(pieces))
	for i, p := range pieces {
		elems[i] = arrayElem{text: p, null: len(row) > 2 && !row[2].Null && p == row[2].Str}
	}
	return textArrayDatum(elems), nil
}

func init() {
	text, boolean := types.TText, types.TBool
	textArray := types.Type{Kind: types.TextArray}
	strict := func(f rowImpl, params ...types.Type) funcSig {
		return funcSig{params: params, result: textArray, impl: perRow(f)}
	}
	register([]funcSig{
		{params: []types.Type{text}, result: text, lenient: true, impl: perRow(formatImpl)},
		{params: []types.Type{text, anyType}, variadic: true, result: text, lenient: true, impl: perRow(formatImpl)},
	}, "format")
	register([]funcSig{strict(parseIdentImpl, text), strict(parseIdentImpl, text, boolean)}, "parse_ident")
	register([]funcSig{
		{params: []types.Type{text, text}, result: textArray, lenient: true, impl: perRow(stringToArrayImpl)},
		{params: []types.Type{text, text, text}, result: textArray, lenient: true, impl: perRow(stringToArrayImpl)},
	}, "string_to_array")
}
