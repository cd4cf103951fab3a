package functions

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// make_date, make_time, make_timestamp, make_timestamptz, make_interval,
// date_bin and to_timestamp(double precision), after PostgreSQL's date.c
// and timestamp.c. Values without a zone of their own are read in the
// session time zone, UTC.

// cG is PostgreSQL's printf %g: six significant digits, trailing zeros
// dropped, NaN and the infinities spelled as float output does.
func cG(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

// zeroPad2 is the %02 flag of a printf conversion.
func zeroPad2(s string) string {
	if len(s) >= 2 {
		return s
	}
	return "0" + s
}

// makeDateDays is make_date: negative years are BC, and there is no year
// zero.
func makeDateDays(year, month, day int64) (int64, error) {
	days, err := civilDate(year, month, day, false)
	if err != nil {
		return 0, err
	}
	if !types.ValidDate(days) {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "date out of range: %d-%02d-%02d", astronomicalYear(year), month, day)
	}
	return days, nil
}

func astronomicalYear(year int64) int64 {
	if year < 0 {
		return year + 1 // BC year n is astronomical year 1-n
	}
	return year
}

// civilDate checks and converts the date fields of make_date and
// make_timestamp; errors name the year as given (make_timestamp) or
// astronomical (make_date), as PostgreSQL's messages do.
func civilDate(year, month, day int64, givenYear bool) (int64, error) {
	y := astronomicalYear(year)
	shown := y
	if givenYear || year == 0 {
		shown = year
	}
	if year == 0 || month < 1 || month > 12 || day < 1 || day > 31 || day > int64(types.DaysInMonth(int(y), time.Month(month))) {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", shown, month, day)
	}
	if !validJulian(int(y), int(month)) {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "date out of range: %d-%02d-%02d", shown, month, day)
	}
	return types.DateToDays(int(y), time.Month(month), int(day)), nil
}

// timeOfDay is float_time_overflows and tm2time: hours, minutes and
// seconds as microseconds, up to 24:00:00.
func timeOfDay(hour, min int64, sec float64) (int64, bool) {
	if hour < 0 || hour > 24 || min < 0 || min >= 60 || math.IsNaN(sec) {
		return 0, false
	}
	us := math.RoundToEven(sec * 1e6)
	if us < 0 || us > 60e6 {
		return 0, false
	}
	t := (hour*60+min)*60*types.MicrosPerSecond + int64(us)
	return t, t <= types.MicrosPerDay
}

func timeFieldError(hour, min int64, sec float64) error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "time field value out of range: %d:%02d:%s", hour, min, zeroPad2(cG(sec)))
}

func makeTime(hour, min int64, sec float64) (int64, error) {
	t, ok := timeOfDay(hour, min, sec)
	if !ok {
		return 0, timeFieldError(hour, min, sec)
	}
	return t, nil
}

// makeTimestamp is make_timestamp_internal: a timestamp from its fields.
func makeTimestamp(row []types.Datum) (int64, error) {
	year, month, day, hour, min, sec := row[0].Int, row[1].Int, row[2].Int, row[3].Int, row[4].Int, row[5].Float
	days, err := civilDate(year, month, day, true)
	if err != nil {
		return 0, err
	}
	tod, ok := timeOfDay(hour, min, sec)
	if !ok {
		return 0, timeFieldError(hour, min, sec)
	}
	if days > math.MaxInt64/types.MicrosPerDay-1 || !types.ValidTimestamp(days*types.MicrosPerDay+tod) {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp out of range: %d-%02d-%02d %d:%02d:%s", year, month, day, hour, min, zeroPad2(cG(sec)))
	}
	return days*types.MicrosPerDay + tod, nil
}

// zoneDisplacement is parse_sane_timezone's DecodeTimezone: +h, +hh,
// +hhmm, +h:m or +h:m:s, as seconds east of UTC; ok is false for text of
// another form, which names a zone.
func zoneDisplacement(s string) (secs int64, ok bool, err error) {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		return 0, false, pgerr.New(pgerr.InvalidParameterValue, "invalid input syntax for type numeric time zone: \"%s\"", s).
			WithHint("Numeric time zones must have \"-\" or \"+\" as first character.")
	}
	if s == "" || s[0] != '+' && s[0] != '-' {
		return 0, false, nil
	}
	overflow := pgerr.New(pgerr.InvalidParameterValue, "numeric time zone \"%s\" out of range", s)
	readInt := func(t string) (int64, string, bool) {
		i := 0
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, t, true
		}
		v, err := strconv.ParseInt(t[:i], 10, 32)
		return v, t[i:], err == nil
	}
	hr, rest, fits := readInt(s[1:])
	if !fits {
		return 0, false, overflow
	}
	var min, sec int64
	switch {
	case strings.HasPrefix(rest, ":"):
		if min, rest, fits = readInt(rest[1:]); !fits {
			return 0, false, overflow
		}
		if strings.HasPrefix(rest, ":") {
			if sec, rest, fits = readInt(rest[1:]); !fits {
				return 0, false, overflow
			}
		}
	case rest == "" && len(s) > 3:
		hr, min = hr/100, hr%100
	}
	if hr > 15 || min >= 60 || sec >= 60 {
		return 0, false, overflow
	}
	if rest != "" {
		return 0, false, nil
	}
	secs = (hr*60+min)*60 + sec
	if s[0] == '-' {
		secs = -secs
	}
	return secs, true, nil
}

// localInZone reads a wall-clock time in the named zone (or numeric
// displacement) as an instant.
func localInZone(local int64, zone string) (int64, error) {
	secs, ok, err := zoneDisplacement(zone)
	if err != nil {
		return 0, err
	}
	if ok {
		return local - secs*types.MicrosPerSecond, nil
	}
	z, err := types.LookupZone(zone)
	if err != nil {
		return 0, err
	}
	return z.ToUTC(local), nil
}

// makeInterval is make_interval. As in PostgreSQL 15, only infinite and
// NaN seconds are refused: the fields wrap around on overflow (in 32 bits
// for months and days, 64 for the time, and seconds beyond the 64-bit
// range become its minimum, as C's conversion gives on amd64).
func makeInterval(row []types.Datum) (types.IntervalValue, error) {
	get := func(k int) int64 {
		if k < len(row) {
			return row[k].Int
		}
		return 0
	}
	secs := 0.0
	if len(row) > 6 {
		secs = row[6].Float
	}
	if math.IsInf(secs, 0) || math.IsNaN(secs) {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	us := math.RoundToEven(secs * 1e6)
	wholeUs := int64(math.MinInt64)
	if us < 9.223372036854775807e18 && us >= -9.223372036854775808e18 {
		wholeUs = int64(us)
	}
	return types.IntervalValue{
		Months: int32(get(0))*12 + int32(get(1)),
		Days:   int32(get(2))*7 + int32(get(3)),
		Micros: get(4)*types.MicrosPerHour + get(5)*types.MicrosPerMinute + wholeUs,
	}, nil
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	return s, (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0)
}

// dateBin is timestamp_bin and timestamptz_bin: the start of the stride
// that holds ts, counting strides from origin.
func dateBin(stride types.IntervalValue, ts, origin int64) (int64, error) {
	if !types.IsFinite(ts) {
		return ts, nil
	}
	if !types.IsFinite(origin) {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "origin out of range")
	}
	if stride.Months != 0 {
		return 0, pgerr.New(pgerr.FeatureNotSupported, "timestamps cannot be binned into intervals containing months or years")
	}
	strideUs, o1 := addInt64(int64(stride.Days)*types.MicrosPerDay, stride.Micros)
	if o1 {
		return 0, intervalOutOfRange()
	}
	if strideUs <= 0 {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "stride must be greater than zero")
	}
	diff := ts - origin
	if (origin < 0) != (diff > ts) && origin != 0 {
		return 0, intervalOutOfRange()
	}
	modulo := diff % strideUs
	result := origin + diff - modulo
	// Round toward minus infinity, not zero.
	if modulo < 0 {
		result -= strideUs
		if !types.ValidTimestamp(result) {
			return 0, timestampOutOfRange()
		}
	}
	return result, nil
}

// unixSeconds is to_timestamp(double precision).
func unixSeconds(s float64) (int64, error) {
	if math.IsNaN(s) {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp cannot be NaN")
	}
	if math.IsInf(s, 0) {
		if s < 0 {
			return types.NegInfinity, nil
		}
		return types.PosInfinity, nil
	}
	outOfRange := pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp out of range: \"%s\"", cG(s))
	const postgresEpochSeconds = 946684800
	// PostgreSQL rounds the microseconds since 2000.
	since2000 := math.RoundToEven((s - postgresEpochSeconds) * 1e6)
	if since2000 >= 9e18 || since2000 < -9e18 {
		return 0, outOfRange
	}
	us := int64(since2000) + postgresEpochSeconds*types.MicrosPerSecond
	if !types.ValidTimestamp(us) {
		return 0, outOfRange
	}
	return us, nil
}

func init() {
	i4, f8, text := types.TInt4, types.TFloat8, types.TText
	ts, tstz, iv := types.TTimestamp, types.TTimestampTZ, types.TInterval
	register([]funcSig{fn(types.TDate, strict3(ints, ints, ints, ints, makeDateDays), i4, i4, i4)}, "make_date")
	register([]funcSig{fn(types.TTime, strict3(ints, ints, floats, ints, makeTime), i4, i4, f8)}, "make_time")
	timestamp := func(f func(row []types.Datum) (int64, error)) funcImpl {
		return perRow(func(_ *funcCall, row []types.Datum) (types.Datum, error) {
			us, err := f(row)
			return types.IntDatum(us), err
		})
	}
	register([]funcSig{fn(ts, timestamp(makeTimestamp), i4, i4, i4, i4, i4, f8)}, "make_timestamp")
	register([]funcSig{
		fn(tstz, timestamp(makeTimestamp), i4, i4, i4, i4, i4, f8),
		fn(tstz, timestamp(func(row []types.Datum) (int64, error) {
			local, err := makeTimestamp(row)
			if err != nil {
				return 0, err
			}
			us, err := localInZone(local, row[6].Str)
			if err == nil && !types.ValidTimestamp(us) {
				err = timestampOutOfRange()
			}
			return us, err
		}), i4, i4, i4, i4, i4, f8, text),
	}, "make_timestamptz")
	// make_interval's parameters all default to zero.
	var makeIntervals []funcSig
	params := []types.Type{i4, i4, i4, i4, i4, i4, f8}
	for k := 0; k <= len(params); k++ {
		makeIntervals = append(makeIntervals, fn(iv, perRow(func(_ *funcCall, row []types.Datum) (types.Datum, error) {
			v, err := makeInterval(row)
			return types.Datum{Iv: v}, err
		}), params[:k]...))
	}
	register(makeIntervals, "make_interval")
	register([]funcSig{
		fn(ts, strict3(intervals, ints, ints, ints, dateBin), iv, ts, ts),
		fn(tstz, strict3(intervals, ints, ints, ints, dateBin), iv, tstz, tstz),
	}, "date_bin")
	register([]funcSig{fn(tstz, strict1(floats, ints, unixSeconds), f8)}, "to_timestamp")
}
