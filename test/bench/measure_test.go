package bench

import (
	"os"
	"testing"
)

func TestFingerprint(t *testing.T) {
	rows := func(rs ...[]string) fingerprint {
		var f fingerprint
		for _, r := range rs {
			row := make([][]byte, len(r))
			for i, v := range r {
				if v != "NULL" {
					row[i] = []byte(v)
				}
			}
			f.add(row)
		}
		return f
	}
	a := rows([]string{"1", "x"}, []string{"2", "y"})
	swapped := rows([]string{"2", "y"}, []string{"1", "x"})
	if !a.same(swapped, false) || a.same(swapped, true) {
		t.Error("row order must count only for ordered results")
	}
	for _, other := range []fingerprint{
		rows([]string{"1", "x"}),
		rows([]string{"1", "x"}, []string{"2", "NULL"}),
		rows([]string{"1", "x"}, []string{"2", ""}),
		rows([]string{"1x", ""}, []string{"2", "y"}),
	} {
		if a.same(other, false) {
			t.Errorf("%+v and %+v must differ", a, other)
		}
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median of 3, 1, 2 = %g", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median of 4, 1, 2, 3 = %g", m)
	}
}

// The figures are read from the line EXPLAIN ANALYZE prints for a remote
// query.
func TestRemoteStatsLine(t *testing.T) {
	line := "  ->  Remote Query on tpch_pg  (actual rows=4 batches=1 time=448.700 ms source rows=4 bytes=488 time=448.605 ms)"
	m := remoteStats.FindStringSubmatch(line)
	if m == nil || m[1] != "tpch_pg" || m[2] != "4" || m[3] != "488" || m[4] != "448.605" {
		t.Errorf("parsed %q from %q", m, line)
	}
}

func TestPeakRSS(t *testing.T) {
	rss, err := peakRSS(os.Getpid())
	if err != nil || rss <= 0 {
		t.Errorf("peak RSS of this process: %d, %v", rss, err)
	}
}
