package system

import (
	"testing"
	"time"
)

func TestAccelerationsShowWhatHappened(t *testing.T) {
	info := testInfo()
	started := time.Now().Add(-10 * time.Second)
	info.Accelerations = func() []AccelerationStatus {
		return []AccelerationStatus{
			{Source: "crm", Table: "customers", Key: "id", MaxStaleness: "5 min", LastMode: "incremental", CopyStatus: CopyStatus{Populated: true,
				LastStarted: started, LastFinished: started.Add(time.Second), Rows: 1200, Bytes: 9600, NextRefresh: started.Add(150 * time.Second), Refreshes: 3}},
			{Source: "crm", Table: "sales.orders", MaxStaleness: "1 min", CopyStatus: CopyStatus{LastError: "source down", LastErrorAt: started, Refreshes: 1, Failures: 1}},
			{Source: "nosuch", Table: "hidden", MaxStaleness: "1 min"},
		}
	}
	rows := rowsOf(t, info, Junction, "accelerations")
	if len(rows) != 2 {
		t.Fatalf("junction.accelerations has %d rows, want the 2 of a source the catalog shows", len(rows))
	}
	fresh := findOne(t, rows, map[string]string{"table_name": "customers"})
	if fresh["state"].Str != "fresh" || fresh["mode"].Str != "incremental" || fresh["key"].Str != "id" || fresh["last_refresh_mode"].Str != "incremental" ||
		fresh["rows"].Int != 1200 || fresh["bytes"].Int != 9600 || fresh["age_s"].Float < 10 || fresh["age_s"].Float > 60 ||
		fresh["refreshes"].Int != 3 || !fresh["last_error"].Null || fresh["next_refresh"].Null {
		t.Errorf("row of a fresh copy: %v", fresh)
	}
	empty := findOne(t, rows, map[string]string{"table_name": "sales.orders"})
	if empty["state"].Str != "not populated" || empty["mode"].Str != "full" || !empty["key"].Null || !empty["age_s"].Null || !empty["rows"].Null ||
		empty["last_error"].Str != "source down" || empty["failures"].Int != 1 {
		t.Errorf("row of a copy never made: %v", empty)
	}
}
