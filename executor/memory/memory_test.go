package memory

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
)

func TestParseSetting(t *testing.T) {
	for text, want := range map[string]int64{"4MB": 4 << 20, "64kB": 64 << 10, "1024": 1 << 20, " 2 GB ": 2 << 30, "1.5MB": 1536 << 10, "65536B": 64 << 10} {
		got, err := ParseSetting("work_mem", text)
		if err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", text, got, err, want)
		}
	}
	for _, text := range []string{"", "abc", "4 mb", "1kB", "-1MB", "5PB"} {
		if _, err := ParseSetting("work_mem", text); pgerr.Code(err) != pgerr.InvalidParameterValue {
			t.Errorf("%q: %v, want 22023", text, err)
		}
	}
	for text, want := range map[string]string{
		"1kB":    `1 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)`,
		"4 gigs": `invalid value for parameter "work_mem": "4 gigs"`,
	} {
		if _, err := ParseSetting("work_mem", text); err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %s", text, err, want)
		}
	}
	for n, want := range map[int64]string{4 << 20: "4MB", 1536 << 10: "1536kB", 1 << 30: "1GB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// A query cannot take more than its limit nor more than the pool has
// left, and what it frees is available again.
func TestBudgets(t *testing.T) {
	pool := NewPool(1000)
	a, b := NewBudget(pool, 600, ""), NewBudget(pool, 600, "")
	ra, rb := a.Reserve("sort"), b.Reserve("hash join")
	if !ra.Grow(600) || ra.Grow(1) {
		t.Fatal("query budget of 600 not enforced")
	}
	if !rb.Grow(400) || rb.Grow(1) {
		t.Fatal("pool of 1000 not enforced")
	}
	err := rb.MustGrow(1)
	if pgerr.Code(err) != pgerr.OutOfMemory || pgerr.As(err).Detail == "" {
		t.Fatalf("over budget: %v, want 53200 with a detail", err)
	}
	ra.Free()
	if !rb.Grow(200) || pool.Used() != 600 {
		t.Errorf("freed memory not available again: pool uses %d", pool.Used())
	}
	b.Close()
	if pool.Used() != 0 {
		t.Errorf("closed budgets leave %d bytes used", pool.Used())
	}
}
