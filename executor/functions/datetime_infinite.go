package functions

import (
	"errors"
	"math"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// Infinite dates and timestamps (types.NegInfinity, types.PosInfinity)
// behave as in PostgreSQL 15: adding to them or truncating them leaves
// them as they are, subtracting them is an error, their time of day is
// NULL, and of their fields only those that grow with time (year, epoch,
// julian, ...) are infinite while the others are NULL.

// errNullResult is returned by a row function whose result is NULL for
// these arguments; the nullable kernels turn it into a NULL.
var errNullResult = errors.New("null result")

// infiniteField is the value of a field of an infinite date or timestamp
// that grows with time: the field is infinite in the same direction.
type infiniteField struct{ negative bool }

func (f infiniteField) Error() string { return "infinite field" }

// nullableMapKernel is mapKernel for a function that may yield NULL.
func nullableMapKernel[A, R any](arg func(*vector.Vector) []A, result func(*vector.Vector) []R, f func(A) (R, error)) kernel1 {
	return func(a *vector.Vector, n int, out *vector.Vector) error {
		x, res := arg(a), result(out)
		m := rowMask(a, n)
		for i := range res {
			if out.Nulls.Get(i) {
				continue
			}
			r, err := f(x[i&m])
			if err == errNullResult {
				out.SetNull(i)
				continue
			}
			if err != nil {
				return err
			}
			res[i] = r
		}
		return nil
	}
}

// nullableStrict2 is strict2 for a function that may yield NULL.
func nullableStrict2[A, B, R any](a func(*vector.Vector) []A, b func(*vector.Vector) []B, r func(*vector.Vector) []R, f func(A, B) (R, error)) funcImpl {
	return func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		x, y, res := a(args[0]), b(args[1]), r(out)
		xm, ym := rowMask(args[0], n), rowMask(args[1], n)
		for i := range res {
			if out.Nulls.Get(i) {
				continue
			}
			v, err := f(x[i&xm], y[i&ym])
			if err == errNullResult {
				out.SetNull(i)
				continue
			}
			if err != nil {
				return err
			}
			res[i] = v
		}
		return nil
	}
}

// timestampToDate is the date of a timestamp; infinity stays infinity.
func timestampToDate(ts int64) (int64, error) {
	if !types.IsFinite(ts) {
		return ts, nil
	}
	return floorDiv(ts, types.MicrosPerDay), nil
}

// timestampToTime is the time of day of a timestamp, NULL for infinity.
func timestampToTime(ts int64) (int64, error) {
	if !types.IsFinite(ts) {
		return 0, errNullResult
	}
	return floorMod(ts, types.MicrosPerDay), nil
}

// DateForTimestampComparison converts dates to timestamps for comparing
// them with timestamps, as PostgreSQL's date_cmp_timestamp does: a date
// past the timestamp range is not an error but later than every finite
// timestamp and earlier than infinity. The values it makes serve only
// that comparison.
func DateForTimestampComparison() Kernel1 {
	return mapKernel(ints, ints, func(d int64) (int64, error) {
		if ts, err := dateToTimestamp(d); err == nil {
			return ts, nil
		}
		return types.PosInfinity - 1, nil
	})
}

// extractInfinite is a field of an infinite date or timestamp of type t,
// as PostgreSQL's NonFiniteTimestampTzPart gives it.
func extractInfinite(u dateUnit, name string, v int64, t types.Type) error {
	switch u {
	case unitYear, unitDecade, unitCentury, unitMillennium, unitJulian, unitIsoyear, unitEpoch:
		return infiniteField{negative: v == types.NegInfinity}
	case unitDay, unitMonth, unitQuarter, unitWeek, unitDow, unitIsodow, unitDoy:
		return errNullResult
	case unitMicroseconds, unitMilliseconds, unitSecond, unitMinute, unitHour,
		unitTimezone, unitTimezoneHour, unitTimezoneMinute:
		if t.Kind != types.Date {
			return errNullResult
		}
	}
	return unitNotSupported(name, t)
}

// numericField is a field as EXTRACT returns it: numeric, infinite for
// the fields that grow with an infinite date or timestamp.
func numericField(d decimal.Decimal, err error) (decimal.Decimal, error) {
	var inf infiniteField
	if errors.As(err, &inf) {
		if inf.negative {
			return types.NumericInf(-1), nil
		}
		return types.NumericInf(1), nil
	}
	return d, err
}

// floatField is a field as date_part returns it: double precision.
func floatField(d decimal.Decimal, err error) (float64, error) {
	var inf infiniteField
	if errors.As(err, &inf) {
		if inf.negative {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	}
	return asFloat(d, err)
}

func init() {
	isFinite := fn(types.TBool, strict1(ints, bools, func(v int64) (bool, error) { return types.IsFinite(v), nil }))
	var sigs []funcSig
	for _, t := range []types.Type{types.TDate, types.TTimestamp, types.TTimestampTZ} {
		sig := isFinite
		sig.params = []types.Type{t}
		sigs = append(sigs, sig)
	}
	sigs = append(sigs, fn(types.TBool, strict1(intervals, bools, func(types.IntervalValue) (bool, error) { return true, nil }), types.TInterval))
	register(sigs, "isfinite")
}
