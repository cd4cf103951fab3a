package system

import "time"

// CursorInfo is one of the session's open cursors, as pg_cursors shows it.
type CursorInfo struct {
	Name, Statement              string
	Holdable, Binary, Scrollable bool
	Created                      time.Time
}

var pgCursorsColumns = []column{
	{"name", tText, false},
	{"statement", tText, false},
	{"is_holdable", tBool, false},
	{"is_binary", tBool, false},
	{"is_scrollable", tBool, false},
	{"creation_time", tTimestampTZ, false},
}

func fillCursors(e *env, out *rowSet) {
	if e.info.Cursors == nil {
		return
	}
	for _, c := range e.info.Cursors() {
		out.add("name", c.Name, "statement", c.Statement, "is_holdable", c.Holdable, "is_binary", c.Binary,
			"is_scrollable", c.Scrollable, "creation_time", timestampDatum(c.Created))
	}
}
