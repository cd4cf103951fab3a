package bench

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func generated(t *testing.T, name string, sf float64) [][]string {
	t.Helper()
	for _, tab := range tables {
		if tab.name != name {
			continue
		}
		var buf bytes.Buffer
		if err := writeTable(tab, sf, &buf); err != nil {
			t.Fatal(err)
		}
		var rows [][]string
		for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
			row := strings.Split(line, "\t")
			if len(row) != len(tab.columns) {
				t.Fatalf("%s row %q has %d values for %d columns", name, line, len(row), len(tab.columns))
			}
			rows = append(rows, row)
		}
		return rows
	}
	t.Fatalf("no table %s", name)
	return nil
}

func TestGeneratorCardinalities(t *testing.T) {
	want := map[string]int{"region": 5, "nation": 25, "supplier": 100, "customer": 1_500, "part": 2_000,
		"partsupp": 8_000, "orders": 15_000}
	for name, n := range want {
		if got := len(generated(t, name, 0.01)); got != n {
			t.Errorf("%s: %d rows at scale factor 0.01, want %d", name, got, n)
		}
	}
	// One to seven lines per order, four on average.
	if n := len(generated(t, "lineitem", 0.01)); n < 15_000*7/2 || n > 15_000*9/2 {
		t.Errorf("lineitem: %d rows at scale factor 0.01, want about 60,000", n)
	}
}

func TestGeneratorIsDeterministic(t *testing.T) {
	for _, tab := range tables {
		var a, b bytes.Buffer
		if err := writeTable(tab, 0.01, &a); err != nil {
			t.Fatal(err)
		}
		if err := writeTable(tab, 0.01, &b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s differs between two runs", tab.name)
		}
	}
}

// The keys the schema declares hold, and every line's part and supplier
// are a partsupp row, as TPC-H's foreign keys require.
func TestGeneratorKeys(t *testing.T) {
	for _, sf := range []float64{0.01, 0.1} {
		partsupp := map[string]bool{}
		for _, r := range generated(t, "partsupp", sf) {
			key := r[0] + "/" + r[1]
			if partsupp[key] {
				t.Fatalf("scale factor %g: partsupp key %s twice", sf, key)
			}
			partsupp[key] = true
		}
		if sf > 0.01 {
			continue
		}
		orders := map[string]string{}
		for _, r := range generated(t, "orders", sf) {
			orders[r[0]] = r[2]
		}
		for _, r := range generated(t, "lineitem", sf) {
			if !partsupp[r[1]+"/"+r[2]] {
				t.Fatalf("lineitem %s/%s: part %s and supplier %s are not in partsupp", r[0], r[3], r[1], r[2])
			}
			if _, ok := orders[r[0]]; !ok {
				t.Fatalf("lineitem of order %s, which does not exist", r[0])
			}
		}
	}
}

// The values TPC-H's substitution parameters name occur, so the queries
// select something.
func TestGeneratorValues(t *testing.T) {
	contains := func(table string, col int, substr string) bool {
		for _, r := range generated(t, table, 0.01) {
			if strings.Contains(r[col], substr) {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		table  string
		col    int
		substr string
	}{
		{"part", 1, "green"}, {"part", 1, "forest"}, {"part", 4, "BRASS"}, {"part", 4, "ECONOMY ANODIZED STEEL"},
		{"part", 3, "Brand#23"}, {"part", 6, "MED BOX"}, {"lineitem", 14, "AIR"}, {"lineitem", 13, "DELIVER IN PERSON"},
		{"orders", 8, "special"}, {"customer", 4, "13-"},
	} {
		if !contains(c.table, c.col, c.substr) {
			t.Errorf("no %s row has %q in column %d", c.table, c.substr, c.col+1)
		}
	}
}

func BenchmarkGenerateLineitem(b *testing.B) {
	for range b.N {
		if err := writeTable(tables[len(tables)-1], 0.1, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
