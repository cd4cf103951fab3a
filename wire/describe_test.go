package wire

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// A prepared statement's portals are described in the result formats each
// was bound with, however the executions before it asked for theirs: the
// RowDescription kept with the statement is not reused for other formats.
func TestPortalDescriptionFollowsItsFormats(t *testing.T) {
	ctx := context.Background()
	junction, err := pgconn.Connect(ctx, testURL(startServer(t, nil, Options{})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { junction.Close(context.Background()) })
	if _, err := junction.Prepare(ctx, "lookup", "SELECT $1::int4 + 1 AS n, 'x' || $1::text AS s", nil); err != nil {
		t.Fatal(err)
	}
	const text, binary int16 = pgtype.TextFormatCode, pgtype.BinaryFormatCode
	for _, tc := range []struct {
		formats []int16
		want    [2]int16
		values  [2]string
	}{
		{nil, [2]int16{text, text}, [2]string{"42", "x41"}},
		{nil, [2]int16{text, text}, [2]string{"42", "x41"}},
		{[]int16{binary}, [2]int16{binary, binary}, [2]string{"\x00\x00\x00\x2a", "x41"}},
		{[]int16{text, binary}, [2]int16{text, binary}, [2]string{"42", "x41"}},
		{[]int16{text}, [2]int16{text, text}, [2]string{"42", "x41"}},
	} {
		res := junction.ExecPrepared(ctx, "lookup", [][]byte{[]byte("41")}, nil, tc.formats).Read()
		if res.Err != nil {
			t.Fatalf("formats %v: %v", tc.formats, res.Err)
		}
		for i, f := range res.FieldDescriptions {
			if f.Format != tc.want[i] {
				t.Errorf("formats %v: column %s described in format %d, want %d", tc.formats, f.Name, f.Format, tc.want[i])
			}
		}
		if len(res.Rows) != 1 || string(res.Rows[0][0]) != tc.values[0] || string(res.Rows[0][1]) != tc.values[1] {
			t.Errorf("formats %v: rows %q, want %q", tc.formats, res.Rows, tc.values)
		}
	}
}
