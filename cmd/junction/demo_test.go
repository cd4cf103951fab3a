package main

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// tableDigest hashes every row of a table in key order.
func tableDigest(t *testing.T, path, query string) (rows int, digest string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer r.Close()
	cols, _ := r.Columns()
	h := sha256.New()
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for r.Next() {
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%v\n", values)
		rows++
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return rows, fmt.Sprintf("%x", h.Sum(nil))
}

func TestDemoDataIsDeterministic(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	for _, dir := range []string{first, second} {
		sources, err := prepareDemo(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(sources) != 3 || sources[0].Name != "demo_crm" || sources[1].Name != "demo_shop" || sources[2].Name != "demo_lake" ||
			sources[2].Wrapper != "files" || sources[2].Options["root"] != filepath.Join(dir, "lake") ||
			sources[0].Wrapper != "sqlite" || sources[1].Options["path"] != filepath.Join(dir, "shop.db") || !sources[0].Builtin {
			t.Fatalf("sources: %+v", sources)
		}
	}
	for _, tc := range []struct {
		file, query string
		rows        int
	}{
		{"crm.db", "SELECT * FROM customers ORDER BY id", demoCustomers},
		{"shop.db", "SELECT * FROM orders ORDER BY id", demoOrders},
		{"shop.db", "SELECT * FROM products ORDER BY id", len(demoProducts)},
		{"shop.db", "SELECT * FROM order_items ORDER BY order_id, product_id", -1},
	} {
		n1, d1 := tableDigest(t, filepath.Join(first, tc.file), tc.query)
		n2, d2 := tableDigest(t, filepath.Join(second, tc.file), tc.query)
		if tc.rows >= 0 && n1 != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.query, n1, tc.rows)
		}
		if n1 != n2 || d1 != d2 {
			t.Errorf("%s differs between two generations", tc.query)
		}
	}
}

func TestDemoDataIsConsistent(t *testing.T) {
	dir := t.TempDir()
	if _, err := prepareDemo(dir); err != nil {
		t.Fatal(err)
	}
	crm, err := sql.Open("sqlite", filepath.Join(dir, "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer crm.Close()
	var noEmail, noCountry int
	if err := crm.QueryRow(`SELECT count(*) - count(email), count(*) - count(country) FROM customers`).Scan(&noEmail, &noCountry); err != nil {
		t.Fatal(err)
	}
	if noEmail == 0 || noCountry == 0 {
		t.Errorf("optional columns have no NULLs: email %d, country %d", noEmail, noCountry)
	}
	var badDates int
	if err := crm.QueryRow(`SELECT count(*) FROM customers WHERE date(created_at) IS NOT created_at`).Scan(&badDates); err != nil || badDates != 0 {
		t.Errorf("%d created_at values are not ISO dates (%v)", badDates, err)
	}

	shop, err := sql.Open("sqlite", filepath.Join(dir, "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer shop.Close()
	var mismatched int
	err = shop.QueryRow(`SELECT count(*) FROM orders o
		WHERE CAST(round(o.amount * 100) AS INTEGER) <>
		      (SELECT sum(i.quantity * CAST(round(i.unit_price * 100) AS INTEGER)) FROM order_items i WHERE i.order_id = o.id)`).Scan(&mismatched)
	if err != nil || mismatched != 0 {
		t.Errorf("%d orders whose amount is not the sum of their items (%v)", mismatched, err)
	}
	var badTimes, orphans int
	if err := shop.QueryRow(`SELECT count(*) FROM orders WHERE datetime(created_at) IS NOT created_at`).Scan(&badTimes); err != nil || badTimes != 0 {
		t.Errorf("%d created_at values are not ISO timestamps (%v)", badTimes, err)
	}
	if err := shop.QueryRow(`SELECT count(*) FROM orders WHERE customer_id NOT BETWEEN 1 AND ?`, demoCustomers).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d orders of unknown customers (%v)", orphans, err)
	}
}

func TestDemoRegeneratesOnlyMissingDatabases(t *testing.T) {
	dir := t.TempDir()
	if _, err := prepareDemo(dir); err != nil {
		t.Fatal(err)
	}
	crm, shop := filepath.Join(dir, "crm.db"), filepath.Join(dir, "shop.db")
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(shop, old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(crm); err != nil {
		t.Fatal(err)
	}
	if _, err := prepareDemo(dir); err != nil {
		t.Fatal(err)
	}
	if n, _ := tableDigest(t, crm, "SELECT id FROM customers"); n != demoCustomers {
		t.Fatalf("regenerated crm.db has %d customers", n)
	}
	info, err := os.Stat(shop)
	if err != nil {
		t.Fatal(err)
	}
	if !info.ModTime().Equal(old) {
		t.Fatal("shop.db was rewritten although it existed")
	}
}
