package functions

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"math/bits"
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// Functions of bytea: digests, encode and decode, bits and bytes by
// position, substring and overlay.

// encodeBytes is encode(data, format).
func encodeBytes(b []byte, format string) (string, error) {
	switch strings.ToLower(format) {
	case "hex":
		return hex.EncodeToString(b), nil
	case "base64":
		// PostgreSQL breaks the text into lines of 76 characters.
		s := base64.StdEncoding.EncodeToString(b)
		var out strings.Builder
		for len(s) > 76 {
			out.WriteString(s[:76])
			out.WriteByte('\n')
			s = s[76:]
		}
		out.WriteString(s)
		return out.String(), nil
	case "escape":
		var out strings.Builder
		for _, c := range b {
			switch {
			case c == 0 || c >= 0x80:
				out.WriteString(`\` + strconv.FormatUint(uint64(c)|0o1000, 8)[1:])
			case c == '\\':
				out.WriteString(`\\`)
			default:
				out.WriteByte(c)
			}
		}
		return out.String(), nil
	}
	return "", pgerr.New(invalidParameterValue, "unrecognized encoding: \"%s\"", format)
}

// decodeBytes is decode(text, format).
func decodeBytes(s, format string) ([]byte, error) {
	switch strings.ToLower(format) {
	case "hex":
		return types.DecodeHex(s)
	case "base64":
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
		b, err := base64.StdEncoding.DecodeString(clean)
		if err != nil {
			return nil, pgerr.New(invalidParameterValue, "invalid base64 end sequence").
				WithHint("Input data is missing padding, is truncated, or is otherwise corrupted.")
		}
		return b, nil
	case "escape":
		return types.DecodeEscape(s)
	}
	return nil, pgerr.New(invalidParameterValue, "unrecognized encoding: \"%s\"", format)
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// byteIndex checks a byte or bit position n against a value of size
// positions.
func byteIndex(n, size int64) error {
	if n < 0 || n >= size {
		return pgerr.New(arraySubscriptError, "index %d out of valid range, 0..%d", n, size-1)
	}
	return nil
}

func getByte(b []byte, n int64) (int64, error) {
	if err := byteIndex(n, int64(len(b))); err != nil {
		return 0, err
	}
	return int64(b[n]), nil
}

func setByte(b []byte, n, v int64) ([]byte, error) {
	if err := byteIndex(n, int64(len(b))); err != nil {
		return nil, err
	}
	out := append([]byte{}, b...)
	out[n] = byte(v)
	return out, nil
}

// getBit reads bit n, counting from the lowest bit of the first byte.
func getBit(b []byte, n int64) (int64, error) {
	if err := byteIndex(n, int64(len(b))*8); err != nil {
		return 0, err
	}
	return int64(b[n/8]>>(n%8)) & 1, nil
}

func setBit(b []byte, n, v int64) ([]byte, error) {
	if err := byteIndex(n, int64(len(b))*8); err != nil {
		return nil, err
	}
	if v != 0 && v != 1 {
		return nil, pgerr.New(invalidParameterValue, "new bit must be 0 or 1")
	}
	out := append([]byte{}, b...)
	out[n/8] = out[n/8]&^(1<<(n%8)) | byte(v)<<(n%8)
	return out, nil
}

func bitCount(b []byte) (int64, error) {
	n := 0
	for _, c := range b {
		n += bits.OnesCount8(c)
	}
	return int64(n), nil
}

// substrBytes is substring(bytea FROM start [FOR count]).
func substrBytes(b []byte, start, count int64, hasCount bool) ([]byte, error) {
	lo, hi, err := substrSpan(start, count, hasCount, int64(len(b)))
	if err != nil {
		return nil, err
	}
	return b[lo:hi], nil
}

// overlayBytes is overlay(b PLACING r FROM start [FOR count]).
func overlayBytes(b, r []byte, start, count int64) ([]byte, error) {
	if err := overlayCheck(start, count); err != nil {
		return nil, err
	}
	head, _ := substrBytes(b, 1, start-1, true)
	tail, _ := substrBytes(b, start+count, 0, false)
	return append(append(append([]byte{}, head...), r...), tail...), nil
}

func init() {
	bytea, text, i4, i8 := types.TBytea, types.TText, types.TInt4, types.TInt8
	digest := func(sum func([]byte) []byte) []funcSig {
		return []funcSig{fn(bytea, strict1(byteSlices, byteSlices, func(b []byte) ([]byte, error) { return sum(b), nil }), bytea)}
	}
	register(digest(func(b []byte) []byte { h := sha256.Sum224(b); return h[:] }), "sha224")
	register(digest(func(b []byte) []byte { h := sha256.Sum256(b); return h[:] }), "sha256")
	register(digest(func(b []byte) []byte { h := sha512.Sum384(b); return h[:] }), "sha384")
	register(digest(func(b []byte) []byte { h := sha512.Sum512(b); return h[:] }), "sha512")
	register([]funcSig{fn(text, strict2(byteSlices, strs, strs, encodeBytes), bytea, text)}, "encode")
	register([]funcSig{fn(bytea, strict2(strs, strs, byteSlices, decodeBytes), text, text)}, "decode")
	register([]funcSig{fn(i4, strict2(byteSlices, ints, ints, getByte), bytea, i4)}, "get_byte")
	register([]funcSig{fn(bytea, strict3(byteSlices, ints, ints, byteSlices, setByte), bytea, i4, i4)}, "set_byte")
	register([]funcSig{fn(i4, strict2(byteSlices, ints, ints, getBit), bytea, i8)}, "get_bit")
	register([]funcSig{fn(bytea, strict3(byteSlices, ints, ints, byteSlices, setBit), bytea, i8, i4)}, "set_bit")
	register([]funcSig{fn(i8, strict1(byteSlices, ints, bitCount), bytea)}, "bit_count")
	register([]funcSig{
		fn(bytea, strict2(byteSlices, ints, byteSlices, func(b []byte, start int64) ([]byte, error) { return substrBytes(b, start, 0, false) }), bytea, i4),
		fn(bytea, strict3(byteSlices, ints, ints, byteSlices, func(b []byte, start, count int64) ([]byte, error) { return substrBytes(b, start, count, true) }), bytea, i4, i4),
	}, "substr", "substring")
	register([]funcSig{
		fn(bytea, strict3(byteSlices, byteSlices, ints, byteSlices, func(b, r []byte, start int64) ([]byte, error) {
			return overlayBytes(b, r, start, int64(len(r)))
		}), bytea, bytea, i4),
		{params: []types.Type{bytea, bytea, i4, i4}, result: bytea, impl: perRow(func(_ *funcCall, row []types.Datum) (types.Datum, error) {
			b, err := overlayBytes(row[0].Bytes, row[1].Bytes, row[2].Int, row[3].Int)
			return types.Datum{Bytes: b}, err
		})},
	}, "overlay")
}
