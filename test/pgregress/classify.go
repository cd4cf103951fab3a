package pgregress

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

// Verdict is how Junction's answer to a query compares with PostgreSQL's.
type Verdict int

const (
	// Pass: the same values, or an error of the same SQLSTATE class
	// where PostgreSQL errs.
	Pass Verdict = iota
	// Wrong: an answer that differs from PostgreSQL's, or an answer where
	// PostgreSQL errs.
	Wrong
	// Error: Junction errs where PostgreSQL answers, or errs in another
	// class than PostgreSQL.
	Error
	// Unspecified: an answer that differs from PostgreSQL's to a query
	// whose answer SQL leaves to the implementation (see
	// peerOrderDependent); neither a pass nor a wrong result.
	Unspecified
)

func (v Verdict) String() string {
	return [...]string{"pass", "wrong result", "error", "unspecified"}[v]
}

// peerOrderDependent are the corpus's queries whose answer depends on the
// order among rows that tie in a window's ORDER BY (first_value and
// last_value over a frame of peers), which PostgreSQL's documentation
// leaves unspecified: its answer follows from its sort algorithm's
// handling of ties, so another order is as right as its.
var peerOrderDependent = map[string]bool{
	"window:454": true,
}

// Outcome is the verdict on one query.
type Outcome struct {
	Query   *Query
	Verdict Verdict
	// Detail shows the difference of a wrong result or Junction's error.
	Detail string
	// Group is the error with its particulars masked, so that errors of
	// one cause group together.
	Group string
	// Unsupported tells that an error is Junction refusing a construct it
	// does not implement (SQLSTATE 0A000, feature_not_supported): the
	// only acceptable way for a query to fail.
	Unsupported bool
}

// Answer is a server's result or error for a query.
type Answer struct {
	Result *testenv.Result
	Err    error
}

// Classify compares Junction's answer got with PostgreSQL's want.
func Classify(q *Query, got, want Answer) Outcome {
	o := Outcome{Query: q}
	switch {
	case want.Err != nil && got.Err != nil:
		if errorClass(got.Err) != "" && errorClass(got.Err) == errorClass(want.Err) {
			return o
		}
		o.Verdict = Error
		o.Detail = fmt.Sprintf("%s\nPostgreSQL: %s", testenv.DescribeError(got.Err), testenv.DescribeError(want.Err))
		o.Group = testenv.ErrorGroup(testenv.DescribeError(got.Err), "")
		o.Unsupported = errorCode(got.Err) == featureNotSupported
	case want.Err != nil:
		o.Verdict = Wrong
		o.Detail = fmt.Sprintf("Junction answered %d rows where PostgreSQL fails with %s", len(got.Result.Rows), testenv.DescribeError(want.Err))
	case got.Err != nil:
		o.Verdict = Error
		o.Detail = testenv.DescribeError(got.Err)
		o.Group = testenv.ErrorGroup(o.Detail, "")
		o.Unsupported = errorCode(got.Err) == featureNotSupported
	default:
		if d := valuesDiff(got.Result, want.Result, q.Ordered()); d != "" {
			o.Verdict = Wrong
			if peerOrderDependent[q.ID] {
				o.Verdict = Unspecified
			}
			o.Detail = d
		}
	}
	return o
}

// valuesDiff compares the values of two results, not their column names.
func valuesDiff(got, want *testenv.Result, ordered bool) string {
	if len(got.Columns) != len(want.Columns) {
		return fmt.Sprintf("got %d columns %q, want %d %q", len(got.Columns), got.Columns, len(want.Columns), want.Columns)
	}
	return testenv.Diff(&testenv.Result{Rows: got.Rows}, &testenv.Result{Rows: want.Rows}, ordered)
}

// featureNotSupported is the SQLSTATE of a construct Junction refuses.
const featureNotSupported = "0A000"

// errorClass is the class (the first two characters) of an error's
// SQLSTATE, or "" for an error without one.
func errorClass(err error) string {
	if code := errorCode(err); code != "" {
		return code[:2]
	}
	return ""
}

// errorCode is an error's SQLSTATE, or "" for an error without one.
func errorCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && len(pe.Code) == 5 {
		return pe.Code
	}
	return ""
}
