package connectors

import (
	"context"
	"time"
)

type statementTimeoutKey struct{}

// WithStatementTimeout records in ctx that the statement it belongs to may
// run for d. The caller ends ctx when that time is up, which cancels the
// remote queries; a connector may also pass d on to its server, so that
// the server bounds the statement by itself should the cancellation not
// reach it.
func WithStatementTimeout(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, statementTimeoutKey{}, d)
}

// StatementTimeout is the time WithStatementTimeout recorded in ctx; zero
// when none.
func StatementTimeout(ctx context.Context) time.Duration {
	d, _ := ctx.Value(statementTimeoutKey{}).(time.Duration)
	return d
}
