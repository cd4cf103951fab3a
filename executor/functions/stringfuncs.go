package functions

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// String functions: translate, ascii, initcap, to_hex, unistr, overlay,
// and the span substring and overlay share.

// substrSpan is the part substring(x FROM start [FOR count]) takes of a
// value of n positions, as 0-based [lo, hi): positions before the first
// count toward the length.
func substrSpan(start, count int64, hasCount bool, n int64) (lo, hi int64, err error) {
	if hasCount && count < 0 {
		return 0, 0, pgerr.New(substringError, "negative substring length not allowed")
	}
	lo = min(max(start, 1)-1, n)
	if !hasCount {
		return lo, n, nil
	}
	hi = min(max(start+count-1, lo), n)
	return lo, hi, nil
}

// overlayCheck refuses a start before the first position and an end
// beyond the integers, as PostgreSQL's OVERLAY does.
func overlayCheck(start, count int64) error {
	if start <= 0 {
		return pgerr.New(substringError, "negative substring length not allowed")
	}
	if end := start + count; end > math.MaxInt32 || end < math.MinInt32 {
		return pgerr.New(pgerr.NumericOutOfRange, "integer out of range")
	}
	return nil
}

// overlayText is overlay(s PLACING r FROM start [FOR count]).
func overlayText(s, r string, start, count int64) (string, error) {
	if err := overlayCheck(start, count); err != nil {
		return "", err
	}
	head, _ := substring(s, 1, start-1, true)
	tail, _ := substring(s, start+count, 0, false)
	return head + r + tail, nil
}

// translate replaces each character of s found in from by the character
// at the same place in to, or drops it when to is shorter.
func translate(s, from, to string) (string, error) {
	f, t := []rune(from), []rune(to)
	var out strings.Builder
	for _, c := range s {
		i := 0
		for i < len(f) && f[i] != c {
			i++
		}
		switch {
		case i == len(f):
			out.WriteRune(c)
		case i < len(t):
			out.WriteRune(t[i])
		}
	}
	return out.String(), nil
}

// ascii is the code of the first character, 0 for the empty string.
func ascii(s string) (int64, error) {
	r, _ := utf8.DecodeRuneInString(s)
	if s == "" {
		return 0, nil
	}
	return int64(r), nil
}

// initcap upper-cases each letter that follows a character that is not
// a letter or digit and lower-cases the others.
func initcap(s string) string {
	var out strings.Builder
	prevAlnum := false
	for _, c := range s {
		if prevAlnum {
			out.WriteRune(unicode.ToLower(c))
		} else {
			out.WriteRune(unicode.ToUpper(c))
		}
		prevAlnum = unicode.IsLetter(c) || unicode.IsDigit(c)
	}
	return out.String()
}

// unistr reads the Unicode escapes \XXXX, \+XXXXXX, \uXXXX and
// \UXXXXXXXX (surrogate pairs included) and \\.
func unistr(s string) (string, error) {
	var out strings.Builder
	var pairFirst rune
	invalidPair := pgerr.New(pgerr.SyntaxError, "invalid Unicode surrogate pair")
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			if pairFirst != 0 {
				return "", invalidPair
			}
			out.WriteByte(s[i])
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '\\' {
			if pairFirst != 0 {
				return "", invalidPair
			}
			out.WriteByte('\\')
			i += 2
			continue
		}
		var digits, skip int
		switch {
		case hexDigitsAt(s, i+1, 4):
			digits, skip = 4, 1
		case i+1 < len(s) && s[i+1] == 'u' && hexDigitsAt(s, i+2, 4):
			digits, skip = 4, 2
		case i+1 < len(s) && s[i+1] == '+' && hexDigitsAt(s, i+2, 6):
			digits, skip = 6, 2
		case i+1 < len(s) && s[i+1] == 'U' && hexDigitsAt(s, i+2, 8):
			digits, skip = 8, 2
		default:
			return "", pgerr.New(pgerr.SyntaxError, "invalid Unicode escape").
				WithHint(`Unicode escapes must be \XXXX, \+XXXXXX, \uXXXX, or \UXXXXXXXX.`)
		}
		v, _ := strconv.ParseUint(s[i+skip:i+skip+digits], 16, 32)
		i += skip + digits
		c := rune(v)
		if v == 0 || v > unicode.MaxRune {
			return "", pgerr.New(pgerr.SyntaxError, "invalid Unicode code point: %04X", v)
		}
		switch {
		case c >= 0xD800 && c <= 0xDBFF:
			if pairFirst != 0 {
				return "", invalidPair
			}
			pairFirst = c
		case c >= 0xDC00 && c <= 0xDFFF:
			if pairFirst == 0 {
				return "", invalidPair
			}
			out.WriteRune((pairFirst-0xD800)<<10 + (c - 0xDC00) + 0x10000)
			pairFirst = 0
		default:
			if pairFirst != 0 {
				return "", invalidPair
			}
			out.WriteRune(c)
		}
	}
	if pairFirst != 0 {
		return "", invalidPair
	}
	return out.String(), nil
}

// quoteAny is quote_nullable of a value of any type: its cast to text as
// a literal, or NULL. A boolean casts to true or false, not to its output
// form t or f.
func quoteAny(fc *funcCall, row []types.Datum) (types.Datum, error) {
	switch {
	case row[0].Null:
		return types.StrDatum("NULL"), nil
	case fc.argTypes[0].Kind == types.Bool:
		return types.StrDatum("'" + strconv.FormatBool(row[0].Bool) + "'"), nil
	}
	return types.StrDatum(types.QuoteLiteralE(string(types.AppendText(nil, fc.argTypes[0], row[0])))), nil
}

// hexDigitsAt reports whether s holds n hexadecimal digits from i on.
func hexDigitsAt(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for _, c := range []byte(s[i : i+n]) {
		if _, ok := hexDigit(c); !ok {
			return false
		}
	}
	return true
}

func init() {
	text, i4, i8 := types.TText, types.TInt4, types.TInt8
	register([]funcSig{fn(text, strict3(strs, strs, strs, strs, translate), text, text, text)}, "translate")
	register([]funcSig{fn(i4, strict1(strs, ints, ascii), text)}, "ascii")
	register([]funcSig{fn(text, strict1(strs, strs, func(s string) (string, error) { return initcap(s), nil }), text)}, "initcap")
	register([]funcSig{fn(text, strict1(strs, strs, unistr), text)}, "unistr")
	register([]funcSig{fn(i4, strict1(strs, ints, func(s string) (int64, error) { return 8 * int64(len(s)), nil }), text),
		fn(i4, strict1(byteSlices, ints, func(b []byte) (int64, error) { return 8 * int64(len(b)), nil }), types.TBytea)}, "bit_length")
	// quote_literal and quote_nullable of text are the catalog's; these
	// take any other type by its text form.
	register([]funcSig{fn(text, perRow(quoteAny), anyType)}, "quote_literal")
	register([]funcSig{{params: []types.Type{anyType}, result: text, lenient: true, impl: perRow(quoteAny)}}, "quote_nullable")
	register([]funcSig{
		fn(text, strict1(ints, strs, func(v int64) (string, error) { return strconv.FormatUint(uint64(uint32(v)), 16), nil }), i4),
		fn(text, strict1(ints, strs, func(v int64) (string, error) { return strconv.FormatUint(uint64(v), 16), nil }), i8),
	}, "to_hex")
	register([]funcSig{
		fn(text, strict3(strs, strs, ints, strs, func(s, r string, start int64) (string, error) {
			return overlayText(s, r, start, int64(utf8.RuneCountInString(r)))
		}), text, text, i4),
		{params: []types.Type{text, text, i4, i4}, result: text, impl: perRow(func(_ *funcCall, row []types.Datum) (types.Datum, error) {
			s, err := overlayText(row[0].Str, row[1].Str, row[2].Int, row[3].Int)
			return types.StrDatum(s), err
		})},
	}, "overlay")
}
