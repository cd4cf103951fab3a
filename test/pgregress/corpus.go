package pgregress

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/junction-db/junction/test/testenv"
)

// The corpus's files.
const (
	queriesFile = "queries.jsonl"
	setupFile   = "setup.sql"
	dataDir     = "data"
)

// Query is one line of queries.jsonl.
type Query struct {
	// ID is script:line in PostgreSQL's regression scripts.
	ID     string `json:"id"`
	Script string `json:"file"`
	SQL    string `json:"sql"`
	// Compare is "ordered" when the query's ORDER BY fixes the row order
	// and "multiset" otherwise.
	Compare string `json:"compare"`
}

// Ordered reports whether rows compare in order.
func (q *Query) Ordered() bool { return q.Compare == "ordered" }

// Corpus is the directory of the corpus and its queries.
type Corpus struct {
	Dir     string
	Queries []Query
}

// FindCorpus returns the directory shared/pgregress beside the module.
func FindCorpus() (string, error) {
	return testenv.FindShared("pgregress", queriesFile)
}

// LoadCorpus reads the queries of the corpus in dir.
func LoadCorpus(dir string) (*Corpus, error) {
	f, err := os.Open(filepath.Join(dir, queriesFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c := &Corpus{Dir: dir}
	scanner := bufio.NewScanner(f)
	scanner.Buffer(nil, 1<<20)
	for n := 1; scanner.Scan(); n++ {
		var q Query
		if err := json.Unmarshal(scanner.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", queriesFile, n, err)
		}
		if q.Compare != "ordered" && q.Compare != "multiset" {
			return nil, fmt.Errorf("%s line %d: compare is %q, want ordered or multiset", queriesFile, n, q.Compare)
		}
		c.Queries = append(c.Queries, q)
	}
	return c, scanner.Err()
}
