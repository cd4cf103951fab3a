package functions

import (
	"math"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Date/time arithmetic follows PostgreSQL's timestamp.c and date.c. Time
// zone dependent values are computed in UTC, the session time zone, so
// timestamptz arithmetic is timestamp arithmetic.

func dateOutOfRange() error { return pgerr.New(pgerr.DatetimeFieldOverflow, "date out of range") }
func timestampOutOfRange() error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp out of range")
}
func intervalOutOfRange() error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
}

func isTimestamp(k types.Kind) bool { return k == types.Timestamp || k == types.TimestampTZ }

// datetimeKernel picks the kernel of an arithmetic operator that involves
// dates, times, timestamps or intervals with another type.
func datetimeKernel(op string, l, r, t types.Type) (kernel2, bool) {
	lk, rk := l.Kind, r.Kind
	switch op {
	case plan.OpAdd:
		switch {
		case lk == types.Date && r.IsInteger():
			return pairKernel(ints, ints, ints, addDays), true
		case l.IsInteger() && rk == types.Date:
			return swapped(pairKernel(ints, ints, ints, addDays)), true
		case lk == types.Date && rk == types.Interval:
			return pairKernel(ints, intervals, ints, dateAddInterval), true
		case lk == types.Interval && rk == types.Date:
			return swapped(pairKernel(ints, intervals, ints, dateAddInterval)), true
		case isTimestamp(lk) && rk == types.Interval:
			return pairKernel(ints, intervals, ints, timestampAddInterval), true
		case lk == types.Interval && isTimestamp(rk):
			return swapped(pairKernel(ints, intervals, ints, timestampAddInterval)), true
		case lk == types.Date && rk == types.Time:
			return pairKernel(ints, ints, ints, dateAddTime), true
		case lk == types.Time && rk == types.Date:
			return swapped(pairKernel(ints, ints, ints, dateAddTime)), true
		case lk == types.Time && rk == types.Interval:
			return pairKernel(ints, intervals, ints, timeAddInterval), true
		case lk == types.Interval && rk == types.Time:
			return swapped(pairKernel(ints, intervals, ints, timeAddInterval)), true
		case lk == types.TimeTZ && rk == types.Interval:
			return pairKernel(ints, intervals, ints, timeTZAddInterval), true
		case lk == types.Date && rk == types.TimeTZ:
			return pairKernel(ints, ints, ints, dateAddTimeTZ), true
		}
	case plan.OpSub:
		switch {
		case lk == types.Date && r.IsInteger():
			return pairKernel(ints, ints, ints, func(d, n int64) (int64, error) { return addDays(d, -n) }), true
		case lk == types.Date && rk == types.Date:
			return pairKernel(ints, ints, ints, func(a, b int64) (int64, error) {
				if !types.IsFinite(a) || !types.IsFinite(b) {
					return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "cannot subtract infinite dates")
				}
				return a - b, nil
			}), true
		case lk == types.Date && rk == types.Interval:
			return pairKernel(ints, intervals, ints, func(d int64, iv types.IntervalValue) (int64, error) {
				neg, ok := negateInterval(iv)
				if !ok {
					return 0, intervalOutOfRange()
				}
				return dateAddInterval(d, neg)
			}), true
		case isTimestamp(lk) && rk == types.Interval:
			return pairKernel(ints, intervals, ints, func(ts int64, iv types.IntervalValue) (int64, error) {
				neg, ok := negateInterval(iv)
				if !ok {
					return 0, intervalOutOfRange()
				}
				return timestampAddInterval(ts, neg)
			}), true
		case isTimestamp(lk) && isTimestamp(rk):
			return pairKernel(ints, ints, intervals, timestampDiff), true
		case lk == types.Time && rk == types.Interval:
			return pairKernel(ints, intervals, ints, func(tm int64, iv types.IntervalValue) (int64, error) {
				return timeAddInterval(tm, types.IntervalValue{Micros: -iv.Micros})
			}), true
		case lk == types.Date && rk == types.Time:
			return pairKernel(ints, ints, ints, func(d, tm int64) (int64, error) { return dateAddTime(d, -tm) }), true
		case lk == types.TimeTZ && rk == types.Interval:
			return pairKernel(ints, intervals, ints, func(v int64, iv types.IntervalValue) (int64, error) {
				return timeTZAddInterval(v, types.IntervalValue{Micros: -iv.Micros})
			}), true
		case lk == types.Time && rk == types.Time:
			return pairKernel(ints, ints, intervals, func(a, b int64) (types.IntervalValue, error) {
				return types.IntervalValue{Micros: a - b}, nil
			}), true
		}
	case plan.OpMul:
		switch {
		case lk == types.Interval && r.Kind == types.Float8:
			return pairKernel(intervals, floats, intervals, multiplyInterval), true
		case l.Kind == types.Float8 && rk == types.Interval:
			return swapped(pairKernel(intervals, floats, intervals, multiplyInterval)), true
		}
	case plan.OpDiv:
		if lk == types.Interval && r.Kind == types.Float8 {
			return pairKernel(intervals, floats, intervals, divideInterval), true
		}
	}
	return nil, false
}

func addDays(d, n int64) (int64, error) {
	if !types.IsFinite(d) {
		return d, nil
	}
	r := d + n
	if !types.ValidDate(r) {
		return 0, dateOutOfRange()
	}
	return r, nil
}

func dateToTimestamp(d int64) (int64, error) {
	if !types.IsFinite(d) {
		return d, nil
	}
	ts := d * types.MicrosPerDay
	if !types.ValidTimestamp(ts) || ts/types.MicrosPerDay != d {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "date out of range for timestamp")
	}
	return ts, nil
}

func dateAddInterval(d int64, iv types.IntervalValue) (int64, error) {
	ts, err := dateToTimestamp(d)
	if err != nil {
		return 0, err
	}
	return timestampAddInterval(ts, iv)
}

func dateAddTime(d, tm int64) (int64, error) {
	ts, err := dateToTimestamp(d)
	if err != nil || !types.IsFinite(ts) {
		return ts, err
	}
	ts += tm
	if !types.ValidTimestamp(ts) {
		return 0, timestampOutOfRange()
	}
	return ts, nil
}

// timestampAddInterval is timestamp_pl_interval: months move the calendar
// month (clamping the day to the month's length), then days move the
// calendar day, then the time part is added.
func timestampAddInterval(ts int64, iv types.IntervalValue) (int64, error) {
	if !types.IsFinite(ts) {
		return ts, nil
	}
	if iv.Months != 0 || iv.Days != 0 {
		days, tod := floorDiv(ts, types.MicrosPerDay), floorMod(ts, types.MicrosPerDay)
		if iv.Months != 0 {
			y, m, d := types.DaysToDate(days)
			months := int64(y)*12 + int64(m) - 1 + int64(iv.Months)
			y, m = int(floorDiv(months, 12)), time.Month(floorMod(months, 12)+1)
			d = min(d, types.DaysInMonth(y, m))
			days = types.DateToDays(y, m, d)
		}
		days += int64(iv.Days)
		start := days * types.MicrosPerDay
		if start/types.MicrosPerDay != days || !types.ValidTimestamp(start) {
			if types.TimestampBeyondRange(days) {
				return 0, types.TimestampRangeNotSupported()
			}
			return 0, timestampOutOfRange()
		}
		ts = start + tod
	}
	r := ts + iv.Micros
	if (iv.Micros > 0) != (r > ts) && iv.Micros != 0 || !types.ValidTimestamp(r) {
		if types.TimestampBeyondRange(floorDiv(ts, types.MicrosPerDay) + floorDiv(iv.Micros, types.MicrosPerDay)) {
			return 0, types.TimestampRangeNotSupported()
		}
		return 0, timestampOutOfRange()
	}
	return r, nil
}

// timestampDiff is timestamp - timestamp: the difference in days and time
// (justify_hours), never in months.
func timestampDiff(a, b int64) (types.IntervalValue, error) {
	if !types.IsFinite(a) || !types.IsFinite(b) {
		return types.IntervalValue{}, pgerr.New(pgerr.DatetimeFieldOverflow, "cannot subtract infinite timestamps")
	}
	diff := a - b
	if (b < 0) != (diff > a) && b != 0 {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	days := diff / types.MicrosPerDay
	if days > math.MaxInt32 || days < math.MinInt32 {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	return types.IntervalValue{Days: int32(days), Micros: diff - days*types.MicrosPerDay}, nil
}

// timeAddInterval adds the time part of an interval to a time of day,
// wrapping around midnight.
func timeAddInterval(tm int64, iv types.IntervalValue) (int64, error) {
	return floorMod(tm+iv.Micros%types.MicrosPerDay, types.MicrosPerDay), nil
}

func negateInterval(iv types.IntervalValue) (types.IntervalValue, bool) {
	if iv.Months == math.MinInt32 || iv.Days == math.MinInt32 || iv.Micros == math.MinInt64 {
		return types.IntervalValue{}, false
	}
	return types.IntervalValue{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}, true
}

// addIntervals adds intervals field by field.
func addIntervals(a, b types.IntervalValue) (types.IntervalValue, error) {
	months := int64(a.Months) + int64(b.Months)
	days := int64(a.Days) + int64(b.Days)
	micros := a.Micros + b.Micros
	if months != int64(int32(months)) || days != int64(int32(days)) || (a.Micros^micros)&(b.Micros^micros) < 0 {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	return types.IntervalValue{Months: int32(months), Days: int32(days), Micros: micros}, nil
}

// intervalAddSub is interval + interval or, with sub, interval - interval.
func intervalAddSub(sub bool) kernel2 {
	return pairKernel(intervals, intervals, intervals, func(a, b types.IntervalValue) (types.IntervalValue, error) {
		if sub {
			var ok bool
			if b, ok = negateInterval(b); !ok {
				return types.IntervalValue{}, intervalOutOfRange()
			}
		}
		return addIntervals(a, b)
	})
}

func multiplyInterval(iv types.IntervalValue, f float64) (types.IntervalValue, error) {
	return scaleInterval(iv, func(x float64) float64 { return x * f })
}

func divideInterval(iv types.IntervalValue, f float64) (types.IntervalValue, error) {
	if f == 0 {
		return types.IntervalValue{}, divisionByZero()
	}
	return scaleInterval(iv, func(x float64) float64 { return x / f })
}

// tsRound is TSROUND: rounding to microsecond precision, which keeps
// whole numbers whole despite float error.
func tsRound(x float64) float64 { return math.RoundToEven(x*1e6) / 1e6 }

// scaleInterval is interval_mul/interval_div: whole months and days are
// scaled in place and their fractions cascade down to days and time.
func scaleInterval(iv types.IntervalValue, scale func(float64) float64) (types.IntervalValue, error) {
	months, days := scale(float64(iv.Months)), scale(float64(iv.Days))
	if math.IsNaN(months) || months > math.MaxInt32 || months < math.MinInt32 ||
		math.IsNaN(days) || days > math.MaxInt32 || days < math.MinInt32 {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	out := types.IntervalValue{Months: int32(months), Days: int32(days)}
	monthRemainderDays := tsRound((months - float64(out.Months)) * 30)
	secRemainder := tsRound((days - float64(out.Days) + monthRemainderDays - math.Trunc(monthRemainderDays)) * 86400)
	if math.Abs(secRemainder) >= 86400 {
		out.Days += int32(secRemainder / 86400)
		secRemainder -= math.Trunc(secRemainder/86400) * 86400
	}
	out.Days += int32(monthRemainderDays)
	micros := math.RoundToEven(scale(float64(iv.Micros)) + secRemainder*1e6)
	if math.IsNaN(micros) || micros >= 9.223372036854775807e18 || micros < -9.223372036854775808e18 {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	out.Micros = int64(micros)
	return out, nil
}
