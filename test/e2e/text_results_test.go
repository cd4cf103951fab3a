package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

// A result that one PostgreSQL source computes whole reaches a client that
// asks for text exactly as PostgreSQL prints it, in each protocol: the
// simple one, an unnamed statement and a named prepared statement, for
// values at the edges of every type whose text goes out as the source sent
// it (extreme integers, numerics with trailing zeros or 40 digits, quotes,
// tabs and newlines in text, blank-padded and empty strings, dates and
// timestamps before Christ, fractional seconds, NULLs), and for
// expressions the source computes.
func TestTextResultsAreThePostgresText(t *testing.T) {
	dbname, direct := testenv.NewReferenceDB(t, "textres")
	for _, stmt := range []string{
		`CREATE TABLE edge (id int PRIMARY KEY, b bool, s smallint, i int, l bigint, n numeric, n2 numeric(10,3), t text,
			v varchar(10), c char(5), nm name, d date, ts timestamp, tz timestamptz)`,
		`INSERT INTO edge VALUES
			(1, true, -32768, 2147483647, -9223372036854775808, 0.000100, 12.5, 'héllo ''x''', '', 'ab', 'pg_class',
				'0044-03-15 BC', '2000-01-01 00:00:00.5', '1999-12-31 23:59:59.123456+05'),
			(2, false, 0, 0, 0, -123456789012345678901234567890.123456789, -0.001, E'tab\there\nnl', 'x', NULL, 'n',
				'2024-02-29', '0001-01-01 00:00:00 BC', '2024-06-01 12:00:00+00'),
			(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
		`SET TimeZone = 'UTC'`,
	} {
		if _, err := direct.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	mustExec(t, conn, testenv.PostgresServerDDL("src", dbname))

	for _, sql := range []string{
		`SELECT * FROM {edge} ORDER BY id`,
		`SELECT * FROM {edge} WHERE id = $1`,
		`SELECT t, c, n, d FROM {edge} WHERE id >= $1 ORDER BY id DESC`,
		`SELECT id, upper(t) || c, n2 * 2, tz FROM {edge} WHERE id <= $1 ORDER BY id`,
	} {
		junctionSQL := strings.ReplaceAll(sql, "{edge}", "src.edge")
		referenceSQL := strings.ReplaceAll(sql, "{edge}", "edge")
		for _, protocol := range []string{"simple", "unnamed", "prepared"} {
			want := textRows(t, direct.PgConn(), protocol, referenceSQL)
			for range 2 {
				if got := textRows(t, conn.PgConn(), protocol, junctionSQL); got != want {
					t.Errorf("%s (%s protocol):\n got %s\nwant %s", junctionSQL, protocol, got, want)
				}
			}
		}
	}
}

// textRows runs sql with the parameter $1 = 1 (if it has one) in the given
// protocol, asking for text results, and returns the rows as the bytes
// the server sent, NULLs marked.
func textRows(t *testing.T, conn *pgconn.PgConn, protocol, sql string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	var params [][]byte
	if strings.Contains(sql, "$1") {
		params = [][]byte{[]byte("1")}
	}
	var res *pgconn.ResultReader
	switch protocol {
	case "simple":
		results, err := conn.Exec(ctx, strings.ReplaceAll(sql, "$1", "1")).ReadAll()
		if err != nil {
			return "error " + err.Error()
		}
		return formatRows(results[0].Rows)
	case "unnamed":
		res = conn.ExecParams(ctx, sql, params, nil, nil, nil)
	case "prepared":
		name := fmt.Sprintf("s%d", len(sql))
		if _, err := conn.Prepare(ctx, name, sql, nil); err != nil {
			return "error " + err.Error()
		}
		defer conn.Deallocate(ctx, name) //nolint:errcheck // the connection ends with the test
		res = conn.ExecPrepared(ctx, name, params, nil, nil)
	}
	result := res.Read()
	if result.Err != nil {
		return "error " + result.Err.Error()
	}
	return formatRows(result.Rows)
}

func formatRows(rows [][][]byte) string {
	var out []string
	for _, row := range rows {
		fields := make([]string, len(row))
		for i, v := range row {
			if v == nil {
				fields[i] = "<null>"
			} else {
				fields[i] = fmt.Sprintf("%q", v)
			}
		}
		out = append(out, strings.Join(fields, "|"))
	}
	return strings.Join(out, "\n")
}
