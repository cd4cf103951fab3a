package functions

import "github.com/junction-db/junction/types"

// trimBytes removes the bytes in set from the start and/or the end of b,
// byte by byte (bytes.Trim would read both as UTF-8).
func trimBytes(b, set []byte, start, end bool) []byte {
	var in [256]bool
	for _, c := range set {
		in[c] = true
	}
	for start && len(b) > 0 && in[b[0]] {
		b = b[1:]
	}
	for end && len(b) > 0 && in[b[len(b)-1]] {
		b = b[:len(b)-1]
	}
	return b
}

func init() {
	bytea := types.TBytea
	for name, ends := range map[string][2]bool{"btrim": {true, true}, "ltrim": {true, false}, "rtrim": {false, true}} {
		register([]funcSig{fn(bytea, strict2(byteSlices, byteSlices, byteSlices, func(b, set []byte) ([]byte, error) {
			return trimBytes(b, set, ends[0], ends[1]), nil
		}), bytea, bytea)}, name)
	}
}
