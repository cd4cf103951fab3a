package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/junction-db/junction/secrets"
)

// findSecretKey returns the key that seals stored source passwords, from
// the first place that gives one: the key file named by --secret-key-file
// or secret_key_file, the environment variable JUNCTION_SECRET_KEY, the
// key file in the data directory. It returns nil, with no error, when
// none does.
func findSecretKey(keyFile, dataDir string) (*secrets.Key, error) {
	if keyFile != "" {
		return secrets.ReadKeyFile(keyFile)
	}
	if text, ok := os.LookupEnv(secrets.KeyEnv); ok {
		k, err := secrets.ParseKey(text)
		if err != nil {
			return nil, fmt.Errorf("environment variable %s: %w", secrets.KeyEnv, err)
		}
		return k, nil
	}
	if dataDir == "" {
		return nil, nil
	}
	k, err := secrets.ReadKeyFile(filepath.Join(dataDir, secrets.KeyFileName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return k, err
}

// loadSecretKey is findSecretKey for a server, which generates a key in
// the data directory when none is configured, so that the catalog never
// holds a password in clear.
func loadSecretKey(keyFile, dataDir string, sharedCatalog bool, log *slog.Logger) (*secrets.Key, error) {
	k, err := findSecretKey(keyFile, dataDir)
	if err != nil || k != nil {
		return k, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, secrets.KeyFileName)
	if k, err = secrets.GenerateKeyFile(path); err != nil {
		return nil, err
	}
	log.Warn("generated the secret key that encrypts stored source passwords; back it up with the catalog, which cannot be read without it", "path", path)
	if sharedCatalog {
		log.Warn("every Junction server sharing the catalog database needs this same key: give it to the others with --secret-key-file or " + secrets.KeyEnv)
	}
	return k, nil
}
