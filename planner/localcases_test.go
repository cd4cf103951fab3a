package planner_test

import (
	"strings"
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
)

// rowCase is a query that reads no source and the rows it must return
// (see runLocal).
type rowCase struct {
	sql  string
	want []string
}

func checkRows(t *testing.T, env *planner.Env, cases []rowCase) {
	t.Helper()
	for _, c := range cases {
		got, err := runLocal(t, env, c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", c.sql, got, c.want)
		}
	}
}

// errorCase is a query that must fail with this SQLSTATE and message.
type errorCase struct{ sql, code, message string }

func checkErrors(t *testing.T, env *planner.Env, cases []errorCase) {
	t.Helper()
	for _, c := range cases {
		_, err := runLocal(t, env, c.sql)
		if pgerr.Code(err) != c.code || err.Error() != c.message {
			t.Errorf("%s: got %v (%s), want %s %s", c.sql, err, pgerr.Code(err), c.code, c.message)
		}
	}
}
