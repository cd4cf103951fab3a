// Package remote owns what the connectors to SQL servers share: reading
// the pool and timeout options of CREATE SERVER, connecting with retries,
// turning driver errors into PostgreSQL errors without leaking passwords,
// and decoding result values from their text form into column vectors.
package remote

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/secrets"
)

// Pool options every SQL connector accepts, with their defaults.
const (
	OptMaxConnections   = "max_connections"
	OptConnectTimeout   = "connect_timeout"
	OptStatementTimeout = "statement_timeout"

	DefaultMaxConnections = 8
	DefaultConnectTimeout = 5 * time.Second
)

// PoolOptionNames lists the pool options, for a connector's list of valid
// option names.
var PoolOptionNames = []string{OptMaxConnections, OptConnectTimeout, OptStatementTimeout}

// Options every source accepts that the source guard reads before its
// connector sees the rest (see package guard). A connector never gets
// them, but names them among the valid options when it rejects a typo.
const (
	OptBreakerFailures = "breaker_failures"
	OptBreakerCooldown = "breaker_cooldown"
	OptHealthInterval  = "health_interval"
	OptRequired        = "required"
)

// GuardOptionNames lists the options the source guard reads.
var GuardOptionNames = []string{OptBreakerFailures, OptBreakerCooldown, OptHealthInterval, OptRequired}

// Pool is how a connector sizes and times its connections.
type Pool struct {
	MaxConnections int
	ConnectTimeout time.Duration
	// StatementTimeout is zero when statements may run as long as they need.
	StatementTimeout time.Duration
}

// CheckOptionNames rejects options that the wrapper does not know, as
// postgres_fdw does, so that a typo does not silently fall back to a
// default.
func CheckOptionNames(wrapper string, options map[string]string, valid []string) error {
	known := make(map[string]bool, len(valid))
	for _, v := range valid {
		known[v] = true
	}
	var unknown []string
	for k := range options {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	sorted := append(append([]string(nil), valid...), GuardOptionNames...)
	if slices.Contains(valid, secrets.OptPassword) {
		// The engine resolves these into password before the connector
		// sees the options, so a typo of them lands here.
		sorted = append(sorted, secrets.ReferenceOptions...)
	}
	sort.Strings(sorted)
	return pgerr.New(pgerr.FDWInvalidOptionName, "invalid option %q for foreign-data wrapper %s", unknown[0], wrapper).
		WithHint("Valid options in this context are: %s", strings.Join(sorted, ", "))
}

// ParsePool reads the pool options, applying the defaults.
func ParsePool(options map[string]string) (Pool, error) {
	p := Pool{MaxConnections: DefaultMaxConnections, ConnectTimeout: DefaultConnectTimeout}
	if s, ok := options[OptMaxConnections]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return p, InvalidOption(OptMaxConnections, s, "a positive integer")
		}
		p.MaxConnections = n
	}
	if s, ok := options[OptConnectTimeout]; ok {
		d, err := ParseDuration(s)
		if err != nil || d <= 0 {
			return p, InvalidOption(OptConnectTimeout, s, "a positive duration")
		}
		p.ConnectTimeout = d
	}
	if s, ok := options[OptStatementTimeout]; ok {
		d, err := ParseDuration(s)
		if err != nil || d < 0 {
			return p, InvalidOption(OptStatementTimeout, s, "a duration, 0 for none")
		}
		p.StatementTimeout = d
	}
	return p, nil
}

// ParsePoolOf is ParsePool for a source whose max_connections defaults to
// maxConnections instead.
func ParsePoolOf(options map[string]string, maxConnections int) (Pool, error) {
	p, err := ParsePool(options)
	if _, set := options[OptMaxConnections]; !set {
		p.MaxConnections = maxConnections
	}
	return p, err
}

// ParseDuration reads a timeout: a bare integer is seconds, as libpq's
// connect_timeout is; otherwise a Go duration such as "500ms" or "2m".
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > int64(time.Duration(1<<63-1)/time.Second) {
			return 0, fmt.Errorf("%s seconds is too long", s)
		}
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(s)
}

// Port reads a TCP port option.
func Port(s string) (uint16, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
	if err != nil || n == 0 {
		return 0, InvalidOption("port", s, "a TCP port number (1-65535)")
	}
	return uint16(n), nil
}

// InvalidOption is the error of an option whose value is not what name
// wants.
func InvalidOption(name, value, want string) error {
	return pgerr.New(pgerr.InvalidParameterValue, "invalid value for option %s: %q", name, value).
		WithHint("%s must be %s.", name, want)
}

// Endpoint names a source in messages: host, port and database, never
// credentials.
type Endpoint struct {
	Kind string // "postgres" or "mysql"
	Host string
	Port uint16
	DB   string
}

func (e Endpoint) String() string {
	return fmt.Sprintf("%s source at %s:%d/%s", e.Kind, e.Host, e.Port, e.DB)
}
