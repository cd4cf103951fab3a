package system

import (
	"fmt"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// rowSet collects the rows of one system table. Rows are given as column
// name and value pairs, so that a fill function names what it sets and
// leaves the many constant columns of a catalog at their defaults.
type rowSet struct {
	table *sysTable
	rows  [][]types.Datum
	err   error
}

// add appends a row: pairs alternate column names and values (string,
// bool, any integer, float64, time.Time, types.Datum or nil for NULL).
// A rune sets a "char" column.
func (rs *rowSet) add(pairs ...any) {
	if rs.err != nil {
		return
	}
	row := make([]types.Datum, len(rs.table.cols))
	copy(row, rs.table.defaults)
	if len(pairs)%2 != 0 {
		rs.fail("odd number of column/value arguments")
		return
	}
	for i := 0; i < len(pairs); i += 2 {
		name, _ := pairs[i].(string)
		idx, ok := rs.table.index[name]
		if !ok {
			rs.fail(fmt.Sprintf("no column %v", pairs[i]))
			return
		}
		d, ok := toDatum(rs.table.cols[idx].typ, pairs[i+1])
		if !ok {
			rs.fail(fmt.Sprintf("value %#v does not fit column %s of type %s", pairs[i+1], name, rs.table.cols[idx].typ))
			return
		}
		row[idx] = d
	}
	rs.rows = append(rs.rows, row)
}

func (rs *rowSet) fail(msg string) {
	rs.err = pgerr.New(pgerr.InternalError, "building %s.%s: %s", rs.table.schema, rs.table.name, msg)
}

// zeroDatum is a column's value when a row does not set it.
func zeroDatum(c column) types.Datum {
	if !c.notNull {
		return types.NullDatum
	}
	return types.Datum{}
}

// toDatum converts a Go value to a datum of type t.
func toDatum(t types.Type, v any) (types.Datum, bool) {
	if v == nil {
		return types.NullDatum, true
	}
	if d, ok := v.(types.Datum); ok {
		return d, true
	}
	switch t.Physical() {
	case types.PhysString:
		switch v := v.(type) {
		case string:
			return types.StrDatum(v), true
		case rune:
			if t.Kind != types.Char {
				return types.Datum{}, false
			}
			if v == 0 {
				return types.StrDatum(""), true
			}
			return types.StrDatum(string(v)), true
		}
	case types.PhysBool:
		if b, ok := v.(bool); ok {
			return types.BoolDatum(b), true
		}
	case types.PhysInt:
		if n, ok := integer(v); ok {
			return types.IntDatum(n), true
		}
		if ts, ok := v.(time.Time); ok {
			return timestampDatum(ts), true
		}
	case types.PhysFloat:
		if f, ok := v.(float64); ok {
			return types.FloatDatum(f), true
		}
		if n, ok := integer(v); ok {
			return types.FloatDatum(float64(n)), true
		}
	case types.PhysBytes:
		if b, ok := v.([]byte); ok {
			return types.Datum{Bytes: b}, true
		}
	}
	return types.Datum{}, false
}

func integer(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case int16:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	case uint32:
		return int64(v), true
	}
	return 0, false
}

// timestampDatum is a timestamptz value; the zero time is NULL.
func timestampDatum(t time.Time) types.Datum {
	if t.IsZero() {
		return types.NullDatum
	}
	return types.IntDatum(t.UnixMicro())
}
