package types

import (
	"math"
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
)

// Interval input is PostgreSQL 15's DecodeInterval (postgres-style
// "1 year 2 mons -3 days 04:05:06", "@ 1 day ago", SQL "1-2" year-month)
// with DecodeISO8601Interval ("P1Y2M3DT4H5M6S", "P0001-02-03T04:05:06") as
// the fallback, including PostgreSQL's rules for fractional units (1.5
// months is 1 month 15 days) and for which units may appear together.

// intervalUnit is a unit word of interval input.
type intervalUnit uint8

const (
	unitNone intervalUnit = iota // no unit seen yet: a bare number is seconds
	unitAgo                      // right after "ago": a bare number is an error
	unitMicrosecond
	unitMillisecond
	unitSecond
	unitMinute
	unitHour
	unitDay
	unitWeek
	unitMonth
	unitYear
	unitDecade
	unitCentury
	unitMillennium
)

// PostgreSQL matches unit words on their first ten characters, so
// "microseconds" is found as "microsecon".
const unitTokenLen = 10

var intervalUnits = map[string]intervalUnit{
	"us": unitMicrosecond, "usec": unitMicrosecond, "usecs": unitMicrosecond,
	"usecond": unitMicrosecond, "useconds": unitMicrosecond, "microsecon": unitMicrosecond,
	"ms": unitMillisecond, "msec": unitMillisecond, "msecs": unitMillisecond,
	"msecond": unitMillisecond, "mseconds": unitMillisecond, "millisecon": unitMillisecond,
	"s": unitSecond, "sec": unitSecond, "secs": unitSecond, "second": unitSecond, "seconds": unitSecond,
	"m": unitMinute, "min": unitMinute, "mins": unitMinute, "minute": unitMinute, "minutes": unitMinute,
	"h": unitHour, "hr": unitHour, "hrs": unitHour, "hour": unitHour, "hours": unitHour,
	"d": unitDay, "day": unitDay, "days": unitDay,
	"w": unitWeek, "week": unitWeek, "weeks": unitWeek,
	"mon": unitMonth, "mons": unitMonth, "month": unitMonth, "months": unitMonth,
	"y": unitYear, "yr": unitYear, "yrs": unitYear, "year": unitYear, "years": unitYear,
	"dec": unitDecade, "decs": unitDecade, "decade": unitDecade, "decades": unitDecade,
	"c": unitCentury, "cent": unitCentury, "century": unitCentury, "centuries": unitCentury,
	"mil": unitMillennium, "mils": unitMillennium, "millennium": unitMillennium, "millennia": unitMillennium,
}

// Field masks: a unit may appear once; a clock (hh:mm:ss) covers hours,
// minutes and seconds; fractional seconds also cover milli- and
// microseconds.
const (
	allSecondsMask = 1<<unitSecond | 1<<unitMillisecond | 1<<unitMicrosecond
	clockMask      = 1<<unitHour | 1<<unitMinute | allSecondsMask
)

// intervalParts accumulates input before it is folded into an interval.
type intervalParts struct {
	micros int64
	days   int32
	months int32
	years  int32
}

// parseInterval reads interval input for type t, whose fields decide
// what a bare number counts (interval '2' hour) and whether mm:ss
// (interval '2:03' minute to second) stands for minutes and seconds; the
// value is then restricted to t's fields and precision.
func parseInterval(s string, t Type) (IntervalValue, error) {
	p, code := decodeInterval(s, t.IntervalFields())
	if code == dtBadFormat {
		p, code = decodeISO8601Interval(s)
	}
	if code != dtOK {
		return IntervalValue{}, dateTimeError(code, TInterval, s)
	}
	months := int64(p.years)*12 + int64(p.months)
	if months > math.MaxInt32 || months < math.MinInt32 {
		return IntervalValue{}, pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
	}
	return AdjustInterval(t, IntervalValue{Months: int32(months), Days: p.days, Micros: p.micros}), nil
}

// rightmostUnit is the unit a number without one counts in, as an
// interval type's fields say.
func rightmostUnit(fields int32) intervalUnit {
	switch fields {
	case IntervalYear:
		return unitYear
	case IntervalMonth, IntervalYear | IntervalMonth:
		return unitMonth
	case IntervalDay:
		return unitDay
	case IntervalHour, IntervalDay | IntervalHour:
		return unitHour
	case IntervalMinute, IntervalHour | IntervalMinute, IntervalDay | IntervalHour | IntervalMinute:
		return unitMinute
	}
	return unitNone
}

func decodeInterval(s string, rng int32) (intervalParts, dtErr) {
	var p intervalParts
	fields, ok := splitDateTime(s)
	if !ok {
		return p, dtBadFormat
	}
	fmask := 0
	unit := rightmostUnit(rng)
	minutesSeconds := rng == IntervalMinute|IntervalSecond
	ago := false
	// Read right to left so that a unit word is known before its number.
	for i := len(fields) - 1; i >= 0; i-- {
		f := fields[i]
		tmask := 0
		switch f.typ {
		case fieldTime:
			us, code := clockMicros(f.text, minutesSeconds)
			if code != dtOK {
				return p, code
			}
			p.micros = us
			tmask, unit = clockMask, unitDay
		case fieldString, fieldSpecial:
			w := f.text
			if len(w) > unitTokenLen {
				w = w[:unitTokenLen]
			}
			if w == "ago" {
				ago, unit = true, unitAgo
				break
			}
			u, ok := intervalUnits[w]
			if !ok {
				return p, dtBadFormat
			}
			unit = u
		default:
			if f.typ == fieldTZ && strings.IndexByte(f.text[1:], ':') >= 0 {
				if us, code := clockMicros(f.text[1:], minutesSeconds); code == dtOK {
					if f.text[0] == '-' {
						us = -us
					}
					p.micros = us
					tmask, unit = clockMask, unitDay
					break
				}
			}
			var code dtErr
			if tmask, unit, code = p.addNumber(f.text, unit); code != dtOK {
				return p, code
			}
		}
		if tmask&fmask != 0 {
			return p, dtBadFormat
		}
		fmask |= tmask
	}
	if fmask == 0 {
		return p, dtBadFormat
	}
	if ago {
		if p.micros == math.MinInt64 || p.days == math.MinInt32 || p.months == math.MinInt32 || p.years == math.MinInt32 {
			return p, dtFieldOverflow
		}
		p.micros, p.days, p.months, p.years = -p.micros, -p.days, -p.months, -p.years
	}
	return p, dtOK
}

// addNumber adds one number field in the given unit and returns the field
// mask it occupies and the unit a number to its left defaults to.
func (p *intervalParts) addNumber(text string, unit intervalUnit) (int, intervalUnit, dtErr) {
	if unit == unitNone {
		unit = unitSecond
	}
	val, rest, ok := leadingInt64(text)
	if !ok {
		return 0, unit, dtFieldOverflow
	}
	var frac float64
	switch {
	case strings.HasPrefix(rest, "-"):
		// SQL year-month syntax: 1-2 is 1 year 2 months.
		m, after, ok := leadingInt(rest[1:])
		if !ok || m >= 12 {
			return 0, unit, dtFieldOverflow
		}
		if after != "" {
			return 0, unit, dtBadFormat
		}
		if text[0] == '-' {
			m = -m
		}
		unit = unitMonth
		if !mulAdd64(&val, 12, int64(m)) {
			return 0, unit, dtFieldOverflow
		}
	case strings.HasPrefix(rest, "."):
		if rest != "." {
			f, err := strconv.ParseFloat("0"+rest, 64)
			if err != nil {
				return 0, unit, dtBadFormat
			}
			frac = f
		}
		if text[0] == '-' {
			frac = -frac
		}
	case rest != "":
		return 0, unit, dtBadFormat
	}
	ok = true
	tmask := 1 << unit
	switch unit {
	case unitMicrosecond:
		ok = p.addMicros(val, frac, 1)
	case unitMillisecond:
		ok = p.addMicros(val, frac, 1000)
	case unitSecond:
		ok = p.addMicros(val, frac, MicrosPerSecond)
		if frac != 0 {
			tmask = allSecondsMask
		}
	case unitMinute:
		ok = p.addMicros(val, frac, MicrosPerMinute)
	case unitHour:
		ok = p.addMicros(val, frac, MicrosPerHour)
		unit = unitDay
	case unitDay:
		ok = p.addDays(val, 1) && p.addFractMicros(frac, MicrosPerDay)
	case unitWeek:
		ok = p.addDays(val, 7) && p.addFractDays(frac, 7)
	case unitMonth:
		ok = p.addMonths(val) && p.addFractDays(frac, 30)
	case unitYear:
		ok = p.addYears(val, 1) && p.addFractYears(frac, 1)
	case unitDecade:
		ok = p.addYears(val, 10) && p.addFractYears(frac, 10)
	case unitCentury:
		ok = p.addYears(val, 100) && p.addFractYears(frac, 100)
	case unitMillennium:
		ok = p.addYears(val, 1000) && p.addFractYears(frac, 1000)
	default:
		return 0, unit, dtBadFormat
	}
	if !ok {
		return 0, unit, dtFieldOverflow
	}
	return tmask, unit, dtOK
}

// leadingInt64 reads an optionally signed integer at the start of s as
// strtoi64 does (no digits reads as 0).
func leadingInt64(s string) (int64, string, bool) {
	n := 0
	if n < len(s) && (s[n] == '+' || s[n] == '-') {
		n++
	}
	digits := n
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == digits {
		return 0, s, true
	}
	v, err := strconv.ParseInt(s[:n], 10, 64)
	return v, s[n:], err == nil
}

// clockMicros reads an interval's hh:mm[:ss[.frac]] as microseconds;
// with minutesSeconds, an interval minute to second, hh:mm is mm:ss.
func clockMicros(s string, minutesSeconds bool) (int64, dtErr) {
	hour, minute, second, usec, code := decodeClock(s)
	if code != dtOK {
		return 0, code
	}
	if minutesSeconds && strings.Count(s, ":") == 1 && !strings.Contains(s, ".") {
		if hour > 59 {
			return 0, dtFieldOverflow
		}
		hour, minute, second = 0, int(hour), minute
	}
	us := usec
	if !addMul64(&us, hour, MicrosPerHour) || !addMul64(&us, int64(minute), MicrosPerMinute) ||
		!addMul64(&us, int64(second), MicrosPerSecond) {
		return 0, dtFieldOverflow
	}
	return us, dtOK
}

// addMul64 adds v*scale to *acc, reporting false on int64 overflow.
func addMul64(acc *int64, v, scale int64) bool {
	prod, ok := mul64(v, scale)
	if !ok {
		return false
	}
	sum, ok := add64(*acc, prod)
	*acc = sum
	return ok
}

// mulAdd64 sets *v to *v*scale + add, reporting false on int64 overflow.
func mulAdd64(v *int64, scale, add int64) bool {
	prod, ok := mul64(*v, scale)
	if !ok {
		return false
	}
	sum, ok := add64(prod, add)
	*v = sum
	return ok
}

func mul64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return c, true
}

func add64(a, b int64) (int64, bool) {
	c := a + b
	if (c > a) != (b > 0) {
		return 0, false
	}
	return c, true
}

func add32(acc *int32, v int64) bool {
	sum := int64(*acc) + v
	if sum > math.MaxInt32 || sum < math.MinInt32 {
		return false
	}
	*acc = int32(sum)
	return true
}

func fitsInt32(v int64) bool { return v >= math.MinInt32 && v <= math.MaxInt32 }

func (p *intervalParts) addMicros(val int64, frac float64, scale int64) bool {
	return addMul64(&p.micros, val, scale) && p.addFractMicros(frac, scale)
}

// addFractMicros adds frac*scale microseconds, rounding a remaining
// fraction above one half away from zero, like PostgreSQL.
func (p *intervalParts) addFractMicros(frac float64, scale int64) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	us := int64(frac)
	frac -= float64(us)
	if frac > 0.5 {
		us++
	} else if frac < -0.5 {
		us--
	}
	sum, ok := add64(p.micros, us)
	p.micros = sum
	return ok
}

func (p *intervalParts) addFractDays(frac float64, scale int) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	extra := int64(frac)
	return p.addFractMicros(frac-float64(extra), MicrosPerDay) && add32(&p.days, extra)
}

func (p *intervalParts) addFractYears(frac float64, scale int) bool {
	return add32(&p.months, int64(math.RoundToEven(frac*float64(scale)*12)))
}

func (p *intervalParts) addDays(val int64, scale int64) bool {
	return fitsInt32(val) && fitsInt32(val*scale) && add32(&p.days, val*scale)
}

func (p *intervalParts) addMonths(val int64) bool {
	return fitsInt32(val) && add32(&p.months, val)
}

func (p *intervalParts) addYears(val int64, scale int64) bool {
	return fitsInt32(val) && fitsInt32(val*scale) && add32(&p.years, val*scale)
}

// decodeISO8601Interval reads the ISO 8601 designator form (P1Y2M3DT4H5M6S)
// and the alternative form (P0001-02-03T04:05:06 or P00010203T040506).
func decodeISO8601Interval(s string) (intervalParts, dtErr) {
	var p intervalParts
	if len(s) < 2 || s[0] != 'P' {
		return p, dtBadFormat
	}
	str := s[1:]
	datePart, haveField := true, false
	for str != "" {
		if str[0] == 'T' {
			datePart, haveField = false, false
			str = str[1:]
			continue
		}
		fieldStart := str
		val, frac, rest, code := iso8601Number(str)
		if code != dtOK {
			return p, code
		}
		var unit byte
		if rest != "" {
			unit, rest = rest[0], rest[1:]
		}
		str = rest
		ok := true
		if datePart {
			switch unit {
			case 'Y':
				ok = p.addYears(val, 1) && p.addFractYears(frac, 1)
			case 'M':
				ok = p.addMonths(val) && p.addFractDays(frac, 30)
			case 'W':
				ok = p.addDays(val, 7) && p.addFractDays(frac, 7)
			case 'D':
				ok = p.addDays(val, 1) && p.addFractMicros(frac, MicrosPerDay)
			case 'T', 0, '-':
				if unit != '-' && iso8601IntegerWidth(fieldStart) == 8 && !haveField {
					// Basic alternative format: YYYYMMDD.
					if !p.addYears(val/10000, 1) || !p.addMonths(val/100%100) ||
						!p.addDays(val%100, 1) || !p.addFractMicros(frac, MicrosPerDay) {
						return p, dtFieldOverflow
					}
					if unit == 0 {
						return p, dtOK
					}
					datePart, haveField = false, false
					continue
				}
				// Extended alternative format: YYYY-MM-DD.
				if haveField {
					return p, dtBadFormat
				}
				if !p.addYears(val, 1) || !p.addFractYears(frac, 1) {
					return p, dtFieldOverflow
				}
				if unit == 0 {
					return p, dtOK
				}
				if unit == 'T' {
					datePart, haveField = false, false
					continue
				}
				if val, frac, str, code = iso8601Number(str); code != dtOK {
					return p, code
				}
				if !p.addMonths(val) || !p.addFractDays(frac, 30) {
					return p, dtFieldOverflow
				}
				if str == "" {
					return p, dtOK
				}
				if str[0] == 'T' {
					datePart, haveField = false, false
					continue
				}
				if str[0] != '-' {
					return p, dtBadFormat
				}
				if val, frac, str, code = iso8601Number(str[1:]); code != dtOK {
					return p, code
				}
				if !p.addDays(val, 1) || !p.addFractMicros(frac, MicrosPerDay) {
					return p, dtFieldOverflow
				}
				if str == "" {
					return p, dtOK
				}
				if str[0] == 'T' {
					datePart, haveField = false, false
					continue
				}
				return p, dtBadFormat
			default:
				return p, dtBadFormat
			}
		} else {
			switch unit {
			case 'H':
				ok = p.addMicros(val, frac, MicrosPerHour)
			case 'M':
				ok = p.addMicros(val, frac, MicrosPerMinute)
			case 'S':
				ok = p.addMicros(val, frac, MicrosPerSecond)
			case 0, ':':
				if unit == 0 && iso8601IntegerWidth(fieldStart) == 6 && !haveField {
					// Basic alternative format: HHMMSS.
					if !p.addMicros(val/10000, 0, MicrosPerHour) || !p.addMicros(val/100%100, 0, MicrosPerMinute) ||
						!p.addMicros(val%100, 0, MicrosPerSecond) || !p.addFractMicros(frac, 1) {
						return p, dtFieldOverflow
					}
					return p, dtOK
				}
				// Extended alternative format: HH:MM:SS.
				if haveField {
					return p, dtBadFormat
				}
				if !p.addMicros(val, frac, MicrosPerHour) {
					return p, dtFieldOverflow
				}
				if unit == 0 {
					return p, dtOK
				}
				if val, frac, str, code = iso8601Number(str); code != dtOK {
					return p, code
				}
				if !p.addMicros(val, frac, MicrosPerMinute) {
					return p, dtFieldOverflow
				}
				if str == "" {
					return p, dtOK
				}
				if str[0] != ':' {
					return p, dtBadFormat
				}
				if val, frac, str, code = iso8601Number(str[1:]); code != dtOK {
					return p, code
				}
				if !p.addMicros(val, frac, MicrosPerSecond) {
					return p, dtFieldOverflow
				}
				if str == "" {
					return p, dtOK
				}
				return p, dtBadFormat
			default:
				return p, dtBadFormat
			}
		}
		if !ok {
			return p, dtFieldOverflow
		}
		if unit == 0 {
			return p, dtOK
		}
		haveField = true
	}
	return p, dtOK
}

// iso8601Number reads a decimal number (strtod syntax) at the start of s and
// splits it into an integer part truncated toward zero and a fraction.
func iso8601Number(s string) (ipart int64, frac float64, rest string, code dtErr) {
	if s == "" || !(isDigit(s[0]) || s[0] == '-' || s[0] == '.') {
		return 0, 0, s, dtBadFormat
	}
	n := floatPrefixLen(s)
	if n == 0 {
		return 0, 0, s, dtBadFormat
	}
	v, err := strconv.ParseFloat(s[:n], 64)
	if err != nil && !math.IsInf(v, 0) {
		return 0, 0, s, dtBadFormat
	}
	if math.IsNaN(v) || v < -1e15 || v > 1e15 {
		return 0, 0, s, dtFieldOverflow
	}
	ipart = int64(v) // truncates toward zero
	return ipart, v - float64(ipart), s[n:], dtOK
}

func iso8601IntegerWidth(s string) int {
	s = strings.TrimPrefix(s, "-")
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

// appendInterval prints an interval in IntervalStyle postgres.
func appendInterval(buf []byte, iv IntervalValue) []byte {
	start := len(buf)
	isBefore := false
	part := func(v int64, unit string) {
		if v == 0 {
			return
		}
		if len(buf) > start {
			buf = append(buf, ' ')
		}
		if isBefore && v > 0 {
			buf = append(buf, '+')
		}
		buf = strconv.AppendInt(buf, v, 10)
		buf = append(buf, ' ')
		buf = append(buf, unit...)
		if v != 1 {
			buf = append(buf, 's')
		}
		// Each nonzero field decides whether the next positive one gets
		// an explicit '+', as in PostgreSQL's EncodeInterval.
		isBefore = v < 0
	}
	part(int64(iv.Months/12), "year")
	part(int64(iv.Months%12), "mon")
	part(int64(iv.Days), "day")
	us := iv.Micros
	if len(buf) == start || us != 0 {
		if len(buf) > start {
			buf = append(buf, ' ')
		}
		switch {
		case us < 0:
			buf = append(buf, '-')
		case isBefore:
			buf = append(buf, '+')
		}
		// Work on the magnitude; MinInt64 has none in int64.
		mag := uint64(us)
		if us < 0 {
			mag = uint64(-(us + 1)) + 1
		}
		rem := int64(mag % uint64(MicrosPerHour))
		buf = appendClock(buf, int64(mag/uint64(MicrosPerHour)), rem/MicrosPerMinute, rem/MicrosPerSecond%60, rem%MicrosPerSecond)
	}
	return buf
}
