package wire

import (
	"fmt"
	"testing"
	"time"
)

func TestFailedLoginsRefuseAHostAfterMaxFailures(t *testing.T) {
	f := newFailedLogins(3, time.Hour)
	for i := 0; i < 3; i++ {
		if !f.allowed("10.0.0.1") {
			t.Fatalf("refused after %d failures, want 3 allowed", i)
		}
		f.failed("10.0.0.1")
	}
	if f.allowed("10.0.0.1") {
		t.Fatal("allowed after 3 failures")
	}
	if !f.allowed("10.0.0.2") {
		t.Fatal("another host is refused too")
	}
}

func TestFailedLoginsRememberBoundedHosts(t *testing.T) {
	f := newFailedLogins(2, time.Hour)
	f.failed("attacker")
	f.failed("attacker")
	for i := 0; i < maxHosts+10; i++ {
		f.failed(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
	}
	if len(f.hosts) > maxHosts {
		t.Fatalf("%d hosts remembered, want at most %d", len(f.hosts), maxHosts)
	}
}
