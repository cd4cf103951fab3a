package functions

import (
	"strings"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

// dateUnit is a field name of extract, date_part and date_trunc.
type dateUnit uint8

const (
	unitMicroseconds dateUnit = iota + 1
	unitMilliseconds
	unitSecond
	unitMinute
	unitHour
	unitDay
	unitWeek
	unitMonth
	unitQuarter
	unitYear
	unitDecade
	unitCentury
	unitMillennium
	unitEpoch
	unitJulian
	unitDow
	unitIsodow
	unitDoy
	unitIsoyear
	unitTimezone
	unitTimezoneHour
	unitTimezoneMinute
)

// dateUnits holds the unit spellings PostgreSQL accepts.
var dateUnits = map[string]dateUnit{}

func init() {
	for unit, names := range map[dateUnit]string{
		unitMicroseconds:   "microsecond microseconds us usec usecs useconds",
		unitMilliseconds:   "millisecond milliseconds ms msec msecs mseconds",
		unitSecond:         "second seconds s sec secs",
		unitMinute:         "minute minutes m min mins",
		unitHour:           "hour hours h hr hrs",
		unitDay:            "day days d",
		unitWeek:           "week weeks w",
		unitMonth:          "month months mon mons",
		unitQuarter:        "quarter qtr",
		unitYear:           "year years y yr yrs",
		unitDecade:         "decade decades dec decs",
		unitCentury:        "century centuries c cent",
		unitMillennium:     "millennium millennia mil mils",
		unitEpoch:          "epoch",
		unitJulian:         "julian j",
		unitDow:            "dow",
		unitIsodow:         "isodow",
		unitDoy:            "doy",
		unitIsoyear:        "isoyear",
		unitTimezone:       "timezone",
		unitTimezoneHour:   "timezone_h timezone_hour",
		unitTimezoneMinute: "timezone_m timezone_minute",
	} {
		for _, n := range strings.Fields(names) {
			dateUnits[n] = unit
		}
	}
}

func parseDateUnit(name string, t types.Type) (dateUnit, error) {
	u, ok := dateUnits[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "unit \"%s\" not recognized for type %s", strings.ToLower(name), t.String())
	}
	return u, nil
}

func unitNotSupported(name string, t types.Type) error {
	return pgerr.New(pgerr.FeatureNotSupported, "unit \"%s\" not supported for type %s", strings.ToLower(name), t.String())
}

// civil is a date/time split into calendar fields.
type civil struct {
	year       int // astronomical: 0 is 1 BC
	month      time.Month
	day        int
	days       int64 // since 1970-01-01
	timeOfDay  int64 // microseconds since midnight
	secondPart int64 // seconds and microseconds within the minute, in microseconds
}

func civilOf(ts int64) civil {
	days, tod := floorDiv(ts, types.MicrosPerDay), floorMod(ts, types.MicrosPerDay)
	y, m, d := types.DaysToDate(days)
	return civil{year: y, month: m, day: d, days: days, timeOfDay: tod, secondPart: tod % types.MicrosPerMinute}
}

// unixEpochJulianDay is the Julian day number of 1970-01-01.
const unixEpochJulianDay = 2440588

// dateField computes the calendar fields common to dates and timestamps;
// ok is false for fields a date does not have.
func (c civil) dateField(u dateUnit) (int64, bool) {
	y := int64(c.year)
	switch u {
	case unitDay:
		return int64(c.day), true
	case unitMonth:
		return int64(c.month), true
	case unitQuarter:
		return (int64(c.month)-1)/3 + 1, true
	case unitWeek:
		_, w := time.Date(c.year, c.month, c.day, 0, 0, 0, 0, time.UTC).ISOWeek()
		return int64(w), true
	case unitYear:
		if y > 0 {
			return y, true
		}
		return y - 1, true // there is no year 0: 1 BC is -1
	case unitDecade:
		if y >= 0 {
			return y / 10, true
		}
		return -((8 - (y - 1)) / 10), true
	case unitCentury:
		if y > 0 {
			return (y + 99) / 100, true
		}
		return -((99 - (y - 1)) / 100), true
	case unitMillennium:
		if y > 0 {
			return (y + 999) / 1000, true
		}
		return -((999 - (y - 1)) / 1000), true
	case unitDow:
		return floorMod(c.days+4, 7), true // 1970-01-01 was a Thursday
	case unitIsodow:
		if d := floorMod(c.days+4, 7); d != 0 {
			return d, true
		}
		return 7, true
	case unitDoy:
		return c.days - types.DateToDays(c.year, time.January, 1) + 1, true
	case unitIsoyear:
		iy, _ := time.Date(c.year, c.month, c.day, 0, 0, 0, 0, time.UTC).ISOWeek()
		if iy <= 0 {
			return int64(iy) - 1, true
		}
		return int64(iy), true
	}
	return 0, false
}

// extractTimestamp is EXTRACT from a timestamp (with time zone when tz).
func extractTimestamp(name string, ts int64, t types.Type) (decimal.Decimal, error) {
	u, err := parseDateUnit(name, t)
	if err != nil {
		return decimal.Decimal{}, err
	}
	c := civilOf(ts)
	if v, ok := c.dateField(u); ok {
		return decimal.NewFromInt(v), nil
	}
	switch u {
	case unitMicroseconds:
		return decimal.New(c.secondPart, 0), nil
	case unitMilliseconds:
		return decimal.New(c.secondPart, -3), nil
	case unitSecond:
		return decimal.New(c.secondPart, -6), nil
	case unitMinute:
		return decimal.NewFromInt(c.timeOfDay / types.MicrosPerMinute % 60), nil
	case unitHour:
		return decimal.NewFromInt(c.timeOfDay / types.MicrosPerHour), nil
	case unitEpoch:
		return decimal.New(ts, -6), nil
	case unitJulian:
		frac, _ := numericDiv(decimal.NewFromInt(c.timeOfDay), decimal.NewFromInt(types.MicrosPerDay))
		return decimal.NewFromInt(c.days + unixEpochJulianDay).Add(frac), nil
	case unitTimezone, unitTimezoneHour, unitTimezoneMinute:
		if t.Kind == types.TimestampTZ {
			return decimal.NewFromInt(0), nil // the session time zone is UTC
		}
	}
	return decimal.Decimal{}, unitNotSupported(name, t)
}

// extractDate is EXTRACT from a date, which has no time fields.
func extractDate(name string, days int64) (decimal.Decimal, error) {
	u, err := parseDateUnit(name, types.TDate)
	if err != nil {
		return decimal.Decimal{}, err
	}
	c := civilOf(days * types.MicrosPerDay)
	c.days = days
	if v, ok := c.dateField(u); ok {
		return decimal.NewFromInt(v), nil
	}
	switch u {
	case unitEpoch:
		return decimal.NewFromInt(days * 86400), nil
	case unitJulian:
		return decimal.NewFromInt(days + unixEpochJulianDay), nil
	}
	return decimal.Decimal{}, unitNotSupported(name, types.TDate)
}

// extractInterval is EXTRACT from an interval: its fields as written
// (months split into years and months, time into hours, minutes and
// seconds), or its length in seconds for epoch with 365.25-day years.
func extractInterval(name string, iv types.IntervalValue) (decimal.Decimal, error) {
	u, err := parseDateUnit(name, types.TInterval)
	if err != nil {
		return decimal.Decimal{}, err
	}
	years, months := int64(iv.Months/12), int64(iv.Months%12)
	secondPart := iv.Micros % types.MicrosPerMinute
	switch u {
	case unitMicroseconds:
		return decimal.New(secondPart, 0), nil
	case unitMilliseconds:
		return decimal.New(secondPart, -3), nil
	case unitSecond:
		return decimal.New(secondPart, -6), nil
	case unitMinute:
		return decimal.NewFromInt(iv.Micros / types.MicrosPerMinute % 60), nil
	case unitHour:
		return decimal.NewFromInt(iv.Micros / types.MicrosPerHour), nil
	case unitDay:
		return decimal.NewFromInt(int64(iv.Days)), nil
	case unitMonth:
		return decimal.NewFromInt(months), nil
	case unitQuarter:
		return decimal.NewFromInt(months/3 + 1), nil
	case unitYear:
		return decimal.NewFromInt(years), nil
	case unitDecade:
		return decimal.NewFromInt(years / 10), nil
	case unitCentury:
		return decimal.NewFromInt(years / 100), nil
	case unitMillennium:
		return decimal.NewFromInt(years / 1000), nil
	case unitEpoch:
		// Four times 365.25 days a year and 30 days a month keeps it whole.
		secs := (1461*years + 120*months + 4*int64(iv.Days)) * (86400 / 4)
		return decimal.New(secs, 0).Add(decimal.New(iv.Micros, -6)), nil
	}
	return decimal.Decimal{}, unitNotSupported(name, types.TInterval)
}

// extractTime is EXTRACT from a time of day.
func extractTime(name string, tm int64) (decimal.Decimal, error) {
	u, err := parseDateUnit(name, types.TTime)
	if err != nil {
		return decimal.Decimal{}, err
	}
	secondPart := tm % types.MicrosPerMinute
	switch u {
	case unitMicroseconds:
		return decimal.New(secondPart, 0), nil
	case unitMilliseconds:
		return decimal.New(secondPart, -3), nil
	case unitSecond:
		return decimal.New(secondPart, -6), nil
	case unitMinute:
		return decimal.NewFromInt(tm / types.MicrosPerMinute % 60), nil
	case unitHour:
		return decimal.NewFromInt(tm / types.MicrosPerHour), nil
	case unitEpoch:
		return decimal.New(tm, -6), nil
	}
	return decimal.Decimal{}, unitNotSupported(name, types.TTime)
}

// truncateTimestamp is date_trunc: the timestamp with every field finer
// than the unit reset (weeks start on Monday).
func truncateTimestamp(name string, ts int64, t types.Type) (int64, error) {
	u, err := parseDateUnit(name, t)
	if err != nil {
		return 0, err
	}
	c := civilOf(ts)
	dayStart := c.days * types.MicrosPerDay
	switch u {
	case unitMicroseconds:
		return ts, nil
	case unitMilliseconds:
		return ts - floorMod(ts, 1000), nil
	case unitSecond:
		return ts - floorMod(ts, types.MicrosPerSecond), nil
	case unitMinute:
		return ts - floorMod(ts, types.MicrosPerMinute), nil
	case unitHour:
		return ts - floorMod(ts, types.MicrosPerHour), nil
	case unitDay:
		return dayStart, nil
	case unitWeek:
		return (c.days - floorMod(c.days+3, 7)) * types.MicrosPerDay, nil // 1970-01-05 was a Monday
	}
	y, m := c.year, c.month
	switch u {
	case unitMonth:
	case unitQuarter:
		m = 3*((m-1)/3) + 1
	case unitYear:
		m = time.January
	case unitDecade:
		if y > 0 {
			y = (y / 10) * 10
		} else {
			y = -((8 - (y - 1)) / 10) * 10
		}
		m = time.January
	case unitCentury:
		if y > 0 {
			y = ((y+99)/100)*100 - 99
		} else {
			y = -((99-(y-1))/100)*100 + 1
		}
		m = time.January
	case unitMillennium:
		if y > 0 {
			y = ((y+999)/1000)*1000 - 999
		} else {
			y = -((999-(y-1))/1000)*1000 + 1
		}
		m = time.January
	default:
		return 0, pgerr.New(pgerr.InvalidParameterValue, "unit \"%s\" not recognized for type %s", strings.ToLower(name), t.String())
	}
	r := types.DateToDays(y, m, 1) * types.MicrosPerDay
	if !types.ValidTimestamp(r) {
		return 0, timestampOutOfRange()
	}
	return r, nil
}
