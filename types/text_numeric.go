package types

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/shopspring/decimal"
)

// PostgreSQL's numeric storage limits: digits before the decimal point and
// the display scale.
const (
	numericMaxWeightDigits = 131072
	numericMaxScale        = 16383
)

// parseNumeric reads numeric input. The result's exponent is the display
// scale PostgreSQL derives from the text: 12.50 keeps two decimals, 1.5e3 is
// the integer 1500.
func parseNumeric(s string) (decimal.Decimal, error) {
	if d, ok := parsePlainNumeric(s); ok {
		return d, nil
	}
	v := trimSpace(s)
	if d, ok := parseSpecialNumeric(v); ok {
		return d, nil
	}
	i := 0
	neg := false
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		neg = v[i] == '-'
		i++
	}
	var digits strings.Builder
	intDigits, fracDigits, sawPoint := 0, 0, false
	for ; i < len(v); i++ {
		c := v[i]
		if isDigit(c) {
			digits.WriteByte(c)
			if sawPoint {
				fracDigits++
			} else {
				intDigits++
			}
			continue
		}
		if c == '.' && !sawPoint {
			sawPoint = true
			continue
		}
		break
	}
	if intDigits+fracDigits == 0 {
		return decimal.Decimal{}, syntaxError(TNumeric, s)
	}
	exp := int64(0)
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		e, ok, overflow := scanInt(v[i+1:], 64)
		if overflow || (ok && (e >= 1<<30 || e <= -(1<<30))) {
			return decimal.Decimal{}, pgerr.New(pgerr.NumericOutOfRange, "value overflows numeric format")
		}
		if !ok {
			return decimal.Decimal{}, syntaxError(TNumeric, s)
		}
		exp = e
		i = len(v)
	}
	if i != len(v) {
		return decimal.Decimal{}, syntaxError(TNumeric, s)
	}
	coef := strings.TrimLeft(digits.String(), "0")
	scale := int64(fracDigits) - exp
	if scale < 0 {
		scale = 0
	}
	// Significant digits before the point, after applying the exponent.
	if coef != "" && int64(len(coef))-int64(fracDigits)+exp > numericMaxWeightDigits || scale > numericMaxScale {
		return decimal.Decimal{}, pgerr.New(pgerr.NumericOutOfRange, "value overflows numeric format")
	}
	if coef == "" {
		// Zero has no weight, so any exponent is allowed; building it as
		// digits times a power of ten would compute that power.
		return decimal.New(0, -int32(scale)), nil
	}
	d := decimalFromDigits(coef, neg, int32(exp-int64(fracDigits)))
	return d.Round(int32(scale)), nil // exact: only adds zeros
}

// maxInt64Digits is how many decimal digits always fit in an int64.
const maxInt64Digits = 18

// parsePlainNumeric reads the form every database prints numerics in,
// [-]digits[.digits] with at most maxInt64Digits digits, without the
// general parser's allocations; ok is false for anything else.
func parsePlainNumeric(s string) (d decimal.Decimal, ok bool) {
	n, frac, ok := scanPlainNumeric(s)
	if !ok {
		return decimal.Decimal{}, false
	}
	return decimal.New(n, int32(-frac)), true
}

// scanPlainNumeric reads [-]digits[.digits] with at most maxInt64Digits
// digits as n × 10^-frac.
func scanPlainNumeric(s string) (n int64, frac int, ok bool) {
	i, neg := 0, false
	if len(s) > 0 && s[0] == '-' {
		i, neg = 1, true
	}
	digits, point := 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			n = n*10 + int64(c-'0')
			digits++
			if point {
				frac++
			}
		case c == '.' && !point:
			point = true
		default:
			return 0, 0, false
		}
	}
	if digits == 0 || digits > maxInt64Digits {
		return 0, 0, false
	}
	if neg {
		n = -n
	}
	return n, frac, true
}

// parseNumericTypmod reads numeric input for a value of type t: a plain
// number already at the type's scale and within its precision, as a
// source prints a numeric(p,s) column, needs no rounding and no check in
// big-number arithmetic.
func parseNumericTypmod(t Type, s string) (decimal.Decimal, error) {
	return parseNumericIn(nil, t, s)
}

// parseNumericIn is parseNumericTypmod building plain values, which
// unconstrained numeric takes as they are, in a (nil: with decimal.New).
func parseNumericIn(a *DecimalArena, t Type, s string) (decimal.Decimal, error) {
	if n, frac, ok := scanPlainNumeric(s); ok {
		if t.Precision <= 0 {
			return a.New(n, int32(-frac)), nil
		}
		if t.Precision <= maxInt64Digits && int32(frac) == t.Scale && max(n, -n) < pow10[t.Precision] {
			return a.New(n, int32(-frac)), nil
		}
	}
	d, err := parseNumeric(s)
	if err != nil {
		return decimal.Decimal{}, err
	}
	return ApplyNumericTypmod(t, d)
}

// decimalFromDigits builds ±coef × 10^exp from a string of decimal digits.
func decimalFromDigits(coef string, neg bool, exp int32) decimal.Decimal {
	if len(coef) <= 18 {
		n, _ := strconv.ParseInt("0"+coef, 10, 64)
		if neg {
			n = -n
		}
		return decimal.New(n, exp)
	}
	n, _ := new(big.Int).SetString(coef, 10)
	if neg {
		n.Neg(n)
	}
	return decimal.NewFromBigInt(n, exp)
}

// ApplyNumericTypmod rounds d to the scale of a numeric(p,s) type (half
// away from zero, as PostgreSQL does) and rejects values whose integer part
// does not fit (22003). Unconstrained numeric returns d unchanged.
func ApplyNumericTypmod(t Type, d decimal.Decimal) (decimal.Decimal, error) {
	if t.Kind != Numeric || t.Precision <= 0 || IsNumericNaN(d) {
		return d, nil
	}
	if IsNumericInf(d) {
		e := pgerr.New(pgerr.NumericOutOfRange, "numeric field overflow")
		e.Detail = "A field with precision " + strconv.Itoa(int(t.Precision)) + ", scale " +
			strconv.Itoa(int(t.Scale)) + " cannot hold an infinite value."
		return decimal.Decimal{}, e
	}
	r := d.Round(t.Scale)
	maxDigits := t.Precision - t.Scale
	if r.Abs().Cmp(decimal.New(1, maxDigits)) >= 0 {
		limit := "1"
		if maxDigits != 0 {
			limit = "10^" + strconv.Itoa(int(maxDigits))
		}
		e := pgerr.New(pgerr.NumericOutOfRange, "numeric field overflow")
		e.Detail = "A field with precision " + strconv.Itoa(int(t.Precision)) + ", scale " +
			strconv.Itoa(int(t.Scale)) + " must round to an absolute value less than " + limit + "."
		return decimal.Decimal{}, e
	}
	return r, nil
}

// pow10[i] is 10^i.
var pow10 = func() (p [maxInt64Digits + 1]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// smallCoefficient returns d's coefficient when its magnitude is below
// 10^maxInt64Digits, found by comparing with bounds at d's own exponent,
// which costs no rescaling (decimal.NumDigits would take a logarithm).
func smallCoefficient(d decimal.Decimal) (int64, bool) {
	i := int(d.Exponent()) + boundExponents
	if i < 0 || i >= len(coefficientBounds) {
		return 0, false
	}
	b := &coefficientBounds[i]
	if d.Cmp(b.hi) >= 0 || d.Cmp(b.lo) <= 0 {
		return 0, false
	}
	return d.CoefficientInt64(), true
}

// boundExponents is the largest exponent magnitude smallCoefficient
// handles; numerics rarely have more than a few dozen decimals.
const boundExponents = 40

// coefficientBounds[e+boundExponents] holds ±10^maxInt64Digits at
// exponent e.
var coefficientBounds = func() (b [2*boundExponents + 1]struct{ lo, hi decimal.Decimal }) {
	for i := range b {
		exp := int32(i - boundExponents)
		b[i].lo = decimal.New(-pow10[maxInt64Digits], exp)
		b[i].hi = decimal.New(pow10[maxInt64Digits], exp)
	}
	return b
}()

// numericString prints a numeric with its display scale: the decimal's
// exponent when negative, no decimal point otherwise.
func numericString(d decimal.Decimal) string {
	return string(AppendNumeric(nil, d))
}

// AppendNumeric appends numericString(d) to buf; coefficients that fit an
// int64 are printed without big-number arithmetic.
func AppendNumeric(buf []byte, d decimal.Decimal) []byte {
	if IsNumericSpecial(d) {
		return append(buf, specialNumericText(d)...)
	}
	c, ok := smallCoefficient(d)
	if !ok {
		if d.Exponent() < 0 {
			return append(buf, d.StringFixed(-d.Exponent())...)
		}
		return append(buf, d.String()...)
	}
	exp := int(d.Exponent())
	if exp >= 0 {
		buf = strconv.AppendInt(buf, c, 10)
		if c != 0 {
			for range exp {
				buf = append(buf, '0')
			}
		}
		return buf
	}
	if c < 0 {
		buf = append(buf, '-')
		c = -c
	}
	var tmp [20]byte
	digits := strconv.AppendInt(tmp[:0], c, 10)
	scale := -exp
	if len(digits) <= scale {
		buf = append(buf, '0')
	} else {
		buf = append(buf, digits[:len(digits)-scale]...)
		digits = digits[len(digits)-scale:]
	}
	buf = append(buf, '.')
	for range scale - len(digits) {
		buf = append(buf, '0')
	}
	return append(buf, digits...)
}
