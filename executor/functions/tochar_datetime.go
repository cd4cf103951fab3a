package functions

import (
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// to_char of timestamps, timestamps with time zone and intervals, after
// PostgreSQL's DCH_to_char. Names of months and days are English: the C
// locale's, which is the only LC_TIME Junction runs with (so TM changes
// nothing but the padding). A timestamp with time zone prints in the
// session time zone, which is always UTC in Junction.

// sessionZoneName is the abbreviation TZ prints for the session time zone.
const sessionZoneName = "UTC"

const (
	dchAD = iota
	dchADDots
	dchAM
	dchAMDots
	dchADLower
	dchADDotsLower
	dchAMLower
	dchAMDotsLower
	dchCC
	dchDAY
	dchDay
	dchDayLower
	dchDDD
	dchDD
	dchDY
	dchDy
	dchDyLower
	dchD
	dchFF1
	dchFF2
	dchFF3
	dchFF4
	dchFF5
	dchFF6
	dchFX
	dchHH24
	dchHH12
	dchHH
	dchIDDD
	dchID
	dchIW
	dchIYYY
	dchIYY
	dchIY
	dchI
	dchJ
	dchMI
	dchMM
	dchMONTH
	dchMonth
	dchMonthLower
	dchMON
	dchMon
	dchMonLower
	dchMS
	dchOF
	dchQ
	dchRM
	dchRMLower
	dchSSSS
	dchSS
	dchTZH
	dchTZM
	dchTZ
	dchTZLower
	dchUS
	dchWW
	dchW
	dchYComma
	dchYYYY
	dchYYY
	dchYY
	dchY
)

// dateKeywords is formatting.c's DCH_keywords, in its order: for each
// first letter, longer keywords before their prefixes. AD/BC and AM/PM
// share an id per spelling family.
var dateKeywords = []templateKeyword{
	{"A.D.", dchADDots, false, dateModeNone},
	{"A.M.", dchAMDots, false, dateModeNone},
	{"AD", dchAD, false, dateModeNone},
	{"AM", dchAM, false, dateModeNone},
	{"B.C.", dchADDots, false, dateModeNone},
	{"BC", dchAD, false, dateModeNone},
	{"CC", dchCC, true, dateModeNone},
	{"DAY", dchDAY, false, dateModeNone},
	{"DDD", dchDDD, true, dateModeGregorian},
	{"DD", dchDD, true, dateModeGregorian},
	{"DY", dchDY, false, dateModeNone},
	{"Day", dchDay, false, dateModeNone},
	{"Dy", dchDy, false, dateModeNone},
	{"D", dchD, true, dateModeGregorian},
	{"FF1", dchFF1, true, dateModeNone},
	{"FF2", dchFF2, true, dateModeNone},
	{"FF3", dchFF3, true, dateModeNone},
	{"FF4", dchFF4, true, dateModeNone},
	{"FF5", dchFF5, true, dateModeNone},
	{"FF6", dchFF6, true, dateModeNone},
	{"FX", dchFX, false, dateModeNone},
	{"HH24", dchHH24, true, dateModeNone},
	{"HH12", dchHH12, true, dateModeNone},
	{"HH", dchHH, true, dateModeNone},
	{"IDDD", dchIDDD, true, dateModeISOWeek},
	{"ID", dchID, true, dateModeISOWeek},
	{"IW", dchIW, true, dateModeISOWeek},
	{"IYYY", dchIYYY, true, dateModeISOWeek},
	{"IYY", dchIYY, true, dateModeISOWeek},
	{"IY", dchIY, true, dateModeISOWeek},
	{"I", dchI, true, dateModeISOWeek},
	{"J", dchJ, true, dateModeNone},
	{"MI", dchMI, true, dateModeNone},
	{"MM", dchMM, true, dateModeGregorian},
	{"MONTH", dchMONTH, false, dateModeGregorian},
	{"MON", dchMON, false, dateModeGregorian},
	{"MS", dchMS, true, dateModeNone},
	{"Month", dchMonth, false, dateModeGregorian},
	{"Mon", dchMon, false, dateModeGregorian},
	{"OF", dchOF, false, dateModeNone},
	{"P.M.", dchAMDots, false, dateModeNone},
	{"PM", dchAM, false, dateModeNone},
	{"Q", dchQ, true, dateModeNone},
	{"RM", dchRM, false, dateModeGregorian},
	{"SSSSS", dchSSSS, true, dateModeNone},
	{"SSSS", dchSSSS, true, dateModeNone},
	{"SS", dchSS, true, dateModeNone},
	{"TZH", dchTZH, false, dateModeNone},
	{"TZM", dchTZM, true, dateModeNone},
	{"TZ", dchTZ, false, dateModeNone},
	{"US", dchUS, true, dateModeNone},
	{"WW", dchWW, true, dateModeGregorian},
	{"W", dchW, true, dateModeGregorian},
	{"Y,YYY", dchYComma, true, dateModeGregorian},
	{"YYYY", dchYYYY, true, dateModeGregorian},
	{"YYY", dchYYY, true, dateModeGregorian},
	{"YY", dchYY, true, dateModeGregorian},
	{"Y", dchY, true, dateModeGregorian},
	{"a.d.", dchADDotsLower, false, dateModeNone},
	{"a.m.", dchAMDotsLower, false, dateModeNone},
	{"ad", dchADLower, false, dateModeNone},
	{"am", dchAMLower, false, dateModeNone},
	{"b.c.", dchADDotsLower, false, dateModeNone},
	{"bc", dchADLower, false, dateModeNone},
	{"cc", dchCC, true, dateModeNone},
	{"day", dchDayLower, false, dateModeNone},
	{"ddd", dchDDD, true, dateModeGregorian},
	{"dd", dchDD, true, dateModeGregorian},
	{"dy", dchDyLower, false, dateModeNone},
	{"d", dchD, true, dateModeGregorian},
	{"ff1", dchFF1, true, dateModeNone},
	{"ff2", dchFF2, true, dateModeNone},
	{"ff3", dchFF3, true, dateModeNone},
	{"ff4", dchFF4, true, dateModeNone},
	{"ff5", dchFF5, true, dateModeNone},
	{"ff6", dchFF6, true, dateModeNone},
	{"fx", dchFX, false, dateModeNone},
	{"hh24", dchHH24, true, dateModeNone},
	{"hh12", dchHH12, true, dateModeNone},
	{"hh", dchHH, true, dateModeNone},
	{"iddd", dchIDDD, true, dateModeISOWeek},
	{"id", dchID, true, dateModeISOWeek},
	{"iw", dchIW, true, dateModeISOWeek},
	{"iyyy", dchIYYY, true, dateModeISOWeek},
	{"iyy", dchIYY, true, dateModeISOWeek},
	{"iy", dchIY, true, dateModeISOWeek},
	{"i", dchI, true, dateModeISOWeek},
	{"j", dchJ, true, dateModeNone},
	{"mi", dchMI, true, dateModeNone},
	{"mm", dchMM, true, dateModeGregorian},
	{"month", dchMonthLower, false, dateModeGregorian},
	{"mon", dchMonLower, false, dateModeGregorian},
	{"ms", dchMS, true, dateModeNone},
	{"of", dchOF, false, dateModeNone},
	{"p.m.", dchAMDotsLower, false, dateModeNone},
	{"pm", dchAMLower, false, dateModeNone},
	{"q", dchQ, true, dateModeNone},
	{"rm", dchRMLower, false, dateModeGregorian},
	{"sssss", dchSSSS, true, dateModeNone},
	{"ssss", dchSSSS, true, dateModeNone},
	{"ss", dchSS, true, dateModeNone},
	{"tzh", dchTZH, false, dateModeNone},
	{"tzm", dchTZM, true, dateModeNone},
	{"tz", dchTZLower, false, dateModeNone},
	{"us", dchUS, true, dateModeNone},
	{"ww", dchWW, true, dateModeGregorian},
	{"w", dchW, true, dateModeGregorian},
	{"y,yyy", dchYComma, true, dateModeGregorian},
	{"yyyy", dchYYYY, true, dateModeGregorian},
	{"yyy", dchYYY, true, dateModeGregorian},
	{"yy", dchYY, true, dateModeGregorian},
	{"y", dchY, true, dateModeGregorian},
}

var dateKeywordIndex = newKeywordIndex(dateKeywords)

var (
	monthNames     = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	monthAbbrevs   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	dayNames       = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	dayAbbrevs     = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	romanMonths    = []string{"XII", "XI", "X", "IX", "VIII", "VII", "VI", "V", "IV", "III", "II", "I"}
	romanMonthsLow = []string{"xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i"}
)

// meridiemWords and eraWords are the before-noon and after-noon, and the
// AD and BC, spellings of the keyword families.
var (
	meridiemWords = map[int][2]string{dchAMDots: {"A.M.", "P.M."}, dchAM: {"AM", "PM"}, dchAMDotsLower: {"a.m.", "p.m."}, dchAMLower: {"am", "pm"}}
	eraWords      = map[int][2]string{dchADDots: {"A.D.", "B.C."}, dchAD: {"AD", "BC"}, dchADDotsLower: {"a.d.", "b.c."}, dchADLower: {"ad", "bc"}}
)

// brokenDownTime is a timestamp or an interval in fields (struct pg_tm).
// Years are astronomical (0 is 1 BC); for an interval the fields are its
// parts, which may be negative.
type brokenDownTime struct {
	year, mon, mday int
	hour            int64
	min, sec        int
	usec            int
	yday, wday      int
	gmtoff          int // seconds east of UTC
	zone            string
}

// julianDayOffset is the Julian day number of 1970-01-01.
const julianDayOffset = 2440588

// dateToJulian is PostgreSQL's date2j, which carries months outside
// 1..12 (as an interval's fields give) its own way.
func dateToJulian(year, mon, mday int) int64 {
	y, m := int64(year), int64(mon)
	if m > 2 {
		m++
		y += 4800
	} else {
		m += 13
		y += 4799
	}
	century := y / 100
	j := y*365 - 32167
	j += y/4 - century + century/4
	return j + 7834*m/256 + int64(mday)
}

func julianToDate(j int64) (year, mon, mday int) {
	y, m, d := types.DaysToDate(j - julianDayOffset)
	return y, int(m), d
}

// julianWeekday is j2day: 0 for Sunday.
func julianWeekday(j int64) int { return int(floorMod(j+1, 7)) }

func timestampFields(us int64, withZone bool) brokenDownTime {
	days, tod := floorDiv(us, types.MicrosPerDay), floorMod(us, types.MicrosPerDay)
	y, m, d := types.DaysToDate(days)
	tm := brokenDownTime{
		year: y, mon: int(m), mday: d,
		hour: tod / types.MicrosPerHour,
		min:  int(tod / types.MicrosPerMinute % 60),
		sec:  int(tod / types.MicrosPerSecond % 60),
		usec: int(tod % types.MicrosPerSecond),
		yday: int(days-types.DateToDays(y, 1, 1)) + 1,
		wday: julianWeekday(days + julianDayOffset),
	}
	if withZone {
		tm.zone = sessionZoneName
	}
	return tm
}

func intervalFields(iv types.IntervalValue) brokenDownTime {
	t := iv.Micros
	tm := brokenDownTime{
		year: int(iv.Months / 12), mon: int(iv.Months % 12), mday: int(iv.Days),
		hour: t / types.MicrosPerHour,
	}
	t -= tm.hour * types.MicrosPerHour
	tm.min = int(t / types.MicrosPerMinute)
	t -= int64(tm.min) * types.MicrosPerMinute
	tm.sec = int(t / types.MicrosPerSecond)
	tm.usec = int(t - int64(tm.sec)*types.MicrosPerSecond)
	// wday means nothing here; yday approximates the span in days.
	tm.yday = (tm.year*12+tm.mon)*daysPerMonth + tm.mday
	return tm
}

// isoWeekStart is isoweek2j: the Julian day of the Monday of ISO week
// week of year.
func isoWeekStart(year, week int) int64 {
	day4 := dateToJulian(year, 1, 4)
	day0 := int64(julianWeekday(day4 - 1))
	return int64(week-1)*7 + day4 - day0
}

// isoWeekAndYear is date2isoweek and date2isoyear.
func isoWeekAndYear(year, mon, mday int) (week, isoYear int) {
	dayn := dateToJulian(year, mon, mday)
	day4 := dateToJulian(year, 1, 4)
	day0 := int64(julianWeekday(day4 - 1))
	isoYear = year
	if dayn < day4-day0 {
		day4 = dateToJulian(year-1, 1, 4)
		day0 = int64(julianWeekday(day4 - 1))
		isoYear--
	}
	week = int((dayn-(day4-day0))/7) + 1
	if week >= 52 {
		day4 = dateToJulian(isoYear+1, 1, 4)
		day0 = int64(julianWeekday(day4 - 1))
		if dayn >= day4-day0 {
			week = int((dayn-(day4-day0))/7) + 1
			isoYear++
		}
	}
	return week, isoYear
}

func isoYearDay(year, mon, mday int) int {
	_, iy := isoWeekAndYear(year, mon, mday)
	return int(dateToJulian(year, mon, mday)-isoWeekStart(iy, 1)) + 1
}

func invalidForInterval() error {
	return pgerr.New(pgerr.InvalidDatetimeFormat, "invalid format specification for an interval value").
		WithHint("Intervals are not tied to specific calendar dates.")
}

// padInt is sprintf("%0*d", width, v).
func padInt(v int64, width int) string {
	s := strconv.FormatInt(absInt64(v), 10)
	sign := ""
	if v < 0 {
		sign = "-"
		width--
	}
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return sign + s
}

// signedWidth is the width PostgreSQL pads a field to: one more for a
// minus sign, none in fill mode.
func signedWidth(fm bool, v int64, width int) int {
	switch {
	case fm:
		return 0
	case v < 0:
		return width + 1
	}
	return width
}

// padName is sprintf("%-9s") unless in fill or translation mode.
func padName(name string, suffix int) string {
	if suffix&(suffixFM|suffixTM) != 0 || len(name) >= 9 {
		return name
	}
	return name + strings.Repeat(" ", 9-len(name))
}

// adjustYear is ADJUST_YEAR: BC years count from 1 for timestamps.
func adjustYear(year int, interval bool) int {
	if !interval && year <= 0 {
		return 1 - year
	}
	return year
}

// formatDateTime is DCH_to_char.
func formatDateTime(nodes []templateNode, tm brokenDownTime, interval bool) (string, error) {
	var b strings.Builder
	for i := range nodes {
		n := &nodes[i]
		if n.kind != nodeAction {
			b.WriteString(n.char)
			continue
		}
		fm := n.suffix&suffixFM != 0
		num := ""
		isNum := true
		pm := tm.hour%24 >= 12
		switch n.key.id {
		case dchAMDots, dchAM, dchAMDotsLower, dchAMLower:
			isNum = false
			s := meridiemWords[n.key.id]
			if pm {
				b.WriteString(s[1])
			} else {
				b.WriteString(s[0])
			}
		case dchHH, dchHH12:
			h := tm.hour % 12
			if h == 0 {
				h = 12
			}
			num = padInt(h, signedWidth(fm, tm.hour, 2))
		case dchHH24:
			num = padInt(tm.hour, signedWidth(fm, tm.hour, 2))
		case dchMI:
			num = padInt(int64(tm.min), signedWidth(fm, int64(tm.min), 2))
		case dchSS:
			num = padInt(int64(tm.sec), signedWidth(fm, int64(tm.sec), 2))
		case dchFF1:
			num = padInt(int64(tm.usec/100000), 1)
		case dchFF2:
			num = padInt(int64(tm.usec/10000), 2)
		case dchFF3, dchMS:
			num = padInt(int64(tm.usec/1000), 3)
		case dchFF4:
			num = padInt(int64(tm.usec/100), 4)
		case dchFF5:
			num = padInt(int64(tm.usec/10), 5)
		case dchFF6, dchUS:
			num = padInt(int64(tm.usec), 6)
		case dchSSSS:
			num = strconv.FormatInt(tm.hour*3600+int64(tm.min)*60+int64(tm.sec), 10)
		case dchTZ, dchTZLower:
			if interval {
				return "", invalidForInterval()
			}
			isNum = false
			if n.key.id == dchTZLower {
				b.WriteString(strings.ToLower(tm.zone))
			} else {
				b.WriteString(tm.zone)
			}
		case dchTZH, dchTZM, dchOF:
			if interval {
				return "", invalidForInterval()
			}
			isNum = false
			sign, off := byte('+'), tm.gmtoff
			if off < 0 {
				sign, off = '-', -off
			}
			switch n.key.id {
			case dchTZH:
				b.WriteByte(sign)
				b.WriteString(padInt(int64(off/3600), 2))
			case dchTZM:
				b.WriteString(padInt(int64(off%3600/60), 2))
			default:
				b.WriteByte(sign)
				width := 2
				if fm {
					width = 0
				}
				b.WriteString(padInt(int64(off/3600), width))
				if off%3600 != 0 {
					b.WriteString(":" + padInt(int64(off%3600/60), 2))
				}
			}
		case dchADDots, dchAD, dchADDotsLower, dchADLower:
			if interval {
				return "", invalidForInterval()
			}
			isNum = false
			s := eraWords[n.key.id]
			if tm.year <= 0 {
				b.WriteString(s[1])
			} else {
				b.WriteString(s[0])
			}
		case dchMONTH, dchMonth, dchMonthLower, dchMON, dchMon, dchMonLower:
			if interval {
				return "", invalidForInterval()
			}
			isNum = false
			if tm.mon == 0 {
				break
			}
			switch n.key.id {
			case dchMONTH:
				b.WriteString(padName(strings.ToUpper(monthNames[tm.mon-1]), n.suffix))
			case dchMonth:
				b.WriteString(padName(monthNames[tm.mon-1], n.suffix))
			case dchMonthLower:
				b.WriteString(padName(strings.ToLower(monthNames[tm.mon-1]), n.suffix))
			case dchMON:
				b.WriteString(strings.ToUpper(monthAbbrevs[tm.mon-1]))
			case dchMon:
				b.WriteString(monthAbbrevs[tm.mon-1])
			default:
				b.WriteString(strings.ToLower(monthAbbrevs[tm.mon-1]))
			}
		case dchMM:
			num = padInt(int64(tm.mon), signedWidth(fm, int64(tm.mon), 2))
		case dchDAY, dchDay, dchDayLower, dchDY, dchDy, dchDyLower:
			if interval {
				return "", invalidForInterval()
			}
			isNum = false
			switch n.key.id {
			case dchDAY:
				b.WriteString(padName(strings.ToUpper(dayNames[tm.wday]), n.suffix))
			case dchDay:
				b.WriteString(padName(dayNames[tm.wday], n.suffix))
			case dchDayLower:
				b.WriteString(padName(strings.ToLower(dayNames[tm.wday]), n.suffix))
			case dchDY:
				b.WriteString(strings.ToUpper(dayAbbrevs[tm.wday]))
			case dchDy:
				b.WriteString(dayAbbrevs[tm.wday])
			default:
				b.WriteString(strings.ToLower(dayAbbrevs[tm.wday]))
			}
		case dchDDD:
			num = padInt(int64(tm.yday), fixedWidth(fm, 3))
		case dchIDDD:
			num = padInt(int64(isoYearDay(tm.year, tm.mon, tm.mday)), fixedWidth(fm, 3))
		case dchDD:
			num = padInt(int64(tm.mday), fixedWidth(fm, 2))
		case dchD:
			if interval {
				return "", invalidForInterval()
			}
			num = strconv.Itoa(tm.wday + 1)
		case dchID:
			if interval {
				return "", invalidForInterval()
			}
			d := tm.wday
			if d == 0 {
				d = 7
			}
			num = strconv.Itoa(d)
		case dchWW:
			num = padInt(int64((tm.yday-1)/7+1), fixedWidth(fm, 2))
		case dchIW:
			w, _ := isoWeekAndYear(tm.year, tm.mon, tm.mday)
			num = padInt(int64(w), fixedWidth(fm, 2))
		case dchQ:
			if tm.mon == 0 {
				isNum = false
				break
			}
			num = strconv.Itoa((tm.mon-1)/3 + 1)
		case dchCC:
			var c int
			switch {
			case interval:
				c = tm.year / 100
			case tm.year > 0:
				c = (tm.year-1)/100 + 1
			default:
				c = tm.year/100 - 1
			}
			if c <= 99 && c >= -99 {
				num = padInt(int64(c), signedWidth(fm, int64(c), 2))
			} else {
				num = strconv.Itoa(c)
			}
		case dchYComma:
			y := adjustYear(tm.year, interval)
			num = strconv.Itoa(y/1000) + "," + padInt(int64(y-y/1000*1000), 3)
		case dchYYYY, dchYYY, dchYY, dchY, dchIYYY, dchIYY, dchIY, dchI:
			year := tm.year
			switch n.key.id {
			case dchIYYY, dchIYY, dchIY, dchI:
				_, year = isoWeekAndYear(tm.year, tm.mon, tm.mday)
			}
			y := int64(adjustYear(year, interval))
			// The width follows the calendar year's sign, also for the
			// ISO year.
			ws := int64(adjustYear(tm.year, interval))
			switch n.key.id {
			case dchYYYY, dchIYYY:
				num = padInt(y, signedWidth(fm, ws, 4))
			case dchYYY, dchIYY:
				num = padInt(y%1000, signedWidth(fm, ws, 3))
			case dchYY, dchIY:
				num = padInt(y%100, signedWidth(fm, ws, 2))
			default:
				num = strconv.FormatInt(y%10, 10)
			}
		case dchRM, dchRMLower:
			isNum = false
			if tm.mon == 0 && tm.year == 0 {
				break
			}
			var k int
			switch {
			case tm.mon == 0:
				k = 0
				if tm.year < 0 {
					k = 11
				}
			case tm.mon < 0:
				k = -(tm.mon + 1)
			default:
				k = 12 - tm.mon
			}
			names := romanMonths
			if n.key.id == dchRMLower {
				names = romanMonthsLow
			}
			name := names[k]
			if !fm && len(name) < 4 {
				name += strings.Repeat(" ", 4-len(name))
			}
			b.WriteString(name)
		case dchW:
			num = strconv.Itoa((tm.mday-1)/7 + 1)
		case dchJ:
			num = strconv.FormatInt(dateToJulian(tm.year, tm.mon, tm.mday), 10)
		default:
			isNum = false // FX, and SP which to_char ignores
		}
		if isNum && num != "" {
			b.WriteString(num)
			if n.suffix&(suffixTHUpper|suffixTHLower) != 0 {
				b.WriteString(ordinalSuffix(num, n.suffix&suffixTHUpper != 0))
			}
		}
	}
	return b.String(), nil
}

func fixedWidth(fm bool, width int) int {
	if fm {
		return 0
	}
	return width
}

func parseDateTemplate(format string) ([]templateNode, error) {
	return parseTemplate(format, dateKeywordIndex, true, nil)
}

func init() {
	text, ts, tstz, iv := types.TText, types.TTimestamp, types.TTimestampTZ, types.TInterval
	timestampToChar := func(withZone bool) funcImpl {
		return templateImpl(ints, strs, parseDateTemplate, func(us int64, format string, nodes []templateNode) (string, bool, error) {
			// An empty template and the infinities give NULL.
			if format == "" || !types.IsFinite(us) {
				return "", false, nil
			}
			s, err := formatDateTime(nodes, timestampFields(us, withZone), false)
			return s, err == nil, err
		})
	}
	register([]funcSig{
		fn(text, timestampToChar(false), ts, text),
		fn(text, timestampToChar(true), tstz, text),
		fn(text, templateImpl(intervals, strs, parseDateTemplate, func(v types.IntervalValue, format string, nodes []templateNode) (string, bool, error) {
			if format == "" {
				return "", false, nil
			}
			s, err := formatDateTime(nodes, intervalFields(v), true)
			return s, err == nil, err
		}), iv, text),
	}, "to_char")
}
