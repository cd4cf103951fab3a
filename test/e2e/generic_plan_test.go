package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// A prepared query that goes whole to one source is planned once for all
// its parameter values, which travel on to the source as parameters of a
// statement it keeps prepared. Every value must still give PostgreSQL's
// answer: text, blank-padded character, numeric, date and bigint values,
// a parameter used twice, NULL (planned in), and values that match
// nothing; and a query reading the clock must read it at each execution.
func TestPreparedQueriesPlannedOnceAnswerEveryValue(t *testing.T) {
	dbname, direct := testenv.NewReferenceDB(t, "generic")
	for _, stmt := range []string{
		`CREATE TABLE items (id int PRIMARY KEY, label text, code char(4), price numeric(8,2), day date, big bigint)`,
		`INSERT INTO items SELECT i, 'item ' || (i % 7), CASE WHEN i % 5 = 0 THEN NULL ELSE substr('abcdefg', i % 4 + 1, 2) END,
			i * 1.25, date '2024-01-01' + i, i * 3000000000::bigint FROM generate_series(1, 50) AS i`,
	} {
		if _, err := direct.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	mustExec(t, conn, testenv.PostgresServerDDL("src", dbname))

	cases := []struct {
		sql  string
		args [][]any
	}{
		{`SELECT id, label, code, price, day FROM {items} WHERE id = $1`, [][]any{{1}, {7}, {50}, {51}, {nil}, {7}}},
		{`SELECT id FROM {items} WHERE label = $1 ORDER BY id`, [][]any{{"item 3"}, {"none"}, {nil}, {"item 0"}}},
		{`SELECT id, code FROM {items} WHERE code = $1 ORDER BY id`, [][]any{{"bc"}, {"bc  "}, {"zz"}}},
		{`SELECT id FROM {items} WHERE price > $1 AND day <= $2 ORDER BY id`, [][]any{{"10.5", "2024-01-20"}, {"60", "2024-03-01"}, {"0", "2023-12-31"}}},
		{`SELECT id, $1::int + id FROM {items} WHERE id = $1 OR id = $1 * 2 ORDER BY id`, [][]any{{3}, {20}, {0}}},
		{`SELECT count(*), sum(big) FROM {items} WHERE big >= $1`, [][]any{{"9000000000"}, {"1"}, {"999999999999"}}},
		{`SELECT id FROM {items} WHERE label LIKE $1 ORDER BY id DESC LIMIT 3`, [][]any{{"item 1%"}, {"%"}, {"x%"}}},
	}
	for _, c := range cases {
		junctionSQL := strings.ReplaceAll(c.sql, "{items}", "src.items")
		referenceSQL := strings.ReplaceAll(c.sql, "{items}", "items")
		for _, args := range c.args {
			want := rowsText(direct, referenceSQL, args...)
			for range 2 {
				if got := rowsText(conn, junctionSQL, args...); got != want {
					t.Errorf("%s with %v = %s, want %s", junctionSQL, args, got, want)
				}
			}
		}
	}

	const clock = `SELECT id, clock_timestamp() < now() + interval '1 hour', now() FROM src.items WHERE id = $1`
	first := rowsText(conn, clock, 1)
	time.Sleep(5 * time.Millisecond)
	if second := rowsText(conn, clock, 1); second == first {
		t.Errorf("%s gave the same now() twice, 5 ms apart: %s", clock, first)
	}
}

// Point lookups of many clients at once, by primary key and by a unique
// text column, go down one source connection one after another: each
// client must still get PostgreSQL's answer for its own value, in binary
// and in text, rows and no rows, and the source must see them on fewer
// connections than there are clients.
func TestConcurrentPointLookupsAnswerEachClient(t *testing.T) {
	dbname, direct := testenv.NewReferenceDB(t, "lookups")
	for _, stmt := range []string{
		`CREATE TABLE items (id int PRIMARY KEY, sku text UNIQUE, price numeric(8,2), day date)`,
		`INSERT INTO items SELECT i, 'sku-' || i, i * 1.25, date '2024-01-01' + i FROM generate_series(1, 300) AS i`,
	} {
		if _, err := direct.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	srv := testenv.StartServer(t)
	admin := srv.Connect(t)
	mustExec(t, admin, testenv.PostgresServerDDL("src", dbname))
	const clients = 8
	conns := make([]*pgx.Conn, clients)
	for i := range conns {
		conns[i] = srv.Connect(t)
	}
	byID := `SELECT id, sku, price, day FROM %s WHERE id = $1`
	bySKU := `SELECT id, price FROM %s WHERE sku = $1`
	const keys = 330 // above 300 finds nothing
	want := map[string]string{}
	for key := 1; key <= keys; key++ {
		want[fmt.Sprint(byID, key)] = rowsText(direct, fmt.Sprintf(byID, "items"), key)
		want[fmt.Sprint(bySKU, key)] = rowsText(direct, fmt.Sprintf(bySKU, "items"), fmt.Sprintf("sku-%d", key))
	}
	var wg sync.WaitGroup
	errs := make(chan string, clients)
	for c, conn := range conns {
		wg.Go(func() {
			for i := range 60 {
				key := (c*60+i)%keys + 1
				for _, q := range []struct {
					sql string
					arg any
				}{{byID, key}, {bySKU, fmt.Sprintf("sku-%d", key)}} {
					w := want[fmt.Sprint(q.sql, key)]
					if got := rowsText(conn, fmt.Sprintf(q.sql, "src.items"), q.arg); got != w {
						errs <- fmt.Sprintf("%s with %v = %s, want %s", q.sql, q.arg, got, w)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// Text results, as libpq asks for them, pass the source's text on.
	for _, key := range []int{5, 301} {
		want := rowsText(direct, fmt.Sprintf(byID, "items"), pgx.QueryResultFormats{pgx.TextFormatCode}, key)
		if got := rowsText(conns[0], fmt.Sprintf(byID, "src.items"), pgx.QueryResultFormats{pgx.TextFormatCode}, key); got != want {
			t.Errorf("text lookup of %d = %s, want %s", key, got, want)
		}
	}
	var backends int
	if err := direct.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'junction'`, dbname).Scan(&backends); err != nil {
		t.Fatal(err)
	}
	if backends >= clients {
		t.Errorf("the source saw %d connections for %d clients' lookups", backends, clients)
	}
}
