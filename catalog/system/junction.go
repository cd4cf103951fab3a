package system

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/junction-db/junction/catalog"
)

// The junction schema shows what PostgreSQL's catalogs have no place for:
// the live state of each source, the mapping of every table to its
// source, the recent query history and the server process's own state.

func junctionTables() []*sysTable {
	return []*sysTable{
		{schema: Junction, name: "sources", oid: JunctionOID + 1, kind: 'v', fill: fillSources,
			comment: "registered sources with their live status; options never show a password",
			cols: []column{
				{"name", tText, false},
				{"type", tText, false},
				{"status", tText, false},
				{"circuit_state", tText, false},
				{"last_error", tText, false},
				{"checked_at", tTimestampTZ, false},
				{"latency_ms", tFloat8, false},
				{"consecutive_failures", tInt4, false},
				{"retry_at", tTimestampTZ, false},
				{"required", tBool, false},
				{"options", tTextArray, false},
				{"default_schema", tText, false},
				{"tables", tInt4, false},
				{"skipped_tables", tTextArray, false},
			}},
		{schema: Junction, name: "tables", oid: JunctionOID + 2, kind: 'v', fill: fillSourceTables,
			comment: "the tables and views discovered in each source and the schema that shows them",
			cols: []column{
				{"source", tText, false},
				{"schema", tText, false},
				{"name", tText, false},
				{"remote_schema", tText, false},
				{"remote_name", tText, false},
				{"kind", tText, false},
				{"columns", tInt4, false},
				{"row_estimate", tInt8, false},
			}},
		{schema: Junction, name: "queries", oid: JunctionOID + 3, kind: 'v', fill: fillQueries,
			comment: "recent statements with their id, client, state, SQLSTATE, duration, rows and what they fetched from which sources",
			cols: []column{
				{"id", tInt8, false},
				{"usename", tText, false},
				{"query", tText, false},
				{"state", tText, false},
				{"error", tText, false},
				{"started", tTimestampTZ, false},
				{"duration_ms", tFloat8, false},
				{"rows", tInt8, false},
				{"client_addr", tText, false},
				{"sqlstate", tText, false},
				{"sources", tTextArray, false},
				{"source_rows", tInt8, false},
				{"source_bytes", tInt8, false},
			}},
		{schema: Junction, name: "server", oid: JunctionOID + 4, kind: 'v', fill: fillServer,
			comment: "the server process now: when it started, its open sessions, goroutines and heap (all objects, and live at the last collection)",
			cols: []column{
				{"started", tTimestampTZ, false},
				{"sessions", tInt4, false},
				{"goroutines", tInt4, false},
				{"heap_bytes", tInt8, false},
				{"heap_live_bytes", tInt8, false},
			}},
		matviewsTable,
		accelerationsTable,
	}
}

func fillServer(e *env, out *rowSet) {
	if e.info.Server == nil {
		return
	}
	st := e.info.Server()
	out.add("started", timestampDatum(st.Started), "sessions", st.Sessions, "goroutines", st.Goroutines, "heap_bytes", st.HeapBytes,
		"heap_live_bytes", st.HeapLiveBytes)
}

// orNull is NULL for an empty string.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func fillSources(e *env, out *rowSet) {
	for _, ns := range e.dir.namespaces {
		if ns.source == nil || ns.remoteSchema != "" {
			continue
		}
		status := SourceStatus{Status: "unknown"}
		if e.info.SourceStatus != nil {
			status = e.info.SourceStatus(ns.name)
		}
		out.add("name", ns.name, "type", wrapperName(ns.source), "status", orNull(status.Status),
			"circuit_state", orNull(status.CircuitState), "last_error", orNull(status.LastError),
			"checked_at", timestampDatum(status.CheckedAt), "latency_ms", latencyMS(status),
			"consecutive_failures", status.Failures, "retry_at", timestampDatum(status.RetryAt),
			"required", status.Required, "options", textArray(sourceOptions(ns.source, true)),
			"default_schema", ns.source.DefaultSchema, "tables", len(ns.source.Tables), "skipped_tables", skippedTables(ns.source))
	}
}

// skippedTables lists the tables the source's discovery left out, each
// as "name: why".
func skippedTables(src *catalog.Source) string {
	out := make([]string, len(src.Skipped))
	for i, s := range src.Skipped {
		out[i] = s.Name + ": " + s.Reason
	}
	return textArray(out)
}

// latencyMS is NULL until a health check measured the source.
func latencyMS(s SourceStatus) any {
	if s.Latency == 0 {
		return nil
	}
	return float64(s.Latency.Microseconds()) / 1000
}

func fillSourceTables(e *env, out *rowSet) {
	for _, r := range e.dir.relations {
		if r.table == nil {
			continue
		}
		kind := "table"
		if r.table.IsView {
			kind = "view"
		}
		var estimate any
		if r.table.RowEstimate >= 0 {
			estimate = r.table.RowEstimate
		}
		out.add("source", r.ns.source.Name, "schema", r.ns.name, "name", r.name, "remote_schema", r.table.Schema,
			"remote_name", r.table.Name, "kind", kind, "columns", len(r.table.Columns), "row_estimate", estimate)
	}
}

func fillQueries(e *env, out *rowSet) {
	if e.info.Queries == nil {
		return
	}
	for _, q := range e.info.Queries() {
		if hidden := e.info.Access != nil && !slices.Contains(e.info.Access.Roles, q.User); hidden {
			// As pg_stat_activity, another role's query shows only that
			// it ran, not what it was nor where it came from.
			q.SQL, q.Error, q.ClientAddr = insufficientPrivilege, "", ""
		}
		out.add("id", q.ID, "usename", q.User, "query", q.SQL, "state", q.State, "error", orNull(q.Error),
			"started", timestampDatum(q.Started), "duration_ms", float64(q.Duration.Microseconds())/1000,
			"rows", q.Rows, "client_addr", orNull(q.ClientAddr), "sqlstate", orNull(q.SQLState),
			"sources", textArray(q.Sources), "source_rows", q.SourceRows, "source_bytes", q.SourceBytes)
	}
}

// insufficientPrivilege stands for what a role may not see, as
// PostgreSQL's pg_stat_activity shows it.
const insufficientPrivilege = "<insufficient privilege>"

// masked replaces a secret wherever one is shown.
const masked = "********"

// sourceOptions lists a source's options as key=value in key order,
// without secrets: options that hold one are masked (maskSecrets) or left
// out, and passwords embedded in connection strings are masked.
func sourceOptions(src *catalog.Source, maskSecrets bool) []string {
	opts := src.RedactedOptions()
	keys := make([]string, 0, len(opts))
	for k := range opts {
		if maskSecrets || !catalog.SecretOptions[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + maskEmbeddedSecrets(opts[k])
	}
	return out
}

var (
	// keywordSecret is password=... inside a key=value connection string.
	keywordSecret = regexp.MustCompile(`(?i)\b(password|passwd|secret)(\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s;&]*)`)
	// userPassword is user:password@ at the start of a MySQL-style DSN.
	userPassword = regexp.MustCompile(`^([^:@/\s]+):([^@]*)@`)
)

// maskEmbeddedSecrets masks the password of a connection string: a URL's
// user info, a password keyword or query parameter, or a MySQL DSN's
// user:password@ prefix.
func maskEmbeddedSecrets(v string) string {
	scheme := strings.Index(v, "://")
	isURL := scheme >= 0
	if isURL {
		rest := v[scheme+3:]
		authority := rest
		if end := strings.IndexAny(rest, "/?#"); end >= 0 {
			authority = rest[:end]
		}
		if at := strings.LastIndexByte(authority, '@'); at >= 0 {
			if colon := strings.IndexByte(authority[:at], ':'); colon >= 0 {
				v = v[:scheme+3] + authority[:colon+1] + masked + rest[at:]
			}
		}
	}
	v = keywordSecret.ReplaceAllString(v, "${1}${2}"+masked)
	if !isURL {
		v = userPassword.ReplaceAllString(v, "${1}:"+masked+"@")
	}
	return v
}
