package functions

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// to_timestamp(text, text) and to_date read a string by a template, as
// PostgreSQL's DCH_from_char and do_to_timestamp do: outside FX mode
// spaces before fields are skipped, one template space or separator
// matches at most one input space or separator, and a number ends at the
// next non-digit when fill mode or the next node allows it.

// parsedFields is what the input gave (TmFromChar); zero means not given.
type parsedFields struct {
	mode                 dateMode
	hh, pm, mi, ss, ssss int
	d, dd, ddd, mm, ms   int
	year, bc, ww, w, cc  int
	j, us, yysz          int
	twelveHour           bool
	tzsign, tzh, tzm, ff int
}

var (
	ampmShort  = []string{"am", "pm", "AM", "PM"}
	ampmLong   = []string{"a.m.", "p.m.", "A.M.", "P.M."}
	adbcShort  = []string{"ad", "bc", "AD", "BC"}
	adbcLong   = []string{"a.d.", "b.c.", "A.D.", "B.C."}
	romanLower = romanMonthsLow
)

func formatError(format string, args ...any) *pgerr.Error {
	return pgerr.New(pgerr.InvalidDatetimeFormat, format, args...)
}

func withDetail(e *pgerr.Error, detail string) *pgerr.Error {
	e.Detail = detail
	return e
}

// setField is from_char_set_int: a field given twice must agree.
func setField(dest *int, value int, n *templateNode) error {
	if *dest != 0 && *dest != value {
		return withDetail(formatError("conflicting values for \"%s\" field in formatting string", n.key.name),
			"This value contradicts a previous setting for the same field type.")
	}
	*dest = value
	return nil
}

// nextIsSeparator is is_next_separator: whether the input after node i
// is known not to be a digit.
func nextIsSeparator(nodes []templateNode, i int) bool {
	if nodes[i].kind == nodeAction && nodes[i].suffix&(suffixTHUpper|suffixTHLower) != 0 {
		return true
	}
	if i+1 >= len(nodes) {
		return true
	}
	n := &nodes[i+1]
	if n.kind == nodeAction {
		return !n.key.isDigit
	}
	return !(len(n.char) == 1 && n.char[0] >= '0' && n.char[0] <= '9')
}

// strtol reads an optionally signed decimal integer after white space,
// as C's strtol does; ok is false when no digits follow, and overflow is
// set beyond the range of a long.
func strtol(s string) (v int64, used int, overflow bool) {
	i := 0
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var acc uint64
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if acc > (math.MaxUint64-d)/10 || acc*10+d > 1<<63 {
			overflow = true
		} else {
			acc = acc*10 + d
		}
		i++
	}
	if i == start {
		return 0, 0, false
	}
	if !neg && acc > math.MaxInt64 {
		overflow = true
	}
	if neg {
		return -int64(acc), i, overflow
	}
	return int64(acc), i, overflow
}

// parseIntField is from_char_parse_int_len: it reads an integer of width
// characters (or as many digits as there are, in fill mode or before a
// separator) and returns how many characters it consumed.
func parseIntField(dest *int, s *string, width int, nodes []templateNode, i int) (int, error) {
	n := &nodes[i]
	init := *s
	rest := strings.TrimLeft(init, " \t\n\r\v\f")
	copyLen := min(width, len(rest))
	cp := rest[:copyLen]
	var result int64
	var overflow bool
	if n.suffix&suffixFM != 0 || nextIsSeparator(nodes, i) {
		v, used, of := strtol(init)
		result, overflow = v, of
		*s = init[used:]
	} else {
		if copyLen < width {
			e := withDetail(formatError("source string too short for \"%s\" formatting field", n.key.name),
				"Field requires "+strconv.Itoa(width)+" characters, but only "+strconv.Itoa(copyLen)+" remain.")
			return 0, e.WithHint("If your source string is not fixed-width, try using the \"FM\" modifier.")
		}
		v, used, of := strtol(cp)
		result, overflow = v, of
		if used > 0 && used < width {
			e := withDetail(formatError("invalid value \"%s\" for \"%s\"", cp, n.key.name),
				"Field requires "+strconv.Itoa(width)+" characters, but only "+strconv.Itoa(used)+" could be parsed.")
			return 0, e.WithHint("If your source string is not fixed-width, try using the \"FM\" modifier.")
		}
		*s = rest[used:]
	}
	if len(*s) == len(init) {
		return 0, withDetail(formatError("invalid value \"%s\" for \"%s\"", cp, n.key.name), "Value must be an integer.")
	}
	if overflow || result < math.MinInt32 || result > math.MaxInt32 {
		return 0, withDetail(pgerr.New(pgerr.DatetimeFieldOverflow, "value for \"%s\" in source string is out of range", n.key.name),
			"Value must be in the range -2147483648 to 2147483647.")
	}
	if dest != nil {
		if err := setField(dest, int(result), n); err != nil {
			return 0, err
		}
	}
	return len(init) - len(*s), nil
}

// searchWord is seq_search_ascii: the index of the first word that
// starts s, ignoring ASCII case, and its length.
func searchWord(s string, words []string) (int, int) {
	for i, w := range words {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) {
			return i, len(w)
		}
	}
	return -1, 0
}

func parseWordField(s *string, words []string, n *templateNode) (int, error) {
	k, l := searchWord(*s, words)
	if l <= 0 {
		word := *s
		if i := strings.IndexAny(word, " \t\n\r\v\f"); i >= 0 {
			word = word[:i]
		}
		return 0, withDetail(formatError("invalid value \"%s\" for \"%s\"", word, n.key.name),
			"The given value did not match any of the allowed values for this field.")
	}
	*s = (*s)[l:]
	return k, nil
}

// skipOrdinal skips the two characters of a TH suffix.
func skipOrdinal(s *string, n *templateNode) {
	if n.suffix&(suffixTHUpper|suffixTHLower) == 0 {
		return
	}
	for range 2 {
		if *s != "" {
			*s = (*s)[runeLen(*s):]
		}
	}
}

// runeLen is the length of the character s starts with (pg_mblen); at
// least one byte, so that invalid UTF-8 still advances.
func runeLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return max(n, 1)
}

// adjustPartialYear is adjust_partial_year_to_2020.
func adjustPartialYear(year int) int {
	switch {
	case year < 70:
		return year + 2000
	case year < 100:
		return year + 1900
	case year < 520:
		return year + 2000
	case year < 1000:
		return year + 1000
	}
	return year
}

// readDateTime is DCH_from_char.
func readDateTime(nodes []templateNode, in string, out *parsedFields) error {
	s := in
	fx := false
	extraSkip := 0
	for i := 0; i < len(nodes) && s != ""; i++ {
		n := &nodes[i]
		if !fx && (n.kind != nodeAction || n.key.id != dchFX) && (n.kind == nodeAction || i == 0) {
			for s != "" && isSpaceByte(s[0]) {
				s = s[1:]
				extraSkip++
			}
		}
		if n.kind == nodeSpace || n.kind == nodeSeparator {
			if !fx {
				extraSkip--
				if s != "" && (isSpaceByte(s[0]) || isSeparatorChar(s[0])) {
					s = s[1:]
					extraSkip++
				}
			} else if s != "" {
				s = s[runeLen(s):]
			}
			continue
		}
		if n.kind != nodeAction {
			if !fx && extraSkip > 0 {
				extraSkip--
			} else if s != "" {
				s = s[runeLen(s):]
			}
			continue
		}
		if n.key.mode != dateModeNone {
			if out.mode == dateModeNone {
				out.mode = n.key.mode
			} else if out.mode != n.key.mode {
				return formatError("invalid combination of date conventions").
					WithHint("Do not mix Gregorian and ISO week date conventions in a formatting template.")
			}
		}
		var err error
		var value int
		intField := func(dest *int, width int) int {
			if err != nil {
				return 0
			}
			var used int
			used, err = parseIntField(dest, &s, width, nodes, i)
			return used
		}
		wordField := func(words []string) int {
			if err != nil {
				return 0
			}
			value, err = parseWordField(&s, words, n)
			return value
		}
		switch n.key.id {
		case dchFX:
			fx = true
		case dchAMDots, dchAMDotsLower, dchAM, dchAMLower:
			words := ampmShort
			if n.key.id == dchAMDots || n.key.id == dchAMDotsLower {
				words = ampmLong
			}
			v := wordField(words)
			if err == nil {
				err = setField(&out.pm, v%2, n)
			}
			out.twelveHour = true
		case dchHH, dchHH12:
			intField(&out.hh, 2)
			out.twelveHour = true
			skipOrdinal(&s, n)
		case dchHH24:
			intField(&out.hh, 2)
			skipOrdinal(&s, n)
		case dchMI:
			intField(&out.mi, len(n.key.name))
			skipOrdinal(&s, n)
		case dchSS:
			intField(&out.ss, len(n.key.name))
			skipOrdinal(&s, n)
		case dchMS:
			// 25 is 0.25 s, as is 250; 025 is 0.025 s.
			switch intField(&out.ms, 3) {
			case 1:
				out.ms *= 100
			case 2:
				out.ms *= 10
			}
			skipOrdinal(&s, n)
		case dchFF1, dchFF2, dchFF3, dchFF4, dchFF5, dchFF6, dchUS:
			width := 6
			if n.key.id != dchUS {
				out.ff = n.key.id - dchFF1 + 1
				width = out.ff
			}
			l := intField(&out.us, width)
			if l >= 1 && l <= 5 {
				out.us *= int(math.Pow10(6 - l))
			}
			skipOrdinal(&s, n)
		case dchSSSS:
			intField(&out.ssss, len(n.key.name))
			skipOrdinal(&s, n)
		case dchTZ, dchTZLower, dchOF:
			return pgerr.New(pgerr.FeatureNotSupported, "formatting field \"%s\" is only supported in to_char", n.key.name)
		case dchTZH:
			// A minus skipped as a separator before TZH is its sign.
			if s != "" && (s[0] == '+' || s[0] == '-' || s[0] == ' ') {
				out.tzsign = 1
				if s[0] == '-' {
					out.tzsign = -1
				}
				s = s[1:]
			} else if extraSkip > 0 && len(in)-len(s) > 0 && in[len(in)-len(s)-1] == '-' {
				out.tzsign = -1
			} else {
				out.tzsign = 1
			}
			intField(&out.tzh, 2)
		case dchTZM:
			if out.tzsign == 0 {
				out.tzsign = 1
			}
			intField(&out.tzm, 2)
		case dchADDots, dchADDotsLower, dchAD, dchADLower:
			words := adbcShort
			if n.key.id == dchADDots || n.key.id == dchADDotsLower {
				words = adbcLong
			}
			v := wordField(words)
			if err == nil {
				err = setField(&out.bc, v%2, n)
			}
		case dchMONTH, dchMonth, dchMonthLower:
			v := wordField(monthNames)
			if err == nil {
				err = setField(&out.mm, v+1, n)
			}
		case dchMON, dchMon, dchMonLower:
			v := wordField(monthAbbrevs)
			if err == nil {
				err = setField(&out.mm, v+1, n)
			}
		case dchMM:
			intField(&out.mm, len(n.key.name))
			skipOrdinal(&s, n)
		case dchDAY, dchDay, dchDayLower:
			v := wordField(dayNames)
			if err == nil {
				err = setField(&out.d, v, n)
			}
			out.d++
		case dchDY, dchDy, dchDyLower:
			v := wordField(dayAbbrevs)
			if err == nil {
				err = setField(&out.d, v, n)
			}
			out.d++
		case dchDDD:
			intField(&out.ddd, len(n.key.name))
			skipOrdinal(&s, n)
		case dchIDDD:
			intField(&out.ddd, 3)
			skipOrdinal(&s, n)
		case dchDD:
			intField(&out.dd, len(n.key.name))
			skipOrdinal(&s, n)
		case dchD:
			intField(&out.d, len(n.key.name))
			skipOrdinal(&s, n)
		case dchID:
			intField(&out.d, 1)
			if out.d++; out.d > 7 {
				out.d = 1
			}
			skipOrdinal(&s, n)
		case dchWW, dchIW:
			intField(&out.ww, len(n.key.name))
			skipOrdinal(&s, n)
		case dchQ:
			// The quarter is read and ignored: which date of it would be
			// meant is unclear, and a month may be given too.
			intField(nil, len(n.key.name))
			skipOrdinal(&s, n)
		case dchCC:
			intField(&out.cc, len(n.key.name))
			skipOrdinal(&s, n)
		case dchYComma:
			millennia, used1, _ := strtol(s)
			ok := used1 > 0 && used1 < len(s) && s[used1] == ','
			var years int64
			used2 := 0
			if ok {
				years, used2 = scanWidthInt(s[used1+1:], 3)
				ok = used2 > 0
			}
			if !ok {
				return formatError("invalid input string for \"Y,YYY\"")
			}
			if err = setField(&out.year, int(years+millennia*1000), n); err == nil {
				out.yysz = 4
				s = s[used1+1+used2:]
				skipOrdinal(&s, n)
			}
		case dchYYYY, dchIYYY:
			intField(&out.year, len(n.key.name))
			out.yysz = 4
			skipOrdinal(&s, n)
		case dchYYY, dchIYY, dchYY, dchIY, dchY, dchI:
			l := intField(&out.year, len(n.key.name))
			if err == nil && l < 4 {
				out.year = adjustPartialYear(out.year)
			}
			out.yysz = len(n.key.name)
			skipOrdinal(&s, n)
		case dchRM, dchRMLower:
			v := wordField(romanLower)
			if err == nil {
				err = setField(&out.mm, 12-v, n)
			}
		case dchW:
			intField(&out.w, len(n.key.name))
			skipOrdinal(&s, n)
		case dchJ:
			intField(&out.j, len(n.key.name))
			skipOrdinal(&s, n)
		}
		if err != nil {
			return err
		}
		if !fx {
			extraSkip = 0
			for s != "" && isSpaceByte(s[0]) {
				s = s[1:]
				extraSkip++
			}
		}
	}
	return nil
}

// scanWidthInt is sscanf's %03d: an optionally signed integer of at most
// width characters after white space.
func scanWidthInt(s string, width int) (int64, int) {
	i := 0
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	limit := min(len(s), i+width)
	v, used, _ := strtol(s[i:limit])
	if used == 0 {
		return 0, 0
	}
	return v, i + used
}

// parsedTime is the result of do_to_timestamp.
type parsedTime struct {
	year, mon, mday, hour, min, sec int
	usec                            int64
	precision                       int // FFn's n, 0 without
	zoneGiven                       bool
	zoneOffset                      int // seconds east of UTC
}

// dateTimeFieldOverflow is PostgreSQL's DTERR_FIELD_OVERFLOW report.
func dateTimeFieldOverflow(s string) error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
}

// toTimestampFields is do_to_timestamp: the template read, then the
// fields combined into a date and time.
func toTimestampFields(in string, nodes []templateNode) (parsedTime, error) {
	tm := parsedTime{mon: 1, mday: 1}
	var f parsedFields
	if err := readDateTime(nodes, in, &f); err != nil {
		return tm, err
	}
	if f.ssss != 0 {
		x := f.ssss
		tm.hour, x = x/3600, x%3600
		tm.min, tm.sec = x/60, x%60
	}
	if f.ss != 0 {
		tm.sec = f.ss
	}
	if f.mi != 0 {
		tm.min = f.mi
	}
	if f.hh != 0 {
		tm.hour = f.hh
	}
	if f.twelveHour {
		if tm.hour < 1 || tm.hour > 12 {
			return tm, formatError("hour \"%d\" is invalid for the 12-hour clock", tm.hour).
				WithHint("Use the 24-hour clock, or give an hour between 1 and 12.")
		}
		if f.pm != 0 && tm.hour < 12 {
			tm.hour += 12
		} else if f.pm == 0 && tm.hour == 12 {
			tm.hour = 0
		}
	}
	const (
		maskYear = 1 << iota
		maskMonth
		maskDay
		maskDate = maskYear | maskMonth | maskDay
	)
	fmask := 0
	switch {
	case f.year != 0:
		if f.cc != 0 && f.yysz <= 2 {
			if f.bc != 0 {
				f.cc = -f.cc
			}
			tm.year = f.year % 100
			switch {
			case tm.year != 0 && f.cc >= 0:
				tm.year += (f.cc - 1) * 100
			case tm.year != 0:
				tm.year = (f.cc+1)*100 - tm.year + 1
			case f.cc >= 0:
				tm.year = f.cc * 100
			default:
				tm.year = f.cc*100 + 1
			}
		} else {
			tm.year = f.year
			if f.bc != 0 {
				tm.year = -tm.year
			}
			if tm.year < 0 {
				tm.year++
			}
		}
		fmask |= maskYear
	case f.cc != 0:
		if f.bc != 0 {
			f.cc = -f.cc
		}
		if f.cc >= 0 {
			tm.year = (f.cc-1)*100 + 1
		} else {
			tm.year = f.cc*100 + 1
		}
		fmask |= maskYear
	}
	if f.j != 0 {
		tm.year, tm.mon, tm.mday = julianToDate(int64(f.j))
		fmask |= maskDate
	}
	if f.ww != 0 {
		if f.mode == dateModeISOWeek {
			j := isoWeekStart(tm.year, f.ww)
			if f.d != 0 {
				if f.d > 1 {
					j += int64(f.d - 2)
				} else {
					j += 6
				}
			}
			tm.year, tm.mon, tm.mday = julianToDate(j)
			fmask |= maskDate
		} else {
			f.ddd = (f.ww-1)*7 + 1
		}
	}
	if f.w != 0 {
		f.dd = (f.w-1)*7 + 1
	}
	if f.dd != 0 {
		tm.mday = f.dd
		fmask |= maskDay
	}
	if f.mm != 0 {
		tm.mon = f.mm
		fmask |= maskMonth
	}
	if f.ddd != 0 && (tm.mon <= 1 || tm.mday <= 1) {
		if tm.year == 0 && f.bc == 0 {
			return tm, formatError("cannot calculate day of year without year information")
		}
		if f.mode == dateModeISOWeek {
			j0 := isoWeekStart(tm.year, 1) - 1
			tm.year, tm.mon, tm.mday = julianToDate(j0 + int64(f.ddd))
			fmask |= maskDate
		} else {
			sum := [13]int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365}
			if isLeapYear(tm.year) {
				sum = [13]int{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}
			}
			i := 1
			for ; i <= 12; i++ {
				if f.ddd <= sum[i] {
					break
				}
			}
			if tm.mon <= 1 {
				tm.mon = i
			}
			if tm.mday <= 1 {
				tm.mday = f.ddd - sum[min(i, 13)-1]
			}
			fmask |= maskMonth | maskDay
		}
	}
	tm.usec = int64(f.ms)*1000 + int64(f.us)
	tm.precision = f.ff
	if fmask&maskMonth != 0 && (tm.mon < 1 || tm.mon > 12) ||
		fmask&maskDay != 0 && (tm.mday < 1 || tm.mday > 31) ||
		fmask&maskDate == maskDate && tm.mday > types.DaysInMonth(tm.year, time.Month(tm.mon)) {
		return tm, dateTimeFieldOverflow(in)
	}
	if tm.hour < 0 || tm.hour >= 24 || tm.min < 0 || tm.min >= 60 || tm.sec < 0 || tm.sec >= 60 ||
		tm.usec < 0 || tm.usec >= types.MicrosPerSecond {
		return tm, dateTimeFieldOverflow(in)
	}
	if f.tzsign != 0 {
		if f.tzh < 0 || f.tzh > 15 || f.tzm < 0 || f.tzm >= 60 {
			return tm, pgerr.New("22009", "time zone displacement out of range: \"%s\"", in)
		}
		tm.zoneGiven = true
		tm.zoneOffset = f.tzsign * (f.tzh*3600 + f.tzm*60)
	}
	return tm, nil
}

func isLeapYear(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// validJulian is IS_VALID_JULIAN: from November 4714 BC to before June
// 5874898, by month; the exact ends are checked later.
func validJulian(y, m int) bool {
	return (y > -4713 || y == -4713 && m >= 11) && (y < 5874898 || y == 5874898 && m < 6)
}

// toTimestamp is to_timestamp(text, text).
func toTimestamp(in, format string) (int64, error) {
	nodes, err := parseDateTemplate(format)
	if err != nil {
		return 0, err
	}
	return readTimestamp(in, nodes)
}

// readTimestamp is to_timestamp with a parsed template.
func readTimestamp(in string, nodes []templateNode) (int64, error) {
	tm, err := toTimestampFields(in, nodes)
	if err != nil {
		return 0, err
	}
	if !validJulian(tm.year, tm.mon) {
		return 0, timestampOutOfRange()
	}
	days := types.DateToDays(tm.year, time.Month(tm.mon), tm.mday)
	// Days beyond these bounds overflow the microseconds; ValidTimestamp
	// decides the rest.
	if days > math.MaxInt64/types.MicrosPerDay-1 || days < math.MinInt64/types.MicrosPerDay+1 {
		return 0, timestampOutOfRange()
	}
	local := days*types.MicrosPerDay + int64(tm.hour)*types.MicrosPerHour + int64(tm.min)*types.MicrosPerMinute +
		int64(tm.sec)*types.MicrosPerSecond + tm.usec
	// Without a zone in the input the time is the session time zone's,
	// which is UTC.
	us := local - int64(tm.zoneOffset)*types.MicrosPerSecond
	if !types.ValidTimestamp(us) {
		return 0, timestampOutOfRange()
	}
	if tm.precision > 0 {
		us = types.AdjustTime(types.Type{Kind: types.TimestampTZ, Precision: int32(tm.precision) + 1}, us)
	}
	return us, nil
}

// toDate is to_date.
func toDate(in, format string) (int64, error) {
	nodes, err := parseDateTemplate(format)
	if err != nil {
		return 0, err
	}
	return readDate(in, nodes)
}

// readDate is to_date with a parsed template.
func readDate(in string, nodes []templateNode) (int64, error) {
	tm, err := toTimestampFields(in, nodes)
	if err != nil {
		return 0, err
	}
	outOfRange := pgerr.New(pgerr.DatetimeFieldOverflow, "date out of range: \"%s\"", in)
	if !validJulian(tm.year, tm.mon) {
		return 0, outOfRange
	}
	days := types.DateToDays(tm.year, time.Month(tm.mon), tm.mday)
	if !types.ValidDate(days) {
		return 0, outOfRange
	}
	return days, nil
}

func init() {
	text := types.TText
	reader := func(read func(string, []templateNode) (int64, error)) funcImpl {
		return templateImpl(strs, ints, parseDateTemplate, func(in, _ string, nodes []templateNode) (int64, bool, error) {
			v, err := read(in, nodes)
			return v, err == nil, err
		})
	}
	register([]funcSig{fn(types.TTimestampTZ, reader(readTimestamp), text, text)}, "to_timestamp")
	register([]funcSig{fn(types.TDate, reader(readDate), text, text)}, "to_date")
}
