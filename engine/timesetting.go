package engine

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/junction-db/junction/pgerr"
)

// The settings that bound how long one statement runs and how long a
// session may wait for its client inside a transaction block, as
// PostgreSQL's do; the wire layer enforces them.
const (
	statementTimeout         = "statement_timeout"
	idleInTransactionTimeout = "idle_in_transaction_session_timeout"
)

// timeUnits are the units PostgreSQL accepts for a setting kept in
// milliseconds, with their length in milliseconds, largest first so that
// a value is shown in the largest unit that divides it.
var timeUnits = []struct {
	name string
	ms   float64
}{{"d", 86400000}, {"h", 3600000}, {"min", 60000}, {"s", 1000}, {"ms", 1}, {"us", 0.001}}

// maxTimeSetting is the largest value of a millisecond setting
// (PostgreSQL's INT_MAX).
const maxTimeSetting = math.MaxInt32

// parseTimeSetting reads the value of a setting kept in milliseconds as
// PostgreSQL does: a number, without a unit meaning milliseconds, or with
// one of us, ms, s, min, h, d, fractions rounded to the millisecond.
func parseTimeSetting(name, value string) (int64, error) {
	text := strings.TrimSpace(value)
	end := 0
	for end < len(text) && (text[end] >= '0' && text[end] <= '9' || text[end] == '.' || text[end] == '-' || text[end] == '+' || text[end] == 'e' || text[end] == 'E') {
		end++
	}
	number, err := strconv.ParseFloat(text[:end], 64)
	if err != nil || math.IsNaN(number) {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter %q: %q", name, value)
	}
	unit := strings.TrimSpace(text[end:])
	scale := 1.0
	if unit != "" {
		found := false
		for _, u := range timeUnits {
			if u.name == unit {
				scale, found = u.ms, true
				break
			}
		}
		if !found {
			return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter %q: %q", name, value).
				WithHint(`Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".`)
		}
	}
	ms := math.RoundToEven(number * scale)
	if ms < 0 || ms > maxTimeSetting {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "%s ms is outside the valid range for parameter %q (0 .. %d)",
			strconv.FormatFloat(ms, 'f', -1, 64), name, maxTimeSetting)
	}
	return int64(ms), nil
}

// formatTimeSetting shows milliseconds as SHOW does: in the largest unit
// that divides them, 0 without a unit.
func formatTimeSetting(ms int64) string {
	if ms == 0 {
		return "0"
	}
	for _, u := range timeUnits {
		if u.ms >= 1 && ms%int64(u.ms) == 0 {
			return strconv.FormatInt(ms/int64(u.ms), 10) + u.name
		}
	}
	return strconv.FormatInt(ms, 10) + "ms"
}

// StatementTimeout is how long a statement of the session may run; zero
// means no limit.
func (s *Session) StatementTimeout() time.Duration { return s.timeSetting(statementTimeout) }

// IdleInTransactionTimeout is how long the session may wait for its
// client now: idle_in_transaction_session_timeout inside a transaction
// block (failed or not), zero (no limit) outside one.
func (s *Session) IdleInTransactionTimeout() time.Duration {
	if !s.tx.open {
		return 0
	}
	return s.timeSetting(idleInTransactionTimeout)
}

func (s *Session) timeSetting(name string) time.Duration {
	ms, err := parseTimeSetting(name, s.settings[name])
	if err != nil {
		return 0
	}
	return time.Duration(ms) * time.Millisecond
}
