// Package guard owns what every call to a source goes through, so that
// connectors do not each re-implement it: a circuit breaker per source
// (sony/gobreaker), retry of transient failures before any row is read
// (cenkalti/backoff, through the remote package's policy), background
// health checks, and the true state of the source for junction.sources
// and /readyz.
//
// A failure that counts against a source is one that says the source is
// unreachable: a connection failure (SQLSTATE class 08), a server shutting
// down (57P01-57P03) or an error with no SQLSTATE at all. An error the
// source raised about the query (42xxx, 22xxx, ...) means the source
// answered, and a cancelled statement is the client's doing; neither moves
// the breaker.
package guard

import (
	"strconv"
	"strings"
	"time"

	"github.com/junction-db/junction/connectors/internal/remote"
)

// Options every source accepts on top of its wrapper's own.
const (
	OptBreakerFailures = remote.OptBreakerFailures
	OptBreakerCooldown = remote.OptBreakerCooldown
	OptHealthInterval  = remote.OptHealthInterval
	OptRequired        = remote.OptRequired
)

// Defaults of the guard options.
const (
	DefaultBreakerFailures = 5
	DefaultBreakerCooldown = 10 * time.Second
	DefaultHealthInterval  = 10 * time.Second
)

// OptionNames lists the guard options, for messages that list every valid
// option of a source.
var OptionNames = remote.GuardOptionNames

// Options configures the guard of one source.
type Options struct {
	// Failures is how many consecutive failures open the breaker.
	Failures uint32
	// Cooldown is how long the breaker stays open before it lets one
	// probe call through.
	Cooldown time.Duration
	// HealthInterval is the time between two health checks.
	HealthInterval time.Duration
	// Required marks a source without which the server is not ready.
	Required bool
}

// Defaults are the guard options of a source that sets none.
func Defaults() Options {
	return Options{Failures: DefaultBreakerFailures, Cooldown: DefaultBreakerCooldown, HealthInterval: DefaultHealthInterval}
}

// Split reads the guard options out of a source's OPTIONS over the given
// defaults (server-wide settings) and returns the rest, which belong to
// the source's wrapper.
func Split(options map[string]string, defaults Options) (Options, map[string]string, error) {
	o := defaults
	rest := make(map[string]string, len(options))
	for k, v := range options {
		rest[k] = v
	}
	if s, ok := take(rest, OptBreakerFailures); ok {
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 31)
		if err != nil || n < 1 {
			return o, nil, remote.InvalidOption(OptBreakerFailures, s, "a positive integer")
		}
		o.Failures = uint32(n)
	}
	if s, ok := take(rest, OptBreakerCooldown); ok {
		d, err := remote.ParseDuration(s)
		if err != nil || d <= 0 {
			return o, nil, remote.InvalidOption(OptBreakerCooldown, s, "a positive duration")
		}
		o.Cooldown = d
	}
	if s, ok := take(rest, OptHealthInterval); ok {
		d, err := remote.ParseDuration(s)
		if err != nil || d <= 0 {
			return o, nil, remote.InvalidOption(OptHealthInterval, s, "a positive duration")
		}
		o.HealthInterval = d
	}
	if s, ok := take(rest, OptRequired); ok {
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return o, nil, remote.InvalidOption(OptRequired, s, "true or false")
		}
		o.Required = b
	}
	return o, rest, nil
}

// ParseDuration reads a timeout the way source options are read: a bare
// integer is seconds, anything else a Go duration such as "500ms".
func ParseDuration(s string) (time.Duration, error) { return remote.ParseDuration(s) }

func take(m map[string]string, k string) (string, bool) {
	v, ok := m[k]
	delete(m, k)
	return v, ok
}
