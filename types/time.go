package types

import (
	"math"
	"time"

	"github.com/junction-db/junction/pgerr"
)

// Units of the date/time representations (see the package documentation).
const (
	MicrosPerSecond = int64(1_000_000)
	MicrosPerMinute = 60 * MicrosPerSecond
	MicrosPerHour   = 60 * MicrosPerMinute
	MicrosPerDay    = 24 * MicrosPerHour
)

// PostgreSQL's date and timestamp ranges, in this package's units. Dates and
// timestamps start at 4714-11-24 BC (Julian day 0). Dates end with
// 5874897-12-31 as in PostgreSQL. Timestamps count microseconds from 1970
// rather than PostgreSQL's 2000, so int64 runs out earlier: the last
// representable timestamp is 294247-01-09 23:59:59.999999 instead of
// PostgreSQL's 294276-12-31 23:59:59.999999; later values are "out of range".
const (
	unixEpochJulianDay = 2440588
	minDateDays        = -unixEpochJulianDay
	endDateDays        = 2147483494 - unixEpochJulianDay // first day after the range
	minTimestamp       = minDateDays * MicrosPerDay
	endTimestamp       = 106751991 * MicrosPerDay // first day that overflows int64 micros
)

// PostgreSQL's infinite dates and timestamps ('-infinity', 'infinity') are
// the ends of int64 in every date and timestamp representation: they sort
// below and above every finite value, so comparison, ordering and hashing
// need no special case, and no finite value comes near them.
const (
	NegInfinity = int64(math.MinInt64)
	PosInfinity = int64(math.MaxInt64)
)

// IsFinite reports whether a date or timestamp value is finite.
func IsFinite(v int64) bool { return v != NegInfinity && v != PosInfinity }

// DateToDays converts a proleptic Gregorian civil date to days since
// 1970-01-01. Years are astronomical: year 0 is 1 BC, year -1 is 2 BC. Month
// and day must already be valid for the year.
func DateToDays(year int, month time.Month, day int) int64 {
	// Howard Hinnant's days_from_civil, exact for every int64 year range
	// that matters here.
	y := int64(year)
	m := int64(month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// DaysToDate converts days since 1970-01-01 to a proleptic Gregorian civil
// date with an astronomical year (year 0 is 1 BC).
func DaysToDate(days int64) (year int, month time.Month, day int) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(d)
}

// MicrosToTime converts a timestamp (microseconds since 1970-01-01 00:00:00
// UTC) to a time.Time in UTC.
func MicrosToTime(us int64) time.Time { return time.UnixMicro(us).UTC() }

// TimeToMicros converts a time.Time to microseconds since 1970-01-01
// 00:00:00 UTC, truncating nanoseconds.
func TimeToMicros(t time.Time) int64 { return t.UnixMicro() }

// ValidDate reports whether days (since 1970-01-01) is within PostgreSQL's
// date range.
func ValidDate(days int64) bool { return days >= minDateDays && days < endDateDays }

// ValidTimestamp reports whether us (microseconds since 1970) is within the
// timestamp range.
func ValidTimestamp(us int64) bool { return us >= minTimestamp && us < endTimestamp }

// DaysInMonth is the length of a month of an astronomical year.
func DaysInMonth(year int, month time.Month) int {
	switch month {
	case time.February:
		if isLeap(year) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// pgEndTimestampDays is the first day after PostgreSQL's timestamp range,
// 294277-01-01.
var pgEndTimestampDays = DateToDays(294277, time.January, 1)

// TimestampBeyondRange reports whether a timestamp on the given day (days
// since 1970) is one Junction cannot represent but PostgreSQL can: from
// 294247-01-10 to 294276-12-31.
func TimestampBeyondRange(days int64) bool {
	return days >= endTimestamp/MicrosPerDay && days < pgEndTimestampDays
}

// TimestampRangeNotSupported is the error for a timestamp
// TimestampBeyondRange reports: PostgreSQL accepts it, Junction refuses it
// as not supported rather than as out of range.
func TimestampRangeNotSupported() error {
	return pgerr.NotSupported("a timestamp after 294247-01-09 23:59:59.999999")
}
