package functions

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

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

// timeTZAtZone is timetz AT TIME ZONE: the same instant of the day in the
// zone at offset east (seconds), wrapped into the day. A timetz holds
// offsets up to ±15:59:59.
func timeTZAtZone(v int64, east int) (int64, error) {
	if east > types.MaxTimeTZOffset || east < -types.MaxTimeTZOffset {
		return 0, pgerr.New(invalidTimeZoneDisplacement, "time zone displacement out of range")
	}
	tm, from := types.UnpackTimeTZ(v)
	tm = floorMod(tm+int64(east-from)*types.MicrosPerSecond, types.MicrosPerDay)
	return types.PackTimeTZ(tm, east), nil
}

// invalidTimeZoneDisplacement is SQLSTATE 22009.
const invalidTimeZoneDisplacement = "22009"

// timeTZZoneImpl is timezone(zone, timetz): a zone whose offset changes
// takes the one in force at the statement's start, as PostgreSQL takes the
// transaction's.
func timeTZZoneImpl(fc *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
	names, values, res := args[0].Str, args[1].Int, out.Int
	nm, vm := rowMask(args[0], n), rowMask(args[1], n)
	for i := range res {
		if out.Nulls.Get(i) {
			continue
		}
		z, err := types.LookupZone(names[i&nm])
		if err != nil {
			return err
		}
		if res[i], err = timeTZAtZone(values[i&vm], int(z.OffsetAt(fc.rt.now)/types.MicrosPerSecond)); err != nil {
			return err
		}
	}
	return nil
}

// extractTimeTZ is EXTRACT from a time with time zone: the fields of its
// time of day, its zone (seconds east, or their hours and minutes) and
// its epoch, the seconds since midnight UTC.
func extractTimeTZ(name string, v int64) (decimal.Decimal, error) {
	tm, east := types.UnpackTimeTZ(v)
	u, err := parseDateUnit(name, types.TTimeTZ)
	if err != nil {
		return decimal.Decimal{}, err
	}
	switch u {
	case unitTimezone:
		return decimal.NewFromInt(int64(east)), nil
	case unitTimezoneHour:
		return decimal.NewFromInt(int64(east / 3600)), nil
	case unitTimezoneMinute:
		return decimal.NewFromInt(int64(east / 60 % 60)), nil
	case unitEpoch:
		return decimal.New(tm-int64(east)*types.MicrosPerSecond, -6), nil
	case unitMicroseconds, unitMilliseconds, unitSecond, unitMinute, unitHour:
		return extractTime(name, tm)
	}
	return decimal.Decimal{}, unitNotSupported(name, types.TTimeTZ)
}

func init() {
	text, timetz := types.TText, types.TTimeTZ
	register([]funcSig{fn(types.TNumeric, strict2(strs, ints, decs, extractTimeTZ), text, timetz)}, "extract")
	register([]funcSig{fn(types.TFloat8, strict2(strs, ints, floats, func(u string, v int64) (float64, error) {
		return asFloat(extractTimeTZ(u, v))
	}), text, timetz)}, "date_part")
}
