package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/junction-db/junction/auth"
	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/guard"
	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/secrets"
	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/wire"
	"gopkg.in/yaml.v3"
)

// fileConfig is the content of a configuration file; see the package
// documentation for its format.
type fileConfig struct {
	Listen  string
	DataDir string
	Catalog string
	// SecretKeyFile holds the key that seals stored source passwords.
	SecretKeyFile string
	// HTTP is nil when the file does not mention it; empty turns HTTP off.
	HTTP    *string
	TLSCert string
	TLSKey  string
	Users   []catalog.User
	// SQLiteDirs are the directories SQLite servers made by SQL may read;
	// nil when the file does not mention them (the data directory then).
	SQLiteDirs []string
	// FilesDirs are the directories files servers made by SQL may read;
	// nil when the file does not mention them (the data directory then).
	FilesDirs []string
	Sources   []catalog.Source
	// SourceDefaults are the breaker and health check settings of sources
	// whose OPTIONS do not set them.
	SourceDefaults guard.Options
	// LogFormat (text or json) and LogLevel configure the server's log.
	LogFormat, LogLevel string
	// AuditPath is the audit log's file ("" for none); AuditQueue the
	// records that may wait to be written.
	AuditPath  string
	AuditQueue int
	// Sessions are the limits on client sessions; nil fields were not
	// given.
	Sessions sessionLimits
	// MaxMemory and WorkMem are the server-wide memory budget of queries
	// and the work_mem sessions start with, in bytes; zero when not given.
	MaxMemory, WorkMem int64
	// Auth is how clients authenticate.
	Auth authConfig
}

// authConfig is the auth section: the password method, whether TLS is
// required, and the limit on failed logins per client host (zero: the
// server's default).
type authConfig struct {
	Method     wire.AuthMethod
	RequireTLS bool
	// ClientCA (read from the tls section) signs the client certificates
	// ClientCert asks for.
	ClientCA          string
	ClientCert        wire.ClientCertMode
	MaxFailedLogins   int
	FailedLoginRefill time.Duration
	// JWT accepts identity provider tokens as passwords; nil when the
	// section has no jwt.
	JWT *auth.JWTConfig
}

// sessionLimits bound client sessions and their statements.
type sessionLimits struct {
	// StatementTimeout and IdleInTransactionTimeout are the
	// statement_timeout and idle_in_transaction_session_timeout sessions
	// start with.
	StatementTimeout, IdleInTransactionTimeout *time.Duration
	// MaxConnections bounds the sessions open at once.
	MaxConnections *int
	// ShutdownTimeout is how long a shutdown lets running statements
	// finish before it cancels them.
	ShutdownTimeout *time.Duration
}

// loadConfigFile reads and checks a configuration file. Its errors name
// the file, the line and the field.
func loadConfigFile(path string, lookupEnv func(string) (string, bool)) (*fileConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config file: %w", err)
	}
	cfg, err := parseConfig(data, lookupEnv)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return cfg, nil
}

// parseConfig walks the YAML tree itself rather than decoding into
// structs, so that every error can say which field is wrong and where.
func parseConfig(data []byte, lookupEnv func(string) (string, bool)) (*fileConfig, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	cfg := &fileConfig{SourceDefaults: guard.Defaults()}
	if len(doc.Content) == 0 {
		return cfg, nil
	}
	p := configParser{lookupEnv: lookupEnv}
	err := p.mapping(doc.Content[0], "", func(k *yaml.Node, at string, v *yaml.Node) error {
		switch k.Value {
		case "listen":
			return p.scalar(v, at, &cfg.Listen)
		case "data_dir":
			return p.scalar(v, at, &cfg.DataDir)
		case "catalog":
			return p.scalar(v, at, &cfg.Catalog)
		case "secret_key_file":
			return p.scalar(v, at, &cfg.SecretKeyFile)
		case "http":
			cfg.HTTP = new(string)
			return p.scalar(v, at, cfg.HTTP)
		case "tls":
			return p.mapping(v, at, func(k *yaml.Node, at string, v *yaml.Node) error {
				switch k.Value {
				case "cert":
					return p.scalar(v, at, &cfg.TLSCert)
				case "key":
					return p.scalar(v, at, &cfg.TLSKey)
				case "client_ca":
					return p.scalar(v, at, &cfg.Auth.ClientCA)
				}
				return unknownField(k, at, "cert", "key", "client_ca")
			})
		case "auth":
			return p.auth(v, at, &cfg.Auth)
		case "users":
			return p.sequence(v, at, func(at string, v *yaml.Node) error {
				u, err := p.user(v, at)
				if err != nil {
					return err
				}
				for _, other := range cfg.Users {
					if other.Name == u.Name {
						return fmt.Errorf("line %d: %s: user %q is declared twice", v.Line, at, u.Name)
					}
				}
				cfg.Users = append(cfg.Users, u)
				return nil
			})
		case "sqlite_dirs":
			return p.directories(v, at, &cfg.SQLiteDirs)
		case "files_dirs":
			return p.directories(v, at, &cfg.FilesDirs)
		case "source_defaults":
			return p.sourceDefaults(v, at, &cfg.SourceDefaults)
		case "statement_timeout":
			return p.duration(v, at, &cfg.Sessions.StatementTimeout)
		case "idle_in_transaction_session_timeout":
			return p.duration(v, at, &cfg.Sessions.IdleInTransactionTimeout)
		case "shutdown_timeout":
			return p.duration(v, at, &cfg.Sessions.ShutdownTimeout)
		case "max_memory":
			return p.memory(v, at, &cfg.MaxMemory)
		case "work_mem":
			return p.memory(v, at, &cfg.WorkMem)
		case "max_connections":
			var text string
			if err := p.scalar(v, at, &text); err != nil {
				return err
			}
			n, err := strconv.Atoi(text)
			if err != nil || n < 1 {
				return fmt.Errorf("line %d: %s: %q is not a positive integer", v.Line, at, text)
			}
			cfg.Sessions.MaxConnections = &n
			return nil
		case "log":
			return p.mapping(v, at, func(k *yaml.Node, at string, v *yaml.Node) error {
				switch k.Value {
				case "format":
					if err := p.scalar(v, at, &cfg.LogFormat); err != nil {
						return err
					}
					if f := cfg.LogFormat; f != telemetry.LogText && f != telemetry.LogJSON {
						return fmt.Errorf("line %d: %s: %q is not a log format (expected text or json)", v.Line, at, f)
					}
					return nil
				case "level":
					if err := p.scalar(v, at, &cfg.LogLevel); err != nil {
						return err
					}
					var level slog.Level
					if level.UnmarshalText([]byte(cfg.LogLevel)) != nil {
						return fmt.Errorf("line %d: %s: %q is not a log level (expected debug, info, warn or error)", v.Line, at, cfg.LogLevel)
					}
					return nil
				}
				return unknownField(k, at, "format", "level")
			})
		case "audit":
			return p.mapping(v, at, func(k *yaml.Node, at string, v *yaml.Node) error {
				switch k.Value {
				case "path":
					return p.scalar(v, at, &cfg.AuditPath)
				case "queue":
					var text string
					if err := p.scalar(v, at, &text); err != nil {
						return err
					}
					n, err := strconv.Atoi(text)
					if err != nil || n < 1 {
						return fmt.Errorf("line %d: %s: %q is not a positive number of records", v.Line, at, text)
					}
					cfg.AuditQueue = n
					return nil
				}
				return unknownField(k, at, "path", "queue")
			})
		case "sources":
			return p.sequence(v, at, func(at string, v *yaml.Node) error {
				src, err := p.source(v, at)
				if err != nil {
					return err
				}
				for _, other := range cfg.Sources {
					if other.Name == src.Name {
						return fmt.Errorf("line %d: %s: source %q is declared twice", v.Line, at, src.Name)
					}
				}
				cfg.Sources = append(cfg.Sources, src)
				return nil
			})
		}
		return unknownField(k, at, "listen", "data_dir", "catalog", "secret_key_file", "http", "tls", "auth", "users", "sqlite_dirs", "files_dirs", "statement_timeout", "idle_in_transaction_session_timeout", "max_connections", "shutdown_timeout", "max_memory", "work_mem", "source_defaults", "sources", "log", "audit")
	})
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// directories reads a list of directories; given, even empty, it is
// non-nil.
func (p configParser) directories(n *yaml.Node, at string, out *[]string) error {
	*out = []string{}
	return p.sequence(n, at, func(at string, v *yaml.Node) error {
		var dir string
		if err := p.scalar(v, at, &dir); err != nil {
			return err
		}
		*out = append(*out, dir)
		return nil
	})
}

type configParser struct {
	lookupEnv func(string) (string, bool)
}

func (p configParser) user(n *yaml.Node, at string) (catalog.User, error) {
	var u catalog.User
	var password, passwordEnv, passwordFile string
	err := p.mapping(n, at, func(k *yaml.Node, at string, v *yaml.Node) error {
		switch k.Value {
		case "name":
			return p.scalar(v, at, &u.Name)
		case "password":
			return p.scalar(v, at, &password)
		case "password_env":
			return p.scalar(v, at, &passwordEnv)
		case "password_file":
			return p.scalar(v, at, &passwordFile)
		case "superuser":
			return p.boolean(v, at, &u.Superuser)
		}
		return unknownField(k, at, "name", "password", "password_env", "password_file", "superuser")
	})
	if err != nil {
		return u, err
	}
	if u.Name == "" {
		return u, fmt.Errorf("line %d: %s.name is missing", n.Line, at)
	}
	if passwordFile != "" {
		if password != "" || passwordEnv != "" {
			return u, fmt.Errorf("line %d: %s: give one of password, password_env and password_file", n.Line, at)
		}
		// Read once: the role's verifier is derived from it at start.
		data, err := os.ReadFile(passwordFile)
		if err != nil {
			return u, fmt.Errorf("line %d: %s.password_file: %w", n.Line, at, err)
		}
		password = strings.TrimRight(string(data), "\r\n")
	}
	u.Password, err = p.secret(n, at, password, passwordEnv)
	if err != nil {
		return u, err
	}
	if u.Password == "" {
		return u, fmt.Errorf("line %d: %s: user %q needs a password, password_env or password_file", n.Line, at, u.Name)
	}
	return u, nil
}

// sourceDefaults reads the guard options every source starts from, with
// the names and values of the per-source OPTIONS.
func (p configParser) auth(n *yaml.Node, at string, out *authConfig) error {
	return p.mapping(n, at, func(k *yaml.Node, at string, v *yaml.Node) error {
		if k.Value == "jwt" {
			out.JWT = &auth.JWTConfig{}
			return p.jwt(v, at, out.JWT)
		}
		var text string
		if err := p.scalar(v, at, &text); err != nil {
			return err
		}
		switch k.Value {
		case "method":
			out.Method = wire.AuthMethod(text)
			if out.Method != wire.AuthSCRAM && out.Method != wire.AuthPassword && out.Method != wire.AuthJWT {
				return fmt.Errorf("line %d: %s: %q is not an authentication method (expected scram-sha-256, password or jwt)", v.Line, at, text)
			}
			return nil
		case "require_tls":
			return p.boolean(v, at, &out.RequireTLS)
		case "client_cert":
			out.ClientCert = wire.ClientCertMode(text)
			if out.ClientCert != wire.ClientCertVerifyFull && out.ClientCert != wire.ClientCertVerifyCA && out.ClientCert != wire.ClientCertOff {
				return fmt.Errorf("line %d: %s: %q is not a client certificate mode (expected verify-full, verify-ca or off)", v.Line, at, text)
			}
			return nil
		case "max_failed_logins":
			n, err := strconv.Atoi(text)
			if err != nil || n < 1 {
				return fmt.Errorf("line %d: %s: %q is not a positive integer", v.Line, at, text)
			}
			out.MaxFailedLogins = n
			return nil
		case "failed_login_refill":
			d, err := time.ParseDuration(text)
			if err != nil || d <= 0 {
				return fmt.Errorf("line %d: %s: %q is not a positive duration such as 1m", v.Line, at, text)
			}
			out.FailedLoginRefill = d
			return nil
		}
		return unknownField(k, at, "method", "require_tls", "client_cert", "max_failed_logins", "failed_login_refill", "jwt")
	})
}

func (p configParser) sourceDefaults(n *yaml.Node, at string, out *guard.Options) error {
	opts := map[string]string{}
	err := p.mapping(n, at, func(k *yaml.Node, at string, v *yaml.Node) error {
		if !slices.Contains(guard.OptionNames, k.Value) {
			return unknownField(k, at, guard.OptionNames...)
		}
		var value string
		if err := p.scalar(v, at, &value); err != nil {
			return err
		}
		opts[k.Value] = value
		return nil
	})
	if err != nil {
		return err
	}
	if *out, _, err = guard.Split(opts, guard.Defaults()); err != nil {
		return fmt.Errorf("line %d: %s: %w", n.Line, at, err)
	}
	return nil
}

func (p configParser) source(n *yaml.Node, at string) (catalog.Source, error) {
	src := catalog.Source{Options: map[string]string{}}
	var wrapperLine int
	err := p.mapping(n, at, func(k *yaml.Node, at string, v *yaml.Node) error {
		switch k.Value {
		case "name":
			return p.scalar(v, at, &src.Name)
		case "wrapper":
			wrapperLine = v.Line
			return p.scalar(v, at, &src.Wrapper)
		case "options":
			return p.mapping(v, at, func(k *yaml.Node, at string, v *yaml.Node) error {
				var value string
				if err := p.scalar(v, at, &value); err != nil {
					return err
				}
				src.Options[k.Value] = value
				return nil
			})
		}
		return unknownField(k, at, "name", "wrapper", "options")
	})
	if err != nil {
		return src, err
	}
	if src.Name == "" {
		return src, fmt.Errorf("line %d: %s.name is missing", n.Line, at)
	}
	if src.Wrapper == "" {
		return src, fmt.Errorf("line %d: %s.wrapper is missing (known: %s)", n.Line, at, strings.Join(connectors.Known(), ", "))
	}
	if _, ok := connectors.Canonical(src.Wrapper); !ok {
		return src, fmt.Errorf("line %d: %s.wrapper: unknown wrapper %q (known: %s)", wrapperLine, at, src.Wrapper, strings.Join(connectors.Known(), ", "))
	}
	// password_env and password_file stay references, read each time the
	// source connects.
	if err := secrets.CheckOptions(src.Options); err != nil {
		return src, fmt.Errorf("line %d: %s.options: %w", n.Line, at, err)
	}
	return src, nil
}

// secret resolves a password given either inline or through an
// environment variable.
func (p configParser) secret(n *yaml.Node, at, inline, env string) (string, error) {
	if env == "" {
		return inline, nil
	}
	if inline != "" {
		return "", fmt.Errorf("line %d: %s: give either password or password_env, not both", n.Line, at)
	}
	value, ok := p.lookupEnv(env)
	if !ok {
		return "", fmt.Errorf("line %d: %s.password_env: environment variable %s is not set", n.Line, at, env)
	}
	return value, nil
}

// duration reads a timeout as source options write them: seconds, or a
// Go duration such as 500ms.
func (p configParser) duration(n *yaml.Node, at string, out **time.Duration) error {
	var text string
	if err := p.scalar(n, at, &text); err != nil {
		return err
	}
	d, err := guard.ParseDuration(text)
	if err != nil || d < 0 {
		return fmt.Errorf("line %d: %s: %q is not a duration (seconds, or a duration such as 500ms)", n.Line, at, text)
	}
	*out = &d
	return nil
}

// memory reads a size with PostgreSQL's memory units (64MB, 1GB; a bare
// number is kilobytes).
func (p configParser) memory(n *yaml.Node, at string, out *int64) error {
	var text string
	if err := p.scalar(n, at, &text); err != nil {
		return err
	}
	bytes, err := memory.ParseSetting(at, text)
	if err != nil {
		return fmt.Errorf("line %d: %s: %q is not a size of at least 64kB (a number of kB, or with a unit: B, kB, MB, GB, TB)", n.Line, at, text)
	}
	*out = bytes
	return nil
}

// mapping calls fn for each key of a mapping node with the key's path.
func (p configParser) mapping(n *yaml.Node, at string, fn func(k *yaml.Node, at string, v *yaml.Node) error) error {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s must be a mapping of field: value", n.Line, describePath(at))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		path := k.Value
		if at != "" {
			path = at + "." + k.Value
		}
		if err := fn(k, path, n.Content[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// sequence calls fn for each item of a list node with the item's path.
func (p configParser) sequence(n *yaml.Node, at string, fn func(at string, v *yaml.Node) error) error {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		return fmt.Errorf("line %d: %s must be a list", n.Line, at)
	}
	for i, item := range n.Content {
		if err := fn(fmt.Sprintf("%s[%d]", at, i), item); err != nil {
			return err
		}
	}
	return nil
}

// scalar reads a scalar as its text, so that port: 5432 is the option "5432".
func (p configParser) boolean(n *yaml.Node, at string, out *bool) error {
	var text string
	if err := p.scalar(n, at, &text); err != nil {
		return err
	}
	b, err := strconv.ParseBool(text)
	if err != nil {
		return fmt.Errorf("line %d: %s: %q is not a boolean", n.Line, at, text)
	}
	*out = b
	return nil
}

func (p configParser) scalar(n *yaml.Node, at string, out *string) error {
	n = resolveAlias(n)
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: %s must be a single value", n.Line, at)
	}
	if n.Tag == "!!null" {
		*out = ""
		return nil
	}
	*out = n.Value
	return nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func unknownField(k *yaml.Node, at string, known ...string) error {
	return fmt.Errorf("line %d: unknown field %s (expected %s)", k.Line, at, strings.Join(known, ", "))
}

func describePath(at string) string {
	if at == "" {
		return "the configuration"
	}
	return at
}
