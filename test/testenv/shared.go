package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// FindShared returns the directory shared/name beside the module: in the
// module root or the nearest of its parents that has one holding marker,
// the file that tells the real corpus from an empty directory.
func FindShared(name, marker string) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	for dir := root; ; {
		candidate := filepath.Join(dir, "shared", name)
		if _, err := os.Stat(filepath.Join(candidate, marker)); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no shared/%s (with %s) in %s or its parents", name, marker, root)
		}
		dir = parent
	}
}

// PostgresServerDDL is the CREATE SERVER statement that registers database
// dbname of the test PostgreSQL server with Junction as source name.
func PostgresServerDDL(name, dbname string) string {
	return fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, name, dbname)
}

var (
	quotedText = regexp.MustCompile(`'[^']*'`)
	number     = regexp.MustCompile(`\d+(\.\d+)?`)
)

// ErrorGroup masks what differs between two instances of the same failure
// described by DescribeError: the database's name, quoted literals and
// numbers (but not the SQLSTATE), so that failures with one cause group
// together.
func ErrorGroup(msg, database string) string {
	if database != "" {
		msg = strings.ReplaceAll(msg, database, "<database>")
	}
	prefix := ""
	if code, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(code, "ERROR ") {
		prefix, msg = code+": ", rest
	}
	return prefix + number.ReplaceAllString(quotedText.ReplaceAllString(msg, "'...'"), "N")
}
