package functions

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// jsonAggState is json_agg, jsonb_agg, json_object_agg and
// jsonb_object_agg: per group the JSON text built so far. Unlike the other
// aggregates these keep NULL values (as JSON null); only an object's key
// must not be NULL. A group without rows is NULL.
type jsonAggState struct {
	t        types.Type
	argTypes []types.Type
	object   bool
	bufs     [][]byte
	counts   []int
}

func newJSONAggState(result types.Type, object bool, argTypes []types.Type) *jsonAggState {
	return &jsonAggState{t: result, object: object, argTypes: argTypes}
}

func (s *jsonAggState) resize(n int) {
	s.bufs = grow(s.bufs, n, nil)
	s.counts = grow(s.counts, n, 0)
}

func (s *jsonAggState) update(groups []int32, args []*vector.Vector) error {
	var err error
	for i, g := range groups {
		buf := s.bufs[g]
		if s.counts[g] > 0 {
			buf = append(buf, ", "...)
		}
		value := args[0]
		if s.object {
			if args[0].IsNull(i) {
				return pgerr.New(invalidParameterValue, "field name must not be null")
			}
			buf = appendJSONQuoted(buf, types.FormatText(s.argTypes[0], args[0].Datum(i)))
			buf = append(buf, " : "...)
			value = args[1]
		} else if s.counts[g] > 0 && !value.IsNull(i) && isArrayKind(value.Type.Kind) && s.t.Kind == types.JSON {
			// json_agg sets arrays apart on their own lines.
			buf = append(buf, "\n "...)
		}
		if buf, err = appendToJSON(buf, value.Type, value.Datum(i)); err != nil {
			return err
		}
		s.bufs[g] = buf
		s.counts[g]++
		if len(buf) > maxResultByteCount {
			return pgerr.New(pgerr.ProgramLimitExceeded, "json aggregate result exceeds the maximum text size")
		}
	}
	return nil
}

func (s *jsonAggState) result() (*vector.Vector, error) {
	out := newVector(s.t, len(s.bufs))
	open, closing := "[", "]"
	if s.object {
		open, closing = "{ ", " }"
	}
	for g, b := range s.bufs {
		if s.counts[g] == 0 {
			setDatum(out, g, types.NullDatum)
			continue
		}
		d, err := jsonDatum(s.t, open+string(b)+closing)
		if err != nil {
			return nil, err
		}
		out.Str[g] = d.Str
	}
	return out, nil
}
