package sqlite

import (
	"context"
	"testing"

	"github.com/junction-db/junction/connectors"
)

func statsOf(t *testing.T, tables []connectors.Table, table string) map[string]*connectors.ColumnStats {
	t.Helper()
	for _, tb := range tables {
		if tb.Name == table {
			out := map[string]*connectors.ColumnStats{}
			for _, col := range tb.Columns {
				out[col.Name] = col.Stats
			}
			return out
		}
	}
	t.Fatalf("table %s not discovered", table)
	return nil
}

func TestReadStatsCountsSmallFiles(t *testing.T) {
	c := open(t, map[string]string{"path": newDatabase(t, demoSchema...)})
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ReadStats(context.Background(), d.Tables); err != nil {
		t.Fatal(err)
	}
	for _, tb := range d.Tables {
		if tb.Name == "orders" && tb.RowEstimate != 3 {
			t.Errorf("orders counted %d rows, want 3", tb.RowEstimate)
		}
	}
	st := statsOf(t, d.Tables, "orders")
	if s := st["customer_id"]; s == nil || s.Distinct != 2 || s.NullFrac != 0 {
		t.Errorf("customer_id stats %+v, want 2 distinct, no nulls", s)
	}
	if s := st["note"]; s == nil || s.Distinct != 2 || s.NullFrac != 1.0/3 {
		t.Errorf("note stats %+v, want 2 distinct, a third null", s)
	}
	if s := statsOf(t, d.Tables, "order_totals")["n"]; s != nil {
		t.Errorf("a view is not scanned for statistics, got %+v", s)
	}
}

func TestReadStatsFromSqliteStat1(t *testing.T) {
	c := open(t, map[string]string{"path": newDatabase(t, append(demoSchema,
		"CREATE INDEX orders_customer ON orders (customer_id, amount)", "ANALYZE")...)})
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The file is small enough to be counted; sqlite_stat1 is what a
	// large file is read from.
	if err := c.indexStats(context.Background(), d.Tables); err != nil {
		t.Fatal(err)
	}
	st := statsOf(t, d.Tables, "orders")
	// sqlite_stat1 rounds rows per value up: "3 2 1" for 3 rows, 2 values.
	if s := st["customer_id"]; s == nil || s.Distinct != 1.5 {
		t.Errorf("customer_id stats %+v, want 3 rows / 2 per value", s)
	}
	if s := st["amount"]; s != nil {
		t.Errorf("amount is not an index's first column, got %+v", s)
	}
}
