package audit

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cases := map[string]string{
		`SELECT * FROM t WHERE a = 42 AND b = 'x' AND c = $1 LIMIT 10`:                         `SELECT * FROM t WHERE a = $2 AND b = $3 AND c = $1 LIMIT $4`,
		`CREATE SERVER s FOREIGN DATA WRAPPER postgres OPTIONS (host 'h', password 'hunter2')`: `CREATE SERVER s FOREIGN DATA WRAPPER postgres OPTIONS (host $1, password $2)`,
		`SELECT E'a\'b', $$dollar$$, B'101', X'1F', 1.5e3, TRUE, NULL`:                         `SELECT $1, $2, $3, $4, $5, TRUE, NULL`,
		`SELECT "quoted 'ident'" FROM t /* note */`:                                            `SELECT "quoted 'ident'" FROM t /* note */`,
		`SELECT 'unterminated`: Unscannable,
	}
	for in, want := range cases {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestLogWritesAndDropsWhenFull fills a queue nobody drains yet and
// checks that the records over its size are dropped, not waited for, and
// that the rest reach the file redacted.
func TestLogWritesAndDropsWhenFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "audit.jsonl")
	l, err := Open(path, 2, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		l.Add(&Record{QueryID: int64(i + 1), Statement: "SELECT 'secret'", Outcome: "ok"})
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var n int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if strings.Contains(sc.Text(), "secret") || r["statement"] != "SELECT $1" {
			t.Errorf("line not redacted: %s", sc.Text())
		}
		n++
	}
	if n < 1 || n >= 1000 || l.dropped.Load() != 0 {
		t.Errorf("%d of 1000 records written through a queue of 2", n)
	}
}
