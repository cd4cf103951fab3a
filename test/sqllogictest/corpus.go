package sqllogictest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/junction-db/junction/test/testenv"
)

// ExclusionsFile lists, in the corpus directory, the records PostgreSQL
// itself does not pass because the expected values are SQLite's.
const ExclusionsFile = "postgresql-exclusions.txt"

// Location names a record: a script's path relative to the corpus, with
// forward slashes, and the line of its statement or query keyword.
type Location struct {
	Script string
	Line   int
}

func (l Location) String() string { return fmt.Sprintf("%s:%d", l.Script, l.Line) }

// Exclusions maps each excluded record to PostgreSQL's reason.
type Exclusions map[Location]string

// ParseExclusions reads lines of "script:line<TAB>reason"; lines starting
// with # are comments.
func ParseExclusions(r io.Reader) (Exclusions, error) {
	out := Exclusions{}
	scanner := bufio.NewScanner(r)
	n := 0
	for scanner.Scan() {
		n++
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		where, reason, _ := strings.Cut(line, "\t")
		script, lineText, ok := strings.Cut(where, ":")
		recordLine, err := strconv.Atoi(lineText)
		if !ok || err != nil || recordLine <= 0 {
			return nil, fmt.Errorf("exclusions line %d: want \"script:line<TAB>reason\", got %q", n, line)
		}
		out[Location{Script: script, Line: recordLine}] = strings.TrimSpace(reason)
	}
	return out, scanner.Err()
}

// FindCorpus returns the directory shared/sqllogictest beside the module.
func FindCorpus() (string, error) {
	return testenv.FindShared("sqllogictest", ExclusionsFile)
}

// Scripts lists the corpus's .test files relative to dir, with forward
// slashes, in name order.
func Scripts(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".test") {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no .test scripts in " + dir)
	}
	sort.Strings(out)
	return out, nil
}

// Corpus is the scripts and the exclusion list of one corpus directory.
type Corpus struct {
	Dir        string
	Scripts    []string
	Exclusions Exclusions
}

// LoadCorpus lists the scripts of dir and reads its exclusion list.
func LoadCorpus(dir string) (*Corpus, error) {
	scripts, err := Scripts(dir)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, ExclusionsFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	excl, err := ParseExclusions(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ExclusionsFile, err)
	}
	return &Corpus{Dir: dir, Scripts: scripts, Exclusions: excl}, nil
}

// Load parses one script of the corpus.
func (c *Corpus) Load(script string) ([]Record, error) {
	f, err := os.Open(filepath.Join(c.Dir, filepath.FromSlash(script)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, script)
}

// Runnable reports whether a record of script is one PostgreSQL runs:
// its guards admit PostgreSQL and the exclusion list does not name it.
func (c *Corpus) Runnable(script string, r *Record) bool {
	if !r.AppliesTo(Engine) {
		return false
	}
	_, excluded := c.Exclusions[Location{Script: script, Line: r.Line}]
	return !excluded
}
