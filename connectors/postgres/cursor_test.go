package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/junction-db/junction/connectors/internal/remotetest"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

func TestQueryCursorReadsEveryFetch(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), nil)
	for _, n := range []int{0, cursorFirstFetch, cursorFirstFetch + 1, 10000} {
		rows, err := c.QueryCursor(context.Background(), fmt.Sprintf("SELECT g FROM generate_series(1, %d) g ORDER BY g", n), []types.Type{types.TInt4}, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, sum := remotetest.BatchSizes(t, rows)
		rows.Close()
		if want := int64(n) * int64(n+1) / 2; sum != want {
			t.Errorf("%d rows through a cursor: sum %d, want %d", n, sum, want)
		}
	}
}

func TestQueryCursorCloseEndsTheQueryAndFreesTheConnection(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), map[string]string{"max_connections": "1"})
	rows, err := c.QueryCursor(context.Background(),
		"SELECT a.x * 10000 + b.x FROM generate_series(1, 10000) a(x), generate_series(1, 10000) b(x)", []types.Type{types.TInt8}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := rows.Next(); err != nil || b == nil || b.Len != cursorFirstFetch {
		t.Fatalf("first batch: %v, %v; want the first FETCH's %d rows", b, err, cursorFirstFetch)
	}
	rows.Close()
	if got := remotetest.QueryText(t, c, "SELECT 3", types.TInt4); fmt.Sprint(got) != "[[3]]" {
		t.Fatalf("after Close: %v", got)
	}
	if _, err := c.QueryCursor(context.Background(), "SELECT nope", []types.Type{types.TInt4}, 0); pgerr.Code(err) != pgerr.UndefinedColumn {
		t.Fatalf("cursor over a bad query: got %v (%s), want 42703", err, pgerr.Code(err))
	}
}

func TestQueryParamsBindsAnArrayOfTheColumnsType(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t, `CREATE TYPE mood AS ENUM ('sad', 'happy', 'ok')`,
		`CREATE TABLE t (m mood, d date)`, `INSERT INTO t VALUES ('sad', '2024-01-01'), ('happy', '2024-02-29'), ('ok', NULL)`), nil)
	_, err := c.QueryParams(context.Background(), `SELECT count(*) FROM t WHERE m = ANY($1) AND d = ANY($2)`,
		[]string{`{"happy","sad","x\"y"}`, `{"2024-02-29"}`}, []types.Type{types.TInt8})
	if pgerr.Code(err) != "22P02" {
		// 'x"y' is no mood: the parameter was read as mood[].
		t.Fatalf("got %v, want 22P02 for a value outside the enum", err)
	}
	rows, err := c.QueryParams(context.Background(), `SELECT count(*) FROM t WHERE m = ANY($1) AND d = ANY($2)`,
		[]string{`{"happy","sad"}`, `{"2024-02-29"}`}, []types.Type{types.TInt8})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if _, sum := remotetest.BatchSizes(t, rows); sum != 1 {
		t.Fatalf("count %d, want 1", sum)
	}
}

func TestQueryCursorFirstFetchIsWhatTheReaderNeeds(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), nil)
	rows, err := c.QueryCursor(context.Background(), "SELECT g FROM generate_series(1, 100) g ORDER BY g", []types.Type{types.TInt4}, 30)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if b, err := rows.Next(); err != nil || b == nil || b.Len != 30 {
		t.Fatalf("first batch: %v, %v; want the first FETCH's 30 rows", b, err)
	}
	if b, err := rows.Next(); err != nil || b == nil || b.Len != 60 {
		t.Fatalf("second batch: %v, %v; want the second FETCH's 60 rows", b, err)
	}
}
