package memory

import (
	"math"
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
)

// memoryUnits are PostgreSQL's units of memory settings, largest first so
// that a value is shown in the largest unit that divides it.
var memoryUnits = []struct {
	name  string
	bytes int64
}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"kB", 1 << 10}, {"B", 1}}

// maxSetting bounds a memory setting (PostgreSQL's INT_MAX kilobytes).
const maxSetting = math.MaxInt32 << 10

// ParseSetting reads a memory setting as PostgreSQL does: a number of
// kilobytes, or a number with one of the units B, kB, MB, GB, TB.
func ParseSetting(name, value string) (int64, error) {
	text := strings.TrimSpace(value)
	end := 0
	for end < len(text) && (text[end] >= '0' && text[end] <= '9' || text[end] == '.' || text[end] == '-' || text[end] == '+') {
		end++
	}
	number, err := strconv.ParseFloat(text[:end], 64)
	if err != nil || math.IsNaN(number) {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter %q: %q", name, value)
	}
	unit := strings.TrimSpace(text[end:])
	scale := int64(1 << 10)
	if unit != "" {
		found := false
		for _, u := range memoryUnits {
			if u.name == unit {
				scale, found = u.bytes, true
				break
			}
		}
		if !found {
			return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter %q: %q", name, value).
				WithHint(`Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".`)
		}
	}
	bytes := math.Round(number * float64(scale))
	if bytes < 64<<10 || bytes > maxSetting {
		return 0, pgerr.New(pgerr.InvalidParameterValue, "%s kB is outside the valid range for parameter %q (64 .. %d)",
			strconv.FormatFloat(math.Round(bytes/1024), 'f', -1, 64), name, int64(math.MaxInt32))
	}
	return int64(bytes) &^ 1023, nil
}

// FormatBytes shows a size as SHOW shows memory settings: in the largest
// unit that divides it.
func FormatBytes(n int64) string {
	if n == 0 {
		return "0"
	}
	for _, u := range memoryUnits {
		if n%u.bytes == 0 {
			return strconv.FormatInt(n/u.bytes, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}
