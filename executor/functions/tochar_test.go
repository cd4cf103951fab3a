package functions

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// The expected values are PostgreSQL 15's answers to the same calls.

func numberToCharForTest(t *testing.T, v any, format string) (string, error) {
	t.Helper()
	tmpl, err := parseNumberTemplate(format)
	if err != nil {
		return "", err
	}
	var o numberOutput
	switch x := v.(type) {
	case string:
		d := decimal.New(0, specialNumericExponent)
		switch x {
		case "Infinity":
			d = decimal.New(1, specialNumericExponent)
		case "-Infinity":
			d = decimal.New(-1, specialNumericExponent)
		case "NaN":
		default:
			d = decimal.RequireFromString(x)
		}
		o, err = numericToChar(d, tmpl)
	case int32:
		o, err = integerToChar(int64(x), tmpl, 32)
	case int64:
		o, err = integerToChar(x, tmpl, 64)
	case float32:
		o = floatToChar(float64(x), tmpl, true)
	case float64:
		o = floatToChar(x, tmpl, false)
	}
	if err != nil {
		return "", err
	}
	return writeNumber(tmpl, o)
}

func TestNumberToChar(t *testing.T) {
	for _, c := range []struct {
		value  any
		format string
		want   string
	}{
		{"1234567.891", "9G999G999D99", " 1,234,567.89"},
		{"-0.5", "FM990.99PR", "<0.5>"},
		{int32(485), "RN", "        CDLXXXV"},
		{int32(485), "FMrn", "cdlxxxv"},
		{int64(12), "FM99th", "12th"},
		{-12.345, "S999.9", " -12.3"},
		{"0.000123", "9.99EEEE", " 1.23e-04"},
		{int32(123456), "99.9", " ##.#"},
		{float32(3.5), "9V99", " 350"},
		{math.NaN(), "MI99.99", " ##.##"},
		{float32(math.Inf(1)), "MI99.99", " ##."},
		{math.Inf(-1), "MI9999999999.99", "-  Infinity"},
		{math.NaN(), "9.999EEEE", " #.#######"},
		{"NaN", "999V9", "  NaN"},
		{"Infinity", "FM9999", "####"},
		{"-Infinity", "MI9999999999.99", "-  Infinity"},
		{"-Infinity", "9.999EEEE", " #.#######"},
	} {
		got, err := numberToCharForTest(t, c.value, c.format)
		if err != nil || got != c.want {
			t.Errorf("to_char(%v, %q) = %q, %v; want %q", c.value, c.format, got, err, c.want)
		}
	}
}

func TestDateTimeToChar(t *testing.T) {
	for _, c := range []struct {
		value  string
		t      types.Type
		format string
		want   string
	}{
		{"2024-02-29 13:05:09.123456", types.TTimestamp, "FMDay, DDth FMMonth YYYY HH12:MI:SS.US AM", "Thursday, 29th February 2024 01:05:09.123456 PM"},
		{"0044-03-15 12:00:00 BC", types.TTimestamp, "YYYY BC IYYY-IW-ID CC", "0044 BC 0044-11-5 -01"},
		{"2005-01-01 00:00:00+00", types.TTimestampTZ, "IYYY IW J TZ OF", "2004 53 2453372 UTC +00"},
		{"-13 months -2 days -01:00:00", types.TInterval, "YYYY MM DD HH24 rm", "-0001 -01 -2 -01 xii "},
	} {
		d, err := types.ParseText(c.t, c.value)
		if err != nil {
			t.Fatal(err)
		}
		nodes, err := parseDateTemplate(c.format)
		if err != nil {
			t.Fatal(err)
		}
		fields := timestampFields(d.Int, c.t.Kind == types.TimestampTZ)
		if c.t.Kind == types.Interval {
			fields = intervalFields(d.Iv)
		}
		got, err := formatDateTime(nodes, fields, c.t.Kind == types.Interval)
		if err != nil || got != c.want {
			t.Errorf("to_char(%s, %q) = %q, %v; want %q", c.value, c.format, got, err, c.want)
		}
	}
}

func TestToTimestampAndToDate(t *testing.T) {
	for _, c := range []struct {
		in, format, want string
		date             bool
	}{
		{"2011-12-18 11:38 PM +05:30", "YYYY-MM-DD HH12:MI PM TZH:TZM", "2011-12-18 18:08:00+00", false},
		{"97/Feb/16", "YY:Mon:DD", "1997-02-16 00:00:00+00", false},
		{"2018-11-02 12:34:56.123456", "YYYY-MM-DD HH24:MI:SS.FF2", "2018-11-02 12:34:56.12+00", false},
		{"2005 300", "YYYY DDD", "2005-10-27", true},
		{"2005527", "IYYYIWID", "2006-01-01", true},
	} {
		var got string
		if c.date {
			days, err := toDate(c.in, c.format)
			if err != nil {
				t.Fatalf("to_date(%q, %q): %v", c.in, c.format, err)
			}
			got = string(types.AppendText(nil, types.TDate, types.IntDatum(days)))
		} else {
			us, err := toTimestamp(c.in, c.format)
			if err != nil {
				t.Fatalf("to_timestamp(%q, %q): %v", c.in, c.format, err)
			}
			got = string(types.AppendText(nil, types.TTimestampTZ, types.IntDatum(us)))
		}
		if got != c.want {
			t.Errorf("(%q, %q) = %s; want %s", c.in, c.format, got, c.want)
		}
	}
}

func TestToNumber(t *testing.T) {
	for _, c := range [][3]string{
		{"-34,338,492.654,878", "99G999G999D999G999", "-34338492.654878"},
		{"<564646.654564>", "999999.999999PR", "-564646.654564"},
		{"5.01-", "FM9.999999MI", "-5.01"},
	} {
		d, ok, err := toNumber(c[0], c[1])
		if err != nil || !ok || d.String() != c[2] {
			t.Errorf("to_number(%q, %q) = %s, %v; want %s", c[0], c[1], d, err, c[2])
		}
	}
}

func TestFormattingErrors(t *testing.T) {
	check := func(what string, err error, code, msg string) {
		t.Helper()
		if err == nil || pgerr.Code(err) != code || err.Error() != msg {
			t.Errorf("%s: got %v (%s), want %s: %s", what, err, pgerr.Code(err), code, msg)
		}
	}
	_, err := numberToCharForTest(t, "1", "9.9.9")
	check("to_char(1, '9.9.9')", err, "42601", "multiple decimal points")
	_, err = numberToCharForTest(t, "1", "9EEEEPR")
	check("to_char(1, '9EEEEPR')", err, "42601", `"EEEE" must be the last pattern used`)
	_, err = toTimestamp("2011-13-01", "YYYY-MM-DD")
	check("to_timestamp month 13", err, "22008", `date/time field value out of range: "2011-13-01"`)
	_, err = toTimestamp("13:00 PM", "HH12:MI PM")
	check("to_timestamp 13 PM", err, "22007", `hour "13" is invalid for the 12-hour clock`)
	_, err = toTimestamp("1997 1 2", "YYYY MM TZ")
	check("to_timestamp TZ", err, "0A000", `formatting field "TZ" is only supported in to_char`)
	_, err = toTimestamp("123", "YYYYMMDD")
	check("to_timestamp short", err, "22007", `source string too short for "YYYY" formatting field`)
	_, err = toTimestamp("Januar 1", "Month DD")
	check("to_timestamp bad month", err, "22007", `invalid value "Januar" for "Month"`)
	_, err = toDate("12 1", "IW D")
	check("to_date mixed", err, "22007", "invalid combination of date conventions")
	_, _, err = toNumber("12", "9EEEE")
	check("to_number EEEE", err, "0A000", `"EEEE" not supported for input`)
	_, err = makeDateDays(2013, 2, 30)
	check("make_date", err, "22008", "date field value out of range: 2013-02-30")
	_, err = makeTime(10, 55, 100.1)
	check("make_time", err, "22008", "time field value out of range: 10:55:100.1")
	_, _, err = zoneDisplacement("+16")
	check("zone +16", err, "22023", `numeric time zone "+16" out of range`)
	_, err = dateBin(types.IntervalValue{Months: 1}, 0, 0)
	check("date_bin month", err, "0A000", "timestamps cannot be binned into intervals containing months or years")
}

func TestDateBin(t *testing.T) {
	ts := func(s string) int64 {
		d, err := types.ParseText(types.TTimestamp, s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Int
	}
	// Before the origin, bins round toward minus infinity.
	got, err := dateBin(types.IntervalValue{Micros: 30 * types.MicrosPerMinute}, ts("2024-02-01 15:00:00"), ts("2024-02-01 17:00:00"))
	if err != nil || got != ts("2024-02-01 15:00:00") {
		t.Errorf("date_bin = %d, %v", got, err)
	}
	got, err = dateBin(types.IntervalValue{Micros: 5 * types.MicrosPerMinute}, ts("2020-02-01 01:01:01"), ts("2020-02-01 00:02:30"))
	if err != nil || got != ts("2020-02-01 00:57:30") {
		t.Errorf("date_bin = %d, %v", got, err)
	}
}

// FuzzFormatting checks that no template or input makes the formatting
// functions panic: bad input gets an error.
func FuzzFormatting(f *testing.F) {
	for _, seed := range [][2]string{
		{"-1,234.5", "9G999D9S"}, {"2011-12-18 11:38 PM", "YYYY-MM-DD HH12:MI PM"}, {"1,582nd VIII 21", "Y,YYYth FMRM DD"},
		{"<12>", "FM99PR"}, {"", "EEEE"}, {"x", "FXTZH:TZM"}, {"5 4 4", "9 9 9 V99 RN th"}, {"\"", "\\\"\"a\\"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, in, format string) {
		_, _ = toTimestamp(in, format)
		_, _ = toDate(in, format)
		_, _, _ = toNumber(in, format)
		if nodes, err := parseDateTemplate(format); err == nil {
			_, _ = formatDateTime(nodes, timestampFields(int64(len(in))*1e12-4e16, true), false)
			_, _ = formatDateTime(nodes, intervalFields(types.IntervalValue{Months: -int32(len(in)), Days: 3, Micros: -1e10}), true)
		}
		for _, v := range []any{"-12.5", int32(-7), int64(1 << 40), 1e300, float32(-0.5), math.NaN(), "Infinity"} {
			_, _ = numberToCharForTest(t, v, format)
		}
	})
}
