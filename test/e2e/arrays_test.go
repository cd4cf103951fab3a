package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// Array columns of a PostgreSQL source read as arrays of their element
// type, and arrays and rows behave as PostgreSQL's: every answer is
// compared with PostgreSQL's on the same data.
const arraysDDL = `CREATE TABLE arr (id int PRIMARY KEY, ints int[], bigs bigint[], nums numeric[], floats float8[],
	texts text[], vcs varchar(5)[], days date[], flags boolean[])`

var arraysRows = [][]any{
	{1, "{1,2,3}", "{10,20}", "{1.50,2}", "{0.5,-0}", "{a,\"b c\"}", "{x}", "{2024-02-29}", "{t,f}"},
	{2, "{3,NULL}", "{}", "{1.5}", "{NaN}", "{NULL,z}", "{y,x}", "{}", "{NULL}"},
	{3, "{{1,2},{3,4}}", "{9,10}", "{2.0,1.50}", "{0}", "{}", "{}", "{1999-12-31,2000-01-01}", "{f}"},
	{4, nil, nil, nil, nil, nil, nil, nil, nil},
}

var arraysColumns = []string{"id", "ints", "bigs", "nums", "floats", "texts", "vcs", "days", "flags"}

var arrayQueries = []struct {
	name    string
	sql     string
	ordered bool
}{
	{"columns as stored", `SELECT * FROM {t}`, false},
	{"order by arrays", `SELECT id, ints, bigs FROM {t} ORDER BY ints NULLS FIRST, bigs DESC`, true},
	{"equality across spellings", `SELECT a.id, b.id FROM {t} a JOIN {t} b ON a.nums = b.nums`, false},
	{"distinct and grouping on arrays", `SELECT floats, count(*) FROM {t} GROUP BY floats`, false},
	{"containment and overlap", `SELECT id, ints @> '{3}', ints <@ '{1,2,3,4}', ints && ARRAY[4, 9], texts @> '{z}', days && ARRAY[date '2000-01-01'] FROM {t}`, false},
	{"ANY and ALL over a column", `SELECT id, 3 = ANY (ints), 2 < ALL (bigs), 1.5 = ANY (nums), 'x' = ANY (vcs), NULL::int = ANY (ints) FROM {t}`, false},
	{"filter on membership", `SELECT id FROM {t} WHERE 2 = ANY (ints) OR 'b c' = ANY (texts)`, false},
	{"subscripts and functions", `SELECT id, ints[1], ints[2][1], array_length(ints, 1), cardinality(nums), array_dims(days), bigs || 5::bigint, array_cat(bigs, ARRAY[7::bigint]) FROM {t}`, false},
	{"unnest and array_agg", `SELECT id, array_agg(x ORDER BY x DESC NULLS LAST) FROM {t}, unnest(ints) x GROUP BY id`, false},
	{"rows of columns", `SELECT id, ROW(id, ints, texts), row_to_json(t) FROM {t} t`, false},
	{"row comparisons", `SELECT id, (id, ints) = (1, '{1,2,3}'), (id, cardinality(ints)) < (3, 0) FROM {t}`, false},
}

func TestArraysAndRows(t *testing.T) {
	testenv.RequirePostgres(t)
	pgDB, pgConn := testenv.NewPostgresDB(t, "arrays")
	_, reference := testenv.NewReferenceDB(t, "reference")
	createTable(t, testenv.PostgresExec(pgConn), arraysDDL, "arr", arraysColumns, arraysRows)
	createTable(t, testenv.PostgresExec(reference), arraysDDL, "arr", arraysColumns, arraysRows)
	srv := testenv.StartServer(t)
	junction := srv.Connect(t)
	mustExec(t, junction, testenv.PostgresServerDDL("pgsrc", pgDB))
	for _, q := range arrayQueries {
		t.Run(q.name, func(t *testing.T) {
			testenv.Compare(t, junction, reference, strings.ReplaceAll(q.sql, "{t}", "pgsrc.arr"), strings.ReplaceAll(q.sql, "{t}", "arr"), q.ordered)
		})
	}

	// A client binds an array to = ANY($1), in binary (pgx's default
	// for a slice) and in text.
	ctx := context.Background()
	for _, arg := range []any{[]int32{1, 3}, "{1,3}"} {
		rows, err := junction.Query(ctx, "SELECT id FROM pgsrc.arr WHERE id = ANY($1) ORDER BY id", arg)
		if err != nil {
			t.Fatalf("= ANY($1) with %T: %v", arg, err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil || len(ids) != 2 || ids[0] != 1 || ids[1] != 3 {
			t.Errorf("= ANY($1) with %T: %v, %v; want [1 3]", arg, ids, err)
		}
	}
}
