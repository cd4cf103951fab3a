package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/auth"
	"github.com/junction-db/junction/connectors/guard"
	"github.com/junction-db/junction/wire"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

const goodConfig = `
listen: 0.0.0.0:6432
data_dir: /srv/junction
catalog: postgres://junction@catalog-db/junction
http: 127.0.0.1:9090
tls:
  cert: server.crt
  key: server.key
users:
  - name: alice
    password: wonderland
    superuser: true
  - name: bob
    password_env: BOB_PASSWORD
sqlite_dirs: [/data, lite]
files_dirs: [/lake]
statement_timeout: 500ms
idle_in_transaction_session_timeout: 60
max_connections: 250
shutdown_timeout: 0
max_memory: 2GB
work_mem: 65536
source_defaults:
  breaker_failures: 3
  breaker_cooldown: 30s
sources:
  - name: crm
    wrapper: postgres_fdw
    options:
      host: db.internal
      port: 5432
      dbname: crm
      password_env: CRM_PASSWORD
  - name: files
    wrapper: sqlite
    options: {path: files.db}
`

func TestParseGoodConfig(t *testing.T) {
	cfg, err := parseConfig([]byte(goodConfig), env(map[string]string{"BOB_PASSWORD": "builder", "CRM_PASSWORD": "hunter2"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "0.0.0.0:6432" || cfg.DataDir != "/srv/junction" || cfg.Catalog != "postgres://junction@catalog-db/junction" || cfg.HTTP == nil || *cfg.HTTP != "127.0.0.1:9090" ||
		cfg.TLSCert != "server.crt" || cfg.TLSKey != "server.key" {
		t.Fatalf("settings: %+v", cfg)
	}
	if len(cfg.Users) != 2 || cfg.Users[0].Password != "wonderland" || cfg.Users[1].Name != "bob" || cfg.Users[1].Password != "builder" {
		t.Fatalf("users: %+v", cfg.Users)
	}
	if !cfg.Users[0].Superuser || cfg.Users[1].Superuser {
		t.Fatalf("superusers: %+v", cfg.Users)
	}
	if !slices.Equal(cfg.SQLiteDirs, []string{"/data", "lite"}) {
		t.Fatalf("sqlite_dirs: %q", cfg.SQLiteDirs)
	}
	if !slices.Equal(cfg.FilesDirs, []string{"/lake"}) {
		t.Fatalf("files_dirs: %q", cfg.FilesDirs)
	}
	if len(cfg.Sources) != 2 {
		t.Fatalf("sources: %+v", cfg.Sources)
	}
	crm := cfg.Sources[0]
	if crm.Name != "crm" || crm.Wrapper != "postgres_fdw" || crm.Options["port"] != "5432" ||
		crm.Options["password_env"] != "CRM_PASSWORD" || crm.Options["host"] != "db.internal" {
		t.Fatalf("crm: %+v", crm)
	}
	// The reference is kept, to be read when the source connects; the
	// value never reaches the catalog.
	if _, ok := crm.Options["password"]; ok {
		t.Fatal("password_env was resolved into the options")
	}
	if files := cfg.Sources[1]; files.Wrapper != "sqlite" || files.Options["path"] != "files.db" {
		t.Fatalf("files: %+v", files)
	}
	if l := cfg.Sessions; l.StatementTimeout == nil || *l.StatementTimeout != 500*time.Millisecond ||
		l.IdleInTransactionTimeout == nil || *l.IdleInTransactionTimeout != time.Minute ||
		l.MaxConnections == nil || *l.MaxConnections != 250 || l.ShutdownTimeout == nil || *l.ShutdownTimeout != 0 {
		t.Fatalf("session limits: %+v", l)
	}
	if cfg.MaxMemory != 2<<30 || cfg.WorkMem != 64<<20 {
		t.Fatalf("memory: max_memory %d, work_mem %d", cfg.MaxMemory, cfg.WorkMem)
	}
	if d := cfg.SourceDefaults; d.Failures != 3 || d.Cooldown != 30*time.Second || d.HealthInterval != guard.DefaultHealthInterval || d.Required {
		t.Fatalf("source defaults: %+v", d)
	}
}

func TestParseEmptyConfig(t *testing.T) {
	cfg, err := parseConfig(nil, env(nil))
	if err != nil || cfg.Listen != "" || len(cfg.Sources) != 0 || cfg.Sessions != (sessionLimits{}) {
		t.Fatalf("empty file: %+v, %v", cfg, err)
	}
}

func TestUserPasswordFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "carol.pw")
	if err := os.WriteFile(path, []byte("c4rol-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseConfig([]byte(fmt.Sprintf("users:\n  - name: carol\n    password_file: %s\n", path)), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Users) != 1 || cfg.Users[0].Password != "c4rol-pw" {
		t.Fatalf("users: %+v", cfg.Users)
	}
	for _, bad := range []string{
		fmt.Sprintf("users:\n  - {name: carol, password: x, password_file: %s}\n", path),
		"users:\n  - {name: carol, password_file: /nonexistent/carol.pw}\n",
	} {
		if _, err := parseConfig([]byte(bad), env(nil)); err == nil || !strings.Contains(err.Error(), "users[0]") {
			t.Errorf("%q: error %v, want one naming users[0]", bad, err)
		}
	}
}

func TestAuthConfig(t *testing.T) {
	cfg, err := parseConfig([]byte("auth:\n  method: password\n  require_tls: true\n  max_failed_logins: 3\n  failed_login_refill: 30s\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := authConfig{Method: "password", RequireTLS: true, MaxFailedLogins: 3, FailedLoginRefill: 30 * time.Second}
	if cfg.Auth != want {
		t.Fatalf("auth: got %+v, want %+v", cfg.Auth, want)
	}
}

func TestClientCertConfig(t *testing.T) {
	cfg, err := parseConfig([]byte("tls:\n  cert: s.crt\n  key: s.key\n  client_ca: clients.crt\nauth:\n  client_cert: verify-full\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := authConfig{ClientCA: "clients.crt", ClientCert: wire.ClientCertVerifyFull}
	if cfg.Auth != want || cfg.TLSCert != "s.crt" {
		t.Fatalf("auth: got %+v, want %+v", cfg.Auth, want)
	}
}

func TestJWTConfig(t *testing.T) {
	yaml := "auth:\n  method: jwt\n  jwt:\n    jwks_url: https://idp.example.com/jwks.json\n    issuer: https://idp.example.com\n" +
		"    audience: junction\n    role_claim: preferred_username\n    algorithms: [ES256, PS256]\n"
	cfg, err := parseConfig([]byte(yaml), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := auth.JWTConfig{JWKSURL: "https://idp.example.com/jwks.json", Issuer: "https://idp.example.com", Audience: "junction",
		RoleClaim: "preferred_username", Algorithms: []string{"ES256", "PS256"}}
	if cfg.Auth.Method != "jwt" || cfg.Auth.JWT == nil || !reflect.DeepEqual(*cfg.Auth.JWT, want) {
		t.Fatalf("auth: got %+v (jwt %+v), want jwt %+v", cfg.Auth, cfg.Auth.JWT, want)
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"unknown top-level field", "lisen: x\n", []string{"line 1", "unknown field lisen"}},
		{"unknown nested field", "tls:\n  cert: a\n  kee: b\n", []string{"line 3", "tls.kee"}},
		{"unknown source field", "sources:\n  - name: a\n    wraper: sqlite\n", []string{"line 3", "sources[0].wraper"}},
		{"unknown wrapper", "sources:\n  - name: a\n    wrapper: oracle\n", []string{"sources[0].wrapper", `"oracle"`, "sqlite"}},
		{"missing wrapper", "sources:\n  - name: a\n", []string{"sources[0].wrapper is missing"}},
		{"missing source name", "sources:\n  - wrapper: sqlite\n", []string{"sources[0].name is missing"}},
		{"duplicate source", "sources:\n  - {name: a, wrapper: sqlite}\n  - {name: a, wrapper: sqlite}\n", []string{"sources[1]", "declared twice"}},
		{"unset password_env", "users:\n  - name: bob\n    password_env: NOPE\n", []string{"users[0].password_env", "NOPE is not set"}},
		{"source password given twice", "sources:\n  - name: s\n    wrapper: postgres\n    options: {password: x, password_file: /run/secrets/s}\n", []string{"sources[0].options", "conflicting options password and password_file"}},
		{"user without password", "users:\n  - name: bob\n", []string{"users[0]", "needs a password"}},
		{"superuser not a boolean", "users:\n  - {name: bob, password: x, superuser: maybe}\n", []string{"users[0].superuser", "not a boolean"}},
		{"users not a list", "users: bob\n", []string{"line 1", "users must be a list"}},
		{"option not a value", "sources:\n  - name: a\n    wrapper: sqlite\n    options:\n      path: [x]\n", []string{"line 5", "sources[0].options.path must be a single value"}},
		{"bad YAML", "listen: [\n", []string{"line"}},
		{"unknown source default", "source_defaults:\n  breaker_failure: 3\n", []string{"line 2", "source_defaults.breaker_failure", "breaker_failures"}},
		{"bad statement_timeout", "statement_timeout: soon\n", []string{"line 1", "statement_timeout", `"soon"`}},
		{"negative shutdown_timeout", "shutdown_timeout: -1s\n", []string{"line 1", "shutdown_timeout"}},
		{"bad work_mem", "work_mem: 4 gigs\n", []string{"line 1", "work_mem", `"4 gigs"`}},
		{"tiny max_memory", "max_memory: 1kB\n", []string{"line 1", "max_memory", "at least 64kB"}},
		{"zero max_connections", "max_connections: 0\n", []string{"line 1", "max_connections", "positive integer"}},
		{"bad source default", "source_defaults:\n  breaker_cooldown: soon\n", []string{"line 2", "source_defaults", "breaker_cooldown"}},
		{"bad log format", "log:\n  format: xml\n", []string{"line 2", "log.format", "text or json"}},
		{"bad log level", "log:\n  level: loud\n", []string{"line 2", "log.level", "debug, info, warn or error"}},
		{"unknown audit field", "audit:\n  file: a.jsonl\n", []string{"line 2", "audit.file", "path"}},
		{"bad audit queue", "audit:\n  queue: -1\n", []string{"line 2", "audit.queue"}},
		{"unknown auth method", "auth:\n  method: md5\n", []string{"line 2", "auth.method", "scram-sha-256, password or jwt"}},
		{"unknown jwt field", "auth:\n  jwt:\n    issuer: a\n    jwks: b\n", []string{"line 4", "auth.jwt.jwks", "jwks_file"}},
		{"bad require_tls", "auth:\n  require_tls: maybe\n", []string{"line 2", "auth.require_tls", "boolean"}},
		{"zero max_failed_logins", "auth:\n  max_failed_logins: 0\n", []string{"line 2", "auth.max_failed_logins", "positive integer"}},
		{"bad failed_login_refill", "auth:\n  failed_login_refill: soon\n", []string{"line 2", "auth.failed_login_refill"}},
		{"unknown client_cert mode", "auth:\n  client_cert: require\n", []string{"line 2", "auth.client_cert", "verify-full, verify-ca or off"}},
		{"unknown tls field", "tls:\n  ca: ca.crt\n", []string{"line 2", "tls.ca", "client_ca"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig([]byte(tc.yaml), env(nil))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestConfigFileErrorNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(path, []byte("sources: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := loadConfigFile(path, env(nil))
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "sources") {
		t.Fatalf("got %v, want an error naming %s and the field", err, path)
	}
}

func TestFlagsOverrideConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(path, []byte("listen: 127.0.0.1:7000\nhttp: 127.0.0.1:7001\ndata_dir: fromfile\ncatalog: postgres://file/junction\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := resolveSettings(serveMode, settings{listen: "127.0.0.1:8000", http: defaultHTTP, catalogURL: "postgres://flag/junction"}, map[string]bool{"listen": true, "catalog": true}, path)
	if err != nil {
		t.Fatal(err)
	}
	if s.listen != "127.0.0.1:8000" || s.http != "127.0.0.1:7001" || s.dataDir != "fromfile" || s.catalogURL != "postgres://flag/junction" {
		t.Fatalf("merged settings: %+v", s)
	}
	s, err = resolveSettings(serveMode, settings{http: ""}, map[string]bool{"http": true}, path)
	if err != nil || s.http != "" {
		t.Fatalf("--http= did not turn HTTP off: %+v, %v", s, err)
	}
	off := filepath.Join(t.TempDir(), "off.yaml")
	if err := os.WriteFile(off, []byte("http: \"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = resolveSettings(serveMode, settings{}, nil, off)
	if err != nil || s.http != "" {
		t.Fatalf(`http: "" in the file did not turn HTTP off: %+v, %v`, s, err)
	}
}

func TestDefaultDataDirs(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", filepath.Join("xdg", "data"))
	dir, err := defaultDataDir(serveMode)
	if err != nil || dir != filepath.Join("xdg", "data", "junction") {
		t.Fatalf("serve: %q, %v", dir, err)
	}
	dir, err = defaultDataDir(demoMode)
	if err != nil || dir != filepath.Join(os.TempDir(), "junction-demo") {
		t.Fatalf("demo: %q, %v", dir, err)
	}
}

func TestParseLogAndAuditConfig(t *testing.T) {
	cfg, err := parseConfig([]byte("log:\n  format: json\n  level: debug\naudit:\n  path: audit.jsonl\n  queue: 100\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LogFormat != "json" || cfg.LogLevel != "debug" || cfg.AuditPath != "audit.jsonl" || cfg.AuditQueue != 100 {
		t.Errorf("parsed %+v", cfg)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "junction.yaml")
	if err := os.WriteFile(path, []byte("data_dir: "+dir+"\naudit:\n  path: logs/audit.jsonl\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := resolveSettings(serveMode, settings{}, map[string]bool{}, path)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "logs", "audit.jsonl"); s.auditPath != want {
		t.Errorf("a relative audit path resolves to %q, want %q in the data directory", s.auditPath, want)
	}
}
