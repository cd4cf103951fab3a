package sqllogictest

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const sampleScript = `hash-threshold 8

statement ok
CREATE TABLE t1(a INTEGER, b TEXT)

# a comment between records
statement error
INSERT INTO nowhere VALUES(1)

skipif postgresql # PostgreSQL requires AS
query I rowsort
SELECT a a FROM t1
----
1

onlyif mysql
skipif mssql
query IT nosort label-7
SELECT a,
       b
  FROM t1
----
1
(empty)
NULL
x y

query I valuesort
SELECT a FROM t1
----
30 values hashing to 3c13dee48d9356ae19af2515e05e6b54

query T
SELECT b FROM t1 WHERE a < 0
----

halt

query I nosort
SELECT 1
----
1
`

func TestParseReadsEveryRecordKind(t *testing.T) {
	records, err := Parse(strings.NewReader(sampleScript), "sample.test")
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 9 {
		t.Fatalf("got %d records, want 9: %+v", len(records), records)
	}
	if r := records[0]; r.Kind != HashThreshold || r.Threshold != 8 {
		t.Errorf("record 1 = %+v, want hash-threshold 8", r)
	}
	if r := records[1]; r.Kind != Statement || r.ExpectError || r.SQL != "CREATE TABLE t1(a INTEGER, b TEXT)" || r.Line != 3 {
		t.Errorf("record 2 = %+v, want statement ok on line 3", r)
	}
	if r := records[2]; r.Kind != Statement || !r.ExpectError {
		t.Errorf("record 3 = %+v, want statement error", r)
	}
	guarded := records[3]
	if guarded.AppliesTo(Engine) || !guarded.AppliesTo("sqlite") {
		t.Errorf("skipif postgresql record applies to PostgreSQL or not to sqlite: %+v", guarded.Conditions)
	}
	if guarded.Line != 11 {
		t.Errorf("guarded query is on line %d, want 11 (its query line, not its guard's)", guarded.Line)
	}
	multi := records[4]
	if multi.AppliesTo(Engine) || !multi.AppliesTo("mysql") || multi.AppliesTo("mssql") {
		t.Errorf("onlyif mysql + skipif mssql guards wrong: %+v", multi.Conditions)
	}
	if multi.Types != "IT" || multi.Sort != NoSort || multi.Label != "label-7" {
		t.Errorf("query header read as types %q sort %q label %q", multi.Types, multi.Sort, multi.Label)
	}
	if want := "SELECT a,\n       b\n  FROM t1"; multi.SQL != want {
		t.Errorf("multi-line SQL = %q, want %q", multi.SQL, want)
	}
	if want := []string{"1", "(empty)", "NULL", "x y"}; !slices.Equal(multi.Expected.Values, want) {
		t.Errorf("expected values = %q, want %q", multi.Expected.Values, want)
	}
	hashed := records[5].Expected
	if !hashed.Hashed || hashed.Count != 30 || hashed.MD5 != "3c13dee48d9356ae19af2515e05e6b54" || records[5].Sort != ValueSort {
		t.Errorf("hashed result read as %+v", hashed)
	}
	if r := records[6]; r.Sort != NoSort || len(r.Expected.Values) != 0 || r.Expected.Hashed {
		t.Errorf("query without sort mode and without values read as %+v", r)
	}
	if records[7].Kind != Halt || records[8].Kind != Query {
		t.Errorf("halt and the record after it read as %v, %v", records[7].Kind, records[8].Kind)
	}
}

func TestParseRejectsMalformedRecords(t *testing.T) {
	cases := []struct{ name, script, mentions string }{
		{"unknown record", "frobnicate\nSELECT 1\n", "unknown record"},
		{"bad sort mode", "query I shuffled\nSELECT 1\n----\n1\n", "sort mode"},
		{"bad type letter", "query IX nosort\nSELECT 1\n----\n1\n", "I, R and T"},
		{"statement without outcome", "statement\nSELECT 1\n", "statement ok"},
		{"record without SQL", "statement ok\n\nquery I\nSELECT 1\n", "no SQL"},
		{"guard without record", "query I\nSELECT 1\n----\n1\n\nskipif postgresql\n", "guards no record"},
		{"bad hash-threshold", "hash-threshold many\n", "not a count"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(c.script), "bad.test")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a ParseError", err)
			}
			if !strings.Contains(err.Error(), c.mentions) || !strings.HasPrefix(err.Error(), "bad.test:") {
				t.Errorf("error %q does not locate the record or mention %q", err, c.mentions)
			}
		})
	}
}

func TestExclusionsSkipNamedRecords(t *testing.T) {
	excl, err := ParseExclusions(strings.NewReader("# header\nsample.test:11\terror: x\nsample.test:28\twrong result\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(excl) != 2 || excl[Location{"sample.test", 28}] != "wrong result" {
		t.Fatalf("exclusions = %v", excl)
	}
	records, err := Parse(strings.NewReader(sampleScript), "sample.test")
	if err != nil {
		t.Fatal(err)
	}
	corpus := &Corpus{Exclusions: excl}
	var runnable []int
	for i := range records {
		if records[i].Kind == Query && corpus.Runnable("sample.test", &records[i]) {
			runnable = append(runnable, records[i].Line)
		}
	}
	// Line 11 is guarded anyway, 18 is for MySQL only and 28 is
	// excluded; 39 is after halt, which only a run honours.
	if want := []int{33, 39}; !slices.Equal(runnable, want) {
		t.Errorf("runnable query lines = %v, want %v", runnable, want)
	}
	if _, err := ParseExclusions(strings.NewReader("sample.test\tno line\n")); err == nil {
		t.Error("an exclusion without a line number was accepted")
	}
}
