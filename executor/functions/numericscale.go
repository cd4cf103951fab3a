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
	registerSpecialAware([]funcSig{fn(i4, numericScaleOf(false), num)}, "scale")
	registerSpecialAware([]funcSig{fn(i4, numericScaleOf(true), num)}, "min_scale")
	registerSpecialAware([]funcSig{fn(num, strict1(decs, decs, keepSpecial(func(d decimal.Decimal) (decimal.Decimal, error) {
		return d.Round(minScale(d)), nil
	})), num)}, "trim_scale")
}
