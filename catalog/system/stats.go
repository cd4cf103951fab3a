package system

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// The statistics views and functions report what this server did, which
// for indexes is nothing: the sources scan their own indexes, Junction
// never does. Connections use neither GSSAPI nor its encryption.

var pgStatGssapiColumns = []column{
	{"pid", tInt4, false},
	{"gss_authenticated", tBool, false},
	{"principal", tText, false},
	{"encrypted", tBool, false},
}

// fillStatGssapi shows the current session, the one Info describes.
func fillStatGssapi(e *env, out *rowSet) {
	out.add("pid", e.info.BackendPID, "gss_authenticated", false, "encrypted", false)
}

// indexScans is pg_stat_get_numscans: Junction never scans an index.
func indexScans(*env, []types.Datum) (types.Datum, error) { return types.IntDatum(0), nil }

// walReplayPaused is pg_is_wal_replay_paused, which PostgreSQL refuses
// outside recovery; Junction is never in recovery.
func walReplayPaused(*env, []types.Datum) (types.Datum, error) {
	return null, pgerr.New("55000", "recovery is not in progress").
		WithHint("Recovery control functions can only be executed during recovery.")
}
