package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// rowSecurityServer starts the binary with an admin superuser and the
// ordinary users alice, bob and carol, and returns it with a connection
// per user.
func rowSecurityServer(t *testing.T) (*testenv.Server, map[string]*pgx.Conn) {
	srv := configServer(t, `users:
  - name: admin
    password: adm1n-pw
    superuser: true
  - name: alice
    password: s3cret
  - name: bob
    password: b0b-pw
  - name: carol
    password: car0l-pw
`)
	return srv, connectRowSecurityUsers(t, srv)
}

func connectRowSecurityUsers(t *testing.T, srv *testenv.Server) map[string]*pgx.Conn {
	conns := map[string]*pgx.Conn{}
	for user, pw := range map[string]string{"admin": "adm1n-pw", "alice": "s3cret", "bob": "b0b-pw", "carol": "car0l-pw"} {
		conns[user] = testenv.ConnectURL(t, userURL(srv, user, pw, "sslmode=disable"))
	}
	return conns
}

const accountsRows = `INSERT INTO accounts VALUES
	(1, 'alice', '123', 10), (2, 'alice', '456', 20), (3, 'bob', '789', 30), (4, 'carol', '123', 5)`

// explainText is a query's EXPLAIN output as one text.
func explainText(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	return strings.Join(column(query(t, conn, "EXPLAIN "+sql), 0), "\n")
}

// TestRowSecurityAndMasks runs row policies and column masks over a
// PostgreSQL source through the real binary: alice sees her rows with the
// policy's predicate in the remote SQL, bob without a policy sees none,
// the admin sees all; a masked role sees masked values and cannot find a
// row by the raw value; dropping restores, and a restart keeps them.
func TestRowSecurityAndMasks(t *testing.T) {
	testenv.RequirePostgres(t)
	pgDB, pg := testenv.NewPostgresDB(t, "rls")
	ctx := context.Background()
	if _, err := pg.Exec(ctx, `CREATE TABLE accounts (id int PRIMARY KEY, owner text, ssn text, balance int); `+accountsRows); err != nil {
		t.Fatal(err)
	}
	srv, c := rowSecurityServer(t)
	admin, alice, carol := c["admin"], c["alice"], c["carol"]
	mustExec(t, admin, fmt.Sprintf(`CREATE SERVER bank FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, pgDB))
	grantReadToPublic(t, admin, "bank")

	// Only superusers change row security, policies and labels.
	expectError(t, alice, "ALTER TABLE bank.accounts ENABLE ROW LEVEL SECURITY", "42501")
	expectError(t, alice, "CREATE POLICY own ON bank.accounts USING (owner = current_user)", "42501")
	expectError(t, alice, "SECURITY LABEL FOR junction ON ROLE alice IS 'MASKED'", "42501")

	mustExec(t, admin, "ALTER TABLE bank.accounts ENABLE ROW LEVEL SECURITY")
	// Row security on and no policy: nobody but superusers sees a row.
	if got := queryValue(t, alice, "SELECT count(*) FROM bank.accounts"); got != "0" {
		t.Errorf("alice before any policy counts %s rows, want 0", got)
	}
	mustExec(t, admin, "CREATE POLICY own ON bank.accounts FOR SELECT TO alice, carol USING (owner = current_user)")

	// sees checks the ids of the rows user reads; when says when.
	sees := func(user, want, when string) {
		t.Helper()
		if got := strings.Join(column(query(t, c[user], "SELECT id FROM bank.accounts ORDER BY id"), 0), ","); got != want {
			t.Errorf("%s %s sees rows %q, want %q", user, when, got, want)
		}
	}
	sees("alice", "1,2", "under her policy")
	sees("bob", "", "whom no policy names,")
	sees("admin", "1,2,3,4", "as a superuser")
	// Aggregates and joins read through the filter too.
	if got := queryValue(t, alice, "SELECT sum(balance) FROM bank.accounts"); got != "30" {
		t.Errorf("alice's sum = %s, want 30", got)
	}
	if got := queryValue(t, alice, "SELECT count(*) FROM bank.accounts a JOIN bank.accounts b ON a.ssn = b.ssn"); got != "2" {
		t.Errorf("alice's self join counts %s rows, want 2", got)
	}
	plan := explainText(t, alice, "SELECT id FROM bank.accounts ORDER BY id")
	if !strings.Contains(plan, "Row Filter (policy own on bank.accounts)") || !strings.Contains(plan, `"owner" = 'alice'`) {
		t.Errorf("EXPLAIN for alice does not show the policy pushed to the source:\n%s", plan)
	}

	// Permissive policies add rows; restrictive ones narrow them.
	mustExec(t, admin, "CREATE POLICY rich ON bank.accounts TO PUBLIC USING (balance >= 30)")
	sees("alice", "1,2,3", "with two permissive policies")
	sees("bob", "3", "under the PUBLIC policy")
	mustExec(t, admin, "CREATE POLICY not2 ON bank.accounts AS RESTRICTIVE USING (id <> 2)")
	sees("alice", "1,3", "with a restrictive policy")
	mustExec(t, admin, "ALTER POLICY rich ON bank.accounts TO bob")
	sees("alice", "1", "after rich moved to bob")
	expectError(t, admin, "CREATE POLICY own ON bank.accounts USING (true)", "42710")
	expectError(t, admin, "CREATE POLICY p ON bank.accounts TO nobody USING (true)", "42704")
	expectError(t, admin, "CREATE POLICY p ON bank.accounts USING (balance)", "42804")
	expectError(t, admin, "CREATE POLICY p ON bank.accounts USING (missing = 1)", "42703")
	expectError(t, admin, "CREATE POLICY p ON bank.accounts FOR UPDATE USING (true)", "0A000")
	expectError(t, admin, "CREATE POLICY p ON bank.accounts USING (id IN (SELECT id FROM bank.accounts))", "0A000")
	expectError(t, admin, "CREATE POLICY p ON bank.nothere USING (true)", "42P01")
	expectError(t, admin, "DROP POLICY nothere ON bank.accounts", "42704")
	mustExec(t, admin, "DROP POLICY IF EXISTS nothere ON bank.accounts")

	// Masks: carol is masked; her values are masked wherever she reads
	// them, and a predicate on the raw value finds nothing.
	mustExec(t, admin, "SECURITY LABEL FOR junction ON COLUMN bank.accounts.ssn IS 'MASKED WITH VALUE ''***'''")
	mustExec(t, admin, "SECURITY LABEL FOR junction ON COLUMN bank.accounts.balance IS 'MASKED WITH VALUE NULL'")
	mustExec(t, admin, "SECURITY LABEL FOR junction ON ROLE carol IS 'MASKED'")
	res := query(t, carol, "SELECT id, ssn, balance FROM bank.accounts")
	if len(res.Rows) != 1 || res.Rows[0][1].Text != "***" || !res.Rows[0][2].Null {
		t.Errorf("carol reads %v, want row 4 with ssn *** and balance NULL", res.Rows)
	}
	if got := queryValue(t, carol, "SELECT count(*) FROM bank.accounts WHERE ssn = '123'"); got != "0" {
		t.Errorf("carol finds %s rows by the raw ssn, want 0", got)
	}
	if got := queryValue(t, carol, "SELECT count(*) FROM bank.accounts WHERE ssn = '***'"); got != "1" {
		t.Errorf("carol finds %s rows by the masked ssn, want 1", got)
	}
	plan = explainText(t, carol, "SELECT id FROM bank.accounts WHERE ssn = '123'")
	if strings.Contains(plan, "ssn = '123'") || !strings.Contains(plan, "Masked: ssn, balance") {
		t.Errorf("EXPLAIN for carol compares the raw ssn or names no masked column:\n%s", plan)
	}
	// alice is not masked.
	if got := queryValue(t, alice, "SELECT ssn FROM bank.accounts WHERE id = 1"); got != "123" {
		t.Errorf("alice, not masked, reads ssn %q, want 123", got)
	}
	mustExec(t, admin, "SECURITY LABEL FOR junction ON COLUMN bank.accounts.ssn IS 'MASKED WITH FUNCTION md5(ssn)'")
	if got := queryValue(t, carol, "SELECT ssn FROM bank.accounts"); got != "202cb962ac59075b964b07152d234b70" {
		t.Errorf("carol reads ssn %q, want md5('123')", got)
	}
	expectError(t, admin, "SECURITY LABEL FOR junction ON COLUMN bank.accounts.balance IS 'MASKED WITH VALUE ''x'''", "22P02")
	expectError(t, admin, "SECURITY LABEL FOR junction ON COLUMN bank.accounts.balance IS 'MASKED WITH FUNCTION md5(ssn)'", "42804")
	expectError(t, admin, "SECURITY LABEL FOR junction ON COLUMN bank.accounts.ssn IS 'SECRET'", "22023")
	expectError(t, admin, "SECURITY LABEL FOR selinux ON COLUMN bank.accounts.ssn IS 'MASKED WITH VALUE NULL'", "22023")
	expectError(t, admin, "SECURITY LABEL FOR junction ON ROLE nobody IS 'MASKED'", "42704")

	// A view reads its tables with its owner's rights, as in
	// PostgreSQL: the superuser's view shows every row, unmasked. A
	// security_invoker view applies the policies and masks of the role
	// reading it; a view itself takes none.
	mustExec(t, admin, "CREATE VIEW accounts_view AS SELECT id, ssn FROM bank.accounts")
	mustExec(t, admin, "GRANT SELECT ON accounts_view TO PUBLIC")
	if got := queryValue(t, alice, "SELECT string_agg(id::text, ',' ORDER BY id) FROM accounts_view"); got != "1,2,3,4" {
		t.Errorf("alice reads %q through the owner's view, want every row", got)
	}
	if got := queryValue(t, carol, "SELECT ssn FROM accounts_view WHERE id = 1"); got != "123" {
		t.Errorf("carol reads ssn %q through the owner's view, want it unmasked", got)
	}
	mustExec(t, admin, "CREATE VIEW accounts_invoker WITH (security_invoker = true) AS SELECT id, ssn FROM bank.accounts")
	mustExec(t, admin, "GRANT SELECT ON accounts_invoker TO PUBLIC")
	if got := queryValue(t, alice, "SELECT string_agg(id::text, ',' ORDER BY id) FROM accounts_invoker"); got != "1" {
		t.Errorf("alice reads %q through the security_invoker view, want 1", got)
	}
	if got := queryValue(t, carol, "SELECT ssn FROM accounts_invoker"); got != "202cb962ac59075b964b07152d234b70" {
		t.Errorf("carol reads ssn %q through the security_invoker view, want it masked", got)
	}
	if got := queryValue(t, admin, "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'accounts_invoker'"); got != "security_invoker=true" {
		t.Errorf("pg_class.reloptions of the security_invoker view = %q", got)
	}
	expectError(t, admin, "CREATE VIEW v_barrier WITH (security_barrier) AS SELECT 1", "0A000")
	expectError(t, admin, "CREATE VIEW v_bad WITH (colour = 'red') AS SELECT 1", "22023")
	expectError(t, admin, "CREATE POLICY p ON accounts_view USING (true)", "42809")
	expectError(t, admin, "ALTER TABLE accounts_view ENABLE ROW LEVEL SECURITY", "42809")

	// The system catalogs list them.
	if got := queryValue(t, admin, "SELECT string_agg(policyname || ':' || permissive || ':' || array_to_string(roles, '+') || ':' || qual, ' ' ORDER BY policyname) FROM pg_policies WHERE tablename = 'accounts'"); got != "not2:RESTRICTIVE:public:(id <> 2) own:PERMISSIVE:alice+carol:(owner = current_user) rich:PERMISSIVE:bob:(balance >= 30)" {
		t.Errorf("pg_policies = %q", got)
	}
	if got := queryValue(t, admin, "SELECT relrowsecurity FROM pg_class WHERE relname = 'accounts'"); got != "t" {
		t.Errorf("pg_class.relrowsecurity = %q, want t", got)
	}
	if got := queryValue(t, admin, "SELECT string_agg(objtype || ':' || provider || ':' || label, ' ' ORDER BY objtype, label) FROM pg_seclabels"); got != "column:junction:MASKED WITH FUNCTION md5(ssn) column:junction:MASKED WITH VALUE NULL role:junction:MASKED" {
		t.Errorf("pg_seclabels = %q", got)
	}

	// A restart keeps policies and masks.
	srv.Restart(t)
	c = connectRowSecurityUsers(t, srv)
	admin, alice, carol = c["admin"], c["alice"], c["carol"]
	sees("alice", "1", "after restart")
	if got := queryValue(t, carol, "SELECT ssn FROM bank.accounts"); got != "202cb962ac59075b964b07152d234b70" {
		t.Errorf("carol after restart reads ssn %q, want it masked", got)
	}

	// Removing the labels and policies, and disabling row security,
	// restores what each user reads, on the next statement of an open
	// session.
	mustExec(t, admin, "SECURITY LABEL FOR junction ON ROLE carol IS NULL")
	if got := queryValue(t, carol, "SELECT ssn FROM bank.accounts"); got != "123" {
		t.Errorf("carol unmasked reads ssn %q, want 123", got)
	}
	mustExec(t, admin, "DROP POLICY own ON bank.accounts")
	sees("alice", "", "after her policy is dropped")
	mustExec(t, admin, "ALTER FOREIGN TABLE bank.accounts DISABLE ROW LEVEL SECURITY")
	sees("bob", "1,2,3,4", "with row security disabled")
}

// TestRowSecurityDifferential checks that the filtered and masked queries
// a source runs (PostgreSQL and MariaDB) give the rows Junction gives
// computing them itself, and the rows PostgreSQL gives on the same data
// with the same predicate written out.
func TestRowSecurityDifferential(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	pgDB, pg := testenv.NewPostgresDB(t, "rlsdiff")
	myDB, my := testenv.NewMariaDB(t, "rlsdiff")
	refDB, ref := testenv.NewPostgresDB(t, "rlsref")
	_ = refDB
	ctx := context.Background()
	create := `CREATE TABLE accounts (id int PRIMARY KEY, owner varchar(20), ssn varchar(20), balance int)`
	for _, exec := range []testenv.Exec{testenv.PostgresExec(pg), testenv.MariaDBExec(my), testenv.PostgresExec(ref)} {
		if err := exec(ctx, create); err != nil {
			t.Fatal(err)
		}
		if err := exec(ctx, accountsRows+", (5, 'Alice', 'abc ', NULL), (6, NULL, NULL, 50)"); err != nil {
			t.Fatal(err)
		}
	}
	_, c := rowSecurityServer(t)
	admin, alice := c["admin"], c["alice"]
	mustExec(t, admin, fmt.Sprintf(`CREATE SERVER pgsrc FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, pgDB))
	grantReadToPublic(t, admin, "pgsrc")
	mustExec(t, admin, fmt.Sprintf(`CREATE SERVER mysrc FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '3306', dbname '%s', user 'root', password '')`, myDB))
	grantReadToPublic(t, admin, "mysrc")
	const policy = "(owner = current_user OR balance > 25) AND upper(ssn) <> 'ABC'"
	const mask = "upper(ssn) || '-' || (id % 3)"
	for _, src := range []string{"pgsrc", "mysrc"} {
		mustExec(t, admin, "ALTER TABLE "+src+".accounts ENABLE ROW LEVEL SECURITY")
		mustExec(t, admin, "CREATE POLICY p ON "+src+".accounts TO alice USING ("+policy+")")
		mustExec(t, admin, "SECURITY LABEL FOR junction ON COLUMN "+src+".accounts.ssn IS 'MASKED WITH FUNCTION "+strings.ReplaceAll(mask, "'", "''")+"'")
	}
	mustExec(t, admin, "SECURITY LABEL FOR junction ON ROLE alice IS 'MASKED'")
	written := "(SELECT id, owner, " + mask + " AS ssn, balance FROM accounts WHERE " + strings.ReplaceAll(policy, "current_user", "'alice'") + ") a"
	queries := []struct{ junction, reference string }{
		{"SELECT id, owner, ssn, balance FROM %s.accounts", "SELECT id, owner, ssn, balance FROM " + written},
		{"SELECT ssn, count(*) FROM %s.accounts GROUP BY ssn", "SELECT ssn, count(*) FROM " + written + " GROUP BY ssn"},
		{"SELECT id FROM %s.accounts WHERE ssn LIKE '123%%'", "SELECT id FROM " + written + " WHERE ssn LIKE '123%'"},
		{"SELECT id FROM %s.accounts WHERE ssn = '789-0'", "SELECT id FROM " + written + " WHERE ssn = '789-0'"},
		{"SELECT max(ssn), sum(balance) FROM %s.accounts", "SELECT max(ssn), sum(balance) FROM " + written},
	}
	for _, src := range []string{"pgsrc", "mysrc"} {
		for _, q := range queries {
			testenv.Compare(t, alice, ref, fmt.Sprintf(q.junction, src), q.reference, false)
		}
	}
	// PostgreSQL runs the policy and the mask; MariaDB the part of the
	// policy its collation does not change, Junction upper() and the mask.
	plan := explainText(t, alice, "SELECT id FROM pgsrc.accounts WHERE ssn = '789-0'")
	if !strings.Contains(plan, "Remote SQL: SELECT t1.\"id\" FROM \"public\".\"accounts\" t1 WHERE ((((upper(") || strings.Contains(plan, "Filter:") {
		t.Errorf("EXPLAIN over PostgreSQL does not push the policy and the mask:\n%s", plan)
	}
	plan = explainText(t, alice, "SELECT id FROM mysrc.accounts WHERE ssn = '789-0'")
	if !strings.Contains(plan, "Row Filter (policy p on mysrc.accounts)") || !strings.Contains(plan, "Masked: ssn") ||
		!strings.Contains(plan, "(upper(accounts.ssn::text) <> 'ABC'))\n") || !strings.Contains(plan, "t1.`balance` > 25") {
		t.Errorf("EXPLAIN over MariaDB does not split the policy between the source and Junction:\n%s", plan)
	}
}

// TestRowSecurityReachesReplicas creates a policy and a mask on one of two
// servers sharing a catalog database; the other applies them to its open
// sessions' next statements.
func TestRowSecurityReachesReplicas(t *testing.T) {
	testenv.RequirePostgres(t)
	pgDB, pg := testenv.NewPostgresDB(t, "rlsrep")
	if _, err := pg.Exec(context.Background(), `CREATE TABLE accounts (id int PRIMARY KEY, owner text, ssn text, balance int); `+accountsRows); err != nil {
		t.Fatal(err)
	}
	catalogDB, _ := testenv.NewPostgresDB(t, "rlsrep_cat")
	config := "users:\n  - name: admin\n    password: adm1n-pw\n    superuser: true\n  - name: alice\n    password: s3cret\n"
	first := configServer(t, config, "--catalog", testenv.PostgresURL(catalogDB))
	second := configServer(t, config, "--catalog", testenv.PostgresURL(catalogDB))
	admin := testenv.ConnectURL(t, userURL(first, "admin", "adm1n-pw", "sslmode=disable"))
	alice := testenv.ConnectURL(t, userURL(second, "alice", "s3cret", "sslmode=disable"))
	mustExec(t, admin, fmt.Sprintf(`CREATE SERVER bank FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, pgDB))
	grantReadToPublic(t, admin, "bank")
	const count = "SELECT count(*) FROM bank.accounts"
	waitQueryable(t, alice, count, "4", time.Now(), propagationDeadline)
	start := time.Now()
	mustExec(t, admin, "ALTER TABLE bank.accounts ENABLE ROW LEVEL SECURITY")
	mustExec(t, admin, "CREATE POLICY own ON bank.accounts TO alice USING (owner = current_user)")
	waitQueryable(t, alice, count, "2", start, propagationDeadline)
	start = time.Now()
	mustExec(t, admin, "SECURITY LABEL FOR junction ON COLUMN bank.accounts.ssn IS 'MASKED WITH VALUE NULL'")
	mustExec(t, admin, "SECURITY LABEL FOR junction ON ROLE alice IS 'MASKED'")
	waitQueryable(t, alice, "SELECT count(ssn) FROM bank.accounts", "0", start, propagationDeadline)
}

// grantReadToPublic lets every role read the tables of source: row
// security decides what they see, not missing grants.
func grantReadToPublic(t *testing.T, admin *pgx.Conn, source string) {
	t.Helper()
	mustExec(t, admin, "GRANT USAGE ON SCHEMA "+source+" TO PUBLIC")
	mustExec(t, admin, "GRANT SELECT ON ALL TABLES IN SCHEMA "+source+" TO PUBLIC")
}
