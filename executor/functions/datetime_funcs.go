package functions

import "github.com/junction-db/junction/types"

// The functions PostgreSQL names after the date/time types: date(ts)
// takes the date of a timestamp, timestamp(date, time) and
// timestamptz(date, time) join a date and a time of day (in the session
// time zone, UTC).
func init() {
	date, tm, ts, tstz := types.TDate, types.TTime, types.TTimestamp, types.TTimestampTZ
	register([]funcSig{
		fn(date, strict1(ints, ints, timestampToDate), ts),
		fn(date, strict1(ints, ints, timestampToDate), tstz),
	}, "date")
	register([]funcSig{fn(ts, strict2(ints, ints, ints, dateAddTime), date, tm)}, "timestamp")
	register([]funcSig{fn(tstz, strict2(ints, ints, ints, dateAddTime), date, tm)}, "timestamptz")
}
