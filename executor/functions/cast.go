package functions

import (
	"math"
	"strconv"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// cannotCoerce is SQLSTATE 42846.
const cannotCoerce = "42846"

// typmodKernel restricts time, timestamp and interval values to t's
// modifier.
func typmodKernel(t types.Type) kernel1 {
	if t.Kind == types.Interval {
		return mapKernel(intervals, intervals, func(iv types.IntervalValue) (types.IntervalValue, error) {
			return types.AdjustInterval(t, iv), nil
		})
	}
	return mapKernel(ints, ints, func(v int64) (int64, error) { return types.AdjustTime(t, v), nil })
}

// castIsIdentity reports whether converting from one type to the other
// leaves every value as it is.
func castIsIdentity(from, to types.Type) bool {
	switch {
	case to.Kind == types.Numeric:
		return from.Kind == types.Numeric && (to.Precision == 0 || from.Precision == to.Precision && from.Scale == to.Scale)
	case to.Kind == types.Varchar || to.Kind == types.Bpchar:
		return from.Kind == to.Kind && (to.Length == 0 || from.Length == to.Length)
	case to.HasTimeTypmod():
		return from == to
	case from.Kind == to.Kind:
		return true
	case isTimestamp(from.Kind) && isTimestamp(to.Kind):
		return true // the session time zone is UTC
	case isStringKind(from.Kind) && isStringKind(to.Kind) && from.Kind != types.Bpchar && to.Kind != types.Name:
		return true
	case (from.Kind == types.JSON || from.Kind == types.JSONB) && (to.Kind == types.Text || to.Kind == types.Varchar && to.Length == 0):
		return true
	case from.Kind == types.Float4 && to.Kind == types.Float8:
		return true // float4 values are already stored rounded to single precision
	}
	return false
}

// isStringKind reports whether values of the kind are plain strings that
// cast to one another by copying.
func isStringKind(k types.Kind) bool {
	switch k {
	case types.Text, types.Varchar, types.Bpchar, types.Name, types.Unknown:
		return true
	}
	return false
}

// castKernel converts values with PostgreSQL's cast semantics.
func castKernel(from, to types.Type) (kernel1, error) {
	fk, tk := from.Kind, to.Kind
	switch {
	case tk == types.Numeric && fk == types.Numeric:
		return mapKernel(decs, decs, func(d decimal.Decimal) (decimal.Decimal, error) { return types.ApplyNumericTypmod(to, d) }), nil
	case isStringKind(tk) && isStringKind(fk):
		return stringToString(from, to), nil
	case isArrayKind(tk) && (isArrayKind(fk) || isStringKind(fk)):
		return arrayCast(from, to), nil
	case isStringKind(tk):
		return formatKernel(from, to), nil
	case isStringKind(fk) || fk == types.JSON || fk == types.JSONB:
		return parseKernel(to), nil
	case isIntLike(fk) && isIntLike(tk):
		return intToInt(from, to), nil
	case isIntLike(fk) && (tk == types.Float4 || tk == types.Float8):
		single := tk == types.Float4
		return mapKernel(ints, floats, func(v int64) (float64, error) {
			if single {
				return float64(float32(v)), nil
			}
			return float64(v), nil
		}), nil
	case isIntLike(fk) && tk == types.Numeric:
		return mapKernel(ints, decs, func(v int64) (decimal.Decimal, error) {
			return types.ApplyNumericTypmod(to, decimal.NewFromInt(v))
		}), nil
	case (fk == types.Float4 || fk == types.Float8) && to.IsInteger():
		lo, _, msg := intRange(tk)
		return mapKernel(floats, ints, func(f float64) (int64, error) {
			r := math.RoundToEven(f)
			// -lo is 2^15, 2^31 or 2^63, exact as a float unlike hi.
			if math.IsNaN(r) || r < float64(lo) || r >= -float64(lo) {
				return 0, pgerr.New(pgerr.NumericOutOfRange, "%s", msg)
			}
			return int64(r), nil
		}), nil
	case fk == types.Float8 && tk == types.Float4:
		return mapKernel(floats, floats, func(f float64) (float64, error) {
			r := float64(float32(f))
			if err := checkFloatResult(r, f, 1, true); err != nil {
				return 0, err
			}
			return r, nil
		}), nil
	case (fk == types.Float4 || fk == types.Float8) && tk == types.Numeric:
		digits := 15 // DBL_DIG: PostgreSQL converts through this many digits
		if fk == types.Float4 {
			digits = 6 // FLT_DIG
		}
		return mapKernel(floats, decs, func(f float64) (decimal.Decimal, error) {
			switch {
			case math.IsNaN(f):
				return types.NumericNaN, nil
			case math.IsInf(f, 0):
				return types.ApplyNumericTypmod(to, types.NumericInf(int(math.Copysign(1, f))))
			}
			d, err := decimal.NewFromString(strconv.FormatFloat(f, 'g', digits, 64))
			if err != nil {
				return decimal.Decimal{}, pgerr.New(pgerr.InternalError, "%v", err)
			}
			return types.ApplyNumericTypmod(to, displayScale(d))
		}), nil
	case fk == types.Numeric && to.IsInteger():
		return mapKernel(decs, ints, func(d decimal.Decimal) (int64, error) { return numericToInt(d, tk) }), nil
	case fk == types.Numeric && (tk == types.Float4 || tk == types.Float8):
		single := tk == types.Float4
		return mapKernel(decs, floats, func(d decimal.Decimal) (float64, error) {
			f := numericToFloat(d)
			if single {
				f = float64(float32(f))
			}
			if math.IsInf(f, 0) && !isSpecial(d) {
				return 0, pgerr.New(pgerr.NumericOutOfRange, "value out of range: overflow")
			}
			return f, nil
		}), nil
	case fk == types.Bool && to.IsInteger():
		return mapKernel(bools, ints, func(b bool) (int64, error) {
			if b {
				return 1, nil
			}
			return 0, nil
		}), nil
	case from.IsInteger() && tk == types.Bool:
		return mapKernel(ints, bools, func(v int64) (bool, error) { return v != 0, nil }), nil
	case fk == types.Date && isTimestamp(tk):
		return mapKernel(ints, ints, dateToTimestamp), nil
	case isTimestamp(fk) && tk == types.Date:
		return mapKernel(ints, ints, timestampToDate), nil
	case isTimestamp(fk) && tk == types.Time:
		return nullableMapKernel(ints, ints, timestampToTime), nil
	case fk == types.TimeTZ && tk == types.Time:
		return mapKernel(ints, ints, func(v int64) (int64, error) { tm, _ := types.UnpackTimeTZ(v); return tm, nil }), nil
	case fk == types.Time && tk == types.TimeTZ:
		return mapKernel(ints, ints, func(tm int64) (int64, error) { return types.PackTimeTZ(tm, 0), nil }), nil
	case fk == types.TimestampTZ && tk == types.TimeTZ:
		return nullableMapKernel(ints, ints, func(ts int64) (int64, error) {
			tm, err := timestampToTime(ts)
			return types.PackTimeTZ(tm, 0), err
		}), nil
	case fk == types.Time && tk == types.Interval:
		return mapKernel(ints, intervals, func(tm int64) (types.IntervalValue, error) { return types.IntervalValue{Micros: tm}, nil }), nil
	case fk == types.Interval && tk == types.Time:
		return mapKernel(intervals, ints, func(iv types.IntervalValue) (int64, error) {
			return floorMod(iv.Micros, types.MicrosPerDay), nil
		}), nil
	case (fk == types.JSON || fk == types.JSONB) && (tk == types.JSON || tk == types.JSONB):
		return parseKernel(to), nil
	}
	return nil, pgerr.New(cannotCoerce, "cannot cast type %s to %s", from.String(), to.String())
}

// isIntLike reports whether the kind is an integer or an OID-like type.
func isIntLike(k types.Kind) bool {
	switch k {
	case types.Int2, types.Int4, types.Int8, types.OID, types.RegClass, types.RegType, types.RegProc, types.RegNamespace:
		return true
	}
	return false
}

func isOIDKind(k types.Kind) bool { return isIntLike(k) && !(types.Type{Kind: k}).IsInteger() }

// intToInt converts between integer widths with range checks; OIDs are
// unsigned 32-bit, and int4 values convert to and from them bit for bit
// as in PostgreSQL.
func intToInt(from, to types.Type) kernel1 {
	lo, hi, msg := intRange(to.Kind)
	toOID, fromOID := isOIDKind(to.Kind), isOIDKind(from.Kind)
	return mapKernel(ints, ints, func(v int64) (int64, error) {
		switch {
		case toOID && !fromOID:
			if v < 0 && v >= math.MinInt32 {
				v += 1 << 32
			}
			if v < 0 || v > math.MaxUint32 {
				return 0, pgerr.New(pgerr.NumericOutOfRange, "OID out of range")
			}
			return v, nil
		case toOID:
			return v, nil
		case fromOID && to.Kind == types.Int4 && v > math.MaxInt32:
			return v - 1<<32, nil
		}
		if v < lo || v > hi {
			return 0, pgerr.New(pgerr.NumericOutOfRange, "%s", msg)
		}
		return v, nil
	})
}

// numericToInt rounds half away from zero and checks the range.
func numericToInt(d decimal.Decimal, k types.Kind) (int64, error) {
	if isSpecial(d) {
		return 0, specialNumericToInt(d, k)
	}
	lo, hi, msg := intRange(k)
	r := d.Round(0)
	if r.Cmp(decimal.NewFromInt(lo)) < 0 || r.Cmp(decimal.NewFromInt(hi)) > 0 {
		return 0, pgerr.New(pgerr.NumericOutOfRange, "%s", msg)
	}
	return r.IntPart(), nil
}

// stringToString converts between string types: character(n) loses its
// trailing blanks, name is cut to 63 bytes, and a length limit truncates
// as an explicit cast does.
func stringToString(from, to types.Type) kernel1 {
	return mapKernel(strs, strs, func(s string) (string, error) {
		if from.Kind == types.Bpchar {
			s = trimBlanks(s)
		}
		if to.Kind == types.Name {
			d, err := types.ParseText(to, s)
			return d.Str, err
		}
		return types.ApplyLength(to, s, true)
	})
}

// formatKernel converts to a string type through the output function of
// the source type; booleans become 'true' and 'false' as in PostgreSQL's
// bool-to-text cast.
func formatKernel(from, to types.Type) kernel1 {
	return func(a *vector.Vector, n int, out *vector.Vector) error {
		var buf []byte
		for i := range out.Str {
			if out.Nulls.Get(i) {
				continue
			}
			d := a.Datum(i)
			var s string
			if from.Kind == types.Bool {
				s = strconv.FormatBool(d.Bool)
			} else {
				buf = types.AppendText(buf[:0], from, d)
				s = string(buf)
			}
			if to.Kind == types.Name {
				v, err := types.ParseText(to, s)
				if err != nil {
					return err
				}
				out.Str[i] = v.Str
				continue
			}
			v, err := types.ApplyLength(to, s, true)
			if err != nil {
				return err
			}
			out.Str[i] = v
		}
		return nil
	}
}

// parseKernel converts from a string through the input function of the
// target type.
func parseKernel(to types.Type) kernel1 {
	return func(a *vector.Vector, n int, out *vector.Vector) error {
		for i := 0; i < n; i++ {
			if out.Nulls.Get(i) {
				continue
			}
			d, err := types.ParseText(to, a.Str[i])
			if err != nil {
				return err
			}
			setDatum(out, i, d)
		}
		return nil
	}
}

// arrayCast reads an array (or a string holding one) and writes it as an
// array of type to, converting each element to its element type: text[]
// to oid[] checks every element, int2vector to smallint[] keeps its lower
// bound 0.
func arrayCast(from, to types.Type) kernel1 {
	source := from
	if !isArrayKind(from.Kind) {
		source = to
	}
	elem, _ := ArrayElement(to)
	sourceElem, _ := ArrayElement(source)
	convert := elem != sourceElem
	// Elements of a typed array go through their own type's cast, as in
	// PostgreSQL's array_map: true::text is 'true' where the element's
	// text form is 't'. A string's elements are read as the target's.
	var elemCast kernel1
	if convert && isArrayKind(from.Kind) && !castIsIdentity(sourceElem, elem) {
		elemCast, _ = castKernel(sourceElem, elem)
	}
	return mapKernel(strs, strs, func(s string) (string, error) {
		a, err := parseArray(source, s)
		if err != nil {
			return "", err
		}
		switch {
		case elemCast != nil:
			a, err = castElements(a, sourceElem, elem, elemCast)
		case convert:
			a, err = convertArray(a, elem)
		}
		if err != nil {
			return "", err
		}
		d, err := arrayDatum(a, to)
		return d.Str, err
	})
}

// castElements converts the elements of a, of type from, with the cast
// kernel to type to.
func castElements(a *arrayValue, from, to types.Type, cast kernel1) (*arrayValue, error) {
	n := len(a.elems)
	in, out := newVector(from, n), newVector(to, n)
	for i, e := range a.elems {
		d := types.Datum{Null: true}
		if !e.null {
			var err error
			if d, err = types.ParseText(from, e.text); err != nil {
				return nil, err
			}
		}
		setDatum(in, i, d)
		if d.Null {
			setDatum(out, i, d)
		}
	}
	if err := cast(in, n, out); err != nil {
		return nil, err
	}
	converted := &arrayValue{lower: a.lower, dims: a.dims, elems: make([]arrayElem, n)}
	for i := range converted.elems {
		if d := out.Datum(i); d.Null {
			converted.elems[i] = arrayElem{null: true}
		} else {
			converted.elems[i] = arrayElem{text: types.FormatText(to, d)}
		}
	}
	return converted, nil
}
