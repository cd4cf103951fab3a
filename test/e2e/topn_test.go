package e2e

import (
	"strings"
	"testing"
)

// topNQueries order a cross-source join by one side's columns and take
// the first rows. The order is exact: the ORDER BY keys are unique in the
// output, or the rows that tie are equal.
var topNQueries = []struct {
	name string
	sql  string
	// bind is set when the plan should be a bind join.
	bind bool
}{
	{"PostgreSQL side streams, MariaDB looked up", `SELECT p.id, p.k_int, m.id, m.k_text FROM {p} p JOIN {m} m ON m.k_int = p.k_int ORDER BY p.id LIMIT 20`, true},
	{"descending with offset", `SELECT p.id, m.id, m.v FROM {p} p JOIN {m} m ON m.k_int = p.k_int ORDER BY p.id DESC LIMIT 10 OFFSET 15`, true},
	{"inner side is a join at its source", `SELECT p.id, m.id, m2.v FROM {p} p JOIN {m} m ON m.k_int = p.k_int JOIN {m} m2 ON m2.id = m.id ORDER BY p.id LIMIT 20`, true},
	{"sparse matches take several batches", `SELECT p.id, m.id FROM {p} p JOIN (SELECT * FROM {m} WHERE v < 3) m ON m.k_int = p.k_int ORDER BY p.id LIMIT 40`, true},
	{"fewer matches than the limit", `SELECT p.id, m.id FROM {p} p JOIN (SELECT * FROM {m} WHERE v = 1) m ON m.k_int = p.k_int ORDER BY p.id LIMIT 500`, true},
	{"no match at all", `SELECT p.id, m.id FROM {p} p JOIN (SELECT * FROM {m} WHERE v = 1000) m ON m.k_int = p.k_int ORDER BY p.id LIMIT 5`, true},
	{"nullable key, NULLs first", `SELECT p.id, p.k_big, m.id FROM {p} p JOIN {m} m ON m.k_big = p.k_big ORDER BY p.k_big DESC NULLS FIRST, p.id LIMIT 25`, true},
	{"text keys looked up in MariaDB", `SELECT p.id, p.k_text, m.id FROM {p} p JOIN {m} m ON m.k_text = p.k_text ORDER BY p.id LIMIT 30`, true},
	{"date keys", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON m.k_date = p.k_date ORDER BY p.id LIMIT 15`, true},
	{"text sort key", `SELECT p.k_text, p.id, m.id FROM {p} p JOIN {m} m ON m.k_int = p.k_int ORDER BY p.k_text DESC, p.id LIMIT 20`, true},
	{"ties are equal rows", `SELECT m.id, m.v FROM {p} p JOIN {m} m ON m.k_int = p.k_int ORDER BY m.id DESC LIMIT 21`, false},
	{"residual condition", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON m.k_int = p.k_int AND m.v > p.v ORDER BY p.id LIMIT 20`, true},
	{"filter above the join", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON m.k_int = p.k_int WHERE p.v + m.v > 100 ORDER BY p.id LIMIT 20`, true},
	{"LIMIT into the preserved side of a left join", `SELECT p.id, m.id FROM {p} p LEFT JOIN {m} m ON m.k_int = p.k_int ORDER BY p.id LIMIT 20 OFFSET 3`, false},
	{"LIMIT into the preserved side of a right join", `SELECT m.id, m.v FROM {p} p RIGHT JOIN {m} m ON m.k_int = p.k_int ORDER BY m.id DESC LIMIT 15`, false},
	{"LIMIT into the branches of UNION ALL", `SELECT id, k_int FROM {p} UNION ALL SELECT id, k_int FROM {m} ORDER BY k_int NULLS FIRST, id LIMIT 30`, false},
	{"keys from both sides stay a sort", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON m.k_int = p.k_int ORDER BY p.v, m.id, p.id LIMIT 20`, false},
}

func testTopNBindJoin(t *testing.T, f *keyFederation) {
	for _, q := range topNQueries {
		t.Run(q.name, func(t *testing.T) {
			f.compare(t, q.sql, true)
			plan := f.explain(t, q.sql, false)
			if bind := strings.Contains(plan, "Bind Join"); q.bind && !bind {
				t.Errorf("EXPLAIN shows no bind join:\n%s", plan)
			}
			if q.bind && strings.Contains(plan, "Sort") {
				t.Errorf("EXPLAIN still sorts in Junction over a bind join that keeps the order:\n%s", plan)
			}
		})
	}
	t.Run("EXPLAIN ANALYZE shows the lookups stop early", func(t *testing.T) {
		plan := f.explain(t, `SELECT p.id, m.id FROM {p} p JOIN {m} m ON m.k_int = p.k_int ORDER BY p.id LIMIT 20`, true)
		// The first batch is sized for the limit: LIMIT 20 and a margin.
		if !strings.Contains(plan, "First Batch: 46 outer rows") || !strings.Contains(plan, "dynamic filter keys=46 ranges=0") {
			t.Errorf("EXPLAIN ANALYZE does not show one lookup of the first 46 keys:\n%s", plan)
		}
		// The outer side is read no further than that batch.
		if !strings.Contains(plan, "source rows=46 bytes=") {
			t.Errorf("EXPLAIN ANALYZE shows the outer side read beyond the first batch:\n%s", plan)
		}
	})
}
