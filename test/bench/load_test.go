package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// Source names in Junction.
const (
	postgresSource = "tpch_pg"
	mariadbSource  = "tpch_my"
)

// databases holds the generated data three ways: split across a
// PostgreSQL and a MariaDB database registered in a Junction server, all
// in one PostgreSQL database (the reference every answer is checked
// against), and, when the extensions are installed, a PostgreSQL database
// reaching the split through postgres_fdw and mysql_fdw (the peer). The
// lake, a second Junction server with the split registered too, holds
// lineitem and orders as Parquet files; it is a process of its own so
// that each Junction target's peak memory is its own (DuckDB's buffers
// are the lake's).
type databases struct {
	sf       float64
	junction *testenv.Server
	lake     *testenv.Server
	// Database names.
	postgres, mariadb, reference, peer string
}

// extras are the targets beyond the split and the single database that
// a run loads data for.
type extras struct {
	// peer: the FDW peer, when PostgreSQL has the extensions.
	peer bool
	// lake: lineitem and orders as Parquet files in the files source
	// tpch_lake of a second Junction server (see createLake).
	lake bool
}

// loadDatabases generates the data at scale factor sf and loads it into
// the split and the reference database, in parallel, then creates the
// peer if asked, registers the split in a new Junction server and, if
// asked, the split and the lake in another.
func loadDatabases(tb testing.TB, sf float64, with extras) *databases {
	tb.Helper()
	testenv.RequirePostgres(tb)
	testenv.RequireMariaDB(tb)
	ctx := context.Background()
	start := time.Now()
	d := &databases{sf: sf}
	var pgConn, refConn *pgx.Conn
	var myDB *sql.DB
	d.postgres, pgConn = testenv.NewPostgresDB(tb, "tpch_pg")
	d.mariadb, myDB = testenv.NewMariaDB(tb, "tpch_my")
	d.reference, refConn = testenv.NewReferenceDB(tb, "tpch_ref")

	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i, load := range []func() error{
		func() error { return loadPostgres(ctx, pgConn, sf, inPostgres) },
		func() error { return loadMariaDB(ctx, myDB, sf) },
		func() error { return loadPostgres(ctx, refConn, sf, -1) },
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = load()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("scale factor %g: generated and loaded in %s", sf, time.Since(start).Round(time.Millisecond))

	if with.peer {
		d.peer = createPeer(tb, d)
	}
	d.junction = d.startJunction(tb)
	if with.lake {
		start := time.Now()
		d.lake = d.startJunction(tb)
		createLake(tb, d)
		tb.Logf("lake written and registered in %s", time.Since(start).Round(time.Millisecond))
	}
	return d
}

// startJunction starts a Junction server with the split registered.
func (d *databases) startJunction(tb testing.TB) *testenv.Server {
	tb.Helper()
	srv := testenv.StartServer(tb)
	junction := srv.Connect(tb)
	for _, stmt := range []string{
		fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, postgresSource, d.postgres),
		fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '3306', dbname '%s', user 'root', password '')`, mariadbSource, d.mariadb),
	} {
		if _, err := junction.Exec(context.Background(), stmt); err != nil {
			tb.Fatalf("%s: %s", stmt, testenv.DescribeError(err))
		}
	}
	return srv
}

// loadPostgres creates and fills the tables of one side of the split
// (or all of them, for any other place), then adds keys and indexes and
// analyzes: building indexes after COPY is much faster.
func loadPostgres(ctx context.Context, conn *pgx.Conn, sf float64, only place) error {
	for _, t := range tables {
		if only >= 0 && t.split != only {
			continue
		}
		if _, err := conn.Exec(ctx, "CREATE TABLE "+t.name+" "+t.columnDefs()); err != nil {
			return fmt.Errorf("create %s: %w", t.name, err)
		}
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(writeTable(t, sf, pw)) }()
		_, err := conn.PgConn().CopyFrom(ctx, pr, "COPY "+t.name+" ("+t.columnNames()+") FROM STDIN")
		pr.Close() // lets the writer end if COPY failed
		if err != nil {
			return fmt.Errorf("copy %s into PostgreSQL: %w", t.name, err)
		}
		stmts := []string{fmt.Sprintf("ALTER TABLE %s ADD PRIMARY KEY (%s)", t.name, strings.Join(t.primaryKey, ", "))}
		for _, c := range t.indexes {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX ON %s (%s)", t.name, c))
		}
		for _, s := range append(stmts, "ANALYZE "+t.name) {
			if _, err := conn.Exec(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
	}
	return nil
}

// loadMariaDB fills the MariaDB side of the split with LOAD DATA LOCAL
// INFILE from the generator. The primary key is declared up front: InnoDB
// stores rows in its order, and they arrive in it.
func loadMariaDB(ctx context.Context, db *sql.DB, sf float64) error {
	for _, t := range tables {
		if t.split != inMariaDB {
			continue
		}
		create := fmt.Sprintf("CREATE TABLE %s %s, PRIMARY KEY (%s))", t.name,
			strings.TrimSuffix(t.columnDefs(), ")"), strings.Join(t.primaryKey, ", "))
		if _, err := db.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("create %s in MariaDB: %w", t.name, err)
		}
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(writeTable(t, sf, pw)) }()
		reader := fmt.Sprintf("tpch_%p_%s", db, t.name)
		mysql.RegisterReaderHandler(reader, func() io.Reader { return pr })
		_, err := db.ExecContext(ctx, fmt.Sprintf("LOAD DATA LOCAL INFILE 'Reader::%s' INTO TABLE %s (%s)", reader, t.name, t.columnNames()))
		mysql.DeregisterReaderHandler(reader)
		pr.Close()
		if err != nil {
			return fmt.Errorf("load %s into MariaDB: %w", t.name, err)
		}
		var stmts []string
		for _, c := range t.indexes {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s_idx ON %s (%s)", c, t.name, c))
		}
		for _, s := range append(stmts, "ANALYZE TABLE "+t.name) {
			if _, err := db.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
	}
	return nil
}

// Names of the peer's foreign servers.
const (
	peerPostgresServer = "split_pg"
	peerMariaDBServer  = "split_my"
)

// createPeer creates the FDW peer: a PostgreSQL database with a foreign
// table for each of the split's tables, through postgres_fdw and
// mysql_fdw, both with remote estimates and analyzed, as one would
// configure them for joins. It
// returns the database name, or "" with a logged reason when an extension
// is not installed.
func createPeer(tb testing.TB, d *databases) string {
	tb.Helper()
	ctx := context.Background()
	admin := testenv.RequirePostgres(tb)
	var available int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_available_extensions WHERE name IN ('postgres_fdw', 'mysql_fdw')`).Scan(&available); err != nil {
		tb.Fatal(err)
	}
	if available < 2 {
		tb.Logf("FDW peer skipped: PostgreSQL lacks postgres_fdw or mysql_fdw (Debian: apt-get install postgresql-15-mysql-fdw)")
		return ""
	}
	// C collation, as in the reference, so that the peer's own sorts agree.
	name, conn := testenv.NewReferenceDB(tb, "tpch_fdw")
	stmts := []string{
		"CREATE EXTENSION postgres_fdw",
		"CREATE EXTENSION mysql_fdw",
		fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '5432', dbname '%s', use_remote_estimate 'true')`, peerPostgresServer, d.postgres),
		fmt.Sprintf(`CREATE USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (user 'root')`, peerPostgresServer),
		fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER mysql_fdw OPTIONS (host '127.0.0.1', port '3306')`, peerMariaDBServer),
		fmt.Sprintf(`CREATE USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (username 'root', password '')`, peerMariaDBServer),
	}
	for _, t := range tables {
		server, options := peerPostgresServer, fmt.Sprintf("table_name '%s'", t.name)
		if t.split == inMariaDB {
			server, options = peerMariaDBServer, fmt.Sprintf("dbname '%s', table_name '%s'", d.mariadb, t.name)
		}
		stmts = append(stmts, fmt.Sprintf("CREATE FOREIGN TABLE %s %s SERVER %s OPTIONS (%s)", t.name, t.columnDefs(), server, options))
	}
	// A plain ANALYZE passes over foreign tables; each is named.
	for _, t := range tables {
		stmts = append(stmts, "ANALYZE "+t.name)
	}
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			tb.Fatalf("FDW peer: %s: %v", s, err)
		}
	}
	return name
}
