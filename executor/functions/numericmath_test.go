package functions

import (
	"math"
	"strconv"
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

func num(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := types.ParseText(types.TNumeric, s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return d.Dec
}

func numText(d decimal.Decimal) string { return string(types.AppendNumeric(nil, d)) }

// TestNumericMath checks the transcendental numeric functions digit for
// digit, at the result scales, against PostgreSQL 15's answers.
func TestNumericMath(t *testing.T) {
	one := func(f func(decimal.Decimal) (decimal.Decimal, error)) func(a, _ decimal.Decimal) (decimal.Decimal, error) {
		return func(a, _ decimal.Decimal) (decimal.Decimal, error) { return f(a) }
	}
	cases := []struct {
		name string
		f    func(a, b decimal.Decimal) (decimal.Decimal, error)
		a, b string
		want string
	}{
		{"exp", one(numericExp), "1.0", "0", "2.7182818284590452"},
		{"exp", one(numericExp), "-123.456", "0", "0.000000000000000000000000000000000000000000000000000002419582541264601"},
		{"ln", one(numericLn), "0.0456789", "0", "-3.0861187944847439"},
		{"ln near 1", one(numericLn), "1.00049687395", "0", "0.00049675054901370394"},
		{"log", numericLog, "1.23e-89", "6.4689e45", "-0.5152489207781856983977054971756484879653568168479201885425588841094788842469115325262329756"},
		{"log10", numericLog, "10", "10.00000000000000001", "1.00000000000000000"},
		{"integer power", numericPower, "3.789", "21", "1409343026052.8716016316022141"},
		{"negative integer power", numericPower, "0.12", "-20", "2608405330458882702.5529619561355838"},
		{"fractional power", numericPower, "32.1", "-9.8", "0.000000000000001722862754788209"},
		{"huge integer power", numericPower, "1.000000000123", "-2147483648", "0.7678656556403084"},
		{"odd power beyond int4", numericPower, "-1.0", "1000000000000001", "-1.0000000000000000"},
		{"div", numericDivTrunc, "-9999999999999999999999", "1000000000000000000000", "-9"},
		{"gcd", numericGCD, "43312.5", "4637.5", "87.5"},
		{"lcm", numericLCM, "42328.2", "1327.2", "1185189.6"},
	}
	for _, c := range cases {
		got, err := c.f(num(t, c.a), num(t, c.b))
		if err != nil {
			t.Errorf("%s(%s, %s): %v", c.name, c.a, c.b, err)
			continue
		}
		if s := numText(got); s != c.want {
			t.Errorf("%s(%s, %s) = %s, want %s", c.name, c.a, c.b, s, c.want)
		}
	}
	if f, err := numericFactorial(15); err != nil || numText(f) != "1307674368000" {
		t.Errorf("factorial(15) = %v, %v", f, err)
	}
}

// TestNumericSpecialValues checks NaN and the infinities through
// arithmetic and the functions, as numeric.c answers.
func TestNumericSpecialValues(t *testing.T) {
	cases := []struct {
		name string
		f    func(a, b decimal.Decimal) (decimal.Decimal, error)
		a, b string
		want string // or ERR:SQLSTATE
	}{
		{"+", numericAdd, "inf", "-inf", "NaN"},
		{"+", numericAdd, "inf", "4.2", "Infinity"},
		{"-", numericSub, "1", "-inf", "Infinity"},
		{"-", numericSub, "-inf", "-inf", "NaN"},
		{"*", numericMulSpecial, "-inf", "0", "NaN"},
		{"*", numericMulSpecial, "-inf", "-1", "Infinity"},
		{"/", numericDiv, "nan", "0", "NaN"},
		{"/", numericDiv, "inf", "0", "ERR:22012"},
		{"/", numericDiv, "4.2", "-inf", "0"},
		{"/", numericDiv, "-inf", "4.2", "-Infinity"},
		{"%", numericMod, "4.2", "inf", "4.2"},
		{"%", numericMod, "inf", "1", "NaN"},
		{"power", numericPower, "nan", "0", "1"},
		{"power", numericPower, "1", "nan", "1"},
		{"power", numericPower, "-2", "inf", "Infinity"},
		{"power", numericPower, "-inf", "3", "-Infinity"},
		{"power", numericPower, "-inf", "-3", "0"},
		{"power", numericPower, "0.5", "inf", "0"},
		{"log", numericLog, "inf", "2", "0"},
		{"log", numericLog, "2", "inf", "Infinity"},
		{"log", numericLog, "-inf", "2", "ERR:2201E"},
		{"gcd", nanIfSpecial(numericGCD), "0", "inf", "NaN"},
	}
	for _, c := range cases {
		got, err := c.f(num(t, c.a), num(t, c.b))
		s := numText(got)
		if err != nil {
			s = "ERR:" + pgerr.Code(err)
		}
		if s != c.want {
			t.Errorf("%s(%s, %s) = %s, want %s", c.name, c.a, c.b, s, c.want)
		}
	}
	order := []string{"-inf", "-1e300", "0", "4.2", "inf", "nan"}
	for i := range order {
		for j := range order {
			if got, want := types.CompareNumeric(num(t, order[i]), num(t, order[j])), cmpInt(i, j); got != want {
				t.Errorf("compare(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
	if f := numericToFloat(num(t, "-inf")); !math.IsInf(f, -1) {
		t.Errorf("-Infinity as float8 is %v", f)
	}
	if _, err := numericToInt(num(t, "nan"), types.Int8); err == nil || err.Error() != "cannot convert NaN to bigint" {
		t.Errorf("NaN to bigint: %v", err)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestFloatMath checks the double precision functions whose answers
// PostgreSQL's regression tests pin down exactly.
func TestFloatMath(t *testing.T) {
	cases := []struct {
		name string
		f    func(float64) (float64, error)
		x    float64
		want string
	}{
		{"cbrt", floatCbrt, 27, "3.0000000000000004"},
		{"sind", floatSind, 30, "0.5"},
		{"sind", floatSind, 330, "-0.5"},
		{"cosd", floatCosd, 60, "0.5"},
		{"tand", floatTand, 45, "1"},
		{"cotd", floatCotd, 135, "-1"},
		{"asind", floatAsind, 0.5, "30"},
		{"acosd", floatAcosd, -0.5, "120"},
		{"atand", floatAtand, math.Inf(1), "90"},
		{"exp", floatExp, math.Inf(-1), "0"},
	}
	for _, c := range cases {
		got, err := c.f(c.x)
		if err != nil {
			t.Errorf("%s(%v): %v", c.name, c.x, err)
			continue
		}
		if s := strconv.FormatFloat(got, 'g', -1, 64); s != c.want {
			t.Errorf("%s(%v) = %s, want %s", c.name, c.x, s, c.want)
		}
	}
	if _, err := floatPower(math.Inf(1), -2); err != nil {
		t.Errorf("power(inf, -2): %v", err)
	}
	if r, _ := floatPower(-1, math.NaN()); !math.IsNaN(r) {
		t.Errorf("power(-1, NaN) = %v, want NaN", r)
	}
	if g, err := intGCD(math.MinInt32, "integer out of range")(math.MinInt32, 0); err == nil {
		t.Errorf("gcd(-2147483648, 0) = %d, want an error", g)
	}
	if b, err := widthBucketFloat(5.35, 0.024, 10.06, 5); err != nil || b != 3 {
		t.Errorf("width_bucket(5.35, 0.024, 10.06, 5) = %d, %v", b, err)
	}
}

// TestUnawareFunctionsRefuseSpecialValues checks that a function
// registered without handling NaN and the infinities refuses them rather
// than computing with a number that is none.
func TestUnawareFunctionsRefuseSpecialValues(t *testing.T) {
	called := false
	sig := fn(types.TNumeric, func(_ *funcCall, args []*vector.Vector, n int, out *vector.Vector) error {
		called = true
		return nil
	}, types.TNumeric)
	guarded := refuseNumericSpecials([]funcSig{sig}, "f")[0]
	for _, c := range []struct {
		value  decimal.Decimal
		refuse bool
	}{{decimal.New(15, -1), false}, {types.NumericNaN, true}, {types.NumericNegInf, true}} {
		called = false
		arg := constVector(types.TNumeric, types.DecDatum(c.value))
		err := guarded.impl(nil, []*vector.Vector{arg}, 3, newVector(types.TNumeric, 3))
		if refused := err != nil && pgerr.Code(err) == pgerr.FeatureNotSupported; refused != c.refuse || called == c.refuse {
			t.Errorf("f(%s): error %v, implementation called %v", numText(c.value), err, called)
		}
	}
}
