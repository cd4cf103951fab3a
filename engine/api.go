// Package engine owns statement dispatch for a session: it routes each SQL
// statement to the planner and executor (queries, cursors, COPY TO), the
// catalog (CREATE SERVER, CREATE VIEW, ...) or session state (SET, SHOW,
// transaction blocks), and returns results as streams of batches for the
// wire layer to encode.
//
// A session keeps what it prepared: statements by their text, and queries
// whose texts differ only in integer constants by their shape, bound once
// for all values. Both are reused only while the catalog snapshot, the
// live source connections and the session's settings are the ones they
// were prepared under.
package engine

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// Statement is one parsed statement, ready to be described and executed any
// number of times (a prepared statement in the extended protocol).
type Statement struct {
	// SQL is the statement's own text.
	SQL string
	// Columns is the result shape; empty for statements without rows.
	Columns []plan.Column
	// Params are the parameter types ($1 is Params[0]), inferred from the
	// statement where the client left them unspecified.
	Params []types.Type

	run func(ctx runContext, params []types.Datum) (*Result, error)
	// reusable statements may be executed again as they are, so a session
	// may hand them out again for the same text.
	reusable bool
	// txExit statements end a transaction block and so may run in a
	// failed one.
	txExit bool
	// secret statements may hold a password (OPTIONS of a server or user
	// mapping): the query history shows their text redacted.
	secret bool
	// bound is a query's plan as bound, before optimization.
	bound plan.Node
	// privileged is the statement, when checkPrivilege must pass again at
	// each execution.
	privileged *pg.Node
}

// Result is the outcome of executing a statement.
type Result struct {
	// Columns describes Rows; nil for statements without rows.
	Columns []plan.Column
	// Rows yields the result batches; nil for statements without rows.
	Rows RowStream
	// Tag is the command tag for statements without rows ("CREATE SERVER",
	// "SET"). For row-returning statements the wire layer writes
	// "SELECT <count>" (or TagPrefix + count) after the rows.
	Tag string
	// TagPrefix replaces "SELECT" in the row-count tag (for example "FETCH").
	TagPrefix string
	// Notices are warnings for the client, sent before the command tag.
	Notices []*pgerr.Error
	// Binary asks for the rows in binary where the statement alone decides
	// their format: FETCH from a BINARY cursor in a simple query.
	Binary bool
	// Copy, when set, sends Rows as COPY TO STDOUT data in this format
	// instead of as a result set; the tag is "COPY <count>".
	Copy *CopyFormat
}

// RowStream is a stream of result batches.
type RowStream interface {
	// Next returns the next batch, or nil at the end.
	Next() (*vector.Batch, error)
	// Close releases the stream's resources (remote queries are cancelled).
	Close()
}

// TextStream is a RowStream that may hand its rows over as PostgreSQL's
// text forms, straight from the one PostgreSQL source that computed them
// all, for a writer that sends them to the client unchanged.
type TextStream interface {
	RowStream
	// EachText calls fn with each row's text values (nil for NULL), valid
	// during the call only, when the stream allows it; handled is false
	// when it does not, and then the rows are read with Next. It must
	// come before any Next.
	EachText(fn func(row [][]byte) error) (handled bool, err error)
}
