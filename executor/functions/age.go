package functions

import (
	"math"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// age(a, b) is the difference of two timestamps in years, months, days and
// time, field by field as PostgreSQL's timestamp_age computes it ("symbolic"
// rather than exact: a negative day count borrows the length of a month of
// the later value). age(a) is age(current_date, a).

// age is timestamp_age; timestamps with time zone are taken in the
// session time zone, UTC, so both types share it.
func age(t1, t2 int64) (types.IntervalValue, error) {
	if !types.IsFinite(t1) || !types.IsFinite(t2) {
		return types.IntervalValue{}, timestampOutOfRange()
	}
	c1, c2 := civilOf(t1), civilOf(t2)
	usec := c1.timeOfDay%types.MicrosPerSecond - c2.timeOfDay%types.MicrosPerSecond
	sec := c1.timeOfDay/types.MicrosPerSecond%60 - c2.timeOfDay/types.MicrosPerSecond%60
	minute := c1.timeOfDay/types.MicrosPerMinute%60 - c2.timeOfDay/types.MicrosPerMinute%60
	hour := c1.timeOfDay/types.MicrosPerHour - c2.timeOfDay/types.MicrosPerHour
	day := int64(c1.day - c2.day)
	month := int64(c1.month - c2.month)
	year := int64(c1.year - c2.year)
	negative := t1 < t2
	if negative {
		usec, sec, minute, hour, day, month, year = -usec, -sec, -minute, -hour, -day, -month, -year
	}
	for usec < 0 {
		usec += types.MicrosPerSecond
		sec--
	}
	for sec < 0 {
		sec += 60
		minute--
	}
	for minute < 0 {
		minute += 60
		hour--
	}
	for hour < 0 {
		hour += 24
		day--
	}
	// PostgreSQL borrows the length of the earlier value's month (the
	// first argument's when it is the earlier).
	borrow := c2
	if negative {
		borrow = c1
	}
	for day < 0 {
		day += int64(types.DaysInMonth(borrow.year, borrow.month))
		month--
	}
	for month < 0 {
		month += 12
		year--
	}
	if negative {
		usec, sec, minute, hour, day, month, year = -usec, -sec, -minute, -hour, -day, -month, -year
	}
	months := year*12 + month
	if months > math.MaxInt32 || months < math.MinInt32 {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	micros := ((hour*60+minute)*60+sec)*types.MicrosPerSecond + usec
	return types.IntervalValue{Months: int32(months), Days: int32(day), Micros: micros}, nil
}

// ageFromToday is age(value): the age at midnight of the statement's date.
func ageFromToday(fc *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
	today := floorDiv(fc.rt.now, types.MicrosPerDay) * types.MicrosPerDay
	x, res := args[0].Int, out.Iv
	m := rowMask(args[0], n)
	for i := range res {
		if out.Nulls.Get(i) {
			continue
		}
		iv, err := age(today, x[i&m])
		if err != nil {
			return err
		}
		res[i] = iv
	}
	return nil
}

func init() {
	var sigs []funcSig
	for _, t := range []types.Type{types.TTimestamp, types.TTimestampTZ} {
		sigs = append(sigs,
			fn(types.TInterval, strict2(ints, ints, intervals, age), t, t),
			fn(types.TInterval, ageFromToday, t))
	}
	register(sigs, "age")
}
