package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/junction-db/junction/audit"
	"github.com/junction-db/junction/auth"
	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors/guard"
	"github.com/junction-db/junction/engine"
	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/secrets"
	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/wire"
)

type mode int

const (
	serveMode mode = iota
	demoMode
)

func (m mode) String() string {
	if m == demoMode {
		return "demo"
	}
	return "serve"
}

const (
	defaultListen = "127.0.0.1:15432"
	defaultHTTP   = "127.0.0.1:15480"
)

// settings is what a server runs with, after defaults, the configuration
// file and the flags have been merged.
type settings struct {
	listen  string
	http    string
	dataDir string
	// catalogURL, when set, keeps the catalog in that PostgreSQL database
	// instead of the data directory's file.
	catalogURL string
	// secretKeyFile holds the key sealing stored source passwords; see
	// loadSecretKey.
	secretKeyFile string
	tlsCert       string
	tlsKey        string
	users         []catalog.User
	auth          authConfig
	// sqliteDirs are the directories SQLite servers made by SQL may
	// read; without sqlite_dirs in the configuration, the data directory.
	sqliteDirs []string
	// filesDirs are the directories files servers made by SQL may read;
	// without files_dirs in the configuration, the data directory.
	filesDirs []string
	sources   []catalog.Source
	// sourceDefaults is zero without a configuration file: the engine's
	// defaults apply.
	sourceDefaults guard.Options
	// statementTimeout and idleInTransactionTimeout are the sessions'
	// default statement_timeout and idle_in_transaction_session_timeout
	// (zero: none), maxConnections bounds the sessions open at once, and
	// shutdownTimeout is how long a shutdown lets running statements
	// finish.
	statementTimeout         time.Duration
	idleInTransactionTimeout time.Duration
	maxConnections           int
	shutdownTimeout          time.Duration
	// logFormat and logLevel configure the log ("" for text and info).
	logFormat, logLevel string
	// auditPath is the audit log's file, "" for none; a relative path
	// is in the data directory.
	auditPath  string
	auditQueue int
	// maxMemory and workMem are the queries' memory budgets (zero: sized
	// from the machine).
	maxMemory, workMem int64
}

// defaultShutdownTimeout is how long SIGTERM lets running statements
// finish unless the configuration says otherwise.
const defaultShutdownTimeout = 30 * time.Second

// serveCommand runs "junction serve" or "junction demo".
func serveCommand(ctx context.Context, m mode, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("junction "+m.String(), flag.ContinueOnError)
	fs.SetOutput(stderr)
	var flags settings
	var configPath string
	fs.StringVar(&flags.listen, "listen", defaultListen, "PostgreSQL wire `address`")
	fs.StringVar(&flags.http, "http", defaultHTTP, "HTTP `address` of /metrics, /healthz and /readyz; empty turns HTTP off")
	fs.StringVar(&flags.dataDir, "data-dir", "", "data `directory` (default "+defaultDataDirText(m)+")")
	fs.StringVar(&flags.catalogURL, "catalog", "", "keep the catalog in the PostgreSQL database at this `URL` (postgres://...), shared by every server that names it; default: a file in the data directory")
	fs.StringVar(&flags.secretKeyFile, "secret-key-file", "", "`file` holding the key (base64 of 32 bytes) that encrypts stored source passwords; default: $"+secrets.KeyEnv+", else "+secrets.KeyFileName+" in the data directory, generated at first start")
	fs.StringVar(&configPath, "config", "", "YAML configuration `file`")
	fs.StringVar(&flags.tlsCert, "tls-cert", "", "TLS certificate `file` (PEM)")
	fs.StringVar(&flags.tlsKey, "tls-key", "", "TLS private key `file` (PEM)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "junction %s: unexpected argument %q\n", m, fs.Arg(0))
		fs.Usage()
		return 2
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	s, err := resolveSettings(m, flags, explicit, configPath)
	if err != nil {
		logger.Error(err.Error())
		return 1
	}
	if logger, err = telemetry.NewLogger(stderr, s.logFormat, s.logLevel); err != nil {
		slog.New(slog.NewTextHandler(stderr, nil)).Error(err.Error())
		return 1
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, m, s, logger, stdout, stderr); err != nil {
		logger.Error(err.Error())
		return 1
	}
	return 0
}

// resolveSettings merges the defaults, the configuration file and the
// flags that were given explicitly, in that order of precedence.
func resolveSettings(m mode, flags settings, explicit map[string]bool, configPath string) (settings, error) {
	s := settings{listen: defaultListen, http: defaultHTTP, maxConnections: wire.DefaultMaxConnections, shutdownTimeout: defaultShutdownTimeout}
	if configPath != "" {
		cfg, err := loadConfigFile(configPath, os.LookupEnv)
		if err != nil {
			return s, err
		}
		overrideIfSet(&s.listen, cfg.Listen)
		if cfg.HTTP != nil {
			s.http = *cfg.HTTP
		}
		overrideIfSet(&s.dataDir, cfg.DataDir)
		overrideIfSet(&s.catalogURL, cfg.Catalog)
		overrideIfSet(&s.secretKeyFile, cfg.SecretKeyFile)
		overrideIfSet(&s.tlsCert, cfg.TLSCert)
		overrideIfSet(&s.tlsKey, cfg.TLSKey)
		s.users, s.sources, s.sourceDefaults, s.auth = cfg.Users, cfg.Sources, cfg.SourceDefaults, cfg.Auth
		if l := cfg.Sessions; l.StatementTimeout != nil {
			s.statementTimeout = *l.StatementTimeout
		}
		if l := cfg.Sessions; l.IdleInTransactionTimeout != nil {
			s.idleInTransactionTimeout = *l.IdleInTransactionTimeout
		}
		if l := cfg.Sessions; l.MaxConnections != nil {
			s.maxConnections = *l.MaxConnections
		}
		if l := cfg.Sessions; l.ShutdownTimeout != nil {
			s.shutdownTimeout = *l.ShutdownTimeout
		}
		s.logFormat, s.logLevel, s.auditPath, s.auditQueue = cfg.LogFormat, cfg.LogLevel, cfg.AuditPath, cfg.AuditQueue
		s.maxMemory, s.workMem = cfg.MaxMemory, cfg.WorkMem
		s.sqliteDirs = cfg.SQLiteDirs
		s.filesDirs = cfg.FilesDirs
	}
	fromFlag := func(name string, dst *string, value string) {
		if explicit[name] {
			*dst = value
		}
	}
	fromFlag("listen", &s.listen, flags.listen)
	fromFlag("http", &s.http, flags.http)
	fromFlag("data-dir", &s.dataDir, flags.dataDir)
	fromFlag("catalog", &s.catalogURL, flags.catalogURL)
	fromFlag("secret-key-file", &s.secretKeyFile, flags.secretKeyFile)
	fromFlag("tls-cert", &s.tlsCert, flags.tlsCert)
	fromFlag("tls-key", &s.tlsKey, flags.tlsKey)
	if (s.tlsCert == "") != (s.tlsKey == "") {
		return s, errors.New("TLS needs both --tls-cert and --tls-key")
	}
	if s.dataDir == "" {
		dir, err := defaultDataDir(m)
		if err != nil {
			return s, err
		}
		s.dataDir = dir
	}
	if s.sqliteDirs == nil {
		s.sqliteDirs = []string{s.dataDir}
	}
	if s.filesDirs == nil {
		s.filesDirs = []string{s.dataDir}
	}
	for _, dirs := range [][]string{s.sqliteDirs, s.filesDirs} {
		for i, dir := range dirs {
			if !filepath.IsAbs(dir) {
				dirs[i] = filepath.Join(s.dataDir, dir)
			}
		}
	}
	if s.auditPath != "" && !filepath.IsAbs(s.auditPath) {
		s.auditPath = filepath.Join(s.dataDir, s.auditPath)
	}
	return s, nil
}

func overrideIfSet(dst *string, value string) {
	if value != "" {
		*dst = value
	}
}

// defaultDataDir is where serve keeps its catalog when not told otherwise
// (the XDG data directory), and where demo keeps its catalog and
// databases: a temporary directory it can always write to.
func defaultDataDir(m mode) (string, error) {
	if m == demoMode {
		return filepath.Join(os.TempDir(), "junction-demo"), nil
	}
	if xdg := os.Getenv("XDG_DATA_HOME"); xdg != "" {
		return filepath.Join(xdg, "junction"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot choose a data directory (%v); pass --data-dir", err)
	}
	return filepath.Join(home, ".local", "share", "junction"), nil
}

func defaultDataDirText(m mode) string {
	if m == demoMode {
		return "junction-demo in the temporary directory"
	}
	return "$XDG_DATA_HOME/junction or ~/.local/share/junction"
}

// serve runs a server until ctx ends, then shuts it down cleanly.
func serve(ctx context.Context, m mode, s settings, log *slog.Logger, stdout, stderr io.Writer) error {
	key, err := loadSecretKey(s.secretKeyFile, s.dataDir, s.catalogURL != "", log)
	if err != nil {
		return err
	}
	cat, err := openCatalog(ctx, s.catalogURL, s.dataDir)
	if err != nil {
		return err
	}
	defer cat.Store().Close()
	if fst, ok := cat.Store().(*catalog.FileStore); ok {
		changed, err := fst.TightenPermissions()
		for _, c := range changed {
			log.Warn("restricted permissions of the catalog to its owner", "change", c)
		}
		if err != nil {
			return err
		}
	}
	sources, users, sqliteDirs, filesDirs := s.sources, s.users, s.sqliteDirs, s.filesDirs
	if m == demoMode || len(sources) == 0 && len(cat.Snapshot().Sources) == 0 {
		demoDir := filepath.Join(s.dataDir, "demo")
		sqliteDirs = append(slices.Clip(sqliteDirs), demoDir)
		filesDirs = append(slices.Clip(filesDirs), demoDir)
		demo, err := prepareDemo(demoDir)
		if err != nil {
			return fmt.Errorf("prepare demo sources: %w", err)
		}
		for _, d := range demo {
			for _, src := range sources {
				if src.Name == d.Name {
					return fmt.Errorf("source %q of the configuration clashes with the demo source of that name; rename it", src.Name)
				}
			}
		}
		sources = append(sources, demo...)
		if m == demoMode && len(users) == 0 {
			users = []catalog.User{demoUser}
		}
		if m == serveMode {
			log.Info("no sources configured; starting with the demo sources", "sources", "demo_crm, demo_shop, demo_lake")
		}
	}
	for _, src := range sources {
		log.Info("declared source", "name", src.Name, "wrapper", src.Wrapper, "options", src.RedactedOptions())
	}
	metrics := telemetry.NewMetrics()
	var auditLog *audit.Log
	if s.auditPath != "" {
		if auditLog, err = audit.Open(s.auditPath, s.auditQueue, metrics, log); err != nil {
			return err
		}
		// Deferred first, so closed last: the sessions closing before it
		// still write their records.
		defer auditLog.Close() //nolint:errcheck // the process is stopping
		log.Info("writing the audit log", "path", s.auditPath)
	}
	tempDir := filepath.Join(s.dataDir, "tmp")
	if err := memory.CleanTempDir(tempDir); err != nil {
		return fmt.Errorf("clean temporary directory: %w", err)
	}
	configureFiles(s.maxMemory, tempDir)
	copies, err := openLocalCopies(ctx, s.dataDir)
	if err != nil {
		if m != demoMode {
			return err
		}
		// Another demo may hold the shared demo directory's file.
		log.Warn("materialized views are unavailable", "error", err)
	}
	eng, err := engine.New(ctx, engine.Config{LocalCopies: copies, Catalog: cat, Users: users, TokenAuth: s.auth.JWT != nil, SQLiteDirs: sqliteDirs, FilesDirs: filesDirs, Sources: sources, Logger: log, SourceDefaults: s.sourceDefaults,
		Metrics: metrics, Audit: auditLog,
		StatementTimeout: s.statementTimeout, IdleInTransactionTimeout: s.idleInTransactionTimeout, MaxConnections: s.maxConnections,
		MaxMemory: s.maxMemory, WorkMem: s.workMem, TempDir: tempDir, SecretKey: key})
	if err != nil {
		if copies != nil {
			copies.Close() //nolint:errcheck // the start failed already
		}
		return err
	}
	defer eng.Close()
	limitHeap(eng.MemoryPool())
	if pg, ok := cat.Store().(*catalog.PostgresStore); ok {
		// The engine follows the other servers' changes from here on.
		pg.Watch(ctx, cat, log)
	}

	var tokens *auth.JWTVerifier
	if s.auth.JWT != nil {
		if tokens, err = auth.NewJWTVerifier(ctx, *s.auth.JWT, log); err != nil {
			return err
		}
	}
	srv, err := wire.New(eng, wire.Options{TLSCert: s.tlsCert, TLSKey: s.tlsKey, Logger: log, MaxConnections: s.maxConnections,
		AuthMethod: s.auth.Method, RequireTLS: s.auth.RequireTLS, ClientCA: s.auth.ClientCA, ClientCert: s.auth.ClientCert, MaxFailedLogins: s.auth.MaxFailedLogins, FailedLoginRefill: s.auth.FailedLoginRefill,
		JWT: tokens})
	if err != nil {
		return err
	}
	pgListener, err := net.Listen("tcp", s.listen)
	if err != nil {
		return fmt.Errorf("listen for PostgreSQL clients: %w", err)
	}
	failed := make(chan error, 2)
	go func() {
		if err := srv.Serve(pgListener); err != nil {
			failed <- fmt.Errorf("PostgreSQL wire server: %w", err)
		}
	}()
	defer srv.Close() //nolint:errcheck // closing is best effort once the server stops

	// shuttingDown turns /readyz to 503 while the server drains.
	var shuttingDown atomic.Bool
	if s.http != "" {
		httpListener, err := net.Listen("tcp", s.http)
		if err != nil {
			return fmt.Errorf("listen for HTTP: %w", err)
		}
		httpSrv := &http.Server{Handler: httpHandler(eng, metrics, &shuttingDown), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := httpSrv.Serve(httpListener); !errors.Is(err, http.ErrServerClosed) {
				failed <- fmt.Errorf("HTTP server: %w", err)
			}
		}()
		defer func() {
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			httpSrv.Shutdown(shutdownCtx) //nolint:errcheck // the process is stopping
		}()
		log.Info("serving HTTP", "address", httpListener.Addr().String())
	}
	log.Info("serving PostgreSQL clients", "address", pgListener.Addr().String(), "data_dir", s.dataDir, "catalog", cat.Store().Describe(),
		"tls", s.tlsCert != "", "require_tls", s.auth.RequireTLS, "auth", srv.AuthMethod(), "client_cert", srv.ClientCert())
	if m == demoMode {
		printDemoGreeting(stdout, stderr, pgListener.Addr(), users, s.tlsCert != "")
	}

	select {
	case <-ctx.Done():
	case err := <-failed:
		return err
	}
	shuttingDown.Store(true)
	log.Info("shutting down: no new connections; running statements may finish", "timeout", s.shutdownTimeout.String(),
		"sessions", srv.Sessions())
	drain, cancel := context.WithTimeout(context.Background(), s.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(drain); err != nil {
		return fmt.Errorf("shut down the PostgreSQL wire server: %w", err)
	}
	log.Info("every session has ended; closing the source connections")
	return nil
}

// httpHandler serves the liveness and readiness probes and the metrics; a
// server that is shutting down is not ready.
func httpHandler(eng *engine.Engine, metrics *telemetry.Metrics, shuttingDown *atomic.Bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(metrics.Registry(), promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "ok\n") //nolint:errcheck // the client may be gone
	})
	// Readiness fails only for sources marked required (others fail just
	// the queries that need them) and during a shutdown.
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		unhealthy := eng.Unready()
		if unhealthy == nil {
			unhealthy = []engine.Unhealthy{}
		}
		stopping := shuttingDown.Load()
		ready := len(unhealthy) == 0 && !stopping
		w.Header().Set("Content-Type", "application/json")
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(struct { //nolint:errcheck // the client may be gone
			Ready        bool               `json:"ready"`
			ShuttingDown bool               `json:"shutting_down,omitempty"`
			Unhealthy    []engine.Unhealthy `json:"unhealthy"`
		}{ready, stopping, unhealthy})
	})
	return mux
}

// limitHeap gives the Go runtime a soft memory limit a quarter above the
// queries' server-wide budget, unless GOMEMLIMIT sets one: the garbage of
// batches operators let go of is then collected before the process grows
// far past what the budget accounts for. Under a memory limit the
// collector runs at gcPercent unless GOGC says otherwise.
func limitHeap(pool *memory.Pool) {
	_, limited := os.LookupEnv("GOMEMLIMIT")
	if !limited && pool.Limit() > 0 {
		debug.SetMemoryLimit(pool.Limit() + pool.Limit()/4)
		limited = true
	}
	if _, set := os.LookupEnv("GOGC"); limited && !set {
		debug.SetGCPercent(gcPercent)
	}
}

// gcPercent is the collector's GOGC when a memory limit bounds the heap.
// Under many small queries the live heap is a few megabytes, and Go's
// default of 100 collects it about thirty times a second: marking took 7%
// of the server's CPU under pgbench -M prepared. Collecting when the heap
// has tripled spends about half of that. A larger setting saves little
// more and lets the heap of many open sessions grow too far (fivefold
// took 200 sessions past 1 GiB); the memory limit still collects early
// whenever the heap nears it.
const gcPercent = 200
