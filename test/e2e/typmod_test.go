package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

// A result's RowDescription gives each column the type modifier
// PostgreSQL gives it (numeric(10,2), varchar(20), timestamp(3), interval
// day to second(2); -1 for an unconstrained type and for arithmetic), in
// the simple protocol and when the client describes a prepared statement
// or a bound portal - what pgjdbc's ResultSetMetaData reads precision,
// scale and display size from.
func TestRowDescriptionTypmodsAreThePostgresOnes(t *testing.T) {
	dbname, direct := testenv.NewReferenceDB(t, "typmod")
	for _, stmt := range []string{
		`CREATE TABLE m (id int PRIMARY KEY, price numeric(10,2), n numeric, v varchar(20), c char(5), t text,
			ts timestamp(3), tz timestamptz, tm time(0), iv interval, ids interval day to second(2), iy interval year)`,
		`INSERT INTO m VALUES (1, 12.50, 3.25, 'abc', 'de', 'text', '2024-01-02 03:04:05.678', '2024-01-02 03:04:05+00',
			'12:00:01', '1 day', '2 hours 3.25 seconds', '3 years')`,
	} {
		if _, err := direct.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	mustExec(t, conn, testenv.PostgresServerDDL("src", dbname))

	for _, sql := range []string{
		`SELECT * FROM {m}`,
		`SELECT price, v, c, ts FROM {m} WHERE id = $1`,
		`SELECT price + 1 AS p1, price * n AS pn, -price AS neg, v || 'x' AS vx, upper(c) AS uc, ts + interval '1 day' AS later,
			length(t) AS len FROM {m} WHERE id >= $1`,
		`SELECT price::numeric(6,1) AS p, n::numeric(4,0) AS n, t::varchar(3) AS v3, c::char(2) AS c2, ts::timestamp(0) AS ts0,
			tz::timestamptz(1) AS tz1, iv::interval(4) AS iv4 FROM {m} WHERE id = $1`,
		`SELECT max(price) AS top, sum(price) AS total, min(v) AS least, count(*) AS n FROM {m} WHERE id >= $1`,
		`SELECT abs(price) AS a, round(price, 1) AS r, coalesce(price, 0) AS co, coalesce(price, price) AS cp, greatest(v, v) AS g,
			CASE WHEN id = 1 THEN price ELSE price END AS same, CASE WHEN id = 1 THEN price ELSE n END AS mixed,
			substr(c, 1) AS sc FROM {m} WHERE id = $1`,
		`SELECT price FROM {m} UNION ALL SELECT price FROM {m} WHERE id = $1`,
		`SELECT p FROM (SELECT price AS p, ts FROM {m} WHERE id = $1) s`,
		`SELECT 1.5::numeric(4,2) AS lit, 'x'::varchar(9) AS vlit, 'y'::char(3) AS clit, 2 * $1::int AS twice`,
	} {
		junctionSQL := strings.ReplaceAll(sql, "{m}", "src.m")
		referenceSQL := strings.ReplaceAll(sql, "{m}", "m")
		for _, protocol := range []string{"simple", "statement", "portal"} {
			want := describeFields(t, direct.PgConn(), protocol, referenceSQL)
			if got := describeFields(t, conn.PgConn(), protocol, junctionSQL); got != want {
				t.Errorf("%s (%s):\n got %s\nwant %s", junctionSQL, protocol, got, want)
			}
		}
	}
}

// describeFields is each result column's name, type OID and type
// modifier as the client learns them: from a simple query's result, from
// describing a prepared statement, or from the portal an extended query
// binds and describes.
func describeFields(t *testing.T, conn *pgconn.PgConn, protocol, sql string) string {
	t.Helper()
	ctx := context.Background()
	var fields []pgconn.FieldDescription
	switch protocol {
	case "simple":
		sql = strings.ReplaceAll(sql, "$1", "1")
		results, err := conn.Exec(ctx, sql).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		fields = results[0].FieldDescriptions
	case "statement":
		sd, err := conn.Prepare(ctx, "typmod_described", sql, nil)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		fields = sd.Fields
		if err := conn.Deallocate(ctx, "typmod_described"); err != nil {
			t.Fatal(err)
		}
	case "portal":
		var params [][]byte
		if strings.Contains(sql, "$1") {
			params = [][]byte{[]byte("1")}
		}
		res := conn.ExecParams(ctx, sql, params, nil, nil, nil).Read()
		if res.Err != nil {
			t.Fatalf("%s: %v", sql, res.Err)
		}
		fields = res.FieldDescriptions
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = fmt.Sprintf("%s %d(%d)", f.Name, f.DataTypeOID, f.TypeModifier)
	}
	return strings.Join(parts, ", ")
}
