package types

import "time"

// A time with time zone is a time of day and the offset of the zone it was
// written in. Its int64 packs the time as UTC (time minus offset, which
// can fall outside the day) above the offset, so that integers compare as
// PostgreSQL compares timetz values: by that UTC time first, then by zone,
// and equal only when both parts are.
const (
	timeTZZoneBits = 17
	// MaxTimeTZOffset is PostgreSQL's limit on a timetz offset, ±15:59:59.
	MaxTimeTZOffset = 15*3600 + 59*60 + 59
	timeTZZoneBias  = MaxTimeTZOffset + 1
)

// PackTimeTZ packs a time of day (microseconds) and an offset (seconds
// east of UTC, within ±15:59:59).
func PackTimeTZ(micros int64, east int) int64 {
	west := int64(-east)
	utc := micros + west*MicrosPerSecond + timeTZZoneBias*MicrosPerSecond
	return utc<<timeTZZoneBits | (west + timeTZZoneBias)
}

// UnpackTimeTZ is the time of day (microseconds) and offset (seconds east
// of UTC) of a packed time with time zone.
func UnpackTimeTZ(v int64) (micros int64, east int) {
	west := v&(1<<timeTZZoneBits-1) - timeTZZoneBias
	utc := v>>timeTZZoneBits - timeTZZoneBias*MicrosPerSecond
	return utc - west*MicrosPerSecond, int(-west)
}

// parseTimeTZ reads time with time zone input: a time, with a zone
// offset or a fixed abbreviation, or a zone name together with a date that
// says which of its offsets applies. Without a zone the session's (UTC)
// applies.
func parseTimeTZ(s string) (int64, error) {
	dt, code := decodeDateTime(s, true)
	if code != dtOK {
		return 0, dt.inputError(code, TTimeTZ, s)
	}
	if dt.now {
		us := TimeToMicros(time.Now())
		return PackTimeTZ(us-floorDiv(us, MicrosPerDay)*MicrosPerDay, 0), nil
	}
	if !dt.hasTime || dt.epoch || dt.infinite != 0 || dt.timeOfDay > MicrosPerDay {
		if dt.timeOfDay > MicrosPerDay {
			return 0, dateTimeError(dtFieldOverflow, TTimeTZ, s)
		}
		return 0, dateTimeError(dtBadFormat, TTimeTZ, s)
	}
	east := dt.zoneOffset
	if dt.zone != nil {
		var ok bool
		if east, ok = dt.zone.fixedOffset(); !ok {
			// A zone name needs the date; an abbreviation whose offset
			// changed over time takes today's.
			days := floorDiv(TimeToMicros(time.Now()), MicrosPerDay)
			switch {
			case dt.hasDate:
				days = DateToDays(dt.year, dt.month, dt.day)
			case dt.zone.abbrev == "":
				return 0, dateTimeError(dtBadFormat, TTimeTZ, s)
			}
			local := days*MicrosPerDay + dt.timeOfDay
			east = int((local - dt.zone.ToUTC(local)) / MicrosPerSecond)
		}
	}
	if east > MaxTimeTZOffset || east < -MaxTimeTZOffset {
		return 0, dateTimeError(dtTZOverflow, TTimeTZ, s)
	}
	return PackTimeTZ(dt.timeOfDay, east), nil
}

// appendTimeTZ writes a time with time zone as PostgreSQL does:
// 04:05:06.789+08, 10:00:00-03:30.
func appendTimeTZ(buf []byte, v int64) []byte {
	micros, east := UnpackTimeTZ(v)
	return AppendZoneOffset(appendTimeOfDay(buf, micros), east)
}

// AppendZoneOffset writes an offset east of UTC as ±hh[:mm[:ss]].
func AppendZoneOffset(buf []byte, east int) []byte {
	sign := byte('+')
	if east < 0 {
		sign, east = '-', -east
	}
	buf = append(buf, sign)
	buf = appendPadded(buf, int64(east/3600), 2)
	if m, sec := east/60%60, east%60; m != 0 || sec != 0 {
		buf = append(buf, ':')
		buf = appendPadded(buf, int64(m), 2)
		if sec != 0 {
			buf = append(buf, ':')
			buf = appendPadded(buf, int64(sec), 2)
		}
	}
	return buf
}
