package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// accelSource is a PostgreSQL source with options, holding orders and
// customers in its default schema and sales.orders in another.
func accelSource(options map[string]string) *catalog.Source {
	cols := func(extra ...connectors.Column) []connectors.Column {
		return append([]connectors.Column{{Name: "id", Type: types.TInt8}, {Name: "note", Type: types.TText}}, extra...)
	}
	return &catalog.Source{Name: "shop", Wrapper: "postgres", Options: options, DefaultSchema: "public", OID: 7,
		Tables: []connectors.Table{
			{Schema: "public", Name: "orders", Columns: cols(connectors.Column{Name: "updated", Type: types.TTimestampTZ})},
			{Schema: "public", Name: "customers", Columns: cols(connectors.Column{Name: "balance", Type: types.TNumeric})},
			{Schema: "sales", Name: "orders", Columns: cols(connectors.Column{Name: "ok", Type: types.TBool})},
		}}
}

func TestAccelerationOptionsResolveTablesAndKeys(t *testing.T) {
	spec, err := accelerationOf(accelSource(map[string]string{
		optAccelerate: " orders, sales.orders ,orders", optMaxStaleness: "5 min", optAccelerateKey: "orders.updated, sales.orders.id"}))
	if err != nil {
		t.Fatal(err)
	}
	if spec.maxStaleness != 5*time.Minute || spec.staleness != "5 min" || len(spec.tables) != 2 {
		t.Fatalf("spec = %+v", spec)
	}
	for i, want := range []struct{ name, schema, key string }{{"orders", "public", "updated"}, {"sales.orders", "sales", "id"}} {
		at := spec.tables[i]
		if at.name != want.name || at.table.Schema != want.schema || at.key != want.key || !strings.HasPrefix(at.copy, "accel_7_") {
			t.Errorf("table %d = %s of %s keyed by %q copied to %s; want %+v", i, at.name, at.table.Schema, at.key, at.copy, want)
		}
	}
	if spec.tables[0].copy == spec.tables[1].copy {
		t.Errorf("two tables share the copy %s", spec.tables[0].copy)
	}
	if none, err := accelerationOf(accelSource(map[string]string{"host": "x"})); none != nil || err != nil {
		t.Errorf("a source without the options accelerates %+v, %v", none, err)
	}
}

func TestAccelerationOptionsRefuseWhatCannotBeHonoured(t *testing.T) {
	for _, c := range []struct {
		options       map[string]string
		wrapper, code string
		message       string
	}{
		{map[string]string{optAccelerate: "orders"}, "", pgerr.InvalidParameterValue, `option "accelerate" requires option "max_staleness"`},
		{map[string]string{optMaxStaleness: "1 min"}, "", pgerr.InvalidParameterValue, `option "max_staleness" requires option "accelerate"`},
		{map[string]string{optAccelerateKey: "orders.id"}, "", pgerr.InvalidParameterValue, `option "accelerate_key" requires option "accelerate"`},
		{map[string]string{optAccelerate: "orders", optMaxStaleness: "1 min"}, "files", pgerr.FDWInvalidOptionName, `invalid option "accelerate" for foreign-data wrapper files`},
		{map[string]string{optAccelerate: "lineitem", optMaxStaleness: "1 min"}, "", pgerr.UndefinedTable, `relation "shop.lineitem" does not exist`},
		{map[string]string{optAccelerate: "other.orders", optMaxStaleness: "1 min"}, "", pgerr.UndefinedTable, `relation "shop.other.orders" does not exist`},
		{map[string]string{optAccelerate: " , ", optMaxStaleness: "1 min"}, "", pgerr.InvalidParameterValue, `option "accelerate" names no table`},
		{map[string]string{optAccelerate: "orders", optMaxStaleness: "soon"}, "", pgerr.InvalidParameterValue, `invalid value for option "max_staleness": "soon"`},
		{map[string]string{optAccelerate: "orders", optMaxStaleness: "500 ms"}, "", pgerr.InvalidParameterValue, `invalid value for option "max_staleness": "500 ms"`},
		{map[string]string{optAccelerate: "orders", optMaxStaleness: "1 min", optAccelerateKey: "id"}, "", pgerr.InvalidParameterValue, `invalid value for option "accelerate_key": "id"`},
		{map[string]string{optAccelerate: "orders", optMaxStaleness: "1 min", optAccelerateKey: "customers.id"}, "", pgerr.InvalidParameterValue, `names table "customers", which option "accelerate" does not list`},
		{map[string]string{optAccelerate: "orders", optMaxStaleness: "1 min", optAccelerateKey: "orders.nope"}, "", pgerr.UndefinedColumn, `column "nope" of relation "orders" does not exist`},
		{map[string]string{optAccelerate: "orders", optMaxStaleness: "1 min", optAccelerateKey: "orders.note"}, "", pgerr.InvalidParameterValue, `column "note" of relation "orders" cannot be an acceleration key: its type is text`},
		{map[string]string{optAccelerate: "sales.orders", optMaxStaleness: "1 min", optAccelerateKey: "sales.orders.ok"}, "", pgerr.InvalidParameterValue, "cannot be an acceleration key"},
		{map[string]string{optAccelerate: "customers", optMaxStaleness: "1 min", optAccelerateKey: "customers.balance"}, "", pgerr.InvalidParameterValue, "cannot be an acceleration key"},
		{map[string]string{optAccelerate: "orders", optMaxStaleness: "1 min", optAccelerateKey: "orders.id, orders.updated"}, "", pgerr.InvalidParameterValue, `names two keys of table "orders"`},
	} {
		src := accelSource(c.options)
		if c.wrapper != "" {
			src.Wrapper = c.wrapper
		}
		_, err := accelerationOf(src)
		if pgerr.Code(err) != c.code || err == nil || !strings.Contains(pgerr.As(err).Message, c.message) {
			t.Errorf("%v: %v (%s), want %s %q", c.options, err, pgerr.Code(err), c.code, c.message)
		}
	}
}

func TestAccelerationCopyFollowsTheTableNotItsServerName(t *testing.T) {
	copyOf := func(src *catalog.Source) string {
		spec, err := accelerationOf(src)
		if err != nil {
			t.Fatal(err)
		}
		return spec.tables[0].copy
	}
	options := map[string]string{optAccelerate: "orders", optMaxStaleness: "1 min"}
	first := copyOf(accelSource(options))
	renamed := accelSource(options)
	renamed.Name = "store"
	if got := copyOf(renamed); got != first {
		t.Errorf("renaming the server moves the copy from %s to %s", first, got)
	}
	changed := accelSource(options)
	changed.Tables[0].Columns = changed.Tables[0].Columns[:2]
	if got := copyOf(changed); got == first {
		t.Errorf("a table whose columns changed keeps the copy %s", got)
	}
	keyed := accelSource(map[string]string{optAccelerate: "orders", optMaxStaleness: "1 min", optAccelerateKey: "orders.id"})
	if got := copyOf(keyed); got == first {
		t.Errorf("a new key keeps the copy %s, whose rows were not read by it", got)
	}
}

func TestMaxStalenessSetting(t *testing.T) {
	for in, want := range map[string]time.Duration{"0": 0, "0 s": 0, "30": 30 * time.Second, "5 min": 5 * time.Minute, "1 hour": time.Hour, "1.5 s": 1500 * time.Millisecond} {
		d, set, err := parseMaxStaleness(in)
		if err != nil || !set || d != want {
			t.Errorf("%q = %v, %v, %v; want %v", in, d, set, err, want)
		}
	}
	if _, set, err := parseMaxStaleness(""); set || err != nil {
		t.Errorf("the default is set (%v) or refused (%v)", set, err)
	}
	for _, in := range []string{"soon", "-1 min", "5 parsecs"} {
		if _, _, err := parseMaxStaleness(in); pgerr.Code(err) != pgerr.InvalidParameterValue ||
			!strings.Contains(pgerr.As(err).Message, `invalid value for parameter "junction.max_staleness"`) {
			t.Errorf("%q: %v, want 22023", in, err)
		}
	}
	for d, want := range map[time.Duration]string{12 * time.Second: "12 s", 90 * time.Second: "90 s", 5 * time.Minute: "5 min", 3 * time.Hour: "3 h"} {
		if got := formatDuration(d); got != want {
			t.Errorf("%v shows as %q, want %q", d, got, want)
		}
	}
}
