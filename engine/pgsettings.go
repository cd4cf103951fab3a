package engine

import (
	"strconv"

	"github.com/junction-db/junction/executor/memory"
)

// settingDetail is what pg_settings shows of a setting beyond SHOW's
// value: work_mem in kB and the timeouts in ms, as PostgreSQL stores
// them, and the value RESET restores.
func (s *Session) settingDetail(name string) (setting, unit, resetValue string) {
	value := s.settings[name]
	resetValue, ok := s.defaultSettings()[name]
	if !ok {
		resetValue = value
	}
	switch name {
	case workMem:
		if bytes, err := memory.ParseSetting(name, value); err == nil {
			return strconv.FormatInt(bytes/1024, 10), "kB", resetValue
		}
	case statementTimeout, idleInTransactionTimeout:
		if ms, err := parseTimeSetting(name, value); err == nil {
			return strconv.FormatInt(ms, 10), "ms", resetValue
		}
	}
	return value, "", resetValue
}
