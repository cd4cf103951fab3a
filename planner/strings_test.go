package planner_test

import "testing"

// The expected values are PostgreSQL 15's answers.
func TestStringConstructsBind(t *testing.T) {
	env := testEnv(t)
	checkRows(t, env, []rowCase{
		// A type's name called on one value is a cast.
		{`SELECT date(timestamp '2020-01-02 10:00'), int8(2.5), text(12), date('2020-01-03')`, []string{"2020-01-02|3|12|2020-01-03"}},
		{`SELECT now()::time::text = localtime::text, now()::time(3)::text = localtime(3)::text, localtimestamp(0) = now()::timestamp(0), current_timestamp(1) = now()::timestamptz(1)`, []string{"t|t|t|t"}},
		// SIMILAR TO matches the whole string, with or without an escape.
		{`SELECT 'abcdefg' SIMILAR TO '_bcd%', 'abcd%' SIMILAR TO '_bcd#%' ESCAPE '#', 'abc' NOT SIMILAR TO 'a(b|x)c', 'ab' SIMILAR TO 'ab' ESCAPE NULL`, []string{"t|t|f|NULL"}},
		{`SELECT SUBSTRING('abcdefg' SIMILAR 'a#"(b_d)#"%' ESCAPE '#'), SUBSTRING('abcdefg' FROM 'c.e'), SUBSTRING('abcdefg' FROM 'b(.*)f')`, []string{"bcd|cde|cde"}},
		// VARIADIC spreads an array over the variadic parameter.
		{`SELECT format('%2$s, %1$s', VARIADIC ARRAY['first', 'second']), concat_ws('-', VARIADIC ARRAY['a', NULL, 'c']), concat(VARIADIC NULL::text[]) IS NULL`, []string{"second, first|a-c|t"}},
		// text, varchar and char unify to the first of them.
		{`SELECT coalesce('ab'::char(4), 'x '::text) || '|', octet_length(coalesce('ab'::char(4), 'x'::text)), octet_length(coalesce(NULL::text, 'ab'::char(4)))`, []string{"ab||4|2"}},
	})
	checkErrors(t, env, []errorCase{
		{`SELECT concat(VARIADIC 5)`, "42804", "VARIADIC argument must be an array"},
	})
}
