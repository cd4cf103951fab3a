package catalog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/junction-db/junction/pgerr"
)

// The PostgreSQL store keeps the catalog as one JSON document with a
// version in a one-row table. The snapshot is already the unit every
// change replaces atomically and is small, so one row makes a change one
// compare-and-swap on the version, keeps the document the same as the
// catalog file and the export, and needs no migration when the catalog
// gains a field.
const (
	pgSchema  = "junction_catalog"
	pgChannel = "junction_catalog"
	// pgRecheckInterval is how often a server reads the version even
	// without a notification, in case one was lost.
	pgRecheckInterval = 10 * time.Second
	// listenConnectTimeout bounds one attempt to open the listening
	// connection, so that an unanswering host is tried again.
	listenConnectTimeout = 10 * time.Second
)

const pgSetup = `
CREATE SCHEMA IF NOT EXISTS ` + pgSchema + `;
CREATE TABLE IF NOT EXISTS ` + pgSchema + `.catalog (
	id int PRIMARY KEY CHECK (id = 1),
	version bigint NOT NULL,
	document jsonb NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ` + pgSchema + `.catalog (id, version, document) VALUES (1, 0, '{}') ON CONFLICT (id) DO NOTHING;
`

// PostgresStore keeps the catalog in a PostgreSQL database that several
// Junction servers share.
type PostgresStore struct {
	url  string
	name string // host/database, for messages
	pool *pgxpool.Pool
}

// NewPostgresStore connects to the catalog database at url and creates
// the schema it keeps the catalog in, if missing.
func NewPostgresStore(ctx context.Context, url string) (*PostgresStore, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("catalog URL: %w", err)
	}
	cfg.MaxConns = 4
	s := &PostgresStore{url: url, name: fmt.Sprintf("catalog database %s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)}
	if s.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, s.unreachable(err)
	}
	// Two servers starting together both create the schema; an advisory
	// lock keeps their CREATE ... IF NOT EXISTS from colliding.
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('`+pgSchema+`'))`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, pgSetup)
		return err
	})
	if err != nil {
		s.pool.Close()
		return nil, s.unreachable(err)
	}
	return s, nil
}

// Describe names the database.
func (s *PostgresStore) Describe() string { return s.name }

// Close closes the connections.
func (s *PostgresStore) Close() error {
	s.pool.Close()
	return nil
}

// Load reads the document and its version.
func (s *PostgresStore) Load(ctx context.Context) (*Snapshot, int64, error) {
	var version int64
	var doc []byte
	err := s.pool.QueryRow(ctx, `SELECT version, document::text FROM `+pgSchema+`.catalog WHERE id = 1`).Scan(&version, &doc)
	if err != nil {
		return nil, 0, s.unreachable(err)
	}
	snap, err := Decode(doc)
	if err != nil {
		return nil, 0, fmt.Errorf("the %s holds a corrupt catalog: %w", s.name, err)
	}
	return snap, version, nil
}

// Save writes the document if the version is still base and, in the same
// transaction, notifies the other servers, which hear it at commit.
func (s *PostgresStore) Save(ctx context.Context, snap *Snapshot, base int64) (int64, error) {
	doc, err := Encode(snap)
	if err != nil {
		return 0, err
	}
	var version int64
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE `+pgSchema+`.catalog SET version = version + 1, document = $1::jsonb, updated_at = now()
			WHERE id = 1 AND version = $2 RETURNING version`, string(doc), base).Scan(&version)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, pgChannel, strconv.FormatInt(version, 10))
		return err
	})
	if errors.Is(err, ErrConflict) {
		return 0, ErrConflict
	}
	if err != nil {
		return 0, s.unreachable(err)
	}
	return version, nil
}

// unreachable turns a failure to talk to the catalog database into 08006
// naming it; the server keeps serving with the catalog it last read.
func (s *PostgresStore) unreachable(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == pgerr.SerializationFailure {
		return ConcurrentUpdate(s.name + " refused the change: " + pgErr.Message)
	}
	e := pgerr.New(pgerr.ConnectionFailure, "cannot reach the %s: %v", s.name, err)
	e.Hint = "Queries keep running on the catalog as last read; catalog changes fail until the database answers."
	return e
}

// Watch keeps c up to date with the database until ctx ends: it listens
// for the notifications of other servers' changes on a dedicated
// connection, reconnecting with backoff when it drops, and re-reads the
// catalog every pgRecheckInterval in case a notification was missed.
func (s *PostgresStore) Watch(ctx context.Context, c *Catalog, log *slog.Logger) {
	go func() {
		t := time.NewTicker(pgRecheckInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := c.Refresh(ctx); err != nil && ctx.Err() == nil {
					log.Warn("catalog re-read failed; serving with the catalog as last read", "catalog", s.name, "error", err)
				}
			}
		}
	}()
	go func() {
		b := backoff.NewExponentialBackOff()
		b.InitialInterval, b.MaxInterval = 100*time.Millisecond, 5*time.Second
		for ctx.Err() == nil {
			err := s.listen(ctx, c, b.Reset)
			if ctx.Err() != nil {
				return
			}
			wait := b.NextBackOff()
			log.Warn("catalog notifications lost; reconnecting", "catalog", s.name, "error", err, "retry_in", wait)
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
	}()
}

// listen runs one LISTEN connection until it fails; connected is called
// once it listens.
func (s *PostgresStore) listen(ctx context.Context, c *Catalog, connected func()) error {
	connectCtx, cancel := context.WithTimeout(ctx, listenConnectTimeout)
	conn, err := pgx.Connect(connectCtx, s.url)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgChannel); err != nil {
		return err
	}
	connected()
	// Changes made while the connection was down were not heard.
	if err := c.Refresh(ctx); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		version, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil {
			err = c.Refresh(ctx)
		} else {
			err = c.RefreshTo(ctx, version)
		}
		if err != nil {
			return err
		}
	}
}
