package functions

import (
	"strings"
	"sync"
	"time"

	// Zone rules travel with the binary, so that AT TIME ZONE answers the
	// same on every machine.
	_ "time/tzdata"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// timezone(zone, value) is AT TIME ZONE. Zones are named by the IANA
// database (Europe/Moscow, in any letter case) or as UTC/GMT. PostgreSQL
// reads other names (CET, MSK, EST) first as its time zone abbreviations,
// whose offsets Junction does not know, and UTC+3 as a POSIX zone; those
// are refused rather than read as the IANA zone of the same name, whose
// rules can differ.

var zoneCache sync.Map // lower-case name -> *time.Location

func lookupZone(name string) (*time.Location, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if loc, ok := zoneCache.Load(key); ok {
		return loc.(*time.Location), nil
	}
	var loc *time.Location
	switch {
	case key == "utc" || key == "gmt" || key == "z" || key == "zulu":
		loc = time.UTC
	case strings.Contains(key, "/"):
		var err error
		if loc, err = time.LoadLocation(name); err != nil {
			loc, err = time.LoadLocation(zoneCase(key))
		}
		if err != nil || key == "" {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "time zone \"%s\" not recognized", name)
		}
	default:
		return nil, pgerr.NotSupported("time zone \"" + name + "\" (time zone abbreviations and POSIX time zone specifications)")
	}
	zoneCache.Store(key, loc)
	return loc, nil
}

// zoneCase spells a lower-case zone name as the IANA database does:
// america/new_york is America/New_York.
func zoneCase(key string) string {
	b := []byte(key)
	for i := range b {
		if i == 0 || b[i-1] == '/' || b[i-1] == '_' || b[i-1] == '-' {
			b[i] = strings.ToUpper(string(b[i]))[0]
		}
	}
	return string(b)
}

// offsetAt is the zone's UTC offset in microseconds at an instant.
func offsetAt(loc *time.Location, micros int64) int64 {
	_, off := time.UnixMicro(micros).In(loc).Zone()
	return int64(off) * types.MicrosPerSecond
}

// localToUTC reads a wall-clock time of the zone as an instant, with
// PostgreSQL's rule for the hour a transition skips or repeats: before a
// spring-forward gap the earlier offset holds, in a fall-back overlap the
// later one (DetermineTimeZoneOffset).
func localToUTC(loc *time.Location, local int64) int64 {
	prev := local - types.MicrosPerDay
	before := offsetAt(loc, prev)
	_, end := time.UnixMicro(prev).In(loc).ZoneBounds()
	if end.IsZero() {
		return local - before
	}
	boundary := end.UnixMicro()
	after := offsetAt(loc, boundary)
	beforeTime, afterTime := local-before, local-after
	switch {
	case beforeTime < boundary && afterTime < boundary:
		return beforeTime
	case beforeTime >= boundary && afterTime >= boundary:
		return afterTime
	case beforeTime > afterTime:
		return beforeTime
	}
	return afterTime
}

func init() {
	text, ts, tstz := types.TText, types.TTimestamp, types.TTimestampTZ
	register([]funcSig{
		fn(ts, strict2(strs, ints, ints, func(zone string, utc int64) (int64, error) {
			loc, err := lookupZone(zone)
			if err != nil {
				return 0, err
			}
			return utc + offsetAt(loc, utc), nil
		}), text, tstz),
		fn(tstz, strict2(strs, ints, ints, func(zone string, local int64) (int64, error) {
			loc, err := lookupZone(zone)
			if err != nil {
				return 0, err
			}
			return localToUTC(loc, local), nil
		}), text, ts),
	}, "timezone")
}
