package types

import (
	"testing"
	"time"
)

// The expected offsets are PostgreSQL 15's answers for
// '2000-07-01 00:00'::timestamp AT TIME ZONE name.
func TestLookupZoneReadsNamesAsPostgreSQL(t *testing.T) {
	local := DateToDays(2000, time.July, 1) * MicrosPerDay
	cases := []struct {
		name string
		east int64 // hours, in July 2000
	}{
		{"+3", -3}, {"-3", 3}, {"3", -3}, {"utc+5", -5}, {"<+03>-3", 3},
		{"UTC", 0}, {"zulu", 0}, {"EST5EDT", -4}, {"est5edt", -4}, {"FOO5BAR", -4},
		{"XYZ+3ABC,M3.2.0,M11.1.0", -2}, {"AB+3", -3}, {"Etc/GMT+3", -3},
		{"America/new_york", -4}, {"MSK", 3}, {"msd", 4}, {"CET", 1}, {"EST", -5},
	}
	for _, c := range cases {
		z, err := LookupZone(c.name)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := (local - z.ToUTC(local)) / MicrosPerHour; got != c.east {
			t.Errorf("%s: %d hours east, want %d", c.name, got, c.east)
		}
	}
	for _, bad := range []string{"FOO", "ABC", "ABC+", "local", "", "XYZ+3ABC,M3"} {
		if _, err := LookupZone(bad); err == nil {
			t.Errorf("%q was read as a time zone", bad)
		}
	}
}

// MSK is Europe/Moscow's abbreviation: UTC+3 until March 2011, UTC+4 until
// October 2014, UTC+3 again after.
func TestDynamicAbbreviationFollowsItsZone(t *testing.T) {
	z, err := LookupZone("MSK")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		utc  string
		east int64
	}{
		{"2011-03-26 22:59:59", 3}, {"2011-03-26 23:00:00", 4},
		{"2014-10-25 21:59:59", 4}, {"2014-10-25 22:00:00", 3},
		{"2010-07-01 00:00:00", 3}, // MSD was in use: the last use of MSK before
	} {
		utc, err := parseTimestamp(c.utc, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := z.OffsetAt(utc) / MicrosPerHour; got != c.east {
			t.Errorf("MSK at %s UTC: %d hours east, want %d", c.utc, got, c.east)
		}
	}
}

func TestIsUTCZone(t *testing.T) {
	for _, name := range []string{"UTC", "utc", "Etc/UTC", "GMT", "zulu", "UTC0", "+00:00", "0", "UCT"} {
		if !IsUTCZone(name) {
			t.Errorf("%q is not read as UTC", name)
		}
	}
	for _, name := range []string{"Europe/London", "1", "UTC+1", "MSK", "nowhere", "WET", "Z"} {
		if IsUTCZone(name) {
			t.Errorf("%q is read as UTC", name)
		}
	}
}
