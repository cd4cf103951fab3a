package functions

import (
	"testing"

	"github.com/junction-db/junction/types"
)

func TestTruncateInZone(t *testing.T) {
	// PostgreSQL 15's answers.
	for _, c := range [][4]string{
		{"day", "2020-02-29 15:44:17.71393+00", "Australia/Sydney", "2020-02-29 13:00:00+00"},
		{"hour", "2020-02-29 15:44:17.71393+00", "Asia/Kolkata", "2020-02-29 15:30:00+00"},
		{"month", "2020-03-29 15:44:17+00", "Europe/Berlin", "2020-02-29 23:00:00+00"},
	} {
		d, err := types.ParseText(types.TTimestampTZ, c[1])
		if err != nil {
			t.Fatal(err)
		}
		us, err := truncateInZone(c[0], d.Int, c[2])
		if got := string(types.AppendText(nil, types.TTimestampTZ, types.IntDatum(us))); err != nil || got != c[3] {
			t.Errorf("date_trunc(%s, %s, %s) = %s, %v; want %s", c[0], c[1], c[2], got, err, c[3])
		}
	}
}
