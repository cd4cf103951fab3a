package guard

import (
	"context"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/junction-db/junction/pgerr"
)

// pingTimeout bounds one health check, so that a frozen source (one that
// accepts connections and never answers) is found down.
const pingTimeout = 5 * time.Second

// Health is what the guard last learned about its source.
type Health struct {
	// Status is "up", "down", or "unknown" before anything was learned.
	Status string
	// Circuit is the breaker's state now: "closed", "open" or "half-open".
	Circuit string
	// LastError is the last source failure seen, secrets scrubbed by the
	// connector; it stays after the source recovers.
	LastError string
	// CheckedAt is when the status was last learned, by a health check or
	// a call; Latency is the last health check's round trip.
	CheckedAt time.Time
	Latency   time.Duration
	// RetryAt is when an open breaker lets a probe through.
	RetryAt time.Time
	// Failures counts the consecutive failures the breaker holds.
	Failures uint32
}

// Health is the source's state at the moment of the call.
func (s *Source) Health() Health {
	state, counts := s.cb.State(), s.cb.Counts()
	s.mu.Lock()
	h := s.health
	s.mu.Unlock()
	if h.Status == "" {
		h.Status = "unknown"
	}
	h.Circuit = state.String()
	h.Failures = counts.ConsecutiveFailures
	h.RetryAt = s.RetryAt()
	return h
}

// Usable reports whether a query needing the source may be sent to it
// now: the last thing learned was not a failure and the breaker lets calls
// through.
func (s *Source) Usable() bool {
	h := s.Health()
	return h.Status == "up" && h.Circuit != gobreaker.StateOpen.String()
}

// observe records what a call or a check learned about the source. Errors
// about the query and cancellations say nothing about it.
func (s *Source) observe(err error) {
	if err != nil && !sourceFailure(err) {
		return
	}
	s.mu.Lock()
	before := s.health.Status
	s.health.CheckedAt = time.Now()
	if err == nil {
		s.health.Status = "up"
	} else {
		s.health.Status = "down"
		s.health.LastError = pgerr.As(err).Message
	}
	after, lastError := s.health.Status, s.health.LastError
	s.mu.Unlock()
	if after != before {
		s.healthChanged(after, lastError)
	}
}

// Start runs the health checks every HealthInterval until Close.
func (s *Source) Start() {
	go func() {
		t := time.NewTicker(s.opts.HealthInterval)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.Check(context.Background())
			}
		}
	}()
}

// Check pings the source now (connecting first if it has no connector)
// and records the outcome. A failure counts against a closed breaker, so
// that a source found dead by the checks fails fast before any query pays
// for it; an open breaker still waits out its cool-down, and the first
// query after it probes the source.
func (s *Source) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, min(pingTimeout, s.opts.HealthInterval))
	defer cancel()
	begin := time.Now()
	c, err := s.connector(ctx, true)
	if err == nil {
		err = c.Ping(ctx)
	}
	if err != nil && ctx.Err() != nil {
		err = pgerr.New(pgerr.ConnectionFailure, "the source did not answer a health check within %s", time.Since(begin).Round(time.Millisecond))
	}
	latency := time.Since(begin)
	s.observe(err)
	s.mu.Lock()
	s.health.Latency = latency
	s.mu.Unlock()
	if err != nil && s.cb.State() == gobreaker.StateClosed {
		if done, aerr := s.cb.Allow(); aerr == nil {
			done(err)
		}
	}
	return err
}
