package differential

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// run is one way of placing the tables: which Junction source each
// table is read from and which reference schema holds the same data.
type run struct {
	name string
	// source maps a table to the Junction source holding it.
	source map[string]string
	// referenceSchema is "complete" when every table is in the PostgreSQL
	// source, which alone holds the rows MariaDB cannot; "portable"
	// otherwise.
	referenceSchema string
}

// Junction's names for the sources: pg reads the PostgreSQL database's
// complete schema, pgp its portable schema, my the MariaDB database.
var runs = []run{
	{"postgresql", map[string]string{"t1": "pg", "t2": "pg", "t3": "pg", "t4": "pg"}, "complete"},
	{"mariadb", map[string]string{"t1": "my", "t2": "my", "t3": "my", "t4": "my"}, "portable"},
	{"cross-source", map[string]string{"t1": "pgp", "t2": "my", "t3": "pgp", "t4": "my"}, "portable"},
}

// junctionSQL names each table of a query by its source. Queries write
// tables as {t1} ... {t4}.
func (r run) junctionSQL(sql string) string {
	var pairs []string
	for t, src := range r.source {
		pairs = append(pairs, "{"+t+"}", src+"."+t)
	}
	return strings.NewReplacer(pairs...).Replace(sql)
}

// referenceSQL names each table by the reference schema.
func (r run) referenceSQL(sql string) string {
	var pairs []string
	for _, t := range schema {
		pairs = append(pairs, "{"+t.name+"}", r.referenceSchema+"."+t.name)
	}
	return strings.NewReplacer(pairs...).Replace(sql)
}

// env is the databases and the Junction server every run shares.
type env struct {
	srv       *testenv.Server
	reference string
}

// newEnv creates and loads the three databases and registers the
// sources with a fresh Junction server.
func newEnv(t *testing.T) *env {
	t.Helper()
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	ctx := context.Background()

	refDB, ref := testenv.NewReferenceDB(t, "diffref")
	pgDB, pg := testenv.NewPostgresDB(t, "diffpg")
	myDB, my := testenv.NewMariaDB(t, "diffmy")
	for _, target := range []struct {
		exec   testenv.Exec
		schema string
		full   bool
	}{
		{testenv.PostgresExec(ref), "complete", true},
		{testenv.PostgresExec(ref), "portable", false},
		{testenv.PostgresExec(pg), "complete", true},
		{testenv.PostgresExec(pg), "portable", false},
	} {
		mustRun(t, target.exec, "CREATE SCHEMA "+target.schema)
		mustRun(t, target.exec, "SET search_path = "+target.schema)
		for _, tb := range schema {
			load(t, target.exec, tb, tb.ddl(false), target.full)
		}
	}
	for _, tb := range schema {
		load(t, testenv.MariaDBExec(my), tb, tb.ddl(true), false)
	}
	for _, stmt := range []string{"ANALYZE", "SET search_path = public"} {
		for _, c := range []*pgx.Conn{ref, pg} {
			if _, err := c.Exec(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
	}

	e := &env{srv: testenv.StartServer(t), reference: refDB}
	j := e.srv.Connect(t)
	for _, ddl := range []string{
		fmt.Sprintf(`CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root', schema 'complete')`, pgDB),
		fmt.Sprintf(`CREATE SERVER pgp FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root', schema 'portable')`, pgDB),
		fmt.Sprintf(`CREATE SERVER my FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '3306', dbname '%s', user 'root', password '')`, myDB),
	} {
		if _, err := j.Exec(ctx, ddl); err != nil {
			t.Fatalf("%s: %s", ddl, testenv.DescribeError(err))
		}
	}
	return e
}

func mustRun(t *testing.T, exec testenv.Exec, sql string) {
	t.Helper()
	if err := exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func load(t *testing.T, exec testenv.Exec, tb *table, ddl string, full bool) {
	t.Helper()
	mustRun(t, exec, ddl)
	if err := testenv.LoadRows(context.Background(), exec, tb.name, tb.columnNames(), tb.data(full)); err != nil {
		t.Fatal(err)
	}
}
