package engine

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
)

func TestCredentialsNeverFollowANewDestination(t *testing.T) {
	stored := map[string]string{"host": "db", "port": "5432", "password": "sealed"}
	for _, c := range []struct {
		name    string
		next    map[string]string
		given   []string
		refused bool
	}{
		{"new port", map[string]string{"host": "db", "port": "6543", "password": "sealed"}, []string{"port"}, true},
		{"new host", map[string]string{"host": "evil", "port": "5432", "password": "sealed"}, []string{"host"}, true},
		{"new port and password", map[string]string{"host": "db", "port": "6543", "password": "new"}, []string{"port", "password"}, false},
		{"new port and password_env", map[string]string{"host": "db", "port": "6543", "password_env": "PW"}, []string{"port", "password_env"}, false},
		{"new port without any password", map[string]string{"host": "db", "port": "6543"}, []string{"port"}, false},
		{"new dbname", map[string]string{"host": "db", "port": "5432", "dbname": "x", "password": "sealed"}, []string{"dbname"}, false},
	} {
		err := checkCredentialDestination("s", stored, c.next, c.given)
		if refused := err != nil; refused != c.refused {
			t.Errorf("%s: err = %v, want refused %v", c.name, err, c.refused)
		} else if refused && pgerr.Code(err) != pgerr.InsufficientPrivilege {
			t.Errorf("%s: SQLSTATE %s, want 42501", c.name, pgerr.Code(err))
		}
	}
}

func TestWithin(t *testing.T) {
	for path, want := range map[string]bool{"/data/a.db": true, "/data/sub/a.db": true, "/data": true, "/database.db": false, "/etc/passwd": false, "/data/../etc": false} {
		if got := within("/data", path); got != want {
			t.Errorf("within(/data, %s) = %v, want %v", path, got, want)
		}
	}
}
