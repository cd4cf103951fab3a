package guard

import (
	"context"
	"log/slog"

	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/vector"
)

// Instrument makes the guard count into m (rows, bytes, errors, retries,
// breaker states) and log its breaker and health changes to log. It is
// called once, before the source is used; a guard not instrumented counts
// and logs nothing.
func (s *Source) Instrument(m *telemetry.Source, log *slog.Logger) {
	s.metrics, s.log = m, log
	m.CircuitState(s.cb.State().String())
}

// logger is the guard's logger, one that discards when none was given.
func (s *Source) logger() *slog.Logger {
	if s.log == nil {
		return discard
	}
	return s.log
}

var discard = slog.New(slog.DiscardHandler)

// circuitChanged hears every change of the breaker's state.
func (s *Source) circuitChanged(from, to string) {
	s.metrics.CircuitTransition(from, to)
	level := slog.LevelInfo
	if to == "open" {
		level = slog.LevelWarn
	}
	s.logger().Log(context.Background(), level, "circuit breaker changed state", "source", s.name, "from", from, "to", to)
}

// healthChanged hears a change of the source's status learned by a call
// or a health check.
func (s *Source) healthChanged(status, lastError string) {
	if status == "up" {
		s.logger().Info("source is up", "source", s.name)
		return
	}
	s.logger().Warn("source is down", "source", s.name, "error", lastError)
}

// failed counts a call that failed; a cancelled one is the client's doing
// and is not counted.
func (s *Source) failed(ctx context.Context, err error) {
	if err == nil || cancelled(err) {
		return
	}
	connection := sourceFailure(err)
	s.metrics.Failed(connection)
	if connection {
		s.logger().WarnContext(ctx, "source call failed", "source", s.name, "error", err)
	}
}

// counted wraps one attempt of a retried call so that every attempt after
// the first is counted and logged as a retry.
func counted[T any](s *Source, ctx context.Context, attempt func() (T, error)) func(context.Context) (T, error) {
	n := 0
	return func(context.Context) (T, error) {
		n++
		if n > 1 {
			s.metrics.Retried()
			s.logger().InfoContext(ctx, "retrying source call", "source", s.name, "attempt", n)
		}
		return attempt()
	}
}

// fetched counts a batch received for the source's metrics and the
// statement's usage.
func (r *guardedRows) fetched(b *vector.Batch) {
	if r.src.metrics == nil && r.usage == nil {
		return
	}
	r.count(int64(b.Len), vector.BatchBytes(b))
}

// count adds rows and bytes received to the source's metrics and the
// statement's usage. Rows read as text count the bytes of their text
// forms.
func (r *guardedRows) count(rows, bytes int64) {
	r.src.metrics.Fetched(rows, bytes)
	r.usage.Add(rows, bytes)
}
