package guard

import (
	"context"
	"errors"
	"strings"

	"github.com/junction-db/junction/pgerr"
)

// sourceFailure reports whether err says the source itself is unreachable
// or going away, as opposed to an error about the query it answered.
func sourceFailure(err error) bool {
	if err == nil || cancelled(err) {
		return false
	}
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		return true
	}
	code := pe.Code
	return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03"
}

// cancelled reports an error of a statement the client cancelled or that
// ran out of its time; that says nothing about the source.
func cancelled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		pgerr.Code(err) == pgerr.QueryCanceled
}

// retryable reports a failure worth sending the query again: the source
// could not be reached, so nothing of the query ran.
func retryable(err error) bool {
	return sourceFailure(err) && strings.HasPrefix(pgerr.Code(err), "08")
}
