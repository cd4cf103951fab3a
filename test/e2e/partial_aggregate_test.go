package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// Aggregations over a join of a PostgreSQL table (items, many rows per
// account) and a MariaDB table (accounts, several rows per account key):
// Junction pre-aggregates one side at its source and combines the
// partials above the join; the answers must be PostgreSQL's. Both join
// columns hold NULLs and repeat, and values hold NULLs.
var partialAggregateQueries = []struct {
	name string
	sql  string
	// split is set when the plan must pre-aggregate at a source: the
	// pattern the remote SQL of that source matches.
	split string
}{
	{"every decomposable aggregate per group of the other side",
		`SELECT a.region, count(*), count(i.qty), sum(i.qty), sum(i.big), sum(i.price), min(i.price), max(i.price), min(i.day), max(i.day), avg(i.qty), avg(i.price), bool_and(i.flag), bool_or(i.flag)
		 FROM {accounts} a JOIN {items} i ON i.acct = a.acct GROUP BY a.region`, `(?i)group by.*acct`},
	{"HAVING above the combined aggregates",
		`SELECT a.region, a.acct, sum(i.qty), count(*) FROM {accounts} a JOIN {items} i ON i.acct = a.acct GROUP BY a.region, a.acct HAVING sum(i.qty) > 60 AND count(*) > 20`, `(?i)group by`},
	{"group keys from both sides",
		`SELECT i.day, a.region, count(*), sum(i.price), max(i.qty) FROM {items} i JOIN {accounts} a ON a.acct = i.acct GROUP BY i.day, a.region`, `(?i)group by.*acct.*day|group by.*day.*acct`},
	{"no GROUP BY",
		`SELECT count(*), count(i.qty), sum(i.qty), avg(i.qty), min(i.price) FROM {accounts} a JOIN {items} i ON i.acct = a.acct`, `(?i)group by`},
	{"no GROUP BY over no rows",
		`SELECT count(*), count(i.qty), sum(i.qty), avg(i.price), max(i.day) FROM {accounts} a JOIN {items} i ON i.acct = a.acct WHERE a.region = 'nowhere'`, ""},
	{"groups emptied by a filter on the other side",
		`SELECT a.region, count(*), sum(i.qty) FROM {accounts} a JOIN {items} i ON i.acct = a.acct WHERE a.credit > 900 GROUP BY a.region`, ""},
	{"the other side's key as group key",
		`SELECT a.acct, count(*), sum(i.price), min(i.qty) FROM {accounts} a JOIN {items} i ON i.acct = a.acct GROUP BY a.acct`, `(?i)group by`},
	{"aggregates of the MariaDB side per group of the PostgreSQL side",
		`SELECT i.day, count(*), sum(a.credit), min(a.label), max(a.credit), count(a.label) FROM {items} i JOIN {accounts} a ON a.acct = i.acct WHERE i.qty > 5 GROUP BY i.day`, ""},
	{"sums of the MariaDB side per group of the PostgreSQL side",
		`SELECT i.day, count(*), sum(a.credit), max(a.credit), count(a.label) FROM {items} i JOIN {accounts} a ON a.acct = i.acct GROUP BY i.day`, "(?i)group by t1.`acct`"},
	{"a filter on the aggregated side",
		`SELECT a.region, sum(i.qty), count(*) FROM {accounts} a JOIN {items} i ON i.acct = a.acct WHERE i.price > 50 AND i.qty IS NOT NULL GROUP BY a.region`, `(?i)where.*price.*group by`},
	{"an inequality join",
		`SELECT a.region, count(*), sum(i.qty) FROM {accounts} a JOIN {items} i ON i.acct < a.acct AND a.credit < 50 GROUP BY a.region`, ""},
	{"a left join's inner side, many accounts without a match",
		`SELECT a.acct, a.region, count(i.id), count(i.qty), sum(i.qty), sum(i.big), min(i.price), max(i.day) FROM {accounts} a LEFT JOIN {items} i ON i.acct = a.acct AND i.qty > 45 GROUP BY a.acct, a.region`, `(?i)group by`},
	{"a left join's inner side without GROUP BY",
		`SELECT count(i.qty), sum(i.price), avg(i.qty) FROM {accounts} a LEFT JOIN {items} i ON i.acct = a.acct AND i.qty > 45`, `(?i)group by`},
	{"count(*) over a left join's inner side",
		`SELECT a.region, count(*), sum(i.qty) FROM {accounts} a LEFT JOIN {items} i ON i.acct = a.acct AND i.qty > 45 GROUP BY a.region`, ""},
	{"a left join's preserved side, NULL keys unmatched",
		`SELECT i.day, count(*), count(i.qty), sum(i.price), max(i.big) FROM {items} i LEFT JOIN {accounts} a ON a.acct = i.acct AND a.credit > 500 GROUP BY i.day, a.region`, `(?i)group by`},
	{"Q13: the distribution of counts over a left join",
		`SELECT n, count(*) FROM (SELECT a.acct, count(i.id) AS n FROM {accounts} a LEFT JOIN {items} i ON i.acct = a.acct AND i.qty > 40 GROUP BY a.acct) x GROUP BY n`, `(?i)group by`},
	{"ordered with LIMIT",
		`SELECT a.acct, sum(i.price) AS total FROM {accounts} a JOIN {items} i ON i.acct = a.acct GROUP BY a.acct ORDER BY total DESC, a.acct LIMIT 7`, `(?i)group by`},
}

var (
	itemColumns    = []string{"id", "acct", "qty", "big", "price", "day", "flag"}
	accountColumns = []string{"acct", "region", "credit", "label"}
)

const (
	itemsDDL = `CREATE TABLE items (
		id int PRIMARY KEY, acct int NULL, qty int NULL, big bigint NOT NULL,
		price numeric(12,2) NULL, day date NOT NULL, flag boolean NULL)`
	mariadbAccountsDDL = `CREATE TABLE accounts (
		acct int NULL, region varchar(10) NOT NULL, credit int NOT NULL, label varchar(20) COLLATE utf8mb4_bin NULL,
		KEY (acct))`
	postgresAccountsDDL = `CREATE TABLE accounts (
		acct int NULL, region varchar(10) NOT NULL, credit int NOT NULL, label varchar(20) NULL)`
)

// generatePartialAggregateData makes 6000 items over 200 account keys
// (and NULL) and 450 accounts rows over 150 of those keys (and NULL),
// most keys on several rows; sums of big come near the int8 limit.
func generatePartialAggregateData() (items, accounts [][]any) {
	rng := rand.New(rand.NewPCG(5, 10))
	day0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for id := 1; id <= 6000; id++ {
		var acct, qty, price, flag any
		if rng.IntN(20) > 0 {
			acct = 1 + rng.IntN(200)
		}
		if rng.IntN(10) > 0 {
			qty = rng.IntN(50)
		}
		if rng.IntN(15) > 0 {
			price = testenv.Decimal(fmt.Sprintf("%d.%02d", rng.IntN(1000), rng.IntN(100)))
		}
		if rng.IntN(8) > 0 {
			flag = "true"
			if rng.IntN(7) == 0 {
				flag = "false"
			}
		}
		day := testenv.Date(day0.AddDate(0, 0, rng.IntN(10)))
		items = append(items, []any{id, acct, qty, int64(1) << 50 * int64(1+rng.IntN(7)), price, day, flag})
	}
	regions := []string{"north", "south", "east", "west", "centre"}
	for i := 0; i < 450; i++ {
		var acct, label any
		if i%30 != 0 {
			acct = 1 + rng.IntN(150)
		}
		if rng.IntN(6) > 0 {
			label = fmt.Sprintf("L%03d", rng.IntN(400))
		}
		accounts = append(accounts, []any{acct, regions[rng.IntN(len(regions))], rng.IntN(1000), label})
	}
	return items, accounts
}

func TestPartialAggregationBelowJoins(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	ctx := context.Background()
	items, accounts := generatePartialAggregateData()
	pgDB, pgConn := testenv.NewPostgresDB(t, "items")
	myDB, myConn := testenv.NewMariaDB(t, "accounts")
	_, reference := testenv.NewReferenceDB(t, "reference")
	pg, my, ref := testenv.PostgresExec(pgConn), testenv.MariaDBExec(myConn), testenv.PostgresExec(reference)
	createTable(t, pg, itemsDDL, "items", itemColumns, items)
	createTable(t, my, mariadbAccountsDDL, "accounts", accountColumns, accounts)
	createTable(t, ref, itemsDDL, "items", itemColumns, items)
	createTable(t, ref, postgresAccountsDDL, "accounts", accountColumns, accounts)
	// Statistics are what decide the split; the sources gather them.
	for _, s := range []struct {
		exec testenv.Exec
		sql  string
	}{{pg, "ANALYZE items"}, {my, "ANALYZE TABLE accounts PERSISTENT FOR ALL"}} {
		if err := s.exec(ctx, s.sql); err != nil {
			t.Fatal(err)
		}
	}
	srv := testenv.StartServer(t)
	junction := srv.Connect(t)
	mustExec(t, junction, testenv.PostgresServerDDL("pgsrc", pgDB))
	mustExec(t, junction, mariadbServerDDL("mysrc", myDB, "root", ""))
	junctionSQL := strings.NewReplacer("{items}", "pgsrc.items", "{accounts}", "mysrc.accounts")
	referenceSQL := strings.NewReplacer("{items}", "items", "{accounts}", "accounts")

	for _, q := range partialAggregateQueries {
		t.Run(q.name, func(t *testing.T) {
			jsql, rsql := junctionSQL.Replace(q.sql), referenceSQL.Replace(q.sql)
			testenv.Compare(t, junction, reference, jsql, rsql, false)
			sameColumnTypes(t, junction, reference, jsql, rsql)
			if q.split == "" {
				return
			}
			plan := strings.Join(column(query(t, junction, "EXPLAIN "+jsql), 0), "\n")
			re := regexp.MustCompile(q.split)
			for _, line := range strings.Split(plan, "\n") {
				if strings.Contains(line, "Remote SQL:") && re.MatchString(line) {
					return
				}
			}
			t.Errorf("no remote SQL matches %s: the aggregation was not split\n%s", q.split, plan)
		})
	}
}

// sameColumnTypes requires the result columns to have PostgreSQL's types:
// sum(int4) a bigint, sum(int8) a numeric, however it was computed.
func sameColumnTypes(t *testing.T, junction, reference *pgx.Conn, junctionSQL, referenceSQL string) {
	t.Helper()
	oids := func(conn *pgx.Conn, sql string) []uint32 {
		rows, err := conn.Query(context.Background(), sql, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		defer rows.Close()
		var out []uint32
		for _, f := range rows.FieldDescriptions() {
			out = append(out, f.DataTypeOID)
		}
		return out
	}
	got, want := oids(junction, junctionSQL), oids(reference, referenceSQL)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("column types %v, want PostgreSQL's %v", got, want)
	}
}
