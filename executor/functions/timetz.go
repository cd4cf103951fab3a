package functions

import "github.com/junction-db/junction/types"

// Arithmetic on time with time zone: the time of day moves, wrapping
// around midnight, and the zone stays; with a date it names an instant.

func timeTZAddInterval(v int64, iv types.IntervalValue) (int64, error) {
	tm, east := types.UnpackTimeTZ(v)
	tm, _ = timeAddInterval(tm, iv)
	return types.PackTimeTZ(tm, east), nil
}

// dateAddTimeTZ is date + timetz, the instant at that time of day in the
// value's zone.
func dateAddTimeTZ(d, v int64) (int64, error) {
	tm, east := types.UnpackTimeTZ(v)
	ts, err := dateAddTime(d, tm)
	if err != nil || !types.IsFinite(ts) {
		return ts, err
	}
	return timestampShift(ts, -int64(east)*types.MicrosPerSecond)
}

func init() {
	register([]funcSig{fn(types.TTimestampTZ, strict2(ints, ints, ints, dateAddTimeTZ), types.TDate, types.TTimeTZ)}, "timestamptz")
}
