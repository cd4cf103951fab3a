package types

import "github.com/junction-db/junction/pgerr"

// The digits of seconds that time, timestamp, timestamptz and interval
// keep (timestamp(0), interval(2)) are their type modifier, held in
// Precision as the digits plus one (0: unconstrained).

// maxSecondsPrecision is the most digits of seconds a value has.
const maxSecondsPrecision int32 = 6

// WithSecondsPrecision is t keeping p digits of seconds; more than 6 mean
// 6, as in PostgreSQL.
func WithSecondsPrecision(t Type, p int32) (Type, error) {
	if p < 0 {
		return Type{}, pgerr.New(pgerr.InvalidParameterValue, "%s(%d) precision must not be negative", precisionTypeName(t), p)
	}
	t.Precision = min(p, maxSecondsPrecision) + 1
	return t, nil
}

func precisionTypeName(t Type) string {
	switch t.Kind {
	case Timestamp:
		return "TIMESTAMP"
	case TimestampTZ:
		return "TIMESTAMP"
	case Time, TimeTZ:
		return "TIME"
	}
	return "INTERVAL"
}

// SecondsPrecision is the digits of seconds a time, timestamp or interval
// type keeps, and whether it limits them.
func (t Type) SecondsPrecision() (int32, bool) { return t.Precision - 1, t.Precision > 0 }

// HasTimeTypmod reports whether t is a time, timestamp or interval type
// whose modifier changes the values it holds.
func (t Type) HasTimeTypmod() bool {
	switch t.Kind {
	case Interval:
		return t.Length != 0 || t.Precision != 0
	case Time, TimeTZ, Timestamp, TimestampTZ:
		return t.Precision != 0
	}
	return false
}

// roundMicros rounds microseconds to p digits of seconds, half away from
// zero.
func roundMicros(v int64, p int32) int64 {
	scale := int64(1)
	for range maxSecondsPrecision - p {
		scale *= 10
	}
	if v >= 0 {
		return (v + scale/2) / scale * scale
	}
	return -((-v + scale/2) / scale * scale)
}

// postgresEpochMicros is 2000-01-01 in this package's microseconds since
// 1970: PostgreSQL rounds timestamps as offsets from 2000, so values
// between 1970 and 2000 round away from zero in its direction.
const postgresEpochMicros = 946684800 * MicrosPerSecond

// AdjustTime rounds a time, timestamp or timestamptz value to its type's
// digits of seconds (AdjustTimestampForTypmod, AdjustTimeForTypmod).
func AdjustTime(t Type, v int64) int64 {
	p, ok := t.SecondsPrecision()
	if !ok || !IsFinite(v) && t.Kind != Time {
		return v
	}
	switch t.Kind {
	case Time:
		return roundMicros(v, p)
	case TimeTZ:
		tm, east := UnpackTimeTZ(v)
		return PackTimeTZ(roundMicros(tm, p), east)
	}
	return roundMicros(v-postgresEpochMicros, p) + postgresEpochMicros
}
