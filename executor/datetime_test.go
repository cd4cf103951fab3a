package executor

import (
	"testing"

	"github.com/junction-db/junction/plan"
)

func TestInfiniteDatesAndTimestamps(t *testing.T) {
	inf, ninf := lit("timestamp", "infinity"), lit("timestamp", "-infinity")
	dinf := lit("date", "infinity")
	runExprCases(t, []exprCase{
		{"infinity + interval", op("+", "timestamp", inf, lit("interval", "1 year")), "infinity", ""},
		{"-infinity - interval", op("-", "timestamptz", lit("timestamptz", "-infinity"), lit("interval", "1 day")), "-infinity", ""},
		{"date infinity + days", op("+", "date", dinf, lit("int4", "3")), "infinity", ""},
		{"date infinity - date", op("-", "int4", dinf, lit("date", "2020-01-01")), "", "22008"},
		{"infinity - timestamp", op("-", "interval", inf, lit("timestamp", "2020-01-01")), "", "22008"},
		{"date infinity to timestamp", cast(dinf, "timestamp"), "infinity", ""},
		{"timestamp -infinity to date", cast(ninf, "date"), "-infinity", ""},
		{"time of infinity is NULL", cast(inf, "time"), "NULL", ""},
		{"infinity sorts last", boolOp(">", inf, lit("timestamp", "294000-01-01")), "t", ""},
		{"date_trunc keeps infinity", call("date_trunc", lit("text", "day"), ninf), "-infinity", ""},
		{"year of infinity", call("date_part", lit("text", "year"), inf), "Infinity", ""},
		{"epoch of -infinity", call("date_part", lit("text", "epoch"), ninf), "-Infinity", ""},
		{"month of infinity is NULL", call("date_part", lit("text", "month"), inf), "NULL", ""},
		{"extract day of infinite date is NULL", call("extract", lit("text", "day"), dinf), "NULL", ""},
		{"extract hour of infinite date", call("extract", lit("text", "hour"), dinf), "", "0A000"},
		{"extract bad unit of infinity", call("date_part", lit("text", "fortnight"), inf), "", "22023"},
		{"isfinite", call("isfinite", dinf), "f", ""},
		{"isfinite finite", call("isfinite", lit("timestamptz", "2020-01-01")), "t", ""},
	})
}

func TestAtTimeZone(t *testing.T) {
	ts := lit("timestamp", "2000-01-01 00:00")
	tstz := lit("timestamptz", "2000-01-01 00:00+00")
	runExprCases(t, []exprCase{
		{"timestamp at POSIX +3", call("timezone", lit("text", "+3"), ts), "2000-01-01 03:00:00+00", ""},
		{"timestamp at interval", call("timezone", lit("interval", "3 hours"), ts), "1999-12-31 21:00:00+00", ""},
		{"timestamptz at interval", call("timezone", lit("interval", "-03:30"), tstz), "1999-12-31 20:30:00", ""},
		{"interval zone with days", call("timezone", lit("interval", "1 day"), tstz), "", "22023"},
		{"abbreviation", call("timezone", lit("text", "est"), tstz), "1999-12-31 19:00:00", ""},
		{"unknown zone", call("timezone", lit("text", "foo"), tstz), "", "22023"},
		{"infinity stays", call("timezone", lit("text", "MSK"), lit("timestamptz", "infinity")), "infinity", ""},
		{"date_trunc in a zone", call("date_trunc", lit("text", "day"), lit("timestamptz", "2001-02-16 20:38:40+00"), lit("text", "VET")), "2001-02-16 04:00:00+00", ""},
		{"date_trunc in Sydney", call("date_trunc", lit("text", "day"), lit("timestamptz", "2001-02-16 20:38:40+00"), lit("text", "Australia/Sydney")), "2001-02-16 13:00:00+00", ""},
		{"date_trunc hour keeps the offset", call("date_trunc", lit("text", "hour"), lit("timestamptz", "2001-02-16 20:38:40+00"), lit("text", "Asia/Kolkata")), "2001-02-16 20:30:00+00", ""},
	})
}

func TestOverlaps(t *testing.T) {
	ts := func(s string) *plan.Const { return lit("timestamp", s) }
	runExprCases(t, []exprCase{
		{"overlapping", call("overlaps", ts("2000-11-27"), ts("2000-11-28"), ts("2000-11-27 12:00"), ts("2000-11-30")), "t", ""},
		{"touching", call("overlaps", ts("2000-11-26"), ts("2000-11-27"), ts("2000-11-27"), ts("2000-11-30")), "f", ""},
		{"by interval", call("overlaps", ts("2000-11-27"), lit("interval", "12 hours"), ts("2000-11-27"), lit("interval", "12 hours")), "t", ""},
		{"ends in any order", call("overlaps", ts("2000-11-28"), ts("2000-11-27"), ts("2000-11-30"), ts("2000-11-27 12:00")), "t", ""},
		{"NULL end, decided anyway", call("overlaps", ts("2000-11-27"), lit("timestamp", "NULL"), ts("2000-11-26"), ts("2000-11-28")), "t", ""},
		{"NULL end, undecided", call("overlaps", ts("2000-11-27"), lit("timestamp", "NULL"), ts("2000-11-28"), ts("2000-11-29")), "NULL", ""},
		{"times", call("overlaps", lit("time", "02:00"), lit("interval", "1 hour"), lit("time", "02:30"), lit("time", "05:00")), "t", ""},
	})
}

func TestDateTimeTypeFunctions(t *testing.T) {
	runExprCases(t, []exprCase{
		{"date of timestamptz", call("date", lit("timestamptz", "2001-02-16 20:38:40+00")), "2001-02-16", ""},
		{"date of infinity", call("date", lit("timestamp", "-infinity")), "-infinity", ""},
		{"timestamptz of date and time", call("timestamptz", lit("date", "1994-01-01"), lit("time", "11:00")), "1994-01-01 11:00:00+00", ""},
		{"date - time", op("-", "timestamp", lit("date", "1991-02-03"), lit("time", "04:05:06")), "1991-02-02 19:54:54", ""},
	})
}

func TestTimeWithTimeZone(t *testing.T) {
	runExprCases(t, []exprCase{
		{"run-together input", cast(lit("text", "T040506.789 -08"), "timetz"), "04:05:06.789-08", ""},
		{"date + timetz", op("+", "timestamptz", lit("date", "1994-01-01"), lit("timetz", "11:00-5")), "1994-01-01 16:00:00+00", ""},
		{"timetz - interval wraps", op("-", "timetz", lit("timetz", "01:30-08"), lit("interval", "02:01")), "23:29:00-08", ""},
		{"timetz + interval", op("+", "timetz", lit("timetz", "02:30-08"), lit("interval", "36:01")), "14:31:00-08", ""},
		{"timetz to time", cast(lit("timetz", "05:30+03"), "time"), "05:30:00", ""},
		{"timestamptz to timetz", cast(lit("timestamptz", "2000-01-01 05:30+03"), "timetz"), "02:30:00+00", ""},
		{"same instant, other zone", boolOp("=", lit("timetz", "05:30+03"), lit("timetz", "02:30+00")), "f", ""},
		{"ordered by instant", boolOp("<", lit("timetz", "05:30+03"), lit("timetz", "03:00+00")), "t", ""},
		{"timestamptz(date, timetz)", call("timestamptz", lit("date", "1994-01-01"), lit("timetz", "10:00-8")), "1994-01-01 18:00:00+00", ""},
		{"offset out of range", cast(lit("text", "10:00+16"), "timetz"), "", "22009"},
	})
}

func TestAge(t *testing.T) {
	ts := func(s string) *plan.Const { return lit("timestamp", s) }
	runExprCases(t, []exprCase{
		{"years and months", call("age", ts("2001-04-10"), ts("1957-06-13")), "43 years 9 mons 27 days", ""},
		{"negative", call("age", ts("1957-06-13"), ts("2001-04-10")), "-43 years -9 mons -27 days", ""},
		{"borrowing a month", call("age", ts("2004-03-01 10:00"), ts("2004-01-31 12:30:15.5")), "1 mon 21:29:44.5", ""},
		{"negative borrowing", call("age", ts("2004-01-31 12:30:15.5"), ts("2004-03-01 10:00")), "-1 mons -21:29:44.5", ""},
		{"BC", call("age", ts("0001-01-01"), ts("0002-02-02 BC")), "1 year 10 mons 27 days", ""},
		{"infinity", call("age", ts("infinity"), ts("2000-01-01")), "", "22008"},
		{"timestamptz", call("age", lit("timestamptz", "2020-03-01 00:00+00"), lit("timestamptz", "2020-02-28 23:00+00")), "1 day 01:00:00", ""},
	})
}

func TestTimeWithTimeZoneAtTimeZone(t *testing.T) {
	runExprCases(t, []exprCase{
		{"to an abbreviation", call("timezone", lit("text", "EST"), lit("timetz", "01:30+03")), "17:30:00-05", ""},
		{"to an interval", call("timezone", lit("interval", "05:30"), lit("timetz", "23:00+00")), "04:30:00+05:30", ""},
		{"time is read in UTC", call("timezone", lit("text", "+3"), lit("time", "01:00")), "22:00:00-03", ""},
	})
}

func TestTimeWithTimeZoneOffsetLimit(t *testing.T) {
	runExprCases(t, []exprCase{
		{"offset beyond a timetz", call("timezone", lit("text", "UTC+20"), lit("timetz", "01:30+03")), "", "22009"},
	})
}

func TestExtractFromTimeWithTimeZone(t *testing.T) {
	v := lit("timetz", "10:20:30.5-03:30")
	runExprCases(t, []exprCase{
		{"hour", call("extract", lit("text", "hour"), v), "10", ""},
		{"second", call("extract", lit("text", "second"), v), "30.500000", ""},
		{"timezone", call("extract", lit("text", "timezone"), v), "-12600", ""},
		{"timezone_hour", call("extract", lit("text", "timezone_hour"), v), "-3", ""},
		{"timezone_minute", call("extract", lit("text", "timezone_minute"), v), "-30", ""},
		{"epoch", call("extract", lit("text", "epoch"), v), "49830.500000", ""},
		{"date_part epoch", call("date_part", lit("text", "epoch"), v), "49830.5", ""},
		{"day", call("extract", lit("text", "day"), v), "", "0A000"},
	})
}

func TestAtTimeZoneReadsAnUntypedValueAsTimestamptz(t *testing.T) {
	runExprCases(t, []exprCase{
		{"unknown literal", call("timezone", lit("text", "America/New_York"), lit("unknown", "19970210 173201")), "1997-02-10 12:32:01", ""},
	})
}

func TestDatePastTimestampRangeCompares(t *testing.T) {
	far := cast(lit("date", "2202020-10-05"), "timestamp")
	runExprCases(t, []exprCase{
		{"later than a finite timestamp", boolOp(">", far, lit("timestamp", "2020-10-05")), "t", ""},
		{"earlier than infinity", boolOp("<", far, lit("timestamp", "infinity")), "t", ""},
		{"distinct", boolOp(plan.OpDistinct, far, lit("timestamp", "2020-10-05")), "t", ""},
		{"still no timestamp", far, "", "22008"},
	})
}

func TestToTimestampOfInfiniteSeconds(t *testing.T) {
	runExprCases(t, []exprCase{
		{"infinity", call("to_timestamp", lit("float8", "Infinity")), "infinity", ""},
		{"-infinity", call("to_timestamp", lit("float8", "-Infinity")), "-infinity", ""},
	})
}
