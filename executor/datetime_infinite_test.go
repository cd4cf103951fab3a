package executor

import "testing"

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
