package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// Query runs sql and converts each value into the column type the planner
// expects. The statement stops when ctx ends, when statement_timeout
// passes, or when the rows are closed.
func (c *Connector) Query(ctx context.Context, query string, cols []types.Type) (connectors.Rows, error) {
	rows, err := remote.ValueQuery{
		DB:               c.db,
		StatementTimeout: c.statementTimeout,
		Source:           "the SQLite source " + c.path,
		Decoder:          decoderFor,
		QueryError:       c.queryError,
		ValueError:       c.valueError,
	}.Run(ctx, query, cols)
	if err != nil {
		return nil, err // not a nil *ValueRows in a non-nil interface
	}
	return rows, nil
}

// valueError explains a stored value that has no conversion to the column's
// type: SQLite keeps whatever was stored, whatever the declared type.
func (c *Connector) valueError(i int, name string, t types.Type, v any, err error) error {
	pe := pgerr.As(err)
	return &pgerr.Error{
		Code:    pe.Code,
		Message: pe.Message,
		Detail: fmt.Sprintf("Result column %d (%q) of the SQLite source %s holds %s, which is not a valid %s.",
			i+1, name, c.path, describeValue(v), t),
		Hint: "SQLite does not enforce declared column types. Correct the value at the source, or declare the column with a type that matches what it holds.",
	}
}

// describeValue names a stored value and its SQLite storage class.
func describeValue(v any) string {
	switch x := v.(type) {
	case int64:
		return "the integer " + strconv.FormatInt(x, 10)
	case float64:
		return "the real " + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		const maxShown = 100
		if len(x) > maxShown {
			x = x[:maxShown] + "..."
		}
		return "the text " + types.QuoteLiteral(x)
	case []byte:
		return fmt.Sprintf("a blob of %d bytes", len(x))
	case time.Time:
		return "the date/time text " + x.Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("%v", v)
}

// queryError turns a driver error of a running query into a PostgreSQL
// error; a query stopped by its context is 57014.
func (c *Connector) queryError(ctx context.Context, err error) error {
	if e := remote.Canceled(ctx, "the SQLite source "+c.path); e != nil {
		return e
	}
	if pe := new(pgerr.Error); errors.As(err, &pe) {
		return pe
	}
	msg := driverMessage(err)
	e := &pgerr.Error{Code: pgerr.FDWError, Message: msg, Detail: "Raised by the SQLite source " + c.path + "."}
	if msg == "integer overflow" {
		// Raised by sum() and by the overflow guard of Dialect.Op, where
		// PostgreSQL raises bigint out of range.
		e.Code, e.Message = pgerr.NumericOutOfRange, "bigint out of range"
		e.Hint = "A result exceeds the 64-bit integers SQLite computes with."
	}
	return e
}

// decoderFor chooses how values become values of t.
func decoderFor(t types.Type) remote.ValueDecoder {
	switch t.Physical() {
	case types.PhysInt:
		switch t.Kind {
		case types.Date:
			return appendDate
		case types.Time:
			return appendTime
		case types.Timestamp, types.TimestampTZ:
			return appendTimestamp
		}
		return appendInteger
	case types.PhysFloat:
		return appendFloat
	case types.PhysDecimal:
		return appendNumeric
	case types.PhysBool:
		return appendBool
	case types.PhysBytes:
		return appendBytes
	}
	return appendParsed
}

// appendParsed reads a value through PostgreSQL's input function for the
// column type, after turning numbers into their text form.
func appendParsed(v *vector.Vector, value any) error {
	var s string
	switch x := value.(type) {
	case string:
		s = x
	case []byte:
		if v.Type.Kind == types.UUID && len(x) == 16 {
			v.Str = append(v.Str, types.FormatUUID([16]byte(x)))
			return nil
		}
		s = string(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case float64:
		s = types.FormatText(types.TFloat8, types.FloatDatum(x))
	case time.Time:
		s = x.Format("2006-01-02 15:04:05.999999999-07:00")
	}
	d, err := types.ParseText(v.Type, s)
	if err != nil {
		return err
	}
	v.AppendDatum(d)
	return nil
}

func appendInteger(v *vector.Vector, value any) error {
	var n int64
	switch x := value.(type) {
	case int64:
		n = x
	case float64:
		// Reals reach integer columns through expressions (and through
		// integer arithmetic that overflowed into floating point).
		if x != math.Trunc(x) {
			return pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type %s: \"%s\"", v.Type.BaseName(), strconv.FormatFloat(x, 'g', -1, 64))
		}
		if x < -(1<<63) || x >= 1<<63 {
			return pgerr.New(pgerr.NumericOutOfRange, "%s out of range", v.Type.BaseName())
		}
		n = int64(x)
	default:
		return appendParsed(v, value)
	}
	return remote.AppendInt(v, n)
}

func appendFloat(v *vector.Vector, value any) error {
	var f float64
	switch x := value.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	default:
		return appendParsed(v, value)
	}
	if v.Type.Kind == types.Float4 {
		if math.Abs(f) > math.MaxFloat32 && !math.IsInf(f, 0) {
			return pgerr.New(pgerr.NumericOutOfRange, "value out of range: overflow")
		}
		f = float64(float32(f))
	}
	v.Float = append(v.Float, f)
	return nil
}

func appendNumeric(v *vector.Vector, value any) error {
	switch x := value.(type) {
	case int64:
		d, err := types.ApplyNumericTypmod(v.Type, decimal.New(x, 0))
		if err != nil {
			return err
		}
		v.Dec = append(v.Dec, d)
		return nil
	case float64:
		if math.IsInf(x, 0) {
			d, err := types.ApplyNumericTypmod(v.Type, types.NumericInf(int(math.Copysign(1, x))))
			if err != nil {
				return err
			}
			v.Dec = append(v.Dec, d)
			return nil
		}
		// The shortest text that reads back as the stored double.
		return appendParsed(v, strconv.FormatFloat(x, 'g', -1, 64))
	}
	return appendParsed(v, value)
}

// appendBool reads SQLite's booleans, integers where any non-zero value
// is true, or PostgreSQL's boolean words stored as text.
func appendBool(v *vector.Vector, value any) error {
	switch x := value.(type) {
	case int64:
		v.Bool = append(v.Bool, x != 0)
		return nil
	case float64:
		v.Bool = append(v.Bool, x != 0)
		return nil
	}
	return appendParsed(v, value)
}

func appendBytes(v *vector.Vector, value any) error {
	switch x := value.(type) {
	case []byte:
		v.Bytes = append(v.Bytes, x)
	case string:
		v.Bytes = append(v.Bytes, []byte(x))
	case int64:
		v.Bytes = append(v.Bytes, strconv.AppendInt(nil, x, 10))
	case float64:
		v.Bytes = append(v.Bytes, types.AppendText(nil, types.TFloat8, types.FloatDatum(x)))
	case time.Time:
		v.Bytes = append(v.Bytes, x.AppendFormat(nil, "2006-01-02 15:04:05.999999999-07:00"))
	}
	return nil
}

// notDateTime rejects numbers in date/time columns: SQLite's functions
// read them as Julian days or, with a modifier, Unix times, so the stored
// number alone does not say which instant it is.
func notDateTime(v *vector.Vector, value any) error {
	return pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type %s: \"%v\"", v.Type, value).
		WithHint("Store dates and times in SQLite as ISO-8601 text ('2024-01-31', '2024-01-31 12:00:00').")
}

// The driver parses ISO-8601 text in columns declared DATE, DATETIME or
// TIMESTAMP into time.Time values, in UTC unless the text has an offset.

func appendDate(v *vector.Vector, value any) error {
	switch x := value.(type) {
	case time.Time:
		if x.Year() < 1 {
			return appendParsed(v, x) // year 0000, which PostgreSQL rejects
		}
		// PostgreSQL's date input keeps the written date and ignores a
		// time and zone after it.
		v.Int = append(v.Int, types.DateToDays(x.Year(), x.Month(), x.Day()))
		return nil
	case int64, float64:
		return notDateTime(v, value)
	}
	return appendParsed(v, value)
}

func appendTime(v *vector.Vector, value any) error {
	switch value.(type) {
	case int64, float64:
		return notDateTime(v, value)
	}
	return appendParsed(v, value)
}

func appendTimestamp(v *vector.Vector, value any) error {
	switch x := value.(type) {
	case time.Time:
		if x.Nanosecond()%1000 != 0 || x.Year() < 1 {
			// Sub-microsecond digits round as PostgreSQL's input does;
			// year 0000 is rejected by it.
			return appendParsed(v, x)
		}
		if v.Type.Kind == types.TimestampTZ {
			x = x.UTC()
		}
		// A timestamp without time zone keeps the written wall-clock time.
		days := types.DateToDays(x.Year(), x.Month(), x.Day())
		clock := int64(x.Hour())*types.MicrosPerHour + int64(x.Minute())*types.MicrosPerMinute +
			int64(x.Second())*types.MicrosPerSecond + int64(x.Nanosecond()/1000)
		v.Int = append(v.Int, days*types.MicrosPerDay+clock)
		return nil
	case int64, float64:
		return notDateTime(v, value)
	}
	return appendParsed(v, value)
}
