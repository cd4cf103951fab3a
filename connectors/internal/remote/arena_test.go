package remote

import (
	"strings"
	"testing"
)

// Strings handed out by an arena keep their bytes while the arena fills
// new blocks and while the input they were copied from changes.
func TestArenaStringsStayIntact(t *testing.T) {
	var a arena
	var want, got []string
	buf := make([]byte, 0, arenaMaxBlock)
	for i := range 3000 {
		s := strings.Repeat(string(rune('a'+i%26)), i%(arenaMaxString+50))
		buf = append(buf[:0], s...)
		got = append(got, a.string(buf))
		want = append(want, s)
		for j := range buf {
			buf[j] = '!'
		}
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("string %d changed: %.20q..., want %.20q...", i, got[i], want[i])
		}
	}
}
