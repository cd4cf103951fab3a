package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/junction-db/junction/connectors/internal/remotetest"
	"github.com/junction-db/junction/types"
)

// A statement kept prepared answers the same at every execution, past the
// five after which PostgreSQL may switch to a plan of its own made for
// any value, and each parameter keeps the value Junction typed: a
// blank-padded character parameter is neither cut to one character nor
// compared with its trailing blanks, a numeric one is not rounded.
func TestPreparedStatementsKeepParameterValues(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t,
		`CREATE TABLE w (id int PRIMARY KEY, code char(4), price numeric(6,2))`,
		`INSERT INTO w SELECT i, substr('abcd', i % 4 + 1, 2), i * 0.25 FROM generate_series(1, 40) AS i`), nil)
	d := c.Dialect().(*Dialect)
	code, _ := d.Param(1, types.Type{Kind: types.Bpchar, Length: 4})
	price, _ := d.Param(2, types.Type{Kind: types.Numeric, Precision: 6, Scale: 2})
	sql := "SELECT count(*) FROM w WHERE code = " + code + " AND price > " + price
	for i := range 8 {
		for _, tc := range []struct {
			params []string
			want   string
		}{
			{[]string{"bc", "4.125"}, "[[6]]"},
			{[]string{"bc  ", "4.125"}, "[[6]]"},
			{[]string{"bcd", "0"}, "[[0]]"},
			{[]string{"ab", "9.99"}, "[[1]]"},
		} {
			rows, err := c.QueryPrepared(context.Background(), sql, tc.params, []types.Type{types.TInt8})
			if err != nil {
				t.Fatalf("%s %v: %v", sql, tc.params, err)
			}
			got, err := remotetest.ReadText(rows)
			if err != nil {
				t.Fatalf("%s %v: %v", sql, tc.params, err)
			}
			if fmt.Sprint(got) != tc.want {
				t.Errorf("execution %d of %s with %v = %s, want %s", i+1, sql, tc.params, got, tc.want)
			}
		}
	}
}
