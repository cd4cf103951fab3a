package functions

import (
	"testing"

	"github.com/junction-db/junction/types"
)

func TestResolveFunc(t *testing.T) {
	cases := []struct {
		name   string
		args   []types.Type
		result types.Type
		castTo []types.Type
	}{
		{"round", []types.Type{types.TInt4}, types.TFloat8, []types.Type{types.TFloat8}},
		{"round", []types.Type{types.TNumeric, types.TInt4}, types.TNumeric, nil},
		{"mod", []types.Type{types.TInt2, types.TInt4}, types.TInt4, []types.Type{types.TInt4, types.TInt4}},
		{"date_trunc", []types.Type{types.TText, types.TDate}, types.TTimestampTZ, []types.Type{types.TText, types.TTimestampTZ}},
		{"lower", []types.Type{types.TVarchar}, types.TText, []types.Type{types.TText}},
		{"now", nil, types.TTimestampTZ, nil},
		{"coalesce", []types.Type{types.TInt4, types.TNumeric}, types.TNumeric, []types.Type{types.TNumeric, types.TNumeric}},
		{"concat", []types.Type{types.TText, types.TInt4}, types.TText, nil},
	}
	for _, c := range cases {
		result, castTo, ok := ResolveFunc(c.name, c.args)
		if !ok {
			t.Errorf("%s%v: not found", c.name, c.args)
			continue
		}
		if result != c.result {
			t.Errorf("%s%v returns %s, want %s", c.name, c.args, result, c.result)
		}
		if len(castTo) != len(c.castTo) {
			t.Errorf("%s%v casts to %v, want %v", c.name, c.args, castTo, c.castTo)
			continue
		}
		for i := range castTo {
			if castTo[i].Kind != c.castTo[i].Kind {
				t.Errorf("%s%v casts to %v, want %v", c.name, c.args, castTo, c.castTo)
			}
		}
	}
	if _, _, ok := ResolveFunc("no_such_function", nil); ok {
		t.Error("an unknown function resolved")
	}
	if _, _, ok := ResolveFunc("lower", []types.Type{types.TInt4}); ok {
		t.Error("lower(integer) resolved; PostgreSQL has no implicit cast from integer to text")
	}
}

func TestResolvePrefersExactMatches(t *testing.T) {
	// power(2.0, 10) is power(numeric, numeric): one exact match beats
	// converting both to double precision.
	result, castTo, ok := ResolveFunc("power", []types.Type{types.TNumeric, types.TInt4})
	if !ok || result != types.TNumeric || castTo[1].Kind != types.Numeric {
		t.Errorf("power(numeric, integer) resolved to %s with casts %v", result, castTo)
	}
}
