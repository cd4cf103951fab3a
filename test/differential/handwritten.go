package differential

// handWritten are queries written for cases the generator reaches
// rarely or not at all, and the minimised mismatches the suite found,
// kept as regression cases. Each runs in every run.
var handWritten = []struct {
	name    string
	sql     string
	ordered bool
}{
	{"every column", `SELECT * FROM {t1}`, false},
	{"every column ordered", `SELECT * FROM {t1} ORDER BY id`, true},
	{"edge values sorted", `SELECT id, i, s, b, n, f, txt, c, v, d, ts, flag FROM {t1} ORDER BY f NULLS FIRST, n, txt DESC, id`, true},
	{"text order by code point", `SELECT DISTINCT txt FROM {t1} ORDER BY txt`, true},
	{"char and varchar comparisons", `SELECT id, c = 'ab', c = 'ab  ', v = 'x', v = 'x ', c < v, c || '|', v || '|' FROM {t1}`, false},
	{"case-sensitive equality", `SELECT id FROM {t1} WHERE txt = 'alpha'`, false},
	{"trailing space equality", `SELECT id FROM {t1} WHERE txt = 'alpha '`, false},
	{"like with escape", `SELECT id, txt FROM {t1} WHERE txt LIKE 'a\_b' OR txt LIKE 'a\%b'`, false},
	{"ilike non-ASCII", `SELECT id, txt FROM {t1} WHERE txt ILIKE 'é'`, false},
	{"lower and upper non-ASCII", `SELECT id, lower(txt), upper(txt), length(txt), octet_length(txt) FROM {t1}`, false},
	{"integer extremes compared", `SELECT id, b, s FROM {t1} WHERE b > 0 OR s < 0`, false},
	{"bigint aggregates", `SELECT sum(b), avg(b), min(b), max(b), sum(s), avg(s) FROM {t1}`, false},
	{"numeric aggregates", `SELECT i, sum(n), avg(n), min(n), max(n), count(DISTINCT n) FROM {t1} GROUP BY i`, false},
	{"numeric division scale", `SELECT id, n / 3, n / 7.0, round(n / 3, 2), n * 1.5 FROM {t1} WHERE n IS NOT NULL`, false},
	{"integer division and modulo", `SELECT id, i / 3, i % 3, -i / 3, -i % 3 FROM {t1} WHERE i IS NOT NULL`, false},
	{"float text output", `SELECT id, f, f * 3, f / 3, f + 0.1::float8 FROM {t1} WHERE abs(f) < 1e100`, false},
	{"float min and max", `SELECT min(f), max(f), count(f) FROM {t1}`, false},
	{"round half away from zero", `SELECT id, round(n), round(n, 1), CAST(n AS integer) FROM {t1} WHERE abs(n) < 1000`, false},
	{"date arithmetic", `SELECT id, d + 1, d - 1, d - date '2000-01-01' FROM {t1} WHERE d BETWEEN date '1000-01-01' AND date '9000-01-01'`, false},
	{"timestamp arithmetic", `SELECT id, ts + interval '1 day', ts - interval '1 month', date_trunc('month', ts) FROM {t1} WHERE ts BETWEEN timestamp '1500-01-01' AND timestamp '9000-01-01'`, false},
	{"leap day", `SELECT id, d FROM {t1} WHERE d = date '2024-02-29'`, false},
	{"boolean output and logic", `SELECT id, flag, NOT flag, flag AND i > 0, flag OR i > 0, flag IS UNKNOWN FROM {t1}`, false},
	{"NOT IN with NULL in the subquery", `SELECT id FROM {t1} WHERE i NOT IN (SELECT i FROM {t2})`, false},
	{"NOT IN without NULLs", `SELECT id FROM {t1} WHERE i NOT IN (SELECT i FROM {t2} WHERE i IS NOT NULL)`, false},
	{"NOT EXISTS anti-join", `SELECT a.id FROM {t1} a WHERE NOT EXISTS (SELECT 1 FROM {t2} b WHERE b.t1_id = a.id)`, false},
	{"IN semi-join", `SELECT a.id FROM {t1} a WHERE a.id IN (SELECT t1_id FROM {t2})`, false},
	{"dangling references full join", `SELECT a.id, b.id FROM {t1} a FULL JOIN {t2} b ON a.id = b.t1_id WHERE a.id IS NULL OR b.id IS NULL`, false},
	{"right join", `SELECT a.id, b.id, b.txt FROM {t3} a RIGHT JOIN {t1} b ON a.id = b.i`, false},
	{"join on text across types", `SELECT a.id, b.id FROM {t1} a JOIN {t4} b ON a.txt = b.txt`, false},
	{"join on char", `SELECT a.id, b.id FROM {t1} a JOIN {t4} b ON a.c = b.txt`, false},
	{"three-way join", `SELECT a.id, b.id, c.id FROM {t1} a JOIN {t2} b ON b.t1_id = a.id LEFT JOIN {t3} c ON c.id = b.i`, false},
	{"correlated scalar subquery", `SELECT a.id, (SELECT sum(b.n) FROM {t2} b WHERE b.t1_id = a.id) FROM {t1} a`, false},
	{"set operations with duplicates", `SELECT i FROM {t1} INTERSECT ALL SELECT i FROM {t2}`, false},
	{"except all", `SELECT i FROM {t2} EXCEPT ALL SELECT i FROM {t1}`, false},
	{"union of text types", `SELECT txt FROM {t3} UNION SELECT v FROM {t1}`, false},
	{"order by with nulls and limit", `SELECT id, txt FROM {t1} ORDER BY txt DESC NULLS LAST, id LIMIT 7 OFFSET 3`, true},
	{"count distinct text", `SELECT count(DISTINCT txt), count(DISTINCT c), count(DISTINCT v) FROM {t1}`, false},
	{"group by char", `SELECT c, count(*) FROM {t1} GROUP BY c`, false},
	{"group by text with case and spaces", `SELECT txt, count(*) FROM {t2} GROUP BY txt`, false},
	{"having on count distinct", `SELECT t1_id, count(DISTINCT i) FROM {t2} GROUP BY t1_id HAVING count(DISTINCT i) > 1`, false},
	{"aggregates over no rows", `SELECT count(*), sum(n), avg(n), max(txt) FROM {t1} WHERE false`, false},
	{"empty string is not NULL", `SELECT id, txt = '', txt IS NULL, coalesce(txt, '<null>') FROM {t1}`, false},
	{"string functions", `SELECT id, substr(txt, 2, 2), left(txt, -1), right(txt, 2), replace(txt, 'a', 'A'), reverse(txt), lpad(txt, 6, '*'), rpad(txt, 3) FROM {t1}`, false},
	{"cast numbers to text", `SELECT id, CAST(n AS text), CAST(f AS text), CAST(b AS text), CAST(d AS text), CAST(ts AS text), CAST(flag AS text) FROM {t1}`, false},

	// Mismatches the suite found, minimised and fixed.
	{"constant ORDER BY keys are not positions", `SELECT 10 AS a, 'x' AS b, -1 AS c, id FROM {t3} ORDER BY 1, 2, 3, 4`, true},
	{"constant GROUP BY keys are not positions", `SELECT 10 AS g, 'x' AS h, 1.5 AS k, count(*) FROM {t2} GROUP BY 1, 2, 3`, false},
	{"GROUP BY constants alone over no rows", `SELECT 7 AS g, count(*) FROM {t2} WHERE id < 0 GROUP BY 1`, false},
	{"char against varchar ignores trailing spaces", `SELECT id, c < v, c = v, v > c FROM {t1} WHERE c IS NOT NULL AND v IS NOT NULL`, false},
	{"DISTINCT ordered by text", `SELECT DISTINCT v FROM {t1} ORDER BY v DESC`, true},
	{"a literal does not take a varchar's length", `SELECT id, nullif('Alpha', CAST(txt AS varchar(3))), coalesce(CAST(txt AS varchar(2)), 'long'), CAST(txt AS varchar(3)) = 'alpha' FROM {t2}`, false},
	{"CASE named for its ELSE column", `SELECT CASE WHEN id > 2 THEN 'x' ELSE txt END, CASE WHEN id > 2 THEN txt ELSE upper(txt) END, CAST(CASE WHEN id > 2 THEN 1 END AS text) FROM {t3}`, false},
}
