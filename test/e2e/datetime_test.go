package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/junction-db/junction/test/testenv"
)

// Infinite dates and timestamps and times with time zone, read from a
// PostgreSQL source and sent to the client, answer as PostgreSQL answers
// on the same table.
func TestDateTimeValuesFromPostgreSQL(t *testing.T) {
	testenv.RequirePostgres(t)
	dbName, pg := testenv.NewPostgresDB(t, "datetime")
	mustExec(t, pg, `SET TIME ZONE 'UTC'`)
	createTable(t, testenv.PostgresExec(pg),
		`CREATE TABLE moments (id int PRIMARY KEY, d date, ts timestamp, tstz timestamptz, tt timetz)`, "moments",
		[]string{"id", "d", "ts", "tstz", "tt"},
		[][]any{
			{1, "infinity", "infinity", "infinity", "04:05:06.789+08"},
			{2, "-infinity", "-infinity", "-infinity", "23:59:59-15:59"},
			{3, "2024-02-29", "2024-02-29 12:34:56.5", "2024-02-29 12:34:56.5+03", "00:00:00+00"},
			{4, nil, nil, nil, nil},
		})
	srv := testenv.StartServer(t)
	junction := srv.Connect(t)
	mustExec(t, junction, testenv.PostgresServerDDL("dt", dbName))

	for _, q := range []struct {
		name, sql string
		ordered   bool
	}{
		{"values", `SELECT id, d, ts, tstz, tt FROM {t}`, false},
		{"ordered with infinity", `SELECT id, ts FROM {t} ORDER BY ts, id`, true},
		{"arithmetic keeps infinity", `SELECT id, d + 1, ts + interval '1 month', tstz - interval '1 day', isfinite(ts) FROM {t}`, false},
		{"fields of infinity", `SELECT id, date_part('year', ts), date_part('month', tstz), date_trunc('day', ts) FROM {t}`, false},
		{"compared with infinity", `SELECT id FROM {t} WHERE ts < timestamp 'infinity' AND d > date '-infinity'`, false},
		{"timetz order and casts", `SELECT id, tt, tt::time AS local_time, tt + interval '1 hour' AS later FROM {t} ORDER BY tt, id`, true},
		{"timetz at a zone", `SELECT id, tt AT TIME ZONE 'UTC', tt AT TIME ZONE interval '05:30' FROM {t}`, false},
		{"time range frames do not wrap around midnight", `SELECT t, count(*) OVER (ORDER BY t RANGE BETWEEN '1 day 1 hour' PRECEDING AND '2 hours' FOLLOWING) FROM (VALUES (time '23:00'), (time '23:30'), (time '00:30'), (time '22:15')) v(t)`, false},
		{"time zones", `SELECT id, tstz AT TIME ZONE 'MSK', ts AT TIME ZONE 'UTC+5', date_trunc('day', tstz, 'Asia/Tokyo') FROM {t}`, false},
	} {
		t.Run(q.name, func(t *testing.T) {
			if junction.IsClosed() {
				junction = srv.Connect(t)
			}
			testenv.Compare(t, junction, pg, strings.ReplaceAll(q.sql, "{t}", "dt.moments"), strings.ReplaceAll(q.sql, "{t}", "moments"), q.ordered)
		})
	}

	// In binary, infinity is the end of the range, as PostgreSQL sends it.
	ctx := context.Background()
	var d pgtype.Date
	var ts pgtype.Timestamp
	var tstz pgtype.Timestamptz
	err := junction.QueryRow(ctx, `SELECT d, ts, tstz FROM dt.moments WHERE id = 2`, pgx.QueryResultFormats{pgx.BinaryFormatCode}).Scan(&d, &ts, &tstz)
	if err != nil {
		t.Fatalf("binary infinite values: %s", testenv.DescribeError(err))
	}
	if d.InfinityModifier != pgtype.NegativeInfinity || ts.InfinityModifier != pgtype.NegativeInfinity || tstz.InfinityModifier != pgtype.NegativeInfinity {
		t.Errorf("binary -infinity read as %v, %v, %v", d.InfinityModifier, ts.InfinityModifier, tstz.InfinityModifier)
	}
}
