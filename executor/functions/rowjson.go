package functions

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// appendRecordJSON writes a record as a JSON object of its fields, as
// row_to_json and to_json do: {"a":1,"b":"x"}.
func appendRecordJSON(buf []byte, t types.Type, s string) ([]byte, error) {
	fs := t.Fields()
	vals, err := types.ParseRecord(s)
	if err != nil {
		return nil, err
	}
	if fs == nil || len(vals) != len(fs) {
		return nil, pgerr.NotSupported("JSON of a record whose fields are unknown")
	}
	buf = append(buf, '{')
	for i, f := range fs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONQuoted(buf, f.Name)
		buf = append(buf, ':')
		d := types.NullDatum
		if vals[i] != nil {
			if d, err = types.ParseText(f.Type, *vals[i]); err != nil {
				return nil, err
			}
		}
		if buf, err = appendToJSON(buf, f.Type, d); err != nil {
			return nil, err
		}
	}
	return append(buf, '}'), nil
}

func rowToJSON(fc *funcCall, row []types.Datum) (types.Datum, error) {
	buf, err := appendRecordJSON(nil, fc.argTypes[0], row[0].Str)
	if err != nil {
		return types.Datum{}, err
	}
	return types.StrDatum(string(buf)), nil
}

func init() {
	register([]funcSig{{params: []types.Type{{Kind: types.Record}}, result: types.TJSON, impl: perRow(rowToJSON)}}, "row_to_json")
}
