package bench

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// answersScaleFactor keeps the check to a minute or two; the benchmark
// checks the same answers at the scale it runs at.
const answersScaleFactor = 0.01

// TestTPCHAnswers runs every benchmark query through Junction, over the
// split and over the lake (lineitem and orders as Parquet files), and
// compares each answer with the single database's.
func TestTPCHAnswers(t *testing.T) {
	d := loadDatabases(t, answersScaleFactor, extras{lake: true})
	reference := testenv.ConnectURL(t, testenv.PostgresURL(d.reference))
	params, referenceNames := queryParams(answersScaleFactor), tableNames(plainNames)
	targets := []struct {
		name   string
		conn   *pgx.Conn
		tables *strings.Replacer
	}{{junctionTarget, d.junction.Connect(t), tableNames(splitNames)}, {lakeTarget, d.lake.Connect(t), tableNames(lakeNames)}}
	for _, q := range allQueries {
		t.Run(q.name, func(t *testing.T) {
			sql := params.Replace(q.sql)
			for _, target := range targets {
				t.Run(target.name, func(t *testing.T) {
					testenv.Compare(t, target.conn, reference, target.tables.Replace(sql), referenceNames.Replace(sql), q.ordered)
				})
			}
		})
	}
}
