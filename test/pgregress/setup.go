package pgregress

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

// setupTimeout bounds loading setup.sql, a few seconds on an idle machine.
const setupTimeout = 5 * time.Minute

// LoadSetup creates a database on the test PostgreSQL server, dropped
// when the test ends, and runs the corpus's setup.sql in it with psql, as
// the corpus's README prescribes (it holds psql's \copy). It returns the
// database's name. The database has the C collation, under which
// PostgreSQL orders text by code point as Junction does.
func LoadSetup(tb testing.TB, c *Corpus) string {
	tb.Helper()
	psql, err := exec.LookPath("psql")
	if err != nil {
		testenv.Unavailable(tb, "psql, which loads the regression tables, is not installed: %v", err)
	}
	script, err := os.ReadFile(filepath.Join(c.Dir, setupFile))
	if err != nil {
		tb.Fatal(err)
	}
	data, err := filepath.Abs(filepath.Join(c.Dir, dataDir))
	if err != nil {
		tb.Fatal(err)
	}
	name, _ := testenv.NewReferenceDB(tb, "pgregress")
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, psql, testenv.PostgresURL(name), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-")
	cmd.Stdin = strings.NewReader(strings.ReplaceAll(string(script), "@DATADIR@", data))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		tb.Fatal(fmt.Errorf("load %s: %v\n%s", setupFile, err, out.String()))
	}
	return name
}
