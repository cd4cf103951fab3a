package sqllogictest

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// The kinds of source a script's tables can live in.
const (
	PostgreSQL = "postgresql"
	MariaDB    = "mariadb"
)

// Kinds lists the source kinds every script runs with.
var Kinds = []string{PostgreSQL, MariaDB}

// SourceName is the name the source is registered under in Junction, the
// same for both kinds so that their error messages group together.
const SourceName = "slt"

// Source is a fresh database holding one run's tables.
type Source struct {
	Kind     string
	Database string
	// Exec runs a statement directly on the database.
	Exec testenv.Exec
	// ServerDDL registers the database with Junction.
	ServerDDL string
	// RemoteSchema is the database's schema that holds the tables.
	RemoteSchema string
	// Translate adapts a script's schema statement to the database's
	// dialect.
	Translate func(sql string) string
	// Sync, set for files sources, writes the database's tables to the
	// source's files after they changed, and returns the statements
	// Junction must run before it discovers them again.
	Sync func(ctx context.Context) ([]string, error)
}

// NewSource creates an empty database of the given kind that is dropped
// when the test ends. dataDir is the data directory of the Junction
// server that reads it, where a files source keeps its files.
func NewSource(tb testing.TB, kind, dataDir string) (*Source, error) {
	tb.Helper()
	switch kind {
	case PostgreSQL:
		name, conn := testenv.NewPostgresDB(tb, "slt")
		return &Source{
			Kind:         kind,
			Database:     name,
			Exec:         testenv.PostgresExec(conn),
			ServerDDL:    testenv.PostgresServerDDL(SourceName, name),
			RemoteSchema: "public",
			// The scripts' statements are PostgreSQL's already: the
			// corpus keeps only what PostgreSQL runs.
			Translate: func(sql string) string { return sql },
		}, nil
	case MariaDB:
		name, db := testenv.NewMariaDB(tb, "slt")
		return &Source{
			Kind:         kind,
			Database:     name,
			Exec:         testenv.MariaDBExec(db),
			ServerDDL:    fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '3306', dbname '%s', user 'root', password '')`, SourceName, name),
			RemoteSchema: name,
			Translate:    toMariaDB,
		}, nil
	case Parquet, CSV:
		return newFilesSource(tb, kind, dataDir)
	}
	return nil, fmt.Errorf("unknown source kind %q; want one of %v or %v", kind, Kinds, FileKinds)
}

var floatType = regexp.MustCompile(`(?i)\bFLOAT\b`)

// toMariaDB is the whole dialect translation the corpus needs. FLOAT is
// an 8-byte double in PostgreSQL and SQLite but a 4-byte single in
// MariaDB, whose rounding would change the data (560.97 would be stored
// as 560.969970703125) and so every comparison with it. Everything else
// the scripts' CREATE TABLE, CREATE INDEX, INSERT, DELETE and DROP TABLE
// statements use means the same in MariaDB; in particular no script
// indexes a TEXT column, which MariaDB would require a key length for.
func toMariaDB(sql string) string {
	return floatType.ReplaceAllString(sql, "DOUBLE")
}
