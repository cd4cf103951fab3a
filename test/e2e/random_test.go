package e2e

import "testing"

// setseed seeds the session's generator: the numbers random() draws next,
// in later statements too, are those PostgreSQL draws after the same seed,
// and another session's numbers are its own.
func TestSetseedSeedsTheSession(t *testing.T) {
	srv := startDemo(t)
	conn := srv.Connect(t)
	other := srv.Connect(t)
	if got := queryValue(t, conn, `SELECT setseed(0.5)`); got != "" {
		t.Errorf("setseed returned %q, want the empty void value", got)
	}
	queryValue(t, other, `SELECT random()`)
	if got := queryValue(t, conn, `SELECT random()`); got != "0.9851677175347999" {
		t.Errorf("first random() after setseed(0.5) = %s, want 0.9851677175347999", got)
	}
	if got := queryValue(t, conn, `SELECT random()`); got != "0.825301858027981" {
		t.Errorf("second random() after setseed(0.5) = %s, want 0.825301858027981", got)
	}
	if got := queryValue(t, conn, `SELECT count(DISTINCT r) FROM (SELECT random() AS r FROM generate_series(1, 100)) s`); got != "100" {
		t.Errorf("random() over 100 rows gave %s distinct values, want 100", got)
	}
	expectError(t, conn, `SELECT setseed(2)`, "22023")
}
