package engine

import (
	"slices"
	"testing"
)

func TestIntegerLiterals(t *testing.T) {
	for _, tc := range []struct {
		sql, normalized string
		values          []int64
		bigint          []bool
	}{
		{"SELECT * FROM t WHERE k = 4711", "SELECT * FROM t WHERE k = $1", []int64{4711}, []bool{false}},
		{"SELECT a1, 't2 3' FROM t9 WHERE \"c 4\" IN (1,2) LIMIT 3000000000;", "SELECT a1, 't2 3' FROM t9 WHERE \"c 4\" IN ($1,$2) LIMIT $3;", []int64{1, 2, 3000000000}, []bool{false, false, true}},
		{"SELECT 'it''s 5' -- 6\n, 7 /* 8 /* 9 */ 10 */", "SELECT 'it''s 5' -- 6\n, $1 /* 8 /* 9 */ 10 */", []int64{7}, []bool{false}},
		{"SELECT x-1 FROM t", "SELECT x-$1 FROM t", []int64{1}, []bool{false}},
	} {
		normalized, values, bigint, ok := integerLiterals(tc.sql)
		if !ok || normalized != tc.normalized || !slices.Equal(values, tc.values) || !slices.Equal(bigint, tc.bigint) {
			t.Errorf("integerLiterals(%q) = %q, %v, %v, %v", tc.sql, normalized, values, bigint, ok)
		}
	}
	for _, sql := range []string{
		"SELECT 1.5", "SELECT .5", "SELECT 1e3", "SELECT 0x1f", "SELECT 1_000", "SELECT 99999999999999999999",
		"SELECT $1", "SELECT $$5$$", "SELECT E'\\'5'", "SELECT U&'5'", "SELECT 'open 5", "SELECT \"open 5",
		"SELECT 1 /* open", "SELECT x FROM t", "SELECT 1\\", "SELECT b'101'",
	} {
		if normalized, _, _, ok := integerLiterals(sql); ok {
			t.Errorf("integerLiterals(%q) = %q, want no normalization", sql, normalized)
		}
	}
}
