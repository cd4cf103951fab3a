package functions

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// timezone(zone, value) is AT TIME ZONE. A zone is named as
// types.LookupZone reads names (abbreviations, IANA names, POSIX
// specifications) or given as an interval, the offset east of UTC.

// intervalZone is the offset, in microseconds east of UTC, of an interval
// used as a time zone: whole seconds of its time part, as PostgreSQL
// takes them.
func intervalZone(iv types.IntervalValue) (int64, error) {
	if iv.Months != 0 || iv.Days != 0 {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "interval time zone \"%s\" must not include months or days", types.FormatText(types.TInterval, types.Datum{Iv: iv}))
	}
	return iv.Micros / types.MicrosPerSecond * types.MicrosPerSecond, nil
}

func init() {
	text, ts, tstz, interval := types.TText, types.TTimestamp, types.TTimestampTZ, types.TInterval
	register([]funcSig{
		fn(ts, strict2(strs, ints, ints, func(name string, utc int64) (int64, error) {
			z, err := types.LookupZone(name)
			if err != nil || !types.IsFinite(utc) {
				return utc, err
			}
			return timestampShift(utc, z.OffsetAt(utc))
		}), text, tstz),
		fn(tstz, strict2(strs, ints, ints, func(name string, local int64) (int64, error) {
			z, err := types.LookupZone(name)
			if err != nil || !types.IsFinite(local) {
				return local, err
			}
			return timestampShift(local, z.ToUTC(local)-local)
		}), text, ts),
		fn(ts, strict2(intervals, ints, ints, func(iv types.IntervalValue, utc int64) (int64, error) {
			off, err := intervalZone(iv)
			if err != nil || !types.IsFinite(utc) {
				return utc, err
			}
			return timestampShift(utc, off)
		}), interval, tstz),
		fn(tstz, strict2(intervals, ints, ints, func(iv types.IntervalValue, local int64) (int64, error) {
			off, err := intervalZone(iv)
			if err != nil || !types.IsFinite(local) {
				return local, err
			}
			return timestampShift(local, -off)
		}), interval, ts),
		// After the timestamp forms: an unknown value reads as timestamptz,
		// as in PostgreSQL, which prefers it.
		fn(types.TTimeTZ, timeTZZoneImpl, text, types.TTimeTZ),
		fn(types.TTimeTZ, strict2(intervals, ints, ints, func(iv types.IntervalValue, v int64) (int64, error) {
			off, err := intervalZone(iv)
			if err != nil {
				return 0, err
			}
			return timeTZAtZone(v, int(off/types.MicrosPerSecond))
		}), interval, types.TTimeTZ),
	}, "timezone")
	register([]funcSig{fn(tstz, strict3(strs, ints, strs, ints, truncateInZone), text, tstz, text)}, "date_trunc")
}

// truncateInZone is date_trunc(unit, value, zone): truncation of the wall
// clock time in the zone. Units of a day or more start at the zone's
// midnight, whatever its offset then; finer ones keep the value's offset.
func truncateInZone(unit string, utc int64, name string) (int64, error) {
	z, err := types.LookupZone(name)
	if err != nil || !types.IsFinite(utc) {
		return utc, err
	}
	rules := z.Rules()
	off := rules.OffsetAt(utc)
	local, err := truncateTimestamp(unit, utc+off, types.TTimestampTZ)
	if err != nil {
		return 0, err
	}
	switch u, _ := parseDateUnit(unit, types.TTimestampTZ); u {
	case unitMicroseconds, unitMilliseconds, unitSecond, unitMinute, unitHour:
		return local - off, nil
	}
	return rules.ToUTC(local), nil
}

// timestampShift moves a timestamp by a zone offset, within range.
func timestampShift(ts, by int64) (int64, error) {
	r := ts + by
	if !types.ValidTimestamp(r) {
		return 0, timestampOutOfRange()
	}
	return r, nil
}
