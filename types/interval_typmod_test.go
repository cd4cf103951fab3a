package types

import "testing"

// Interval input for a restricted interval type, with PostgreSQL 15's
// answers.
func TestIntervalTypmodInput(t *testing.T) {
	typ := func(fields, precision int32) Type {
		tt, err := IntervalType(fields, precision)
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	full := IntervalFullPrecision
	dayHour := typ(IntervalDay|IntervalHour, full)
	minSec := typ(IntervalMinute|IntervalSecond, full)
	cases := []struct {
		t        Type
		in, want string
	}{
		{dayHour, "1 2:03", "1 day 02:00:00"},
		{dayHour, "1 2", "1 day 02:00:00"},
		{typ(IntervalDay|IntervalHour|IntervalMinute, full), "1 2:03:04", "1 day 02:03:00"},
		{typ(IntervalHour|IntervalMinute, full), "1 2:03:04", "1 day 02:03:00"},
		{minSec, "1 2:03", "1 day 00:02:03"},
		{minSec, "1 -2:03", "1 day -00:02:03"},
		{typ(IntervalFullRange, 0), "1 day 01:23:45.6789", "1 day 01:23:46"},
		{typ(IntervalFullRange, 2), "1 day 01:23:45.6789", "1 day 01:23:45.68"},
		{typ(IntervalFullRange, 0), "-1.5", "-00:00:02"},
		{typ(IntervalFullRange, 7), "1.1234567", "00:00:01.123457"},
		{typ(IntervalMinute|IntervalSecond, 2), "12:34.5678", "00:12:34.57"},
		{typ(IntervalSecond, 2), "1.234", "00:00:01.23"},
		{typ(IntervalHour, full), "2", "02:00:00"},
		{typ(IntervalDay, full), "90", "90 days"},
		{typ(IntervalYear, full), "1 year 11 months 3 days", "1 year"},
		{typ(IntervalMonth, full), "1 year 11 months 3 days", "1 year 11 mons"},
		{typ(IntervalYear, full), "-23 months", "-1 years"},
	}
	for _, c := range cases {
		d, err := ParseText(c.t, c.in)
		if err != nil {
			t.Errorf("%q::%s: %v", c.in, c.t, err)
			continue
		}
		if got := FormatText(c.t, d); got != c.want {
			t.Errorf("%q::%s = %q, want %q", c.in, c.t, got, c.want)
		}
	}
	if _, err := IntervalType(IntervalDay|IntervalMinute, full); err == nil {
		t.Error("interval with the fields day and minute alone is accepted")
	}
	for want, tt := range map[string]Type{
		"interval day to hour":         dayHour,
		"interval minute to second(2)": typ(IntervalMinute|IntervalSecond, 2),
		"interval(0)":                  typ(IntervalFullRange, 0),
		"interval":                     TInterval,
	} {
		if tt.String() != want {
			t.Errorf("type spelled %q, want %q", tt.String(), want)
		}
	}
}

// time and timestamp precisions round as PostgreSQL does, timestamps as
// offsets from its epoch of 2000.
func TestSecondsPrecisionInput(t *testing.T) {
	typ := func(base Type, p int32) Type {
		tt, err := WithSecondsPrecision(base, p)
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	cases := []struct {
		t        Type
		in, want string
	}{
		{typ(TTimestamp, 0), "2020-01-01 12:00:00.5", "2020-01-01 12:00:01"},
		{typ(TTimestamp, 0), "1999-12-31 23:59:59.5", "1999-12-31 23:59:59"},
		{typ(TTimestampTZ, 1), "2020-01-01 12:00:00.56+00", "2020-01-01 12:00:00.6+00"},
		{typ(TTime, 0), "12:00:00.5", "12:00:01"},
		{typ(TTime, 9), "12:00:00.1234567", "12:00:00.123457"},
	}
	for _, c := range cases {
		d, err := ParseText(c.t, c.in)
		if err != nil {
			t.Errorf("%q::%s: %v", c.in, c.t, err)
			continue
		}
		if got := FormatText(c.t, d); got != c.want {
			t.Errorf("%q::%s = %q, want %q", c.in, c.t, got, c.want)
		}
	}
	if got := typ(TTimestampTZ, 3).String(); got != "timestamp(3) with time zone" {
		t.Errorf("timestamptz(3) spelled %q", got)
	}
	if _, err := WithSecondsPrecision(TTime, -1); err == nil {
		t.Error("time(-1) accepted")
	}
}
