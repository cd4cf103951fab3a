package functions

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// chr is the character with the given code point, as PostgreSQL's chr
// under UTF8.
func chr(code int64) (string, error) {
	c := uint32(code)
	switch {
	case code < 0:
		return "", pgerr.New(pgerr.InvalidParameterValue, "character number must be positive")
	case c == 0:
		return "", pgerr.New(pgerr.ProgramLimitExceeded, "null character not permitted")
	case c > 0x10FFFF:
		return "", pgerr.New(pgerr.ProgramLimitExceeded, "requested character too large for encoding: %d", c)
	case c >= 0xD800 && c <= 0xDFFF:
		return "", pgerr.New(pgerr.ProgramLimitExceeded, "requested character not valid for encoding: %d", c)
	}
	return string(rune(c)), nil
}

func init() {
	register([]funcSig{fn(types.TText, strict1(ints, strs, chr), types.TInt4)}, "chr")
}
