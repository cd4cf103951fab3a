package wire

import (
	"net"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// failedLogins limits failed logins per client host with a token bucket:
// a host may fail max times in a row, then once per refill interval; while
// its bucket is empty, its logins are refused before any password is
// checked. Buckets are kept for at most maxHosts hosts; when the map is
// full, the buckets that have refilled (hosts that behave) are dropped
// first.
type failedLogins struct {
	max    int
	refill time.Duration

	mu    sync.Mutex
	hosts map[string]*rate.Limiter
}

// maxHosts bounds the hosts whose failures are remembered.
const maxHosts = 10000

func newFailedLogins(max int, refill time.Duration) *failedLogins {
	return &failedLogins{max: max, refill: refill, hosts: map[string]*rate.Limiter{}}
}

// allowed reports whether host may try to log in.
func (f *failedLogins) allowed(host string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.hosts[host]
	return l == nil || l.Tokens() >= 1
}

// failed records a failed login from host.
func (f *failedLogins) failed(host string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.hosts[host]
	if l == nil {
		if len(f.hosts) >= maxHosts {
			f.evict()
		}
		l = rate.NewLimiter(rate.Every(f.refill), f.max)
		f.hosts[host] = l
	}
	l.Allow()
}

// evict drops the buckets that are full again, or one bucket if none is.
func (f *failedLogins) evict() {
	for host, l := range f.hosts {
		if l.Tokens() >= float64(f.max) {
			delete(f.hosts, host)
		}
	}
	for host := range f.hosts {
		if len(f.hosts) < maxHosts {
			return
		}
		delete(f.hosts, host)
	}
}

// hostOf is the host part of a client address.
func hostOf(a net.Addr) string {
	if host, _, err := net.SplitHostPort(a.String()); err == nil {
		return host
	}
	return a.String()
}
