package system

import (
	"time"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
)

// CopyStatus is what the refreshes of a local copy (a materialized
// view's or an accelerated table's) did, as their status tables show it.
type CopyStatus struct {
	// Populated: there is a copy to read; Refreshing: a refresh runs now.
	Populated, Refreshing bool
	// The copy: when the read that made it started and when its refresh
	// finished, and the rows and bytes it holds; zero when there is none
	// (a copy from before a restart keeps its figures).
	LastStarted, LastFinished time.Time
	Rows, Bytes               int64
	// LastError is the error of the last refresh when it failed (the
	// copy is then the one before), and LastErrorAt when it failed.
	LastError   string
	LastErrorAt time.Time
	// NextRefresh is when the next scheduled refresh is due; zero when
	// none is scheduled.
	NextRefresh time.Time
	// Refreshes and Failures count the refreshes since the server
	// started.
	Refreshes, Failures int64
}

// CopyStatusOf is the status of a copy found at start, with the figures
// recorded with it.
func CopyStatusOf(c connectors.CopyStats) CopyStatus {
	return CopyStatus{Populated: true, LastStarted: c.Started, LastFinished: c.Finished, Rows: c.Rows, Bytes: c.Bytes}
}

// Refreshed records a refresh that ended at finished: the copy it made,
// or else its error, which leaves the last copy in place.
func (c *CopyStatus) Refreshed(stats connectors.CopyStats, err error, finished time.Time) {
	c.Refreshing = false
	c.Refreshes++
	if err != nil {
		c.Failures++
		c.LastError, c.LastErrorAt = pgerr.As(err).Message, finished
		return
	}
	c.Populated = true
	c.LastStarted, c.LastFinished = stats.Started, stats.Finished
	c.Rows, c.Bytes = stats.Rows, stats.Bytes
	c.LastError, c.LastErrorAt = "", time.Time{}
}

// copyStatusColumns end both tables of local copies (materialized views
// and accelerated tables): what the copy holds, the last error, and the
// refresh schedule and counts.
var copyStatusColumns = []column{
	{"rows", tInt8, false},
	{"bytes", tInt8, false},
	{"last_error", tText, false},
	{"last_error_at", tTimestampTZ, false},
	{"next_refresh", tTimestampTZ, false},
	{"refreshes", tInt8, false},
	{"failures", tInt8, false},
}

// values are c's values of copyStatusColumns, as rowSet.add pairs; held
// tells whether the copy's rows and bytes are known (NULL otherwise).
func (c CopyStatus) values(held bool) []any {
	var rows, bytes any
	if held {
		rows, bytes = c.Rows, c.Bytes
	}
	return []any{"rows", rows, "bytes", bytes, "last_error", orNull(c.LastError), "last_error_at", timestampDatum(c.LastErrorAt),
		"next_refresh", timestampDatum(c.NextRefresh), "refreshes", c.Refreshes, "failures", c.Failures}
}
