package remote

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/junction-db/junction/pgerr"
)

// Connect retries policy: at most connectAttempts tries, all within the
// connect timeout, sleeping a random time up to an exponentially growing
// bound between them (full jitter) so that many sessions reconnecting to a
// source that restarts do not knock in step.
const (
	connectAttempts = 3
	backoffBase     = 100 * time.Millisecond
	backoffCap      = 2 * time.Second
)

// FullJitter is an exponential backoff whose every wait is drawn uniformly
// between zero and the exponential bound, the "full jitter" of the AWS
// architecture note: spread-out retries beat synchronised ones.
type FullJitter struct{ exp backoff.ExponentialBackOff }

// NewFullJitter starts at base and doubles up to limit.
func NewFullJitter(base, limit time.Duration) *FullJitter {
	return &FullJitter{exp: backoff.ExponentialBackOff{InitialInterval: base, Multiplier: 2, MaxInterval: limit}}
}

// Reset starts the bound again at its base.
func (f *FullJitter) Reset() { f.exp.Reset() }

// NextBackOff is a uniform draw below the next exponential bound.
func (f *FullJitter) NextBackOff() time.Duration {
	return time.Duration(rand.Int64N(int64(f.exp.NextBackOff()) + 1))
}

// Retry calls attempt until it succeeds, fails with an error that
// transient rejects, or attempts tries or ctx run out; it returns the last
// error of attempt, never the context's, so that the cause stays visible.
// The first attempt is made before any of the backoff's machinery, which
// only a failure needs: most calls succeed at once.
func Retry[T any](ctx context.Context, attempts uint, attempt func(context.Context) (T, error), transient func(error) bool) (T, error) {
	first, firstErr := attempt(ctx)
	if firstErr == nil {
		return first, nil
	}
	tried := false
	var last error
	res, err := backoff.Retry(ctx, func() (T, error) {
		res, err := first, firstErr
		if tried {
			res, err = attempt(ctx)
		}
		tried = true
		if err != nil && !transient(err) {
			return res, backoff.Permanent(err)
		}
		last = err
		return res, err
	}, backoff.WithBackOff(NewFullJitter(backoffBase, backoffCap)), backoff.WithMaxTries(attempts), backoff.WithMaxElapsedTime(0))
	if err != nil && last != nil && ctx.Err() != nil {
		err = last
	}
	return res, err
}

// Connect calls attempt until it succeeds, fails with an error that
// transient rejects, or the attempts or the timeout run out. Each attempt
// gets a context that ends with the timeout; the last error is returned.
func Connect(ctx context.Context, timeout time.Duration, attempt func(context.Context) error, transient func(error) bool) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, err := Retry(ctx, connectAttempts, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, attempt(ctx)
	}, transient)
	return err
}

// TransientNetwork reports whether err is a network failure that may pass:
// a refused or reset connection, a timeout of one attempt, or a server that
// hung up during the handshake (as one does while it starts).
func TransientNetwork(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Scrub removes every secret from a driver's error text. Drivers are
// careful, but an error may echo a connection string or a failed SQL text.
func Scrub(text string, secrets ...string) string {
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "********")
		}
	}
	return text
}

// ConnectError is the error of a failed connect: code is 08001 (unable to
// connect) or an authentication code, and the message names the endpoint
// and the cause with the secrets scrubbed.
func ConnectError(ep Endpoint, code string, cause error, secrets ...string) *pgerr.Error {
	e := pgerr.New(code, "could not connect to %s: %s", ep, Scrub(cause.Error(), secrets...))
	switch code {
	case pgerr.InvalidPassword, pgerr.InvalidAuthorization:
		e.Hint = "Check the user and password options of the server (ALTER SERVER ... OPTIONS (SET password '...'))."
	default:
		e.Hint = "Check that the server is running and that the host, port and dbname options are right."
	}
	return e
}

// QueryError turns an error of a running remote query into a PostgreSQL
// error: a cancelled or timed-out ctx becomes 57014; errors that already
// carry a SQLSTATE keep it; other driver errors become code with their
// text. Detail says which source failed.
func QueryError(ctx context.Context, ep Endpoint, code string, err error, secrets ...string) *pgerr.Error {
	if e := Canceled(ctx, "the "+ep.String()); e != nil {
		return e
	}
	var pe *pgerr.Error
	if errors.As(err, &pe) {
		return pe
	}
	return RemoteError(ep, code, Scrub(err.Error(), secrets...))
}

// Canceled is PostgreSQL's 57014 for a query on source (named for the
// Detail) whose ctx was cancelled or timed out; nil while ctx is live.
func Canceled(ctx context.Context, source string) *pgerr.Error {
	ctxErr := ctx.Err()
	if ctxErr == nil {
		return nil
	}
	msg := "canceling statement due to user request"
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		msg = "canceling statement due to statement timeout"
	}
	return &pgerr.Error{Code: pgerr.QueryCanceled, Message: msg, Detail: "The query on " + source + " was cancelled."}
}

// RemoteError is an error the source raised while running a query; the
// message is the source's own, Detail names the source.
func RemoteError(ep Endpoint, code, message string) *pgerr.Error {
	return &pgerr.Error{Code: code, Message: message, Detail: "Raised by the " + ep.String() + "."}
}
