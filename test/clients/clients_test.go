package clients

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// TestClients runs every client's checks against one server.
func TestClients(t *testing.T) {
	s := newServer(t)
	t.Run("pgjdbc", func(t *testing.T) { testPgjdbc(t, s) })
	t.Run("psycopg2", func(t *testing.T) { testPython(t, s, "psycopg2", "psycopg2_checks.py", nil) })
	t.Run("psycopg3", func(t *testing.T) { testPython(t, s, "psycopg", "psycopg3_checks.py", nil) })
	t.Run("sqlalchemy", func(t *testing.T) { testPython(t, s, "sqlalchemy", "sqlalchemy_checks.py", nil) })
	t.Run("node-postgres", func(t *testing.T) { testNode(t, s) })
}

// jdbcPending are pgjdbc checks that need what Junction does not have yet.
var jdbcPending = map[string]pending{}

// pgjdbcJars are where Debian's libpostgresql-jdbc-java puts the driver;
// PGJDBC_JAR names another.
var pgjdbcJars = []string{"/usr/share/java/postgresql.jar"}

func testPgjdbc(t *testing.T, s *server) {
	java, err := exec.LookPath("java")
	if err != nil {
		testenv.Unavailable(t, "java is not on PATH (install default-jdk-headless)")
	}
	jars := pgjdbcJars
	if j := os.Getenv("PGJDBC_JAR"); j != "" {
		jars = []string{j}
	}
	jar := ""
	for _, j := range jars {
		if _, err := os.Stat(j); err == nil {
			jar = j
			break
		}
	}
	if jar == "" {
		testenv.Unavailable(t, "pgjdbc not found at %v (install libpostgresql-jdbc-java or set PGJDBC_JAR)", jars)
	}
	// The source launcher compiles the one file in memory.
	runClient(t, s, jdbcPending, filepath.Join("testdata", "jdbc"), java, "-cp", jar, "ClientChecks.java")
}

// python finds an interpreter that imports module: the system one first,
// where Debian's python3-* packages install.
func python(t *testing.T, module string) string {
	t.Helper()
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		if exec.Command(p, "-c", "import "+module).Run() == nil {
			return p
		}
	}
	testenv.Unavailable(t, "no python3 imports %s (install the Debian package python3-%s)", module, module)
	return ""
}

func testPython(t *testing.T, s *server, module, script string, pendings map[string]pending) {
	runClient(t, s, pendings, "testdata", python(t, module), script)
}

func testNode(t *testing.T, s *server) {
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Unavailable(t, "node is not on PATH (install nodejs)")
	}
	dir := filepath.Join("testdata", "node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "pg")); err != nil {
		testenv.Unavailable(t, "node-postgres is not installed (run npm install in test/clients/testdata/node)")
	}
	runClient(t, s, nil, dir, node, "checks.js")
}
