package functions

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// The set-returning JSON functions: json(b)_each(_text),
// json(b)_array_elements(_text) and json(b)_object_keys.

// jsonEachRows is json_each and friends: one row per object member, its
// value as JSON or (asText) as ->> returns it.
func jsonEachRows(name string, asText bool) func([]types.Type, []types.Datum) (rowGenerator, error) {
	return func(_ []types.Type, args []types.Datum) (rowGenerator, error) {
		n, err := parseJSON(args[0].Str)
		if err != nil {
			return nil, err
		}
		switch {
		case n.kind == 'o':
		case name[:5] == "jsonb":
			return nil, pgerr.New(invalidParameterValue, "cannot call %s on a non-object", name)
		case n.kind == 'a':
			return nil, pgerr.New(invalidParameterValue, "cannot deconstruct an array as an object")
		default:
			return nil, pgerr.New(invalidParameterValue, "cannot deconstruct a scalar")
		}
		out := &listRows{rows: make([][]types.Datum, len(n.keys))}
		for i, k := range n.keys {
			v := nodeDatum(n.vals[i])
			if asText {
				v = n.vals[i].text()
			}
			out.rows[i] = []types.Datum{types.StrDatum(k), v}
		}
		return out, nil
	}
}

// jsonElementRows is json_array_elements and friends.
func jsonElementRows(name string, asText bool) func([]types.Type, []types.Datum) (rowGenerator, error) {
	return func(_ []types.Type, args []types.Datum) (rowGenerator, error) {
		n, err := parseJSON(args[0].Str)
		if err != nil {
			return nil, err
		}
		switch {
		case n.kind == 'a':
		case name[:5] != "jsonb" && n.kind == 'o':
			return nil, pgerr.New(invalidParameterValue, "cannot call %s on a non-array", name)
		case name[:5] != "jsonb":
			return nil, pgerr.New(invalidParameterValue, "cannot call %s on a scalar", name)
		case n.kind == 'o':
			return nil, pgerr.New(invalidParameterValue, "cannot extract elements from an object")
		default:
			return nil, pgerr.New(invalidParameterValue, "cannot extract elements from a scalar")
		}
		out := &listRows{rows: make([][]types.Datum, len(n.vals))}
		for i, v := range n.vals {
			d := nodeDatum(v)
			if asText {
				d = v.text()
			}
			out.rows[i] = []types.Datum{d}
		}
		return out, nil
	}
}

// jsonKeyRows is json_object_keys: the keys of an object, duplicates of
// a json object included.
func jsonKeyRows(name string) func([]types.Type, []types.Datum) (rowGenerator, error) {
	return func(_ []types.Type, args []types.Datum) (rowGenerator, error) {
		n, err := parseJSON(args[0].Str)
		if err != nil {
			return nil, err
		}
		switch n.kind {
		case 'o':
		case 'a':
			return nil, pgerr.New(invalidParameterValue, "cannot call %s on an array", name)
		default:
			return nil, pgerr.New(invalidParameterValue, "cannot call %s on a scalar", name)
		}
		out := &listRows{rows: make([][]types.Datum, len(n.keys))}
		for i, k := range n.keys {
			out.rows[i] = []types.Datum{types.StrDatum(k)}
		}
		return out, nil
	}
}

func init() {
	text := types.TText
	for _, t := range []types.Type{types.TJSON, types.TJSONB} {
		prefix := t.BaseName()
		in := funcSig{params: []types.Type{t}}
		for _, asText := range []bool{false, true} {
			suffix, value := "", t
			if asText {
				suffix, value = "_text", text
			}
			each := prefix + "_each" + suffix
			setFunctions[each] = []setFunc{{
				sig:  in,
				out:  []plan.Column{{Name: "key", Type: text}, {Name: "value", Type: value}},
				rows: jsonEachRows(each, asText),
			}}
			elements := prefix + "_array_elements" + suffix
			setFunctions[elements] = []setFunc{{
				sig:  in,
				out:  []plan.Column{{Name: "value", Type: value}},
				rows: jsonElementRows(elements, asText),
			}}
		}
		keys := prefix + "_object_keys"
		setFunctions[keys] = []setFunc{{sig: funcSig{params: []types.Type{t}, result: text}, rows: jsonKeyRows(keys)}}
	}
}
