package planner_test

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
)

// The expected values are PostgreSQL 15's answers.
func TestMathOperators(t *testing.T) {
	env := testEnv(t)
	checkRows(t, env, []rowCase{
		// numeric ^ integer is numeric; integer ^ integer double precision.
		{`SELECT 2.0 ^ 3, 2 ^ 3, 2 ^ 0.5, 2 ^ '3', 2.0 ^ 2::float4`, []string{"8.0000000000000000|8|1.4142135623730950|8|4"}},
		{`SELECT @ -5, @ -2.5, |/ 64::float8, ||/ 27::float8`, []string{"5|2.5|8|3.0000000000000004"}},
		{`SELECT float8(12::bigint), int4(2.5), float4(0.1::float8)`, []string{"12|3|0.1"}},
		{`SELECT 'NaN'::numeric, '-inf'::numeric, 'NaN'::numeric = 'nan', 'Infinity'::numeric > 1e100, 'Infinity'::float8::numeric`, []string{"NaN|-Infinity|t|t|Infinity"}},
		{`SELECT x FROM (VALUES ('NaN'::numeric), ('1'), ('inf'), ('-inf')) v(x) ORDER BY x`, []string{"-Infinity", "1", "Infinity", "NaN"}},
	})
	checkErrors(t, env, []errorCase{
		{`SELECT 'inf'::numeric::int`, pgerr.FeatureNotSupported, "cannot convert infinity to integer"},
		{`SELECT 'inf'::numeric(5,2)`, pgerr.NumericOutOfRange, "numeric field overflow"},
		{`SELECT 'a' ^ 2`, pgerr.InvalidTextRep, `invalid input syntax for type double precision: "a"`},
	})
}
