package functions

import "github.com/junction-db/junction/types"

// date_trunc(unit, timestamptz, zone) truncates the wall-clock time the
// instant has in zone, as timestamptz_trunc_zone does: units of a day or
// more read the truncated wall-clock time back in the zone (its offset
// may differ then), smaller units keep the instant's offset.
func truncateInZone(unit string, ts int64, zone string) (int64, error) {
	u, err := parseDateUnit(unit, types.TTimestampTZ)
	if err != nil {
		return 0, err
	}
	loc, err := lookupZone(zone)
	if err != nil {
		return 0, err
	}
	off := offsetAt(loc, ts)
	truncated, err := truncateTimestamp(unit, ts+off, types.TTimestampTZ)
	if err != nil {
		return 0, err
	}
	if u >= unitDay && u <= unitMillennium {
		truncated = localToUTC(loc, truncated)
	} else {
		truncated -= off
	}
	if !types.ValidTimestamp(truncated) {
		return 0, timestampOutOfRange()
	}
	return truncated, nil
}

func init() {
	text, tstz := types.TText, types.TTimestampTZ
	register([]funcSig{fn(tstz, strict3(strs, ints, strs, ints, truncateInZone), text, tstz, text)}, "date_trunc")
}
