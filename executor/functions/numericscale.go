package functions

import (
	"math/big"

	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

// minScale is the fewest digits after the point that show d exactly: its
// display scale without the trailing zeros.
func minScale(d decimal.Decimal) int32 {
	scale := scaleOf(d)
	if scale == 0 {
		return 0
	}
	c := d.Coefficient()
	ten, rem := big.NewInt(10), new(big.Int)
	for scale > 0 && c.Sign() != 0 {
		q, r := new(big.Int).QuoRem(c, ten, rem)
		if r.Sign() != 0 {
			break
		}
		c = q
		scale--
	}
	if c.Sign() == 0 {
		return 0
	}
	return scale
}

func init() {
	num, i4 := types.TNumeric, types.TInt4
	register([]funcSig{fn(i4, strict1(decs, ints, func(d decimal.Decimal) (int64, error) { return int64(scaleOf(d)), nil }), num)}, "scale")
	register([]funcSig{fn(i4, strict1(decs, ints, func(d decimal.Decimal) (int64, error) { return int64(minScale(d)), nil }), num)}, "min_scale")
	register([]funcSig{fn(num, strict1(decs, decs, func(d decimal.Decimal) (decimal.Decimal, error) {
		return d.Round(minScale(d)), nil
	}), num)}, "trim_scale")
}
