package bench

import (
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// answersScaleFactor keeps the check to a minute or two; the benchmark
// checks the same answers at the scale it runs at.
const answersScaleFactor = 0.01

// TestTPCHAnswers runs every benchmark query through Junction over the
// split and compares the answer with the single database's.
func TestTPCHAnswers(t *testing.T) {
	d := loadDatabases(t, answersScaleFactor, false)
	junction := d.junction.Connect(t)
	reference := testenv.ConnectURL(t, testenv.PostgresURL(d.reference))
	params, junctionNames, referenceNames := queryParams(answersScaleFactor), tableNames(true), tableNames(false)
	for _, q := range allQueries {
		t.Run(q.name, func(t *testing.T) {
			sql := params.Replace(q.sql)
			testenv.Compare(t, junction, reference, junctionNames.Replace(sql), referenceNames.Replace(sql), q.ordered)
		})
	}
}
