package wire

import (
	"encoding/binary"
	"strconv"
)

// numeric's binary form (numeric_send): int16 count of base-10000 digits,
// int16 weight (the power of 10000 of the first digit), uint16 sign, int16
// display scale, then the digits, each an int16 in [0, 9999].
const (
	numericPositive = 0x0000
	numericNegative = 0x4000
	numericNaN      = 0xC000
	numericPosInf   = 0xD000
	numericNegInf   = 0xF000
)

// specialNumericSigns are the sign words of the special values, which
// have no digits.
var specialNumericSigns = map[string]uint16{"NaN": numericNaN, "Infinity": numericPosInf, "-Infinity": numericNegInf}

// appendNumericBinary appends the binary form of a numeric given in
// PostgreSQL's text form (an optional sign, digits, an optional fraction).
func appendNumericBinary(buf, text []byte) ([]byte, error) {
	if sign, ok := specialNumericSigns[string(text)]; ok {
		buf = binary.BigEndian.AppendUint32(buf, 0)
		buf = binary.BigEndian.AppendUint16(buf, sign)
		// PostgreSQL sends what its header's display-scale bits hold,
		// which for the infinities is 32.
		return binary.BigEndian.AppendUint16(buf, (sign&0x1F80)>>7), nil
	}
	sign := uint16(numericPositive)
	s := text
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			sign = numericNegative
		}
		s = s[1:]
	}
	intPart, fracPart := s, []byte(nil)
	for i, c := range s {
		if c == '.' {
			intPart, fracPart = s[:i], s[i+1:]
			break
		}
	}
	for _, part := range [][]byte{intPart, fracPart} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return nil, errMalformed
			}
		}
	}
	for len(intPart) > 0 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	dscale := len(fracPart)

	// Digits are grouped by fours outwards from the decimal point.
	lead := (4 - len(intPart)%4) % 4
	intGroups := (len(intPart) + lead) / 4
	groups := intGroups + (len(fracPart)+3)/4
	digits := make([]int16, 0, 16)
	weight := intGroups - 1
	for g := 0; g < groups; g++ {
		var d int16
		for k := 0; k < 4; k++ {
			pos := g*4 + k - lead // index into intPart followed by fracPart
			var c byte = '0'
			switch {
			case pos >= 0 && pos < len(intPart):
				c = intPart[pos]
			case pos >= len(intPart) && pos-len(intPart) < len(fracPart):
				c = fracPart[pos-len(intPart)]
			}
			d = d*10 + int16(c-'0')
		}
		digits = append(digits, d)
	}
	for len(digits) > 0 && digits[0] == 0 {
		digits = digits[1:]
		weight--
	}
	for len(digits) > 0 && digits[len(digits)-1] == 0 {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		weight, sign = 0, numericPositive
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(digits)))
	buf = binary.BigEndian.AppendUint16(buf, uint16(int16(weight)))
	buf = binary.BigEndian.AppendUint16(buf, sign)
	buf = binary.BigEndian.AppendUint16(buf, uint16(dscale))
	for _, d := range digits {
		buf = binary.BigEndian.AppendUint16(buf, uint16(d))
	}
	return buf, nil
}

// numericBinaryToText reads numeric's binary form into its text form.
func numericBinaryToText(v []byte) (string, error) {
	if len(v) < 8 {
		return "", errMalformed
	}
	ndigits := int(binary.BigEndian.Uint16(v))
	weight := int(int16(binary.BigEndian.Uint16(v[2:])))
	sign := binary.BigEndian.Uint16(v[4:])
	dscale := int(binary.BigEndian.Uint16(v[6:]))
	if len(v) != 8+2*ndigits || dscale > 0x3FFF {
		return "", errMalformed
	}
	switch sign {
	case numericNaN:
		return "NaN", nil
	case numericPosInf:
		return "Infinity", nil
	case numericNegInf:
		return "-Infinity", nil
	case numericPositive, numericNegative:
	default:
		return "", errMalformed
	}
	digit := func(i int) int {
		if i < 0 || i >= ndigits {
			return 0
		}
		return int(binary.BigEndian.Uint16(v[8+2*i:]))
	}
	out := make([]byte, 0, 8+4*ndigits+dscale)
	if sign == numericNegative {
		out = append(out, '-')
	}
	if weight < 0 {
		out = append(out, '0')
	} else {
		for i := 0; i <= weight; i++ {
			d := digit(i)
			if d > 9999 {
				return "", errMalformed
			}
			if i == 0 {
				out = strconv.AppendInt(out, int64(d), 10)
			} else {
				out = append(out, byte('0'+d/1000), byte('0'+d/100%10), byte('0'+d/10%10), byte('0'+d%10))
			}
		}
	}
	if dscale > 0 {
		out = append(out, '.')
		for i, written := weight+1, 0; written < dscale; i++ {
			d := digit(i)
			if d > 9999 {
				return "", errMalformed
			}
			for _, c := range [4]byte{byte('0' + d/1000), byte('0' + d/100%10), byte('0' + d/10%10), byte('0' + d%10)} {
				if written < dscale {
					out = append(out, c)
					written++
				}
			}
		}
	}
	return string(out), nil
}
