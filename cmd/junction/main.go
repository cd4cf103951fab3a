// Command junction is the Junction server: PostgreSQL clients connect to it
// and query PostgreSQL, MySQL/MariaDB and SQLite sources and data files as one database.
//
// Usage:
//
//	junction serve [flags]   run the server
//	junction demo [flags]    run the server with generated SQLite and files sources
//	junction version         print the version
//	junction catalog export [--catalog URL | --data-dir DIR] [--secret-key-file FILE] > catalog.json
//	junction catalog import [--catalog URL | --data-dir DIR] [--secret-key-file FILE] < catalog.json
//	                         copy a catalog between the file of a data
//	                         directory and a PostgreSQL catalog database;
//	                         passwords stay encrypted, so the servers
//	                         reading it need the same secret key
//
// Flags of serve and demo:
//
//	--listen ADDR      PostgreSQL wire address (default 127.0.0.1:15432)
//	--http ADDR        HTTP address of /metrics, /healthz and /readyz (default
//	                   127.0.0.1:15480; an empty value turns HTTP off)
//	--data-dir DIR     where the catalog (and the demo's databases) live;
//	                   serve defaults to $XDG_DATA_HOME/junction or
//	                   ~/.local/share/junction, demo to junction-demo in the
//	                   system's temporary directory
//	--catalog URL      keep the catalog in this PostgreSQL database
//	                   (postgres://...) instead of the data directory, so
//	                   that several servers share it (see README)
//	--secret-key-file FILE
//	                   the key (base64 of 32 bytes) that encrypts the source
//	                   passwords the catalog stores; default:
//	                   $JUNCTION_SECRET_KEY, else secret.key in the data
//	                   directory, generated at the first start
//	--config FILE      YAML configuration file (below)
//	--tls-cert FILE    PEM certificate; with --tls-key, clients may use TLS
//	--tls-key FILE     PEM private key
//
// Flags override the configuration file, which overrides the defaults.
//
// # Configuration file
//
//	listen: 127.0.0.1:15432
//	data_dir: /var/lib/junction
//	catalog: postgres://junction@catalog-db/junction   # default: data_dir's file
//	secret_key_file: /etc/junction/secret.key  # as --secret-key-file
//	http: 127.0.0.1:15480          # "" turns HTTP off
//	tls:
//	  cert: /etc/junction/server.crt
//	  key: /etc/junction/server.key
//	  client_ca: /etc/junction/clients.crt  # CA bundle of client certificates
//	auth:
//	  method: scram-sha-256      # or password: clear text, only with require_tls
//	  require_tls: false         # true: refuse connections without TLS (28000)
//	  client_cert: off           # verify-ca: certificate and password; verify-full: certificate alone
//	  max_failed_logins: 5       # per client host before its logins are refused
//	  failed_login_refill: 1m    # one more attempt allowed per interval
//	  jwt:                       # identity provider tokens as passwords (needs require_tls)
//	    jwks_file: /etc/junction/jwks.json   # or jwks_url: https://idp/.well-known/jwks.json
//	    issuer: https://idp.example.com
//	    audience: junction
//	    role_claim: sub          # the claim naming the role; must equal the user
//	    algorithms: [RS256, ES256]
//	users:                       # none: every client is trusted
//	  - name: analyst            # a LOGIN role; the configuration keeps it
//	    password_env: JUNCTION_ANALYST_PASSWORD   # or password: secret, or
//	                                              # password_file: PATH
//	statement_timeout: 30s       # sessions' default (0, the default: none)
//	idle_in_transaction_session_timeout: 10m   # sessions' default (0: none)
//	max_connections: 100         # client sessions open at once (100)
//	shutdown_timeout: 30s        # SIGTERM lets statements run this long (30s)
//	max_memory: 8GB              # memory all queries hold together (half the RAM)
//	work_mem: 2GB                # sessions' default bound of one query (max_memory/4)
//	source_defaults:             # for sources whose OPTIONS do not say
//	  breaker_failures: 5        # consecutive failures that open the breaker
//	  breaker_cooldown: 10s      # open for this long, then one probe
//	  health_interval: 10s       # time between two health checks
//	  required: false            # /readyz fails while a required source is down
//	log:
//	  format: text               # text (default) or json
//	  level: info                # debug, info (default), warn or error
//	audit:                       # no audit log unless a path is given
//	  path: audit.jsonl          # one JSON line per statement; relative
//	                             # paths are in the data directory
//	  queue: 8192                # records waiting to be written; a record
//	                             # that finds the queue full is dropped
//	sources:
//	  - name: crm                # the schema the source's tables appear in
//	    wrapper: postgres        # postgres, mysql, sqlite or files (or an alias
//	                             # such as postgres_fdw, mysql_fdw)
//	    options:                 # the OPTIONS of CREATE SERVER
//	      host: db.internal
//	      port: 5432
//	      dbname: crm
//	      user: junction
//	      password_env: CRM_PASSWORD   # read from the environment at each
//	                                   # connection; or password_file: PATH
//	  - name: files
//	    wrapper: sqlite
//	    options: {path: /data/files.db}
//
// Durations are seconds or Go durations (500ms, 2m); sizes are
// PostgreSQL's (a number of kB, or with a unit: B, kB, MB, GB, TB).
// Queries spill to <data_dir>/tmp, emptied when the server starts. On SIGTERM or SIGINT
// the server stops accepting connections, lets running statements finish
// for up to shutdown_timeout, ends every session with FATAL 57P01 once it
// is idle or its statement is cancelled, closes the source connections
// and exits with status 0.
//
// Every field is optional. A user's password may be given inline
// (password) or as the name of an environment variable that holds it
// (password_env); the variable must be set. A source's password may be
// given inline (password), or as an environment variable (password_env)
// or a file (password_file) read each time the source connects. Sources declared here are registered at every
// start and are not written to the catalog, so removing one from the file
// removes it from Junction; sources added with CREATE SERVER are kept in
// the catalog in the data directory.
//
// When serve finds no sources, neither in the file nor in the catalog, it
// starts with the demo's sources, so that there is something to query.
// demo always adds them, under the names crm and shop, and lets the user
// junction log in with password junction unless the file declares users.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	// The source types a server can connect to register themselves.
	_ "github.com/junction-db/junction/connectors/mysql"
	_ "github.com/junction-db/junction/connectors/postgres"
	_ "github.com/junction-db/junction/connectors/sqlite"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes a command line and returns the process's exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "serve":
		return serveCommand(ctx, serveMode, args[1:], stdout, stderr)
	case "demo":
		return serveCommand(ctx, demoMode, args[1:], stdout, stderr)
	case "catalog":
		return catalogCommand(ctx, args[1:], os.Stdin, stdout, stderr)
	case "version":
		if len(args) > 1 {
			fmt.Fprintf(stderr, "junction version takes no arguments\n")
			return 2
		}
		fmt.Fprintf(stdout, "junction %s\n", version)
		return 0
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "junction: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  junction serve [flags]   run the server
  junction demo [flags]    run the server with generated SQLite and files sources
  junction version         print the version
  junction catalog export|import [--catalog URL | --data-dir DIR] [--secret-key-file FILE]
                           write the catalog to stdout, or replace it
                           with the one read from stdin

Run "junction serve -h" for the flags.
`)
}
