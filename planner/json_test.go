package planner_test

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
)

// The expected values are PostgreSQL 15's answers.
func TestJSONFunctionsAndOperators(t *testing.T) {
	env := testEnv(t)
	checkRows(t, env, []rowCase{
		// json keeps its text; jsonb prints its canonical form.
		{`SELECT '{"b": 1,  "a": [1,2], "b": 3}'::json, '{"b": 1,  "a": [1,2], "b": 3}'::jsonb`, []string{`{"b": 1,  "a": [1,2], "b": 3}|{"a": [1, 2], "b": 3}`}},
		{`SELECT '{"a": [1,  2]}'::json -> 'a', '{"a": {"b": "x"}}'::jsonb -> 'a' ->> 'b', '[1, 2, 3]'::jsonb -> -1, '[1]'::json ->> 5`, []string{`[1,  2]|x|3|NULL`}},
		// jsonb keeps a scalar as a one-element array; json does not.
		{`SELECT '"x"'::jsonb -> 0, '5'::jsonb ->> -1, '5'::jsonb -> 1, '5'::json -> 0`, []string{`"x"|5|NULL|NULL`}},
		{`SELECT '{"a": [1, {"b": null}]}'::jsonb #> '{a,1}', '{"a": [1, {"b": 7}]}'::json #>> '{a,1,b}', jsonb_extract_path_text('{"a": {"b": "c"}}', 'a', 'b')`, []string{`{"b": null}|7|c`}},
		{`SELECT '{"a": 1, "b": {"c": 2, "d": 3}}'::jsonb @> '{"b": {"c": 2}}', '{"a": 1.0}'::jsonb @> '{"a": 1}', '[1, 2]'::jsonb @> '1', '{"a": 1}'::jsonb <@ '{"a": 1, "b": 2}'`, []string{"t|t|t|t"}},
		{`SELECT '{"a": 1}'::jsonb ? 'a', '["a", "b"]'::jsonb ? 'b', '{"a": 1}'::jsonb ?| '{x,a}', '{"a": 1}'::jsonb ?& '{x,a}'`, []string{"t|t|t|f"}},
		{`SELECT '{"a": 1}'::jsonb || '{"a": 2, "b": 3}', '[1]'::jsonb || '2', '{"a": 1, "b": 2}'::jsonb - 'a', '["a", "b", "a"]'::jsonb - 'a', '[1, 2, 3]'::jsonb - -1`, []string{`{"a": 2, "b": 3}|[1, 2]|{"b": 2}|["b"]|[1, 2]`}},
		{`SELECT jsonb_set('{"a": [1, 2]}', '{a,5}', '3'), jsonb_set('{"a": [1, 2]}', '{a,-5}', '3'), jsonb_set('{"a": 1}', '{b}', '2', false)`, []string{`{"a": [1, 2, 3]}|{"a": [3, 1, 2]}|{"a": 1}`}},
		{`SELECT jsonb_typeof('[1]'), json_typeof('"x"'), jsonb_array_length('[1, [2]]'), jsonb_strip_nulls('{"a": null, "b": [null]}'), json_strip_nulls('{"a" : 1, "b": null}')`, []string{`array|string|2|{"b": [null]}|{"a":1}`}},
		{`SELECT jsonb_pretty('{"a": [], "b": {"c": 1}}')`, []string{"{\n    \"a\": [\n    ],\n    \"b\": {\n        \"c\": 1\n    }\n}"}},
		{`SELECT json_build_object('a', 1, 'b', 'x', 'c', NULL, 'd', '{"e": 2}'::json), jsonb_build_object('b', 1, 'a', 2.50), json_build_array(1, 'two', NULL, '{a}'::text[])`, []string{`{"a" : 1, "b" : "x", "c" : null, "d" : {"e": 2}}|{"a": 2.50, "b": 1}|[1, "two", null, ["a"]]`}},
		{`SELECT to_json('a"b'::text), to_jsonb(timestamp '2020-01-02 03:04:05'), to_json('NaN'::float8), to_json(true), json_object('{a,1,b,NULL}'), jsonb_object('{a,b}', '{1,2}')`, []string{`"a\"b"|"2020-01-02T03:04:05"|"NaN"|true|{"a" : "1", "b" : null}|{"a": "1", "b": "2"}`}},
		{`SELECT json_agg(x), jsonb_agg(x), json_object_agg(x, x * 2), jsonb_object_agg('k' || x, NULL::int) FROM generate_series(1, 3) x`, []string{`[1, 2, 3]|[1, 2, 3]|{ "1" : 2, "2" : 4, "3" : 6 }|{"k1": null, "k2": null, "k3": null}`}},
		{`SELECT json_agg(x) FROM generate_series(1, 0) x`, []string{"NULL"}},
		// jsonb compares as jsonb_cmp does: numbers by value, kinds in
		// PostgreSQL's order, a top-level scalar as a one-element array.
		{`SELECT x FROM (VALUES ('[1]'::jsonb), ('5'), ('{"a": 1}'), ('null'), ('"s"'), ('true'), ('[]'), ('{}'), ('1.0'), ('[0, 0]'), ('{"b": 1}'), ('{"aa": 1}'), ('["a"]'), ('false')) v(x) ORDER BY x`,
			[]string{"[]", "null", `"s"`, "1.0", "5", "false", "true", `["a"]`, "[1]", "[0, 0]", "{}", `{"a": 1}`, `{"aa": 1}`, `{"b": 1}`}},
		{`SELECT '1.0'::jsonb = '1', '{"a": 1.50}'::jsonb = '{"a": 1.5}', count(DISTINCT x) FROM (VALUES ('1.0'::jsonb), ('1'), ('[1.00]'), ('[1]')) v(x)`, []string{"t|t|2"}},
		{`SELECT key, value FROM json_each('{"b": 1, "a": [2], "b": "x"}')`, []string{"b|1", "a|[2]", `b|"x"`}},
		{`SELECT * FROM jsonb_each_text('{"b": 1, "a": null}')`, []string{"a|NULL", "b|1"}},
		{`SELECT value, ordinality FROM jsonb_array_elements('[1, "x", {"a": 1}]') WITH ORDINALITY`, []string{"1|1", `"x"|2`, `{"a": 1}|3`}},
		{`SELECT * FROM json_object_keys('{"b": 1, "a": 2, "b": 3}')`, []string{"b", "a", "b"}},
	})
}

func TestJSONErrors(t *testing.T) {
	env := testEnv(t)
	checkErrors(t, env, []errorCase{
		{`SELECT '{"a": }'::jsonb`, pgerr.InvalidTextRep, "invalid input syntax for type json"},
		{`SELECT jsonb_array_length('{}')`, "22023", "cannot get array length of a non-array"},
		{`SELECT '1'::jsonb - 'a'`, "22023", "cannot delete from scalar"},
		{`SELECT jsonb_set('1', '{a}', '2')`, "22023", "cannot set path in scalar"},
		{`SELECT jsonb_set('[1]', '{x}', '2')`, pgerr.InvalidTextRep, `path element at position 1 is not an integer: "x"`},
		{`SELECT json_build_object('a')`, "22023", "argument list must have even number of elements"},
		{`SELECT json_build_object(NULL, 1)`, "22004", "argument 1 cannot be null"},
		{`SELECT json_object_agg(NULL::text, 1)`, "22023", "field name must not be null"},
		{`SELECT * FROM json_each('[1]')`, "22023", "cannot deconstruct an array as an object"},
		{`SELECT * FROM jsonb_array_elements('{}')`, "22023", "cannot extract elements from an object"},
		{`SELECT '{"a": 1}'::json @> '{}'`, pgerr.UndefinedFunction, "operator does not exist: json @> unknown"},
		{`SELECT '1'::json = '1'::json`, pgerr.UndefinedFunction, "operator does not exist: json = json"},
		{`SELECT max('1'::jsonb)`, pgerr.UndefinedFunction, "function max(jsonb) does not exist"},
		{`SELECT row_to_json(t) FROM (VALUES (1)) s(y) LEFT JOIN (VALUES (1)) t(x) ON true`, pgerr.FeatureNotSupported, "a whole-row reference to table t on the nullable side of an outer join whose condition does not compare one of its columns is not supported"},
	})
}

func TestFormatAndTextArrays(t *testing.T) {
	env := testEnv(t)
	checkRows(t, env, []rowCase{
		{`SELECT format('%s|%I|%L|%%|%2$s|%-5s|%5s|%*s|', 'a', 'B c', NULL, 'x', 3, 'y')`, []string{`a|"B c"|NULL|%|B c|     |    x|  y|`}},
		{`SELECT format('%1$s %s %I', 'a', 'b', 'select'), format(NULL), format('%L', E'a\\b''c')`, []string{`a b "select"|NULL|E'a\\b''c'`}},
		{`SELECT string_to_array('a,b,,c', ','), string_to_array('a,b,,c', ',', ''), string_to_array('abc', NULL), string_to_array('', ','), string_to_array('abc', '')`, []string{`{a,b,"",c}|{a,b,NULL,c}|{a,b,c}|{}|{abc}`}},
		{`SELECT parse_ident('Foo."Bar".x'), parse_ident(' a . b '), parse_ident('a.b junk', false)`, []string{`{foo,Bar,x}|{a,b}|{a,b}`}},
		{`SELECT regexp_split_to_array('hello world', '\s+'), regexp_split_to_array('abc', ''), regexp_split_to_array(',a,', ',')`, []string{`{hello,world}|{a,b,c}|{"",a,""}`}},
		{`SELECT regexp_match('foobarbequebaz', '(bar)(beque)'), regexp_match('abc', 'x')`, []string{`{bar,beque}|NULL`}},
		{`SELECT regexp_matches('abcabc', 'b(c)?(d)?', 'g')`, []string{`{c,NULL}`, `{c,NULL}`}},
		{`SELECT regexp_replace('1112223333', E'(\\d{3})(\\d{3})(\\d{4})', E'(\\1) \\2-\\3'), regexp_replace('AAA aaa', 'A+', 'Z', 'gi'), regexp_replace('AAA', '^|$', 'Z', 'g')`, []string{"(111) 222-3333|Z Z|ZAAAZ"}},
		{`SELECT regexp_like('Steven', '^Ste(v|ph)en$'), regexp_count('123123123123', '123', 3)`, []string{"t|3"}},
	})
	checkErrors(t, env, []errorCase{
		{`SELECT format('%s %s', 'a')`, "22023", "too few arguments for format()"},
		{`SELECT format('%z', 'a')`, "22023", `unrecognized format() type specifier "z"`},
		{`SELECT format('%I', NULL)`, "22004", "null values cannot be formatted as an SQL identifier"},
		{`SELECT parse_ident('a.')`, "22023", `string is not a valid identifier: "a."`},
		{`SELECT regexp_match('a', 'a', 'g')`, "22023", `regexp_match() does not support the "global" option`},
	})
}
