package types

import (
	"fmt"
	"strings"

	"github.com/junction-db/junction/pgerr"
)

// An interval's type modifier restricts its fields (interval day to hour)
// and the digits of its seconds (interval(2), interval minute to
// second(2)). The field bits are PostgreSQL's INTERVAL_MASK bits, as the
// parser passes them. In a Type, Length holds the field bits (0: every
// field) and Precision the seconds' digits plus one (0: unconstrained);
// IntervalType, IntervalFields and SecondsPrecision read and write them.
const (
	IntervalMonth     int32 = 1 << 1
	IntervalYear      int32 = 1 << 2
	IntervalDay       int32 = 1 << 3
	IntervalHour      int32 = 1 << 10
	IntervalMinute    int32 = 1 << 11
	IntervalSecond    int32 = 1 << 12
	IntervalFullRange int32 = 0x7FFF
	// IntervalFullPrecision is the precision typmod of interval without
	// one.
	IntervalFullPrecision int32 = 0xFFFF
)

// intervalRanges are the field combinations SQL can write, with their
// spelling.
var intervalRanges = map[int32]string{
	IntervalYear:                 "year",
	IntervalMonth:                "month",
	IntervalDay:                  "day",
	IntervalHour:                 "hour",
	IntervalMinute:               "minute",
	IntervalSecond:               "second",
	IntervalYear | IntervalMonth: "year to month",
	IntervalDay | IntervalHour:   "day to hour",
	IntervalDay | IntervalHour | IntervalMinute:                  "day to minute",
	IntervalDay | IntervalHour | IntervalMinute | IntervalSecond: "day to second",
	IntervalHour | IntervalMinute:                                "hour to minute",
	IntervalHour | IntervalMinute | IntervalSecond:               "hour to second",
	IntervalMinute | IntervalSecond:                              "minute to second",
}

// IntervalType is interval restricted to fields (IntervalFullRange for
// all) with precision digits of seconds (IntervalFullPrecision for any).
func IntervalType(fields, precision int32) (Type, error) {
	t := TInterval
	if fields != IntervalFullRange {
		if _, ok := intervalRanges[fields]; !ok {
			return Type{}, pgerr.New(pgerr.SyntaxError, "invalid INTERVAL type modifier")
		}
		t.Length = fields
	}
	if precision != IntervalFullPrecision {
		return WithSecondsPrecision(t, precision)
	}
	return t, nil
}

// IntervalFields is the field bits of an interval type, or
// IntervalFullRange.
func (t Type) IntervalFields() int32 {
	if t.Length == 0 {
		return IntervalFullRange
	}
	return t.Length
}

// intervalTypeName is format_type's spelling of an interval type.
func intervalTypeName(t Type) string {
	var b strings.Builder
	b.WriteString("interval")
	if t.Length != 0 {
		b.WriteString(" " + intervalRanges[t.Length])
	}
	if p, ok := t.SecondsPrecision(); ok {
		fmt.Fprintf(&b, "(%d)", p)
	}
	return b.String()
}

// AdjustInterval restricts a value to an interval type's fields and
// seconds' digits, as PostgreSQL's AdjustIntervalForTypmod does: lower
// fields are cut off (toward zero), seconds rounded half away from zero.
func AdjustInterval(t Type, iv IntervalValue) IntervalValue {
	switch t.Length {
	case IntervalYear:
		iv.Months = iv.Months / 12 * 12
		iv.Days, iv.Micros = 0, 0
	case IntervalMonth, IntervalYear | IntervalMonth:
		iv.Days, iv.Micros = 0, 0
	case IntervalDay:
		iv.Micros = 0
	case IntervalHour, IntervalDay | IntervalHour:
		iv.Micros = iv.Micros / MicrosPerHour * MicrosPerHour
	case IntervalMinute, IntervalHour | IntervalMinute, IntervalDay | IntervalHour | IntervalMinute:
		iv.Micros = iv.Micros / MicrosPerMinute * MicrosPerMinute
	}
	if p, ok := t.SecondsPrecision(); ok {
		iv.Micros = roundMicros(iv.Micros, p)
	}
	return iv
}
