package functions

import (
	"crypto/md5"
	"encoding/hex"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// substringError is SQLSTATE 22011.
const substringError = "22011"

// maxResultByteCount is PostgreSQL's limit on the size of a text value.
const maxResultByteCount = 1 << 30

func fn(result types.Type, impl funcImpl, params ...types.Type) funcSig {
	return funcSig{params: params, result: result, impl: impl}
}

func variadicFn(result types.Type, impl funcImpl, params ...types.Type) funcSig {
	return funcSig{params: params, result: result, impl: impl, variadic: true, lenient: true}
}

// strict1, strict2 and strict3 build implementations from functions of
// one row's values.
func strict1[A, R any](a func(*vector.Vector) []A, r func(*vector.Vector) []R, f func(A) (R, error)) funcImpl {
	k := mapKernel(a, r, f)
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error { return k(args[0], n, out) }
}

func strict2[A, B, R any](a func(*vector.Vector) []A, b func(*vector.Vector) []B, r func(*vector.Vector) []R, f func(A, B) (R, error)) funcImpl {
	k := pairKernel(a, b, r, f)
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		return k(args[0], args[1], n, out)
	}
}

func strict3[A, B, C, R any](a func(*vector.Vector) []A, b func(*vector.Vector) []B, c func(*vector.Vector) []C, r func(*vector.Vector) []R, f func(A, B, C) (R, error)) funcImpl {
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		x, y, z, res := a(args[0]), b(args[1]), c(args[2]), r(out)
		xm, ym, zm := rowMask(args[0], n), rowMask(args[1], n), rowMask(args[2], n)
		for i := range res {
			if out.Nulls.Get(i) {
				continue
			}
			v, err := f(x[i&xm], y[i&ym], z[i&zm])
			if err != nil {
				return err
			}
			res[i] = v
		}
		return nil
	}
}

// fromKernel turns an operator kernel into a function implementation.
func fromKernel(k kernel2) funcImpl {
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		return k(args[0], args[1], n, out)
	}
}

// nowImpl yields a timestamp computed once per call.
func nowImpl(at func(fc *funcCall) int64) funcImpl {
	return func(fc *funcCall, _ []*vector.Vector, n int, out *vector.Vector) error {
		fill(out.Int, at(fc))
		return nil
	}
}

func init() {
	var (
		text, i2, i4, i8 = types.TText, types.TInt2, types.TInt4, types.TInt8
		f4, f8, num      = types.TFloat4, types.TFloat8, types.TNumeric
		boolean, bytea   = types.TBool, types.TBytea
		date, ts, tstz   = types.TDate, types.TTimestamp, types.TTimestampTZ
		tm, interval     = types.TTime, types.TInterval
	)
	strFn := func(f func(string) string) funcImpl {
		return strict1(strs, strs, func(s string) (string, error) { return f(s), nil })
	}
	countFn := func(f func(string) int) funcImpl {
		return strict1(strs, ints, func(s string) (int64, error) { return int64(f(s)), nil })
	}

	register([]funcSig{fn(text, strFn(strings.ToLower), text)}, "lower")
	register([]funcSig{fn(text, strFn(strings.ToUpper), text)}, "upper")
	register([]funcSig{fn(text, strFn(reverseString), text)}, "reverse")
	register([]funcSig{fn(text, strFn(func(s string) string { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }), text),
		fn(text, strict1(byteSlices, strs, func(b []byte) (string, error) { h := md5.Sum(b); return hex.EncodeToString(h[:]), nil }), bytea)}, "md5")
	register([]funcSig{fn(i4, countFn(utf8.RuneCountInString), text)}, "char_length", "character_length")
	register([]funcSig{fn(i4, countFn(utf8.RuneCountInString), text),
		fn(i4, strict1(byteSlices, ints, func(b []byte) (int64, error) { return int64(len(b)), nil }), bytea)}, "length")
	register([]funcSig{fn(i4, countFn(func(s string) int { return len(s) }), text),
		fn(i4, strict1(byteSlices, ints, func(b []byte) (int64, error) { return int64(len(b)), nil }), bytea)}, "octet_length")
	register([]funcSig{
		fn(text, strict2(strs, ints, strs, func(s string, start int64) (string, error) { return substring(s, start, 0, false) }), text, i4),
		fn(text, strict3(strs, ints, ints, strs, func(s string, start, count int64) (string, error) { return substring(s, start, count, true) }), text, i4, i4),
	}, "substr", "substring")
	register([]funcSig{fn(text, strict2(strs, ints, strs, func(s string, k int64) (string, error) { return leftChars(s, k), nil }), text, i4)}, "left")
	register([]funcSig{fn(text, strict2(strs, ints, strs, func(s string, k int64) (string, error) { return rightChars(s, k), nil }), text, i4)}, "right")
	register([]funcSig{fn(i4, strict2(strs, strs, ints, func(s, sub string) (int64, error) { return int64(strpos(s, sub)), nil }), text, text)}, "strpos", "position")
	register([]funcSig{fn(text, strict3(strs, strs, strs, strs, func(s, from, to string) (string, error) {
		if from == "" {
			return s, nil
		}
		return strings.ReplaceAll(s, from, to), nil
	}), text, text, text)}, "replace")
	trim := func(f func(s, cutset string) string) []funcSig {
		return []funcSig{
			fn(text, strict1(strs, strs, func(s string) (string, error) { return f(s, " "), nil }), text),
			fn(text, strict2(strs, strs, strs, func(s, chars string) (string, error) { return f(s, chars), nil }), text, text),
		}
	}
	register(trim(strings.Trim), "btrim", "trim")
	register(trim(strings.TrimLeft), "ltrim")
	register(trim(strings.TrimRight), "rtrim")
	register([]funcSig{fn(text, strict3(strs, strs, ints, strs, splitPart), text, text, i4)}, "split_part")
	register([]funcSig{fn(boolean, strict2(strs, strs, bools, func(s, p string) (bool, error) { return strings.HasPrefix(s, p), nil }), text, text)}, "starts_with")
	register([]funcSig{fn(text, strict2(strs, ints, strs, repeatString), text, i4)}, "repeat")
	pad := func(left bool) []funcSig {
		return []funcSig{
			fn(text, strict2(strs, ints, strs, func(s string, k int64) (string, error) { return padString(s, k, " ", left) }), text, i4),
			fn(text, strict3(strs, ints, strs, strs, func(s string, k int64, f string) (string, error) { return padString(s, k, f, left) }), text, i4, text),
		}
	}
	register(pad(true), "lpad")
	register(pad(false), "rpad")
	register([]funcSig{variadicFn(text, concatImpl(false), anyType)}, "concat")
	register([]funcSig{variadicFn(text, concatImpl(true), text, anyType)}, "concat_ws")

	// Math.
	var abs []funcSig
	for _, t := range []types.Type{i2, i4, i8} {
		lo, hi, msg := intRange(t.Kind)
		abs = append(abs, fn(t, strict1(ints, ints, func(v int64) (int64, error) {
			if v < 0 {
				v = -v
			}
			if v < lo || v > hi {
				return 0, pgerr.New(pgerr.NumericOutOfRange, "%s", msg)
			}
			return v, nil
		}), t))
	}
	abs = append(abs,
		fn(f4, floatFn(math.Abs), f4),
		fn(f8, floatFn(math.Abs), f8),
		fn(num, decFn(decimal.Decimal.Abs), num))
	register(abs, "abs")
	register([]funcSig{
		fn(f8, floatFn(math.RoundToEven), f8),
		fn(num, strict1(decs, decs, func(d decimal.Decimal) (decimal.Decimal, error) { return numericRound(d, 0) }), num),
		fn(num, strict2(decs, ints, decs, func(d decimal.Decimal, s int64) (decimal.Decimal, error) { return numericRound(d, clampScale(s)) }), num, i4),
	}, "round")
	register([]funcSig{
		fn(f8, floatFn(math.Trunc), f8),
		fn(num, decFn(func(d decimal.Decimal) decimal.Decimal { return numericTrunc(d, 0) }), num),
		fn(num, strict2(decs, ints, decs, func(d decimal.Decimal, s int64) (decimal.Decimal, error) { return numericTrunc(d, clampScale(s)), nil }), num, i4),
	}, "trunc")
	register([]funcSig{
		fn(f8, floatFn(math.Floor), f8),
		fn(num, decFn(func(d decimal.Decimal) decimal.Decimal { return displayScale(d.Floor()) }), num),
	}, "floor")
	register([]funcSig{
		fn(f8, floatFn(math.Ceil), f8),
		fn(num, decFn(func(d decimal.Decimal) decimal.Decimal { return displayScale(d.Ceil()) }), num),
	}, "ceil", "ceiling")
	register([]funcSig{
		fn(f8, floatFn(func(f float64) float64 {
			switch {
			case f > 0:
				return 1
			case f < 0:
				return -1
			}
			return f
		}), f8),
		fn(num, decFn(func(d decimal.Decimal) decimal.Decimal { return decimal.NewFromInt(int64(d.Sign())) }), num),
	}, "sign")
	var mod []funcSig
	for _, t := range []types.Type{i2, i4, i8} {
		k, _ := intArith(plan.OpMod, t)
		mod = append(mod, fn(t, fromKernel(k), t, t))
	}
	numMod, _ := decimalArith(plan.OpMod, num, num)
	register(append(mod, fn(num, fromKernel(numMod), num, num)), "mod")
	register([]funcSig{
		fn(f8, strict2(floats, floats, floats, floatPower), f8, f8),
		fn(num, strict2(decs, decs, decs, numericPower), num, num),
	}, "power", "pow")
	register([]funcSig{
		fn(f8, strict1(floats, floats, func(f float64) (float64, error) {
			if f < 0 {
				return 0, pgerr.New(invalidArgumentForPower, "cannot take square root of a negative number")
			}
			return math.Sqrt(f), nil
		}), f8),
		fn(num, strict1(decs, decs, numericSqrt), num),
	}, "sqrt")

	// Date and time.
	register([]funcSig{nullaryFn(tstz, nowImpl(func(fc *funcCall) int64 { return fc.rt.now }))},
		"now", "current_timestamp", "transaction_timestamp", "statement_timestamp")
	register([]funcSig{nullaryFn(tstz, nowImpl(func(*funcCall) int64 { return time.Now().UnixMicro() }))}, "clock_timestamp")
	register([]funcSig{nullaryFn(date, nowImpl(func(fc *funcCall) int64 { return floorDiv(fc.rt.now, types.MicrosPerDay) }))}, "current_date")
	var trunc, part, extract []funcSig
	for _, t := range []types.Type{ts, tstz} {
		trunc = append(trunc, fn(t, strict2(strs, ints, ints, func(u string, v int64) (int64, error) { return truncateTimestamp(u, v, t) }), text, t))
		extract = append(extract, fn(num, strict2(strs, ints, decs, func(u string, v int64) (decimal.Decimal, error) { return extractTimestamp(u, v, t) }), text, t))
		part = append(part, fn(f8, strict2(strs, ints, floats, func(u string, v int64) (float64, error) {
			return asFloat(extractTimestamp(u, v, t))
		}), text, t))
	}
	register(trunc, "date_trunc")
	register(append(extract,
		fn(num, strict2(strs, ints, decs, extractDate), text, date),
		fn(num, strict2(strs, intervals, decs, extractInterval), text, interval),
		fn(num, strict2(strs, ints, decs, extractTime), text, tm)), "extract")
	register(append(part,
		fn(f8, strict2(strs, intervals, floats, func(u string, iv types.IntervalValue) (float64, error) {
			return asFloat(extractInterval(u, iv))
		}), text, interval),
		fn(f8, strict2(strs, ints, floats, func(u string, v int64) (float64, error) { return asFloat(extractTime(u, v)) }), text, tm)), "date_part")

	// Conditional functions; COALESCE has its own evaluator but resolves here.
	register([]funcSig{{params: []types.Type{commonType}, variadic: true, result: commonType, lenient: true}}, "coalesce")
	register([]funcSig{{params: []types.Type{commonType}, variadic: true, result: commonType, lenient: true, impl: extremeImpl(1)}}, "greatest")
	register([]funcSig{{params: []types.Type{commonType}, variadic: true, result: commonType, lenient: true, impl: extremeImpl(-1)}}, "least")
	register([]funcSig{{params: []types.Type{commonType, commonType}, result: commonType, lenient: true, impl: nullifImpl}}, "nullif")
}

func nullaryFn(result types.Type, impl funcImpl) funcSig { return funcSig{result: result, impl: impl} }

func floatFn(f func(float64) float64) funcImpl {
	return strict1(floats, floats, func(x float64) (float64, error) { return f(x), nil })
}

func decFn(f func(decimal.Decimal) decimal.Decimal) funcImpl {
	return strict1(decs, decs, func(d decimal.Decimal) (decimal.Decimal, error) { return f(d), nil })
}

func asFloat(d decimal.Decimal, err error) (float64, error) {
	f, _ := d.Float64()
	return f, err
}

// The bounds PostgreSQL puts on round's and trunc's scale argument: no
// further right than a numeric's largest display scale, and no further
// left than its largest weight allows, plus one digit for a carry.
const (
	minRoundScale = -131073
	maxRoundScale = numericMaxDscale
)

// clampScale keeps a rounding scale argument within those bounds; beyond
// them every result is the same.
func clampScale(s int64) int32 {
	return int32(max(min(s, maxRoundScale), minRoundScale))
}

func floatPower(x, y float64) (float64, error) {
	if x == 0 && y < 0 {
		return 0, pgerr.New(invalidArgumentForPower, "zero raised to a negative power is undefined")
	}
	if x < 0 && y != math.Trunc(y) && !math.IsInf(y, 0) {
		return 0, pgerr.New(invalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result")
	}
	r := math.Pow(x, y)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		return 0, pgerr.New(pgerr.NumericOutOfRange, "value out of range: overflow")
	}
	if r == 0 && x != 0 && !math.IsInf(y, 0) {
		return 0, pgerr.New(pgerr.NumericOutOfRange, "value out of range: underflow")
	}
	return r, nil
}

func reverseString(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

// charOffset is the byte offset of character k (0-based) of s, or len(s).
func charOffset(s string, k int64) int {
	off := 0
	for ; k > 0 && off < len(s); k-- {
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	return off
}

// substring is substr(s, start [, count]) counting characters from 1;
// positions before the first character count toward the length.
func substring(s string, start, count int64, hasCount bool) (string, error) {
	if hasCount && count < 0 {
		return "", pgerr.New(substringError, "negative substring length not allowed")
	}
	from := max(start, 1)
	if !hasCount {
		return s[charOffset(s, from-1):], nil
	}
	end := start + count // exclusive, in 1-based positions
	if end <= from {
		return "", nil
	}
	lo := charOffset(s, from-1)
	return s[lo : lo+charOffset(s[lo:], end-from)], nil
}

func leftChars(s string, k int64) string {
	if k < 0 {
		k = max(int64(utf8.RuneCountInString(s))+k, 0)
	}
	return s[:charOffset(s, k)]
}

func rightChars(s string, k int64) string {
	n := int64(utf8.RuneCountInString(s))
	if k < 0 {
		return s[charOffset(s, min(-k, n)):]
	}
	return s[charOffset(s, max(n-k, 0)):]
}

func strpos(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		return 0
	}
	return utf8.RuneCountInString(s[:i]) + 1
}

// splitPart is split_part: field k counts from 1, or from the end when
// negative.
func splitPart(s, delim string, k int64) (string, error) {
	if k == 0 {
		return "", pgerr.New(pgerr.InvalidParameterValue, "field position must not be zero")
	}
	if s == "" {
		return "", nil
	}
	parts := []string{s}
	if delim != "" {
		parts = strings.Split(s, delim)
	}
	if k < 0 {
		k += int64(len(parts)) + 1
	}
	if k < 1 || k > int64(len(parts)) {
		return "", nil
	}
	return parts[k-1], nil
}

func repeatString(s string, k int64) (string, error) {
	if k <= 0 || s == "" {
		return "", nil
	}
	if int64(len(s))*k > maxResultByteCount || k > maxResultByteCount {
		return "", pgerr.New(pgerr.ProgramLimitExceeded, "requested length too large")
	}
	return strings.Repeat(s, int(k)), nil
}

// padString is lpad/rpad: s cut or filled with fill to k characters.
func padString(s string, k int64, fill string, left bool) (string, error) {
	if k <= 0 {
		return "", nil
	}
	if k > maxResultByteCount {
		return "", pgerr.New(pgerr.ProgramLimitExceeded, "requested length too large")
	}
	n := int64(utf8.RuneCountInString(s))
	if n >= k {
		return s[:charOffset(s, k)], nil
	}
	if fill == "" {
		return s, nil
	}
	fr := []rune(fill)
	var b strings.Builder
	if !left {
		b.WriteString(s)
	}
	for i := int64(0); i < k-n; i++ {
		b.WriteRune(fr[i%int64(len(fr))])
	}
	if left {
		b.WriteString(s)
	}
	return b.String(), nil
}

// concatImpl is concat(...) and, withSeparator, concat_ws(sep, ...):
// arguments in their text form, NULLs skipped.
func concatImpl(withSeparator bool) funcImpl {
	return func(fc *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		var buf []byte
		for i := 0; i < n; i++ {
			buf = buf[:0]
			first, sep := 0, ""
			if withSeparator {
				s := args[0]
				if s.IsNull(i & rowMask(s, n)) {
					setDatum(out, i, types.NullDatum)
					continue
				}
				first, sep = 1, s.Str[i&rowMask(s, n)]
			}
			written := false
			for a := first; a < len(args); a++ {
				v := args[a]
				r := i & rowMask(v, n)
				if v.IsNull(r) {
					continue
				}
				if written {
					buf = append(buf, sep...)
				}
				buf = types.AppendText(buf, fc.argTypes[a], v.Datum(r))
				written = true
			}
			out.Str[i] = string(buf)
		}
		return nil
	}
}

// extremeImpl is GREATEST (sign 1) and LEAST (sign -1): NULLs are ignored,
// and the result is NULL only when every argument is.
func extremeImpl(sign int) funcImpl {
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		for i := 0; i < n; i++ {
			var best *vector.Vector
			bestRow := 0
			for _, v := range args {
				r := i & rowMask(v, n)
				if v.IsNull(r) {
					continue
				}
				if best == nil || compareRows(v, r, best, bestRow)*sign > 0 {
					best, bestRow = v, r
				}
			}
			if best == nil {
				setDatum(out, i, types.NullDatum)
				continue
			}
			setDatum(out, i, best.Datum(bestRow))
		}
		return nil
	}
}

// nullifImpl is NULLIF(a, b): NULL when a equals b, otherwise a.
func nullifImpl(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
	a, b := args[0], args[1]
	eq := compareVectors(cmpEq, a, b, n)
	em, am := rowMask(eq, n), rowMask(a, n)
	for i := 0; i < n; i++ {
		if !eq.IsNull(i&em) && eq.Bool[i&em] {
			setDatum(out, i, types.NullDatum)
			continue
		}
		setDatum(out, i, a.Datum(i&am))
	}
	return nil
}
