package functions

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// JSON functions. The operators are these functions under PostgreSQL's own
// names for them: -> is json_object_field or json_array_element, ->>
// their _text twins, #> and #>> json_extract_path(_text), @> and <@
// jsonb_contains and jsonb_contained, ? ?| ?& jsonb_exists(_any, _all),
// || jsonb_concat and - jsonb_delete.

// invalidParameterValue is SQLSTATE 22023.
const invalidParameterValue = "22023"

// jsonArg parses argument i, a json or jsonb value.
func jsonArg(row []types.Datum, i int) (*jsonNode, error) { return parseJSON(row[i].Str) }

// jsonPair parses the first two arguments.
func jsonPair(row []types.Datum) (a, b *jsonNode, err error) {
	if a, err = jsonArg(row, 0); err != nil {
		return nil, nil, err
	}
	b, err = jsonArg(row, 1)
	return a, b, err
}

// nodeDatum is a sub-value as a json or jsonb result; NULL when missing.
func nodeDatum(n *jsonNode) types.Datum {
	if n == nil {
		return types.NullDatum
	}
	return types.StrDatum(n.raw)
}

// textDatum is a sub-value as ->> returns it; NULL when missing.
func textDatum(n *jsonNode) types.Datum {
	if n == nil {
		return types.NullDatum
	}
	return n.text()
}

// lookup builds -> and ->> style functions from a step into a value.
func lookup(step func(n *jsonNode, row []types.Datum) (*jsonNode, error), asText bool) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		n, err := jsonArg(row, 0)
		if err != nil {
			return types.Datum{}, err
		}
		if n, err = step(n, row); err != nil {
			return types.Datum{}, err
		}
		if asText {
			return textDatum(n), nil
		}
		return nodeDatum(n), nil
	}
}

func fieldStep(n *jsonNode, row []types.Datum) (*jsonNode, error) { return n.field(row[1].Str), nil }

func elementStep(n *jsonNode, row []types.Datum) (*jsonNode, error) {
	return n.element(row[1].Int), nil
}

// jsonbElementStep is elementStep for jsonb, which stores a scalar as a
// one-element array: element 0 (or -1) of a scalar is the scalar.
func jsonbElementStep(n *jsonNode, row []types.Datum) (*jsonNode, error) {
	if !isContainer(n) && (row[1].Int == 0 || row[1].Int == -1) {
		return n, nil
	}
	return n.element(row[1].Int), nil
}

// pathOf reads the path arguments: one text[] or several texts.
func pathOf(fc *funcCall, row []types.Datum) ([]*string, error) {
	if len(row) == 2 && isArrayKind(fc.argTypes[1].Kind) {
		a, err := arrayArg(fc, row, 1)
		if err != nil {
			return nil, err
		}
		out := make([]*string, len(a.elems))
		for i, e := range a.elems {
			if !e.null {
				out[i] = &a.elems[i].text
			}
		}
		return out, nil
	}
	out := make([]*string, len(row)-1)
	for i, d := range row[1:] {
		if !d.Null {
			out[i] = &row[i+1].Str
		}
	}
	return out, nil
}

// pathStep follows a path: object keys by name, array elements by an
// integer; a step that does not fit (or a NULL step) ends in nothing.
func pathStep(n *jsonNode, path []*string) *jsonNode {
	for _, p := range path {
		if n == nil || p == nil {
			return nil
		}
		switch n.kind {
		case 'o':
			n = n.field(*p)
		case 'a':
			i, err := strconv.ParseInt(*p, 10, 32)
			if err != nil {
				return nil
			}
			n = n.element(i)
		default:
			return nil
		}
	}
	return n
}

func extractPath(asText bool) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		if row[0].Null {
			return types.NullDatum, nil
		}
		n, err := jsonArg(row, 0)
		if err != nil {
			return types.Datum{}, err
		}
		if len(row) == 2 && row[1].Null {
			return types.NullDatum, nil
		}
		path, err := pathOf(fc, row)
		if err != nil {
			return types.Datum{}, err
		}
		if asText {
			return textDatum(pathStep(n, path)), nil
		}
		return nodeDatum(pathStep(n, path)), nil
	}
}

// scalarEqual compares two JSON scalars as jsonb does: numbers by value.
func scalarEqual(a, b *jsonNode) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case 's':
		return a.str == b.str
	case 'n':
		x, err1 := decimal.NewFromString(a.raw)
		y, err2 := decimal.NewFromString(b.raw)
		return err1 == nil && err2 == nil && x.Equal(y)
	}
	return a.raw == b.raw
}

func isContainer(n *jsonNode) bool { return n.kind == 'o' || n.kind == 'a' }

// contains is jsonb's @>: every member of b is in a, recursively; at the
// top level an array also contains a scalar it has as an element.
func contains(a, b *jsonNode, top bool) bool {
	if a.kind != b.kind {
		if top && a.kind == 'a' && !isContainer(b) {
			for _, e := range a.vals {
				if scalarEqual(e, b) {
					return true
				}
			}
		}
		return false
	}
	switch a.kind {
	case 'o':
		for i, k := range b.keys {
			v := a.field(k)
			if v == nil || v.kind != b.vals[i].kind {
				return false
			}
			if isContainer(v) && !contains(v, b.vals[i], false) || !isContainer(v) && !scalarEqual(v, b.vals[i]) {
				return false
			}
		}
		return true
	case 'a':
		for _, want := range b.vals {
			found := false
			for _, have := range a.vals {
				if have.kind == want.kind && (isContainer(want) && contains(have, want, false) || !isContainer(want) && scalarEqual(have, want)) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	return scalarEqual(a, b)
}

func containsImpl(reversed bool) rowImpl {
	return func(_ *funcCall, row []types.Datum) (types.Datum, error) {
		a, b, err := jsonPair(row)
		if err != nil {
			return types.Datum{}, err
		}
		if reversed {
			a, b = b, a
		}
		return types.BoolDatum(contains(a, b, true)), nil
	}
}

// hasKey is jsonb's ?: a top-level key, or a string element of an array
// (or the string itself).
func hasKey(n *jsonNode, k string) bool {
	switch n.kind {
	case 'o':
		return n.field(k) != nil
	case 'a':
		for _, e := range n.vals {
			if e.kind == 's' && e.str == k {
				return true
			}
		}
	case 's':
		return n.str == k
	}
	return false
}

func existsImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	n, err := jsonArg(row, 0)
	if err != nil {
		return types.Datum{}, err
	}
	return types.BoolDatum(hasKey(n, row[1].Str)), nil
}

// existsManyImpl is ?| (all=false) and ?& (all=true); NULL keys are
// ignored.
func existsManyImpl(all bool) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		n, err := jsonArg(row, 0)
		if err != nil {
			return types.Datum{}, err
		}
		keys, err := arrayArg(fc, row, 1)
		if err != nil {
			return types.Datum{}, err
		}
		for _, k := range keys.elems {
			if k.null {
				continue
			}
			if hasKey(n, k.text) != all {
				return types.BoolDatum(!all), nil
			}
		}
		return types.BoolDatum(all), nil
	}
}

// appendNode writes a parsed value back as compact JSON text, dropping
// the object members drop rejects.
func appendNode(buf []byte, n *jsonNode, drop func(*jsonNode) bool) []byte {
	switch n.kind {
	case 'o':
		buf = append(buf, '{')
		first := true
		for i, k := range n.keys {
			if drop != nil && drop(n.vals[i]) {
				continue
			}
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = appendJSONQuoted(buf, k)
			buf = append(buf, ':')
			buf = appendNode(buf, n.vals[i], drop)
		}
		return append(buf, '}')
	case 'a':
		buf = append(buf, '[')
		for i, v := range n.vals {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendNode(buf, v, drop)
		}
		return append(buf, ']')
	}
	return append(buf, n.raw...)
}

func isNull(n *jsonNode) bool { return n.kind == 'z' }

func stripNullsImpl(fc *funcCall, row []types.Datum) (types.Datum, error) {
	n, err := jsonArg(row, 0)
	if err != nil {
		return types.Datum{}, err
	}
	return jsonDatum(fc.argTypes[0], string(appendNode(nil, n, isNull)))
}

// jsonbConcat is jsonb's ||: two objects merge, anything else is
// concatenated as arrays, a non-array counting as a one-element array.
func jsonbConcat(_ *funcCall, row []types.Datum) (types.Datum, error) {
	a, b, err := jsonPair(row)
	if err != nil {
		return types.Datum{}, err
	}
	if a.kind == 'o' && b.kind == 'o' {
		// jsonb keeps the last of duplicate keys: b's.
		merged := &jsonNode{kind: 'o', keys: append(append([]string{}, a.keys...), b.keys...), vals: append(append([]*jsonNode{}, a.vals...), b.vals...)}
		return jsonDatum(types.TJSONB, string(appendNode(nil, merged, nil)))
	}
	elems := func(n *jsonNode) []*jsonNode {
		if n.kind == 'a' {
			return n.vals
		}
		return []*jsonNode{n}
	}
	arr := &jsonNode{kind: 'a', vals: append(append([]*jsonNode{}, elems(a)...), elems(b)...)}
	return jsonDatum(types.TJSONB, string(appendNode(nil, arr, nil)))
}

// jsonbDelete is jsonb - text, jsonb - text[] and jsonb - integer.
func jsonbDelete(fc *funcCall, row []types.Datum) (types.Datum, error) {
	n, err := jsonArg(row, 0)
	if err != nil {
		return types.Datum{}, err
	}
	if !isContainer(n) {
		return types.Datum{}, pgerr.New(invalidParameterValue, "cannot delete from scalar")
	}
	out := &jsonNode{kind: n.kind}
	switch k := fc.argTypes[1]; {
	case k.IsInteger():
		if n.kind == 'o' {
			return types.Datum{}, pgerr.New(invalidParameterValue, "cannot delete from object using integer index")
		}
		i := row[1].Int
		if i < 0 {
			i += int64(len(n.vals))
		}
		for j, v := range n.vals {
			if int64(j) != i {
				out.vals = append(out.vals, v)
			}
		}
	default:
		keys := map[string]bool{}
		if isArrayKind(k.Kind) {
			a, err := arrayArg(fc, row, 1)
			if err != nil {
				return types.Datum{}, err
			}
			for _, e := range a.elems {
				if !e.null {
					keys[e.text] = true
				}
			}
		} else {
			keys[row[1].Str] = true
		}
		for j, v := range n.vals {
			switch {
			case n.kind == 'o' && keys[n.keys[j]]:
			case n.kind == 'a' && v.kind == 's' && keys[v.str]:
			default:
				if n.kind == 'o' {
					out.keys = append(out.keys, n.keys[j])
				}
				out.vals = append(out.vals, v)
			}
		}
	}
	return jsonDatum(types.TJSONB, string(appendNode(nil, out, nil)))
}

// jsonbSet is jsonb_set(target, path, new_value [, create_if_missing]).
func jsonbSet(fc *funcCall, row []types.Datum) (types.Datum, error) {
	for _, d := range row {
		if d.Null {
			return types.NullDatum, nil
		}
	}
	n, err := jsonArg(row, 0)
	if err != nil {
		return types.Datum{}, err
	}
	if !isContainer(n) {
		return types.Datum{}, pgerr.New(invalidParameterValue, "cannot set path in scalar")
	}
	path, err := arrayArg(fc, row, 1)
	if err != nil {
		return types.Datum{}, err
	}
	repl, err := jsonArg(row, 2)
	if err != nil {
		return types.Datum{}, err
	}
	create := len(row) < 4 || row[3].Bool
	for i, e := range path.elems {
		if e.null {
			return types.Datum{}, pgerr.New(invalidParameterValue, "path element at position %d is null", i+1)
		}
	}
	out, err := setPath(n, path.elems, 0, repl, create)
	if err != nil {
		return types.Datum{}, err
	}
	return jsonDatum(types.TJSONB, string(appendNode(nil, out, nil)))
}

// setPath returns n with the value at path[level:] replaced, or added
// as the last step's new object key or array element.
func setPath(n *jsonNode, path []arrayElem, level int, repl *jsonNode, create bool) (*jsonNode, error) {
	if level == len(path) {
		return repl, nil
	}
	if !isContainer(n) {
		return n, nil
	}
	step := path[level].text
	out := &jsonNode{kind: n.kind, keys: n.keys, vals: append([]*jsonNode{}, n.vals...)}
	at, front := -1, false
	if n.kind == 'o' {
		for i, k := range n.keys {
			if k == step {
				at = i
			}
		}
	} else {
		i, err := strconv.ParseInt(step, 10, 32)
		if err != nil {
			return nil, pgerr.New(pgerr.InvalidTextRep, "path element at position %d is not an integer: \"%s\"", level+1, step)
		}
		if i < 0 {
			i += int64(len(n.vals))
		}
		if i >= 0 && i < int64(len(n.vals)) {
			at = int(i)
		}
		front = i < 0
	}
	if at >= 0 {
		v, err := setPath(n.vals[at], path, level+1, repl, create)
		if err != nil {
			return nil, err
		}
		out.vals[at] = v
		return out, nil
	}
	if level == len(path)-1 && create {
		switch {
		case n.kind == 'o':
			out.keys = append(append([]string{}, n.keys...), step)
			out.vals = append(out.vals, repl)
		case front:
			out.vals = append([]*jsonNode{repl}, out.vals...)
		default:
			out.vals = append(out.vals, repl)
		}
	}
	return out, nil
}

func typeofImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	n, err := jsonArg(row, 0)
	if err != nil {
		return types.Datum{}, err
	}
	return types.StrDatum(n.typeName()), nil
}

func arrayLengthImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	n, err := jsonArg(row, 0)
	if err != nil {
		return types.Datum{}, err
	}
	switch n.kind {
	case 'a':
		return types.IntDatum(int64(len(n.vals))), nil
	case 'o':
		return types.Datum{}, pgerr.New(invalidParameterValue, "cannot get array length of a non-array")
	}
	return types.Datum{}, pgerr.New(invalidParameterValue, "cannot get array length of a scalar")
}

func prettyImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	n, err := jsonArg(row, 0)
	if err != nil {
		return types.Datum{}, err
	}
	return types.StrDatum(string(appendPretty(nil, n, 0))), nil
}

// toJSONImpl is to_json and to_jsonb.
func toJSONImpl(result types.Type) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		buf, err := appendToJSON(nil, fc.argTypes[0], row[0])
		if err != nil {
			return types.Datum{}, err
		}
		return jsonDatum(result, string(buf))
	}
}

// buildJSONObject is json_build_object and jsonb_build_object.
func buildJSONObject(result types.Type) rowImpl {
	name, sep := "json_build_object", " : "
	if result.Kind == types.JSONB {
		name, sep = "jsonb_build_object", ": "
	}
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		if len(row)%2 != 0 {
			return types.Datum{}, pgerr.New(invalidParameterValue, "argument list must have even number of elements").
				WithHint("The arguments of %s() must consist of alternating keys and values.", name)
		}
		buf := []byte{'{'}
		for i := 0; i < len(row); i += 2 {
			if row[i].Null {
				return types.Datum{}, pgerr.New(nullValueNotAllowed, "argument %d cannot be null", i+1).WithHint("Object keys should be text.")
			}
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendJSONQuoted(buf, types.FormatText(fc.argTypes[i], row[i]))
			buf = append(buf, sep...)
			var err error
			if buf, err = appendToJSON(buf, fc.argTypes[i+1], row[i+1]); err != nil {
				return types.Datum{}, err
			}
		}
		return jsonDatum(result, string(append(buf, '}')))
	}
}

// buildJSONArray is json_build_array and jsonb_build_array.
func buildJSONArray(result types.Type) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		buf := []byte{'['}
		for i, d := range row {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			var err error
			if buf, err = appendToJSON(buf, fc.argTypes[i], d); err != nil {
				return types.Datum{}, err
			}
		}
		return jsonDatum(result, string(append(buf, ']')))
	}
}

// jsonObject is json_object(text[]) with alternating keys and values
// (one- or two-dimensional) and json_object(keys text[], values text[]).
func jsonObject(result types.Type) rowImpl {
	return func(fc *funcCall, row []types.Datum) (types.Datum, error) {
		a, err := arrayArg(fc, row, 0)
		if err != nil {
			return types.Datum{}, err
		}
		var keys, vals []arrayElem
		if len(row) == 2 {
			b, err := arrayArg(fc, row, 1)
			if err != nil {
				return types.Datum{}, err
			}
			if len(a.dims) > 1 || len(b.dims) > 1 {
				return types.Datum{}, pgerr.New(arraySubscriptError, "wrong number of array subscripts")
			}
			if a.count() != b.count() {
				return types.Datum{}, pgerr.New(arraySubscriptError, "mismatched array dimensions")
			}
			keys, vals = a.elems, b.elems
		} else {
			switch {
			case len(a.dims) == 1 && a.dims[0]%2 != 0:
				return types.Datum{}, pgerr.New(arraySubscriptError, "array must have even number of elements")
			case len(a.dims) == 2 && a.dims[1] != 2:
				return types.Datum{}, pgerr.New(arraySubscriptError, "array must have two columns")
			case len(a.dims) > 2:
				return types.Datum{}, pgerr.New(arraySubscriptError, "wrong number of array subscripts")
			}
			for i := 0; i+1 < len(a.elems); i += 2 {
				keys, vals = append(keys, a.elems[i]), append(vals, a.elems[i+1])
			}
		}
		buf := []byte{'{'}
		for i, k := range keys {
			if k.null {
				return types.Datum{}, pgerr.New(nullValueNotAllowed, "null value not allowed for object key")
			}
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendJSONQuoted(buf, k.text)
			buf = append(buf, " : "...)
			if vals[i].null {
				buf = append(buf, "null"...)
			} else {
				buf = appendJSONQuoted(buf, vals[i].text)
			}
		}
		return jsonDatum(result, string(append(buf, '}')))
	}
}

func init() {
	text, i4, boolean := types.TText, types.TInt4, types.TBool
	textArray := types.Type{Kind: types.TextArray}
	strict := func(result types.Type, f rowImpl, params ...types.Type) funcSig {
		return funcSig{params: params, result: result, impl: perRow(f)}
	}
	for _, t := range []types.Type{types.TJSON, types.TJSONB} {
		prefix, element := t.BaseName(), elementStep
		if t.Kind == types.JSONB {
			element = jsonbElementStep
		}
		register([]funcSig{strict(t, lookup(fieldStep, false), t, text)}, prefix+"_object_field")
		register([]funcSig{strict(text, lookup(fieldStep, true), t, text)}, prefix+"_object_field_text")
		register([]funcSig{strict(t, lookup(element, false), t, i4)}, prefix+"_array_element")
		register([]funcSig{strict(text, lookup(element, true), t, i4)}, prefix+"_array_element_text")
		for _, asText := range []bool{false, true} {
			name, result := prefix+"_extract_path", t
			if asText {
				name, result = name+"_text", text
			}
			register([]funcSig{
				{params: []types.Type{t, text}, variadic: true, result: result, lenient: true, impl: perRow(extractPath(asText))},
				{params: []types.Type{t, textArray}, result: result, lenient: true, impl: perRow(extractPath(asText))},
			}, name)
		}
		register([]funcSig{strict(text, typeofImpl, t)}, prefix+"_typeof")
		register([]funcSig{strict(i4, arrayLengthImpl, t)}, prefix+"_array_length")
		register([]funcSig{strict(t, stripNullsImpl, t)}, prefix+"_strip_nulls")
		to := "to_" + prefix
		register([]funcSig{strict(t, toJSONImpl(t), anyType)}, to)
		register([]funcSig{
			{params: []types.Type{anyType}, variadic: true, result: t, lenient: true, impl: perRow(buildJSONObject(t))},
			{result: t, impl: perRow(buildJSONObject(t))},
		}, prefix+"_build_object")
		register([]funcSig{
			{params: []types.Type{anyType}, variadic: true, result: t, lenient: true, impl: perRow(buildJSONArray(t))},
			{result: t, impl: perRow(buildJSONArray(t))},
		}, prefix+"_build_array")
		register([]funcSig{strict(t, jsonObject(t), textArray), strict(t, jsonObject(t), textArray, textArray)}, prefix+"_object")
	}
	jsonb := types.TJSONB
	register([]funcSig{strict(text, prettyImpl, jsonb)}, "jsonb_pretty")
	register([]funcSig{strict(boolean, containsImpl(false), jsonb, jsonb)}, "jsonb_contains")
	register([]funcSig{strict(boolean, containsImpl(true), jsonb, jsonb)}, "jsonb_contained")
	register([]funcSig{strict(boolean, existsImpl, jsonb, text)}, "jsonb_exists")
	register([]funcSig{strict(boolean, existsManyImpl(false), jsonb, textArray)}, "jsonb_exists_any")
	register([]funcSig{strict(boolean, existsManyImpl(true), jsonb, textArray)}, "jsonb_exists_all")
	register([]funcSig{strict(jsonb, jsonbConcat, jsonb, jsonb)}, "jsonb_concat")
	register([]funcSig{strict(jsonb, jsonbDelete, jsonb, text), strict(jsonb, jsonbDelete, jsonb, i4), strict(jsonb, jsonbDelete, jsonb, textArray)}, "jsonb_delete")
	register([]funcSig{
		{params: []types.Type{jsonb, textArray, jsonb}, result: jsonb, lenient: true, impl: perRow(jsonbSet)},
		{params: []types.Type{jsonb, textArray, jsonb, boolean}, result: jsonb, lenient: true, impl: perRow(jsonbSet)},
	}, "jsonb_set")
}
