package postgres

import "testing"

// The typmods are the atttypmod PostgreSQL 15 stores for a column of the
// type; mapType reads them back into the type they came from.
func TestMapTypeReadsTypmods(t *testing.T) {
	for _, c := range []struct {
		oid    uint32
		typmod int32
		want   string
	}{
		{oidNumeric, 655366, "numeric(10,2)"},
		{oidNumeric, -1, "numeric"},
		{oidTimestamp, 3, "timestamp(3) without time zone"},
		{oidTimestampTZ, 0, "timestamp(0) with time zone"},
		{oidTimestampTZ, -1, "timestamp with time zone"},
		{oidTime, 6, "time(6) without time zone"},
		{oidInterval, 470286338, "interval day to second(2)"},
		{oidInterval, 327679, "interval year"},
		{oidInterval, 2147418115, "interval(3)"},
		{oidInterval, -1, "interval"},
	} {
		got := mapType(c.oid, c.typmod)
		if got.String() != c.want {
			t.Errorf("mapType(%d, %d) = %s, want %s", c.oid, c.typmod, got, c.want)
		}
		if c.typmod != -1 && got.Modifier() != c.typmod {
			t.Errorf("mapType(%d, %d) has typmod %d", c.oid, c.typmod, got.Modifier())
		}
	}
}
