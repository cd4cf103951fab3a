package wire

import (
	"bytes"
	"encoding/binary"
	"math"

	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// invalidBinaryRepresentation is SQLSTATE 22P03.
const invalidBinaryRepresentation = "22P03"

// decodeParams turns the values of a Bind message into datums of the
// statement's parameter types.
func (c *conn) decodeParams(params []wire.Parameter, ts []types.Type) ([]types.Datum, error) {
	if len(params) != len(ts) {
		return nil, pgerr.New(protocolViolation, "bind message supplies %d parameters, but prepared statement requires %d", len(params), len(ts))
	}
	out := make([]types.Datum, len(params))
	for i, p := range params {
		v := p.Value()
		if v == nil {
			out[i] = types.NullDatum
			continue
		}
		var err error
		if p.Format() == wire.BinaryFormat {
			out[i], err = c.decodeBinary(ts[i], v)
			if err != nil {
				if pgerr.Code(err) == pgerr.InternalError {
					err = pgerr.New(invalidBinaryRepresentation, "incorrect binary data format in bind parameter %d", i+1)
				}
				return nil, err
			}
			continue
		}
		if out[i], err = types.ParseText(ts[i], string(v)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeBinary reads a parameter in PostgreSQL's binary form of type t
// (its typreceive format). Malformed input is reported as a plain error,
// which decodeParams turns into 22P03 naming the parameter.
func (c *conn) decodeBinary(t types.Type, v []byte) (types.Datum, error) {
	fixed := func(n int) error {
		if len(v) != n {
			return errMalformed
		}
		return nil
	}
	switch t.Kind {
	case types.Bool:
		if err := fixed(1); err != nil {
			return types.Datum{}, err
		}
		return types.BoolDatum(v[0] != 0), nil
	case types.Int2:
		if err := fixed(2); err != nil {
			return types.Datum{}, err
		}
		return types.IntDatum(int64(int16(binary.BigEndian.Uint16(v)))), nil
	case types.Int4:
		if err := fixed(4); err != nil {
			return types.Datum{}, err
		}
		return types.IntDatum(int64(int32(binary.BigEndian.Uint32(v)))), nil
	case types.OID, types.RegClass, types.RegType, types.RegProc:
		if err := fixed(4); err != nil {
			return types.Datum{}, err
		}
		return types.IntDatum(int64(binary.BigEndian.Uint32(v))), nil
	case types.Int8, types.Time:
		if err := fixed(8); err != nil {
			return types.Datum{}, err
		}
		return types.IntDatum(int64(binary.BigEndian.Uint64(v))), nil
	case types.TimeTZ:
		if err := fixed(12); err != nil {
			return types.Datum{}, err
		}
		micros, west := int64(binary.BigEndian.Uint64(v)), int32(binary.BigEndian.Uint32(v[8:]))
		if micros < 0 || micros > types.MicrosPerDay || west > 57599 || west < -57599 {
			return types.Datum{}, pgerr.New(invalidBinaryRepresentation, "time with time zone out of range")
		}
		return types.IntDatum(types.PackTimeTZ(micros, int(-west))), nil
	case types.Date:
		if err := fixed(4); err != nil {
			return types.Datum{}, err
		}
		return types.IntDatum(dateRecv(int32(binary.BigEndian.Uint32(v)))), nil
	case types.Timestamp, types.TimestampTZ:
		if err := fixed(8); err != nil {
			return types.Datum{}, err
		}
		return types.IntDatum(timestampRecv(int64(binary.BigEndian.Uint64(v)))), nil
	case types.Float4:
		if err := fixed(4); err != nil {
			return types.Datum{}, err
		}
		return types.FloatDatum(float64(math.Float32frombits(binary.BigEndian.Uint32(v)))), nil
	case types.Float8:
		if err := fixed(8); err != nil {
			return types.Datum{}, err
		}
		return types.FloatDatum(math.Float64frombits(binary.BigEndian.Uint64(v))), nil
	case types.Interval:
		if err := fixed(16); err != nil {
			return types.Datum{}, err
		}
		return types.Datum{Iv: types.IntervalValue{
			Micros: int64(binary.BigEndian.Uint64(v)),
			Days:   int32(binary.BigEndian.Uint32(v[8:])),
			Months: int32(binary.BigEndian.Uint32(v[12:])),
		}}, nil
	case types.Text, types.Varchar, types.Bpchar, types.Name, types.JSON, types.Unknown:
		return types.ParseText(t, string(v))
	case types.Char:
		return types.StrDatum(string(v)), nil
	case types.JSONB:
		if len(v) == 0 || v[0] != jsonbVersion {
			return types.Datum{}, errMalformed
		}
		return types.ParseText(t, string(v[1:]))
	case types.Bytea:
		return types.Datum{Bytes: bytes.Clone(v)}, nil
	case types.Numeric:
		text, err := numericBinaryToText(v)
		if err != nil {
			return types.Datum{}, err
		}
		return types.ParseText(t, text)
	case types.UUID:
		if err := fixed(16); err != nil {
			return types.Datum{}, err
		}
		return types.StrDatum(types.FormatUUID([16]byte(v))), nil
	}
	text, err := c.binaryToText(t, v)
	if err != nil {
		return types.Datum{}, err
	}
	return types.ParseText(t, text)
}

// errMalformed marks binary input that does not have its type's layout;
// decodeParams reports it as 22P03 naming the parameter.
var errMalformed = pgerr.New(pgerr.InternalError, "malformed binary value")
