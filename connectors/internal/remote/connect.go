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

// Connect calls attempt until it succeeds, fails with an error that
// transient rejects, or the attempts or the timeout run out. Each attempt
// gets a context that ends with the timeout; the last error is returned.
func Connect(ctx context.Context, timeout time.Duration, attempt func(context.Context) error, transient func(error) bool) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var err error
	for i := 0; i < connectAttempts; i++ {
		if err = attempt(ctx); err == nil || !transient(err) {
			return err
		}
		bound := min(backoffCap, backoffBase<<i)
		sleep := time.Duration(rand.Int64N(int64(bound) + 1))
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= sleep {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(sleep):
		}
	}
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
	if ctxErr := ctx.Err(); ctxErr != nil {
		msg := "canceling statement due to user request"
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			msg = "canceling statement due to statement timeout"
		}
		return &pgerr.Error{Code: pgerr.QueryCanceled, Message: msg, Detail: "The query on the " + ep.String() + " was cancelled."}
	}
	var pe *pgerr.Error
	if errors.As(err, &pe) {
		return pe
	}
	return RemoteError(ep, code, Scrub(err.Error(), secrets...))
}

// RemoteError is an error the source raised while running a query; the
// message is the source's own, Detail names the source.
func RemoteError(ep Endpoint, code, message string) *pgerr.Error {
	return &pgerr.Error{Code: code, Message: message, Detail: "Raised by the " + ep.String() + "."}
}
