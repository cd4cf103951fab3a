package functions

import (
	"testing"

	"github.com/junction-db/junction/types"
)

func TestMakeInterval(t *testing.T) {
	// PostgreSQL 15's answers, overflow included: it wraps around.
	for _, c := range []struct {
		args []types.Datum
		want string
	}{
		{[]types.Datum{types.IntDatum(1), types.IntDatum(-1), types.IntDatum(5), types.IntDatum(-7), types.IntDatum(25), types.IntDatum(-180), types.FloatDatum(0)}, "11 mons 28 days 22:00:00"},
		{[]types.Datum{types.IntDatum(300000000)}, "-57913941 years -4 mons"},
		{[]types.Datum{types.IntDatum(0), types.IntDatum(0), types.IntDatum(1), types.IntDatum(2147483647)}, "-2147483642 days"},
		{[]types.Datum{types.IntDatum(0), types.IntDatum(0), types.IntDatum(0), types.IntDatum(0), types.IntDatum(0), types.IntDatum(0), types.FloatDatum(7e12)}, "1944444444:26:40"},
		{[]types.Datum{types.IntDatum(0), types.IntDatum(0), types.IntDatum(0), types.IntDatum(0), types.IntDatum(0), types.IntDatum(0), types.FloatDatum(1e30)}, "-2562047788:00:54.775808"},
	} {
		iv, err := makeInterval(c.args)
		got := string(types.AppendText(nil, types.TInterval, types.Datum{Iv: iv}))
		if err != nil || got != c.want {
			t.Errorf("make_interval(%v) = %s, %v; want %s", c.args, got, err, c.want)
		}
	}
}

func TestMakeTimestampAndUnixSeconds(t *testing.T) {
	ts, err := makeTimestamp([]types.Datum{types.IntDatum(-44), types.IntDatum(3), types.IntDatum(15), types.IntDatum(12), types.IntDatum(30), types.FloatDatum(15)})
	if got := string(types.AppendText(nil, types.TTimestamp, types.IntDatum(ts))); err != nil || got != "0044-03-15 12:30:15 BC" {
		t.Errorf("make_timestamp(-44, 3, 15, 12, 30, 15) = %s, %v", got, err)
	}
	_, err = makeTimestamp([]types.Datum{types.IntDatum(-44), types.IntDatum(13), types.IntDatum(31), types.IntDatum(0), types.IntDatum(0), types.FloatDatum(0)})
	if err == nil || err.Error() != "date field value out of range: -44-13-31" {
		t.Errorf("make_timestamp(-44, 13, 31, ...): %v", err)
	}
	us, err := unixSeconds(1262349296.7890123)
	if got := string(types.AppendText(nil, types.TTimestampTZ, types.IntDatum(us))); err != nil || got != "2010-01-01 12:34:56.789012+00" {
		t.Errorf("to_timestamp(1262349296.7890123) = %s, %v", got, err)
	}
	us, err = makeTimestamp([]types.Datum{types.IntDatum(2010), types.IntDatum(2), types.IntDatum(27), types.IntDatum(3), types.IntDatum(45), types.FloatDatum(0)})
	if err == nil {
		us, err = localInZone(us, "+10:00:01")
	}
	if got := string(types.AppendText(nil, types.TTimestampTZ, types.IntDatum(us))); err != nil || got != "2010-02-26 17:44:59+00" {
		t.Errorf("make_timestamptz(2010, 2, 27, 3, 45, 0, '+10:00:01') = %s, %v", got, err)
	}
}
