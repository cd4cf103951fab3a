package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// windowQueries are window functions over the PostgreSQL source's table
// (pushed down whole), over the MariaDB source's (computed in Junction)
// and over a join of both, compared with PostgreSQL on the same data.
// Every ORDER BY that row_number or a ROWS frame reads ends in a unique
// key, so that PostgreSQL's answer is the only right one.
var windowQueries = []struct {
	name    string
	sql     string
	ordered bool
}{
	{"pg row_number", `SELECT id, country, row_number() OVER (PARTITION BY country ORDER BY id) FROM {customers}`, false},
	{"pg ranks", `SELECT id, rank() OVER w, dense_rank() OVER w, percent_rank() OVER w, cume_dist() OVER w FROM {customers} WINDOW w AS (PARTITION BY country ORDER BY created_at)`, false},
	{"pg running sum with peers", `SELECT id, sum(id) OVER (ORDER BY created_at) FROM {customers}`, false},
	{"pg whole partition", `SELECT id, count(*) OVER (PARTITION BY country), count(email) OVER (PARTITION BY country), avg(id) OVER (PARTITION BY country) FROM {customers}`, false},
	{"pg lag and lead", `SELECT id, lag(name) OVER w, lag(name, 2, 'none') OVER w, lead(id, 3) OVER w, lead(id, -1, 0) OVER w FROM {customers} WINDOW w AS (ORDER BY id)`, false},
	{"pg frame values", `SELECT id, first_value(name) OVER w, last_value(name) OVER w, nth_value(name, 2) OVER w FROM {customers} WINDOW w AS (PARTITION BY country ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING)`, false},
	{"pg ntile", `SELECT id, ntile(7) OVER (ORDER BY id) FROM {customers}`, false},
	{"pg range over dates", `SELECT id, count(*) OVER (ORDER BY created_at RANGE BETWEEN interval '30 days' PRECEDING AND CURRENT ROW) FROM {customers}`, false},
	{"pg groups excluding the row", `SELECT id, sum(id) OVER (ORDER BY id GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) FROM {customers}`, false},
	{"pg string_agg over rows", `SELECT id, string_agg(name, ',') OVER (PARTITION BY country ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM {customers}`, false},
	{"pg window over groups", `SELECT country, count(*), rank() OVER (ORDER BY count(*) DESC), sum(count(*)) OVER () FROM {customers} GROUP BY country`, false},
	{"pg filter", `SELECT id, count(*) FILTER (WHERE email IS NULL) OVER (PARTITION BY country) FROM {customers}`, false},
	{"pg ordered by a window", `SELECT id, name, row_number() OVER (ORDER BY name, id) AS rn FROM {customers} ORDER BY rn LIMIT 10`, true},
	{"pg text extremes over a sliding frame", `SELECT id, min(name) OVER w, max(name) OVER w FROM {customers} WINDOW w AS (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)`, false},
	{"pg named window refined", `SELECT id, sum(id) OVER w, avg(id) OVER (w ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM {customers} WINDOW w AS (PARTITION BY country ORDER BY id)`, false},
	{"pg filter above a window", `SELECT * FROM (SELECT id, country, row_number() OVER (PARTITION BY country ORDER BY id DESC) AS rn FROM {customers}) s WHERE rn <= 2`, false},

	{"mysql row_number by case-varying status", `SELECT id, status, row_number() OVER (PARTITION BY status ORDER BY id) FROM {orders}`, false},
	{"mysql rank by status", `SELECT id, rank() OVER (ORDER BY status), dense_rank() OVER (ORDER BY status DESC) FROM {orders}`, false},
	{"mysql running decimal sum", `SELECT id, sum(amount) OVER (PARTITION BY customer_id ORDER BY created_at, id) FROM {orders}`, false},
	{"mysql NULL placement", `SELECT id, lag(note) OVER (ORDER BY id), first_value(note) OVER (PARTITION BY status ORDER BY note NULLS FIRST, id) FROM {orders}`, false},
	{"mysql numeric range", `SELECT id, avg(amount) OVER (ORDER BY amount RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING) FROM {orders}`, false},
	{"mysql timestamp range", `SELECT id, count(*) OVER (ORDER BY created_at DESC RANGE BETWEEN interval '1 day' PRECEDING AND CURRENT ROW) FROM {orders}`, false},
	{"mysql exclude ties", `SELECT id, count(*) OVER (ORDER BY status GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING EXCLUDE TIES), sum(amount) OVER (ORDER BY status RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE GROUP) FROM {orders} WHERE id <= 300`, false},
	{"mysql sliding rows", `SELECT id, count(note) OVER w, min(amount) OVER w, max(created_at) OVER w FROM {orders} WINDOW w AS (PARTITION BY status ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)`, false},
	{"mysql ranks with NULLs first and last", `SELECT id, rank() OVER (ORDER BY note NULLS FIRST), dense_rank() OVER (ORDER BY note DESC NULLS LAST) FROM {orders}`, false},
	{"mysql filtered running sum", `SELECT id, sum(amount) FILTER (WHERE status = 'paid') OVER (ORDER BY created_at DESC) FROM {orders}`, false},
	{"mysql partition by expression", `SELECT id, count(note) OVER (PARTITION BY lower(status)) FROM {orders}`, false},

	{"window over a cross-source join", `SELECT c.country, o.id, sum(o.amount) OVER (PARTITION BY c.country ORDER BY o.id) FROM {customers} c JOIN {orders} o ON o.customer_id = c.id WHERE o.id < 500`, false},
}

func testWindows(t *testing.T, f *federation) {
	for _, q := range windowQueries {
		t.Run(q.name, func(t *testing.T) { f.compare(t, q.sql, q.ordered) })
	}
	t.Run("pushed to PostgreSQL", func(t *testing.T) {
		sql := junctionTables.Replace(windowQueries[0].sql)
		lines := remoteSQL(t, f, sql)
		if len(lines) != 1 || !regexp.MustCompile(`(?i)row_number\(\) OVER \(PARTITION BY`).MatchString(lines[0]) {
			t.Errorf("EXPLAIN %s: the window is not in the remote SQL: %q", sql, lines)
		}
	})
	t.Run("ranking pushed to MariaDB by bytes", func(t *testing.T) {
		sql := junctionTables.Replace(windowQueries[16].sql)
		lines := remoteSQL(t, f, sql)
		if len(lines) != 1 || !regexp.MustCompile("ROW_NUMBER\\(\\) OVER \\(PARTITION BY CAST\\(CONVERT\\(t1.`status` USING utf8mb4\\) AS BINARY\\)").MatchString(lines[0]) {
			t.Errorf("EXPLAIN %s: the window is not in the remote SQL, partitioned by bytes: %q", sql, lines)
		}
	})
	t.Run("pgjdbc getColumns numbers columns with row_number", func(t *testing.T) {
		res := query(t, f.conn(), pgjdbcGetColumns)
		var got []string
		for _, r := range res.Rows {
			got = append(got, r[2].Text+"="+r[8].Text)
		}
		want := "id=1 name=2 country=3 email=4 created_at=5"
		if strings.Join(got, " ") != want {
			t.Errorf("getColumns of crm.customers gave %q, want %q", strings.Join(got, " "), want)
		}
	})
	t.Run("kept from MariaDB", func(t *testing.T) {
		sql := junctionTables.Replace(windowQueries[19].sql)
		out := strings.Join(column(query(t, f.conn(), "EXPLAIN "+sql), 0), "\n")
		want := "Not pushed: lag() as a window function is computed in Junction for mysql sources (only row_number, rank, dense_rank and the aggregates it computes exactly are sent)"
		if !strings.Contains(out, want) || regexp.MustCompile(`Remote SQL: .* OVER \(`).MatchString(out) {
			t.Errorf("EXPLAIN %s should keep the window in Junction and say %q:\n%s", sql, want, out)
		}
	})
}

// pgjdbcGetColumns is the query pgjdbc's DatabaseMetaData.getColumns
// sends (for schema crm and table customers), which numbers the columns
// with row_number() over each table's attributes.
const pgjdbcGetColumns = `SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype  FROM pg_catalog.pg_namespace n  JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)  JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)  LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)  LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)  LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')  LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped  AND n.nspname LIKE 'crm' AND c.relname LIKE 'customers') c WHERE true  ORDER BY nspname,c.relname,attnum`
