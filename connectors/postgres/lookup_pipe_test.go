package postgres

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remotetest"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// Point lookups from many clients at once go down one connection, and
// each gets its own row, none, or its own error; the pipe survives a
// statement whose table changed under it and a connection the server
// ends, and a source of one connection keeps it for other queries.
func TestLookupPipe(t *testing.T) {
	db := remotetest.PostgresDB(t,
		`CREATE TABLE w (id int PRIMARY KEY, name text, price numeric(6,2))`,
		`INSERT INTO w SELECT i, 'w' || i, i * 0.25 FROM generate_series(1, 500) AS i`,
		`CREATE TABLE v (id int PRIMARY KEY)`, `INSERT INTO v VALUES (1)`)
	c := openSource(t, db, nil)
	d := c.Dialect().(*Dialect)
	param, _ := d.Param(1, types.TInt4)
	sql := "SELECT id, name, price FROM w WHERE id = " + param
	cols := []types.Type{types.TInt4, types.TText, types.Type{Kind: types.Numeric, Precision: 6, Scale: 2}}
	lookup := func(ctx context.Context, key string) ([][]string, error) {
		rows, err := c.QueryLookup(ctx, sql, []string{key}, cols)
		if err != nil {
			return nil, err
		}
		return remotetest.ReadText(rows)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for client := range 16 {
		wg.Go(func() {
			for i := range 200 {
				id := (client*200+i)%600 + 1 // ids above 500 find no row
				got, err := lookup(context.Background(), strconv.Itoa(id))
				want := "[]"
				if id <= 500 {
					want = fmt.Sprintf("[[%d w%d %.2f]]", id, id, float64(id)*0.25)
				}
				if err != nil || fmt.Sprint(got) != want {
					errs <- fmt.Errorf("lookup %d = %v, %v; want %s", id, got, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	c.pipeMu.Lock()
	used := c.pipe != nil
	c.pipeMu.Unlock()
	if !used {
		t.Fatal("the lookups did not go down a pipe")
	}

	// A value the server refuses fails that lookup only.
	if _, err := lookup(context.Background(), "x"); pgerr.Code(err) != "22P02" {
		t.Errorf("lookup of x: %v, want SQLSTATE 22P02", err)
	}
	if got, err := lookup(context.Background(), "7"); err != nil || fmt.Sprint(got) != "[[7 w7 1.75]]" {
		t.Errorf("lookup after a failed one = %v, %v", got, err)
	}

	// A statement that cannot be prepared fails its lookups with why.
	if _, err := c.QueryLookup(context.Background(), "SELECT nope FROM w WHERE id = "+param, []string{"1"}, cols[:1]); pgerr.Code(err) != pgerr.UndefinedColumn {
		t.Errorf("lookup of a missing column: %v, want SQLSTATE %s", err, pgerr.UndefinedColumn)
	}

	admin, err := pgx.Connect(context.Background(), "host=127.0.0.1 port=5432 user=root dbname="+db)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())

	// The table changes the statement's result type: the lookup that
	// meets it fails as a prepared statement does, the next prepares it
	// again.
	if _, err := admin.Exec(context.Background(), "ALTER TABLE w ALTER COLUMN name TYPE varchar(20)"); err != nil {
		t.Fatal(err)
	}
	lookup(context.Background(), "8") //nolint:errcheck // may meet the changed type
	if got, err := lookup(context.Background(), "8"); err != nil || fmt.Sprint(got) != "[[8 w8 2.00]]" {
		t.Errorf("lookup after ALTER TABLE = %v, %v", got, err)
	}

	// The server ends the pipe's connection: the lookup that meets it
	// fails as a lost connection, which the guard retries, and the next
	// opens a new pipe.
	if _, err := admin.Exec(context.Background(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", db); err != nil {
		t.Fatal(err)
	}
	if _, err := lookup(context.Background(), "9"); err != nil && pgerr.Code(err) != pgerr.ConnectionFailure && pgerr.Code(err) != pgerr.AdminShutdown {
		t.Errorf("lookup on a terminated connection: %v, want a connection failure", err)
	}
	if got, err := lookup(context.Background(), "9"); err != nil || fmt.Sprint(got) != "[[9 w9 2.25]]" {
		t.Errorf("lookup after the connection ended = %v, %v", got, err)
	}

	// A lookup whose context ends stops waiting; the pipe goes on.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := lookup(ctx, "10"); err == nil {
		t.Error("a cancelled lookup answered")
	}
	if got, err := lookup(context.Background(), "10"); err != nil || fmt.Sprint(got) != "[[10 w10 2.50]]" {
		t.Errorf("lookup after a cancelled one = %v, %v", got, err)
	}

	// A lookup the server holds back (its table locked) holds back those
	// sent after it, so that once it has waited long, lookups go through
	// the pool instead, and it is answered when the lock goes.
	locker, err := admin.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := locker.Exec(context.Background(), "LOCK TABLE w IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	held := make(chan string, 1)
	go func() {
		got, err := lookup(context.Background(), "11")
		held <- fmt.Sprint(got, err)
	}()
	time.Sleep(2 * pipeStall)
	other := "SELECT id FROM v WHERE id = " + param
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	rows, err := c.QueryLookup(ctx, other, []string{"1"}, cols[:1])
	if err == nil {
		var got [][]string
		got, err = remotetest.ReadText(rows)
		if err == nil && fmt.Sprint(got) != "[[1]]" {
			t.Errorf("lookup beside a stalled one = %v", got)
		}
	}
	cancel()
	if err != nil {
		t.Errorf("lookup beside a stalled one: %v", err)
	}
	if err := locker.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := <-held; got != "[[11 w11 2.75]] <nil>" {
		t.Errorf("lookup held back by a lock = %s", got)
	}

	// One connection stays the pool's.
	one := openSource(t, db, map[string]string{"max_connections": "1"})
	rows, err = one.QueryLookup(context.Background(), sql, []string{"3"}, cols)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := remotetest.ReadText(rows); err != nil || fmt.Sprint(got) != "[[3 w3 0.75]]" {
		t.Errorf("lookup on a pool of one = %v, %v", got, err)
	}
	if one.pipe != nil {
		t.Error("a pool of one connection gave it to a lookup pipe")
	}
	var _ connectors.LookupQuerier = c
}
