package testenv

import (
	"strings"
	"testing"
)

func TestErrorGroupGroupsInstancesOfOneFailure(t *testing.T) {
	a := ErrorGroup(`ERROR 42883: operator does not exist: + text near 'abc' in "tab3"`, "slt_1a2b")
	b := ErrorGroup(`ERROR 42883: operator does not exist: + text near 'xyz' in "tab10"`, "slt_1a2b")
	if a != b {
		t.Errorf("two instances ErrorGroup differently:\n%s\n%s", a, b)
	}
	if !strings.HasPrefix(a, "ERROR 42883: ") {
		t.Errorf("ErrorGroup masked the SQLSTATE: %s", a)
	}
	if got := ErrorGroup("Error 1146: table slt_1a2b.tab0 doesn't exist", "slt_1a2b"); strings.Contains(got, "slt_1a2b") {
		t.Errorf("ErrorGroup kept the database name: %s", got)
	}
}
