package types

import (
	"math"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zone names in timestamptz input must not depend on the host

	"github.com/junction-db/junction/pgerr"
)

// Date/time input follows PostgreSQL's ParseDateTime/DecodeDateTime for the
// forms clients send: ISO 8601 dates and timestamps (with ' ' or 'T'
// between date and time, fractions rounded to microseconds, zones as Z,
// ±hh[:mm[:ss]], ±hhmm, a common abbreviation such as EST or an IANA name),
// numeric dates in DateStyle MDY order when the year is not first, month
// names ("Jan 8 1999", "08-Jan-1999"), run-together YYYYMMDD, AD/BC, AM/PM
// and the special values epoch, now, today, tomorrow, yesterday and
// allballs, infinity and -infinity (dates and timestamps only). Julian-day
// input is rejected.

// dtErr classifies a date/time decoding failure the way PostgreSQL's
// DateTimeParseError reports it.
type dtErr uint8

const (
	dtOK dtErr = iota
	dtBadFormat
	dtFieldOverflow
	dtMonthOverflow // a month above 12: hint at DateStyle
	dtTZOverflow
	dtUnknownZone
)

func dateTimeError(code dtErr, t Type, s string) error {
	switch code {
	case dtFieldOverflow, dtMonthOverflow:
		if t.Kind == Interval {
			return pgerr.New(intervalFieldOverflow, "interval field value out of range: \"%s\"", s)
		}
		e := pgerr.New(pgerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
		if code == dtMonthOverflow {
			e.Hint = `Perhaps you need a different "datestyle" setting.`
		}
		return e
	case dtTZOverflow:
		return pgerr.New(invalidTimeZoneDisplace, "time zone displacement out of range: \"%s\"", s)
	}
	return pgerr.New(pgerr.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", inputName(t), s)
}

func dateTimeRangeError(t Type, s string) error {
	what := "timestamp"
	if t.Kind == Date {
		what = "date"
	}
	return pgerr.New(pgerr.DatetimeFieldOverflow, "%s out of range: \"%s\"", what, s)
}

// dtFieldType is the lexical class PostgreSQL's ParseDateTime gives a field.
type dtFieldType uint8

const (
	fieldNumber  dtFieldType = iota // digits, possibly with one '.' fraction
	fieldDate                       // digits or letters with '-', '/' or '.' inside
	fieldTime                       // digits with ':'
	fieldTZ                         // a sign followed by digits
	fieldString                     // letters
	fieldSpecial                    // a sign followed by letters
)

type dtField struct {
	typ  dtFieldType
	text string // lower-cased, whitespace after a leading sign removed
	orig string // as written, for zone names
}

const maxDateFields = 25

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

func isPunct(c byte) bool { return c > ' ' && c < 0x7f && !isAlnum(c) }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// splitDateTime breaks date/time or interval input into fields exactly as
// PostgreSQL's ParseDateTime does, so that the same strings are accepted.
func splitDateTime(s string) ([]dtField, bool) {
	var fields []dtField
	i := 0
	for i < len(s) {
		c := s[i]
		if isSpace(c) {
			i++
			continue
		}
		start := i
		var b []byte
		take := func() {
			b = append(b, lower(s[i]))
			i++
		}
		takeWhile := func(ok func(byte) bool) {
			for i < len(s) && ok(s[i]) {
				take()
			}
		}
		var typ dtFieldType
		switch {
		case isDigit(c):
			takeWhile(isDigit)
			switch {
			case i < len(s) && s[i] == ':':
				typ = fieldTime
				take()
				takeWhile(func(c byte) bool { return isDigit(c) || c == ':' || c == '.' })
			case i < len(s) && (s[i] == '-' || s[i] == '/' || s[i] == '.'):
				delim := s[i]
				take()
				if i < len(s) && isDigit(s[i]) {
					typ = fieldDate
					if delim == '.' {
						typ = fieldNumber
					}
					takeWhile(isDigit)
					if i < len(s) && s[i] == delim {
						typ = fieldDate
						take()
						takeWhile(func(c byte) bool { return isDigit(c) || c == delim })
					}
				} else {
					typ = fieldDate
					takeWhile(func(c byte) bool { return isAlnum(c) || c == delim })
				}
			default:
				typ = fieldNumber
			}
		case c == '.':
			take()
			takeWhile(isDigit)
			typ = fieldNumber
		case isAlpha(c):
			typ = fieldString
			takeWhile(isAlpha)
			isDate := false
			if i < len(s) && (s[i] == '-' || s[i] == '/' || s[i] == '.') {
				isDate = true
			} else if i < len(s) && (s[i] == '+' || isDigit(s[i])) {
				isDate = !knownDateWord(string(b))
			}
			if isDate {
				typ = fieldDate
				take()
				takeWhile(func(c byte) bool { return isAlnum(c) || strings.IndexByte("+-/_.:", c) >= 0 })
			}
		case c == '+' || c == '-':
			take()
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			switch {
			case i < len(s) && isDigit(s[i]):
				typ = fieldTZ
				take()
				takeWhile(func(c byte) bool { return isDigit(c) || c == ':' || c == '.' || c == '-' })
			case i < len(s) && isAlpha(s[i]):
				typ = fieldSpecial
				takeWhile(isAlpha)
			default:
				return nil, false
			}
		case isPunct(c):
			i++
			continue
		default:
			return nil, false
		}
		if len(fields) == maxDateFields {
			return nil, false
		}
		fields = append(fields, dtField{typ: typ, text: string(b), orig: s[start:i]})
	}
	return fields, true
}

var monthNames = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
	"october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// dayNames are the days of the week, which date/time input may name and
// PostgreSQL ignores.
var dayNames = map[string]bool{
	"sun": true, "sunday": true, "mon": true, "monday": true, "tue": true, "tues": true,
	"tuesday": true, "wed": true, "wednesday": true, "thu": true, "thur": true, "thurs": true,
	"thursday": true, "fri": true, "friday": true, "sat": true, "saturday": true,
}

// knownDateWord reports whether a word is one of PostgreSQL's date/time
// keywords, which splitDateTime must not glue to a following digit.
func knownDateWord(w string) bool {
	if _, ok := monthNames[w]; ok || dayNames[w] {
		return true
	}
	switch w {
	case "t", "am", "pm", "ad", "bc", "epoch", "now", "today", "tomorrow",
		"yesterday", "allballs", "infinity", "j", "jd", "julian", "on", "at",
		"y", "m", "d", "h", "mm", "s":
		return true
	}
	return false
}

// dateTime is decoded date/time input before it becomes a value of one type.
type dateTime struct {
	hasDate, hasTime, hasZone bool
	year                      int
	month                     time.Month
	day                       int
	timeOfDay                 int64 // microseconds, up to 24:00:00
	zoneOffset                int   // seconds east of UTC, when zone is nil
	zone                      *Zone
	now                       bool   // the special value 'now'
	epoch                     bool   // the special value 'epoch'
	infinite                  int64  // NegInfinity or PosInfinity for '-infinity' and 'infinity'
	unknownZone               string // a zone name that was not found
}

// inputError reports a decoding failure of s as type t.
func (dt *dateTime) inputError(code dtErr, t Type, s string) error {
	if code == dtUnknownZone {
		return pgerr.New(pgerr.InvalidParameterValue, "time zone \"%s\" not recognized", dt.unknownZone)
	}
	return dateTimeError(code, t, s)
}

type dateNumber struct {
	value  int64
	digits int
}

// decodeDateTime interprets the fields of date, time or timestamp input.
// For time input (timeOnly) a run-together number is a time (hhmm,
// hhmmss), never a date.
func decodeDateTime(s string, timeOnly bool) (dateTime, dtErr) {
	var dt dateTime
	fields, ok := splitDateTime(s)
	if !ok || len(fields) == 0 {
		return dt, dtBadFormat
	}
	var (
		nums            []dateNumber
		month           time.Month
		runTogetherDate bool
		bc, eraSet      bool
		ampm            string
		hour            int64
		minute, second  int
		usec            int64
		dateWord        bool // today, tomorrow, yesterday or now
		dateWordOffset  int
		allballs        bool
		// label is a field that says what the next one holds: a unit of
		// ISO 8601 labelled input (y, m, d, h, mm, s), j for a Julian day
		// or t for a run-together time.
		label      string
		labelled   labelledDate
		sawDayName bool
		julian     bool
		julianDy   int64
	)
	dateComplete := func() bool {
		return timeOnly || runTogetherDate || dateWord || julian || labelled.complete() || len(nums) == 3 || (month != 0 && len(nums) == 2)
	}
	// monthDayKnown is PostgreSQL's test for whether a field with
	// punctuation inside is a time zone (or time and zone) rather than a
	// date: the date's month and day are already known.
	monthDayKnown := func() bool {
		return runTogetherDate || dateWord || julian || labelled.complete() || len(nums) >= 3 || (month != 0 && len(nums) >= 1)
	}
	for fi, f := range fields {
		if label != "" && f.typ != fieldNumber && !(label == "t" && f.typ == fieldTime) &&
			!((label == "t" || isJulianLabel(label)) && f.typ == fieldDate && isDigit(f.text[0])) {
			return dt, dtBadFormat
		}
		switch f.typ {
		case fieldDate:
			cut := strings.IndexByte(f.text, '-')
			if isJulianLabel(label) {
				// A Julian day with its zone: j2452271-08.
				if julian || dt.hasTime || dt.hasZone || cut < 0 {
					return dt, dtBadFormat
				}
				day, err := strconv.ParseInt(f.text[:cut], 10, 32)
				if err != nil {
					return dt, dtFieldOverflow
				}
				off, code := decodeZoneOffset(f.text[cut:])
				if code != dtOK {
					return dt, code
				}
				julian, julianDy, label = true, day, ""
				dt.hasTime, dt.zoneOffset, dt.hasZone = true, off, true
				continue
			}
			// Time input takes a date only first and followed by a time,
			// or with a date last (DecodeTimeOnly).
			timeOnlyDate := fi == 0 && len(fields) >= 2 && (fields[len(fields)-1].typ == fieldDate || fields[1].typ == fieldTime)
			if label != "" || timeOnly && isDigit(f.text[0]) && !timeOnlyDate ||
				!timeOnly && isDigit(f.text[0]) && monthDayKnown() &&
					(dateComplete() || cut > 0 && strings.IndexByte(f.text[:cut], '.') >= 0) {
				// A run-together time with its zone: hhmmss-zz.
				label = ""
				if dt.hasTime || dt.hasZone || cut < 0 {
					return dt, dtBadFormat
				}
				off, code := decodeZoneOffset(f.text[cut:])
				if code != dtOK {
					return dt, code
				}
				if hour, minute, second, usec, code = numberFieldTime(f.text[:cut]); code != dtOK {
					return dt, code
				}
				dt.hasTime, dt.zoneOffset, dt.hasZone = true, off, true
				continue
			}
			if isAlpha(f.text[0]) && (timeOnly || monthDayKnown()) {
				if dt.hasZone {
					return dt, dtBadFormat
				}
				loc, ok := loadZone(f.orig)
				if !ok {
					dt.unknownZone = f.text
					return dt, dtUnknownZone
				}
				dt.zone, dt.hasZone = &Zone{loc: loc}, true
				continue
			}
			// PostgreSQL's DecodeDate wants nothing but date fields (and a
			// zone) before a date written with punctuation.
			if dt.hasTime || sawDayName || ampm != "" || eraSet || dateWord || dt.epoch {
				return dt, dtBadFormat
			}
			for _, part := range strings.FieldsFunc(f.text, func(r rune) bool { return r > 0x7f || !isAlnum(byte(r)) }) {
				if isDigit(part[0]) {
					n, code := dateNumberOf(part)
					if code != dtOK {
						return dt, code
					}
					nums = append(nums, n)
					continue
				}
				m, ok := monthNames[part]
				if !ok || month != 0 {
					return dt, dtBadFormat
				}
				month = m
			}
		case fieldNumber:
			if label != "" {
				code := dtOK
				switch label {
				case "t":
					if dt.hasTime {
						return dt, dtBadFormat
					}
					hour, minute, second, usec, code = numberFieldTime(f.text)
					dt.hasTime = true
				case "j", "jd", "julian":
					if julian {
						return dt, dtBadFormat
					}
					var frac int64
					julian = true
					if julianDy, frac, code = julianDay(f.text); frac != 0 {
						if dt.hasTime {
							return dt, dtBadFormat
						}
						hour, minute, second, usec = frac/MicrosPerHour, int(frac/MicrosPerMinute%60), int(frac/MicrosPerSecond%60), frac%MicrosPerSecond
						dt.hasTime = true
					}
				default:
					var isTime bool
					isTime, code = labelled.set(label, f.text, &hour, &minute, &second, &usec)
					dt.hasTime = dt.hasTime || isTime
				}
				if code != dtOK {
					return dt, code
				}
				label = ""
				continue
			}
			if dot := strings.IndexByte(f.text, '.'); dot >= 0 {
				if !timeOnly && len(nums) == 0 && month == 0 && !dateComplete() {
					// A year and a day of the year: 1999.008.
					y, m, d, code := yearAndDayOfYear(f.text[:dot], f.text[dot+1:])
					if code != dtOK {
						return dt, code
					}
					nums, runTogetherDate = []dateNumber{{y, len(f.text[:dot])}, {m, 2}, {d, 2}}, true
					continue
				}
				// A time with a fraction after a date: hhmmss.fff.
				if !dateComplete() || dt.hasTime || dot <= 2 {
					return dt, dtBadFormat
				}
				var code dtErr
				if hour, minute, second, usec, code = numberFieldTime(f.text); code != dtOK {
					return dt, code
				}
				dt.hasTime = true
				continue
			}
			switch {
			case dateComplete() && !dt.hasTime && (len(f.text) == 4 || len(f.text) == 6):
				hour, _ = strconv.ParseInt(f.text[0:2], 10, 64)
				minute, _ = strconv.Atoi(f.text[2:4])
				if len(f.text) == 6 {
					second, _ = strconv.Atoi(f.text[4:6])
				}
				dt.hasTime = true
			case len(nums) == 0 && month == 0 && !runTogetherDate && (len(f.text) == 8 || len(f.text) == 6):
				yearDigits := len(f.text) - 4
				y, _ := strconv.ParseInt(f.text[:yearDigits], 10, 64)
				m, _ := strconv.ParseInt(f.text[yearDigits:yearDigits+2], 10, 64)
				d, _ := strconv.ParseInt(f.text[yearDigits+2:], 10, 64)
				nums = []dateNumber{{y, yearDigits}, {m, 2}, {d, 2}}
				runTogetherDate = true
			default:
				n, code := dateNumberOf(f.text)
				if code != dtOK {
					return dt, code
				}
				nums = append(nums, n)
			}
		case fieldTime:
			label = ""
			if dt.hasTime {
				return dt, dtBadFormat
			}
			var code dtErr
			if hour, minute, second, usec, code = decodeClock(f.text); code != dtOK {
				return dt, code
			}
			dt.hasTime = true
		case fieldTZ:
			if dt.hasZone {
				return dt, dtBadFormat
			}
			off, code := decodeZoneOffset(f.text)
			if code != dtOK {
				return dt, code
			}
			dt.zoneOffset, dt.hasZone = off, true
		case fieldString:
			w := f.text
			if m, ok := monthNames[w]; ok {
				if month != 0 {
					return dt, dtBadFormat
				}
				month = m
				continue
			}
			if z, ok := lookupAbbrev(w); ok {
				if dt.hasZone {
					return dt, dtBadFormat
				}
				dt.zone, dt.hasZone = &z, true
				continue
			}
			if dayNames[w] {
				sawDayName = true
				continue
			}
			switch w {
			case "on", "at":
			case "t", "j", "jd", "julian", "y", "m", "d", "h", "mm", "s":
				label = w
			case "am", "pm":
				if ampm != "" {
					return dt, dtBadFormat
				}
				ampm = w
			case "ad", "bc":
				if eraSet {
					return dt, dtBadFormat
				}
				eraSet, bc = true, w == "bc"
			case "today", "tomorrow", "yesterday":
				if dateWord {
					return dt, dtBadFormat
				}
				dateWord = true
				switch w {
				case "tomorrow":
					dateWordOffset = 1
				case "yesterday":
					dateWordOffset = -1
				}
			case "now":
				// A date, a time and a zone at once.
				if dateWord || dt.epoch || dt.hasTime || dt.hasZone || len(nums) > 0 || month != 0 || runTogetherDate {
					return dt, dtBadFormat
				}
				dt.now, dateWord, dt.hasTime, dt.hasZone = true, true, true, true
			case "epoch":
				// Like PostgreSQL, a time written with epoch is ignored.
				if dateWord || dt.epoch || len(nums) > 0 || month != 0 || runTogetherDate {
					return dt, dtBadFormat
				}
				dt.epoch = true
			case "allballs":
				// Midnight UTC: a time and a zone.
				if dt.hasTime || dt.hasZone {
					return dt, dtBadFormat
				}
				dt.hasTime, allballs, dt.hasZone = true, true, true
			case "infinity":
				return decodeInfinity(fields, PosInfinity)
			default:
				loc, ok := loadZone(f.orig)
				if !ok || dt.hasZone {
					return dt, dtBadFormat
				}
				dt.zone, dt.hasZone = &Zone{loc: loc}, true
			}
		case fieldSpecial:
			switch f.text {
			case "+infinity":
				return decodeInfinity(fields, PosInfinity)
			case "-infinity":
				return decodeInfinity(fields, NegInfinity)
			}
			return dt, dtBadFormat
		}
	}
	if label != "" {
		return dt, dtBadFormat
	}
	if julian || labelled.any() {
		if julian == labelled.any() || len(nums) > 0 || month != 0 || dateWord || dt.now || dt.epoch || eraSet {
			return dt, dtBadFormat
		}
		if julian {
			dt.year, dt.month, dt.day = DaysToDate(julianDy - unixEpochJulianDay)
		} else {
			if !labelled.complete() {
				return dt, dtBadFormat
			}
			if labelled.month > 12 || labelled.day < 1 || labelled.year == 0 ||
				labelled.day > DaysInMonth(labelled.year, time.Month(max(labelled.month, 1))) {
				return dt, dtFieldOverflow
			}
			dt.year, dt.month, dt.day = labelled.year, time.Month(labelled.month), labelled.day
		}
		dt.hasDate = true
		nums, month = nil, 0
	}
	if dt.now || dt.epoch {
		if len(nums) > 0 || month != 0 || eraSet || ampm != "" || allballs {
			return dt, dtBadFormat
		}
		if dt.epoch {
			dt.year, dt.month, dt.day, dt.hasDate = 1970, time.January, 1, true
			dt.hasTime, dt.timeOfDay, dt.hasZone, dt.zone, dt.zoneOffset = true, 0, true, nil, 0
		}
		return dt, dtOK
	}
	if dt.hasTime && !allballs {
		switch {
		case ampm != "" && hour > 12:
			return dt, dtFieldOverflow
		case ampm == "am" && hour == 12:
			hour = 0
		case ampm == "pm" && hour != 12:
			hour += 12
		}
		if hour > 24 || minute > 59 || second > 60 || usec > MicrosPerSecond ||
			(hour == 24 && (minute > 0 || second > 0 || usec > 0)) {
			return dt, dtFieldOverflow
		}
		dt.timeOfDay = hour*MicrosPerHour + int64(minute)*MicrosPerMinute + int64(second)*MicrosPerSecond + usec
	} else if ampm != "" {
		return dt, dtBadFormat
	}
	if dateWord {
		if len(nums) > 0 || month != 0 || eraSet {
			return dt, dtBadFormat
		}
		y, m, d := DaysToDate(TimeToMicros(time.Now())/MicrosPerDay + int64(dateWordOffset))
		dt.year, dt.month, dt.day, dt.hasDate = y, m, d, true
		return dt, dtOK
	}
	if len(nums) == 0 && month == 0 {
		if eraSet {
			return dt, dtBadFormat
		}
		return dt, dtOK
	}
	code := dt.resolveDate(nums, month, bc, runTogetherDate)
	return dt, code
}

// decodeInfinity is the special value infinity or -infinity, which stands
// alone.
func decodeInfinity(fields []dtField, v int64) (dateTime, dtErr) {
	if len(fields) != 1 {
		return dateTime{}, dtBadFormat
	}
	return dateTime{infinite: v}, dtOK
}

func isJulianLabel(label string) bool { return label == "j" || label == "jd" || label == "julian" }

// labelledDate is the date of ISO 8601 labelled input (Y2001M12D27).
type labelledDate struct {
	year, month, day          int
	hasYear, hasMonth, hasDay bool
	hasHour                   bool // an M after the month and an hour is minutes
}

func (l labelledDate) any() bool      { return l.hasYear || l.hasMonth || l.hasDay }
func (l labelledDate) complete() bool { return l.hasYear && l.hasMonth && l.hasDay }

// set stores the number after a unit label; only seconds may have a
// fraction. isTime says a time field was set.
func (l *labelledDate) set(label, text string, hour *int64, minute, second *int, usec *int64) (isTime bool, code dtErr) {
	digits, frac, hasFrac := strings.Cut(text, ".")
	if hasFrac && label != "s" {
		return false, dtBadFormat
	}
	v, err := strconv.ParseInt(digits, 10, 32)
	if err != nil {
		return false, dtFieldOverflow
	}
	switch {
	case label == "y" && !l.hasYear:
		l.year, l.hasYear = int(v), true
	case label == "m" && !l.hasMonth:
		l.month, l.hasMonth = int(v), true
	case label == "d" && !l.hasDay:
		l.day, l.hasDay = int(v), true
	case label == "h":
		*hour, l.hasHour = v, true
		return true, dtOK
	case label == "mm" || label == "m" && l.hasHour:
		*minute = int(v)
		return true, dtOK
	case label == "s":
		*second = int(v)
		if hasFrac {
			*usec, code = fractionalSecond("." + frac)
		}
		return true, code
	default:
		return false, dtBadFormat
	}
	return false, dtOK
}

// yearAndDayOfYear reads yyyy.ddd, a year of at least three digits and a
// three-digit day of that year, as a year, month and day.
func yearAndDayOfYear(year, day string) (y, m, d int64, code dtErr) {
	if len(year) < 3 || len(day) != 3 || strings.IndexByte(day, '.') >= 0 {
		return 0, 0, 0, dtBadFormat
	}
	yv, err1 := strconv.ParseInt(year, 10, 32)
	dv, err2 := strconv.ParseInt(day, 10, 32)
	if err1 != nil || err2 != nil || yv < 1 || dv < 1 || dv > 366 {
		return 0, 0, 0, dtBadFormat
	}
	// Like PostgreSQL, day 366 of a common year is the next January 1.
	yy, mm, dd := DaysToDate(DateToDays(int(yv), time.January, 1) + dv - 1)
	return int64(yy), int64(mm), int64(dd), dtOK
}

// julianDay reads a Julian day number, with an optional fraction of a day
// that is a time of day (in microseconds).
func julianDay(text string) (day, frac int64, code dtErr) {
	digits, fraction, hasFrac := strings.Cut(text, ".")
	day, err := strconv.ParseInt(digits, 10, 32)
	if err != nil {
		return 0, 0, dtFieldOverflow
	}
	if hasFrac {
		f, err := strconv.ParseFloat("0."+fraction, 64)
		if err != nil {
			return 0, 0, dtBadFormat
		}
		frac = int64(math.RoundToEven(f * float64(MicrosPerDay)))
	}
	return day, frac, dtOK
}

// numberFieldTime reads a run-together time, hhmmss or hhmm, with an
// optional fraction of a second.
func numberFieldTime(text string) (hour int64, minute, second int, usec int64, code dtErr) {
	digits, frac, hasFrac := strings.Cut(text, ".")
	if len(digits) != 6 && len(digits) != 4 {
		return 0, 0, 0, 0, dtBadFormat
	}
	for _, c := range []byte(digits) {
		if !isDigit(c) {
			return 0, 0, 0, 0, dtBadFormat
		}
	}
	hour, _ = strconv.ParseInt(digits[0:2], 10, 64)
	minute, _ = strconv.Atoi(digits[2:4])
	if len(digits) == 6 {
		second, _ = strconv.Atoi(digits[4:6])
	}
	if hasFrac {
		usec, code = fractionalSecond("." + frac)
	}
	return hour, minute, second, usec, code
}

// resolveDate assigns the numeric date fields to year, month and day;
// ymd says they are known to be in that order.
func (dt *dateTime) resolveDate(nums []dateNumber, month time.Month, bc, ymd bool) dtErr {
	var y, m, d dateNumber
	monthFromNumber := false
	switch {
	case month != 0 && len(nums) == 2:
		m = dateNumber{int64(month), 2}
		if nums[0].digits >= 3 || nums[0].value > 31 {
			y, d = nums[0], nums[1]
		} else {
			d, y = nums[0], nums[1]
		}
	case month == 0 && len(nums) == 3:
		monthFromNumber = true
		if ymd || nums[0].digits >= 3 {
			y, m, d = nums[0], nums[1], nums[2]
		} else {
			m, d, y = nums[0], nums[1], nums[2]
		}
	default:
		return dtBadFormat
	}
	year := y.value
	switch {
	case year == 0:
		return dtFieldOverflow
	case bc:
		year = 1 - year
	case y.digits <= 2:
		if year < 70 {
			year += 2000
		} else {
			year += 1900
		}
	}
	if m.value < 1 || m.value > 12 {
		if monthFromNumber {
			return dtMonthOverflow
		}
		return dtFieldOverflow
	}
	// Years this far out are past every range; keep the day arithmetic safe.
	if year > 1e8 || year < -1e8 {
		return dtFieldOverflow
	}
	if d.value < 1 || d.value > int64(DaysInMonth(int(year), time.Month(m.value))) {
		return dtFieldOverflow
	}
	dt.year, dt.month, dt.day, dt.hasDate = int(year), time.Month(m.value), int(d.value), true
	return dtOK
}

func dateNumberOf(digits string) (dateNumber, dtErr) {
	v, err := strconv.ParseInt(digits, 10, 32)
	if err != nil {
		return dateNumber{}, dtFieldOverflow
	}
	return dateNumber{v, len(digits)}, dtOK
}

// decodeClock reads h:mm[:ss[.frac]] (or mm:ss.frac) as PostgreSQL's
// DecodeTimeCommon does, with its range checks; hours are unbounded here.
func decodeClock(s string) (hour int64, minute, second int, usec int64, code dtErr) {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return 0, 0, 0, 0, dtBadFormat
	}
	hour, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, 0, 0, 0, dtFieldOverflow
	}
	rest := s[i+1:]
	minute, rest, ok := leadingInt(rest)
	if !ok {
		return 0, 0, 0, 0, dtFieldOverflow
	}
	switch {
	case rest == "":
	case rest[0] == '.':
		// mm:ss.fff
		if usec, code = fractionalSecond(rest); code != dtOK {
			return 0, 0, 0, 0, code
		}
		if hour > math.MaxInt32 {
			return 0, 0, 0, 0, dtFieldOverflow
		}
		second, minute, hour = minute, int(hour), 0
	case rest[0] == ':':
		if second, rest, ok = leadingInt(rest[1:]); !ok {
			return 0, 0, 0, 0, dtFieldOverflow
		}
		if rest != "" {
			if rest[0] != '.' {
				return 0, 0, 0, 0, dtBadFormat
			}
			if usec, code = fractionalSecond(rest); code != dtOK {
				return 0, 0, 0, 0, code
			}
		}
	default:
		return 0, 0, 0, 0, dtBadFormat
	}
	if minute > 59 || second > 60 || usec > MicrosPerSecond {
		return 0, 0, 0, 0, dtFieldOverflow
	}
	return hour, minute, second, usec, dtOK
}

// leadingInt reads the digits at the start of s as strtoint does (none
// reads as 0).
func leadingInt(s string) (int, string, bool) {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == 0 {
		return 0, s, true
	}
	v, err := strconv.ParseInt(s[:n], 10, 32)
	return int(v), s[n:], err == nil
}

// fractionalSecond rounds ".ddd" to microseconds half to even, as rint does.
func fractionalSecond(s string) (int64, dtErr) {
	f, err := strconv.ParseFloat("0"+s, 64)
	if err != nil {
		return 0, dtBadFormat
	}
	return int64(math.RoundToEven(f * 1e6)), dtOK
}

// decodeZoneOffset reads ±hh, ±hhmm, ±hh:mm or ±hh:mm:ss as seconds east of
// UTC.
func decodeZoneOffset(s string) (int, dtErr) {
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	body := s[1:]
	hour, rest, ok := leadingInt(body)
	if !ok {
		return 0, dtTZOverflow
	}
	minute, second := 0, 0
	switch {
	case strings.HasPrefix(rest, ":"):
		if minute, rest, ok = leadingInt(rest[1:]); !ok {
			return 0, dtTZOverflow
		}
		if strings.HasPrefix(rest, ":") {
			if second, rest, ok = leadingInt(rest[1:]); !ok {
				return 0, dtTZOverflow
			}
		}
	case rest == "" && len(body) > 2:
		hour, minute = hour/100, hour%100
	}
	if hour > 15 || minute > 59 || second > 59 {
		return 0, dtTZOverflow
	}
	if rest != "" {
		return 0, dtBadFormat
	}
	return sign * (hour*3600 + minute*60 + second), dtOK
}

// micros returns the timestamp the input denotes; withZone applies the
// written zone (timestamptz), otherwise the zone is ignored (timestamp).
func (dt *dateTime) micros(withZone bool) (int64, bool) {
	if dt.now {
		return TimeToMicros(time.Now()), true
	}
	days := DateToDays(dt.year, dt.month, dt.day)
	// Bound the day before multiplying so that the arithmetic cannot wrap.
	if days < minDateDays-1 || days >= endTimestamp/MicrosPerDay {
		return 0, false
	}
	us := days*MicrosPerDay + dt.timeOfDay
	if withZone && dt.hasZone {
		if dt.zone != nil {
			us = dt.zone.ToUTC(us)
		} else {
			us -= int64(dt.zoneOffset) * MicrosPerSecond
		}
	}
	return us, ValidTimestamp(us)
}

// isoDateTime is canonical ISO input as PostgreSQL and most sources print
// it: YYYY-MM-DD (years 0001 to 9999), optionally followed by ' ' or 'T',
// HH:MM:SS, up to six fraction digits and a ±HH[:MM] offset.
type isoDateTime struct {
	days       int64
	timeOfDay  int64
	offset     int // seconds east of UTC
	hasTime    bool
	hasZone    bool
	recognized bool
}

// parseISO reads canonical ISO input without the general decoder; for any
// other spelling, or a value the general decoder must reject, recognized is
// false and the caller falls back to decodeDateTime.
func parseISO(s string) (r isoDateTime) {
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return r
	}
	y, m, d := num(0, 4), num(5, 2), num(8, 2)
	if y < 1 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, time.Month(m)) {
		return r
	}
	r.days = DateToDays(y, time.Month(m), d)
	rest := s[10:]
	if rest == "" {
		r.recognized = true
		return r
	}
	if len(rest) < 9 || (rest[0] != ' ' && rest[0] != 'T') || rest[3] != ':' || rest[6] != ':' {
		return r
	}
	hh, mm, ss := num(11, 2), num(14, 2), num(17, 2)
	if hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59 {
		return r
	}
	r.timeOfDay = int64(hh)*MicrosPerHour + int64(mm)*MicrosPerMinute + int64(ss)*MicrosPerSecond
	r.hasTime = true
	i := 19
	if i < len(s) && s[i] == '.' {
		i++
		scale := MicrosPerSecond
		for ; i < len(s) && isDigit(s[i]); i++ {
			if scale == 1 {
				return r // more than six digits round: general path
			}
			scale /= 10
			r.timeOfDay += int64(s[i]-'0') * scale
		}
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		if len(s) != i+3 && (len(s) != i+6 || s[i+3] != ':') {
			return r
		}
		zh, zm := num(i+1, 2), 0
		if len(s) == i+6 {
			zm = num(i+4, 2)
		}
		if zh < 0 || zh > 15 || zm < 0 || zm > 59 {
			return r
		}
		r.offset = zh*3600 + zm*60
		if s[i] == '-' {
			r.offset = -r.offset
		}
		r.hasZone = true
		i = len(s)
	}
	r.recognized = i == len(s)
	return r
}

func parseDate(s string) (int64, error) {
	if iso := parseISO(s); iso.recognized {
		return iso.days, nil
	}
	return decodeDate(s)
}

func decodeDate(s string) (int64, error) {
	dt, code := decodeDateTime(s, false)
	if code != dtOK {
		return 0, dt.inputError(code, TDate, s)
	}
	if dt.now {
		return floorDiv(TimeToMicros(time.Now()), MicrosPerDay), nil
	}
	if dt.infinite != 0 {
		return dt.infinite, nil
	}
	if !dt.hasDate {
		return 0, dateTimeError(dtBadFormat, TDate, s)
	}
	days := DateToDays(dt.year, dt.month, dt.day)
	if !ValidDate(days) {
		return 0, dateTimeRangeError(TDate, s)
	}
	return days, nil
}

func parseTime(s string) (int64, error) {
	dt, code := decodeDateTime(s, true)
	if code != dtOK {
		return 0, dt.inputError(code, TTime, s)
	}
	if dt.now {
		us := TimeToMicros(time.Now())
		return us - floorDiv(us, MicrosPerDay)*MicrosPerDay, nil
	}
	if !dt.hasTime || dt.epoch || dt.infinite != 0 {
		return 0, dateTimeError(dtBadFormat, TTime, s)
	}
	if dt.timeOfDay > MicrosPerDay {
		return 0, dateTimeError(dtFieldOverflow, TTime, s)
	}
	return dt.timeOfDay, nil
}

func parseTimestamp(s string, withZone bool) (int64, error) {
	if iso := parseISO(s); iso.recognized {
		us := iso.days*MicrosPerDay + iso.timeOfDay
		if withZone {
			us -= int64(iso.offset) * MicrosPerSecond
		}
		return us, nil
	}
	return decodeTimestamp(s, withZone)
}

func decodeTimestamp(s string, withZone bool) (int64, error) {
	t := TTimestamp
	if withZone {
		t = TTimestampTZ
	}
	dt, code := decodeDateTime(s, false)
	if code != dtOK {
		return 0, dt.inputError(code, t, s)
	}
	if dt.infinite != 0 {
		return dt.infinite, nil
	}
	if !dt.hasDate && !dt.now {
		return 0, dateTimeError(dtBadFormat, t, s)
	}
	us, ok := dt.micros(withZone)
	if !ok && !dt.now && TimestampBeyondRange(DateToDays(dt.year, dt.month, dt.day)) {
		return 0, TimestampRangeNotSupported()
	}
	if !ok {
		return 0, dateTimeRangeError(t, s)
	}
	return us, nil
}

// appendYMD appends YYYY-MM-DD of an astronomical year (BC is added by the
// caller after the time, where PostgreSQL puts it).
func appendYMD(buf []byte, year int, month time.Month, day int) []byte {
	if year <= 0 {
		year = 1 - year
	}
	buf = appendPadded(buf, int64(year), 4)
	buf = append(buf, '-')
	buf = appendPadded(buf, int64(month), 2)
	buf = append(buf, '-')
	return appendPadded(buf, int64(day), 2)
}

// appendPadded appends a non-negative v with leading zeros to width digits.
func appendPadded(buf []byte, v int64, width int) []byte {
	if v >= 0 && width < len(pow10) && v < pow10[width] {
		// Digit by digit from the right: cheaper than strconv for the
		// few digits of date and time fields, printed for every row.
		start := len(buf)
		for range width {
			buf = append(buf, '0')
		}
		for i := len(buf) - 1; i >= start && v > 0; i-- {
			buf[i] = byte('0' + v%10)
			v /= 10
		}
		return buf
	}
	for digits, next := 1, int64(10); digits < width; digits, next = digits+1, next*10 {
		if v < next {
			buf = append(buf, '0')
		}
	}
	return strconv.AppendInt(buf, v, 10)
}

// appendInfinity appends infinity or -infinity for an infinite date or
// timestamp and reports whether it did.
func appendInfinity(buf []byte, v int64) ([]byte, bool) {
	switch v {
	case PosInfinity:
		return append(buf, "infinity"...), true
	case NegInfinity:
		return append(buf, "-infinity"...), true
	}
	return buf, false
}

func appendDate(buf []byte, days int64) []byte {
	if b, ok := appendInfinity(buf, days); ok {
		return b
	}
	y, m, d := DaysToDate(days)
	buf = appendYMD(buf, y, m, d)
	if y <= 0 {
		buf = append(buf, " BC"...)
	}
	return buf
}

// appendClock appends HH:MM:SS[.ffffff] with trailing zeros of the fraction
// removed; hours may exceed 24 (intervals).
func appendClock(buf []byte, hour, minute, second, usec int64) []byte {
	buf = appendPadded(buf, hour, 2)
	buf = append(buf, ':')
	buf = appendPadded(buf, minute, 2)
	buf = append(buf, ':')
	buf = appendPadded(buf, second, 2)
	if usec != 0 {
		buf = append(buf, '.')
		start := len(buf)
		buf = appendPadded(buf, usec, 6)
		end := len(buf)
		for end > start && buf[end-1] == '0' {
			end--
		}
		buf = buf[:end]
	}
	return buf
}

func appendTimeOfDay(buf []byte, us int64) []byte {
	return appendClock(buf, us/MicrosPerHour, us/MicrosPerMinute%60, us/MicrosPerSecond%60, us%MicrosPerSecond)
}

func appendTimestamp(buf []byte, us int64, withZone bool) []byte {
	if b, ok := appendInfinity(buf, us); ok {
		return b
	}
	days := floorDiv(us, MicrosPerDay)
	y, m, d := DaysToDate(days)
	buf = appendYMD(buf, y, m, d)
	buf = append(buf, ' ')
	buf = appendTimeOfDay(buf, us-days*MicrosPerDay)
	if withZone {
		buf = append(buf, "+00"...)
	}
	if y <= 0 {
		buf = append(buf, " BC"...)
	}
	return buf
}
