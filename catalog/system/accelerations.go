package system

import "time"

// AccelerationStatus is the state of one accelerated table's local copy,
// as the engine last saw it happen.
type AccelerationStatus struct {
	// Source and Table name the table as Junction shows it (Table is
	// remote_schema.table outside the source's default schema).
	Source, Table string
	// Key is the accelerate_key column, "" for none; MaxStaleness is the
	// declared max_staleness as given.
	Key, MaxStaleness string
	// Stale: the copy is older than MaxStaleness, so queries read the
	// source.
	Stale bool
	// LastMode is how the last successful refresh read the source:
	// "full" or "incremental"; "" when none succeeded since the start.
	LastMode string
	// The copy's age counts from LastStarted, the start of the read of
	// the source it holds.
	CopyStatus
}

var accelerationsTable = &sysTable{schema: Junction, name: "accelerations", oid: JunctionOID + 6, kind: 'v', fill: fillAccelerations,
	comment: "accelerated source tables with the state of their local copy: how it is refreshed, its age, rows and bytes, the last error and the next refresh",
	cols: append([]column{
		{"source", tText, false},
		{"table_name", tText, false},
		{"state", tText, false},
		{"mode", tText, false},
		{"key", tText, false},
		{"max_staleness", tText, false},
		{"last_refresh_mode", tText, false},
		{"last_refresh_start", tTimestampTZ, false},
		{"last_refresh_end", tTimestampTZ, false},
		{"age_s", tFloat8, false},
	}, copyStatusColumns...)}

// fillAccelerations lists the accelerated tables of the sources the user
// sees.
func fillAccelerations(e *env, out *rowSet) {
	if e.info.Accelerations == nil {
		return
	}
	now := time.Now()
	for _, a := range e.info.Accelerations() {
		if e.dir.nsByName[a.Source] == nil {
			continue
		}
		state := "fresh"
		switch {
		case a.Refreshing:
			state = "refreshing"
		case !a.Populated:
			state = "not populated"
		case a.Stale:
			state = "stale"
		}
		mode := "full"
		if a.Key != "" {
			mode = "incremental"
		}
		var age any
		if a.Populated {
			age = now.Sub(a.LastStarted).Seconds()
		}
		out.add(append([]any{"source", a.Source, "table_name", a.Table, "state", state, "mode", mode, "key", orNull(a.Key),
			"max_staleness", a.MaxStaleness, "last_refresh_mode", orNull(a.LastMode),
			"last_refresh_start", timestampDatum(a.LastStarted), "last_refresh_end", timestampDatum(a.LastFinished),
			"age_s", age}, a.values(a.Populated)...)...)
	}
}
