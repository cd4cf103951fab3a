package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/secrets"
)

// openCatalog opens the catalog in the PostgreSQL database at url or, when
// url is empty, in the data directory's file.
func openCatalog(ctx context.Context, url, dataDir string) (*catalog.Catalog, error) {
	st, err := openStore(ctx, url, dataDir)
	if err != nil {
		return nil, err
	}
	c, err := catalog.OpenStore(ctx, st)
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	return c, nil
}

func openStore(ctx context.Context, url, dataDir string) (catalog.Store, error) {
	if url != "" {
		return catalog.NewPostgresStore(ctx, url)
	}
	return catalog.NewFileStore(dataDir)
}

// catalogCommand runs "junction catalog export|import": export writes the
// stored catalog (sources, tables, views) as JSON to stdout; import
// replaces the catalog with the JSON read from stdin. Together they move
// a catalog between a data directory and a PostgreSQL catalog database.
func catalogCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "export" && args[0] != "import" {
		fmt.Fprintf(stderr, "usage: junction catalog export|import [--catalog URL | --data-dir DIR] [--secret-key-file FILE]\n")
		return 2
	}
	verb := args[0]
	fs := flag.NewFlagSet("junction catalog "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("catalog", "", "the PostgreSQL catalog database's `URL` (postgres://...)")
	dataDir := fs.String("data-dir", "", "the data `directory` whose catalog file to use")
	keyFile := fs.String("secret-key-file", "", "`file` holding the key that encrypts stored source passwords (default: $"+secrets.KeyEnv+", else the data directory's "+secrets.KeyFileName+")")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || (*url == "") == (*dataDir == "") {
		fmt.Fprintf(stderr, "junction catalog %s: give exactly one of --catalog and --data-dir\n", verb)
		return 2
	}
	key, err := findSecretKey(*keyFile, *dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "junction catalog %s: %v\n", verb, err)
		return 1
	}
	st, err := openStore(ctx, *url, *dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "junction catalog %s: %v\n", verb, err)
		return 1
	}
	defer st.Close()
	if verb == "export" {
		err = exportCatalog(ctx, st, key, stdout)
	} else {
		err = importCatalog(ctx, st, key, stdin)
	}
	if err != nil {
		fmt.Fprintf(stderr, "junction catalog %s: %v\n", verb, err)
		return 1
	}
	return 0
}

// sealForTransfer seals the passwords a catalog holds in clear, so that
// neither an export nor an import ever carries one; without a key it
// refuses rather than pass them on.
func sealForTransfer(snap *catalog.Snapshot, key *secrets.Key) error {
	clear := snap.ClearPasswords()
	if len(clear) == 0 {
		return nil
	}
	if key == nil {
		return fmt.Errorf("the catalog holds the password of source %q unencrypted and no secret key is configured to encrypt it; give --secret-key-file or %s", clear[0], secrets.KeyEnv)
	}
	snap.SealPasswords(key)
	return nil
}

// exportCatalog prints the catalog with its passwords encrypted; an
// import must be read by servers with the same secret key.
func exportCatalog(ctx context.Context, st catalog.Store, key *secrets.Key, out io.Writer) error {
	snap, _, err := st.Load(ctx)
	if err != nil {
		return err
	}
	if err := sealForTransfer(snap, key); err != nil {
		return err
	}
	data, err := catalog.Encode(snap)
	if err != nil {
		return err
	}
	_, err = out.Write(append(data, '\n'))
	return err
}

// importCatalog replaces the stored catalog; servers sharing a catalog
// database re-read it at once, a server using the file must be stopped.
// Its encrypted passwords must open with the key, when one is configured.
func importCatalog(ctx context.Context, st catalog.Store, key *secrets.Key, in io.Reader) error {
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	snap, err := catalog.Decode(data)
	if err != nil {
		return fmt.Errorf("the input is not a Junction catalog: %w", err)
	}
	if key != nil {
		if err := snap.CheckPasswords(key); err != nil {
			return err
		}
	}
	if err := sealForTransfer(snap, key); err != nil {
		return err
	}
	_, version, err := st.Load(ctx)
	if err != nil {
		return err
	}
	if _, err := st.Save(ctx, snap, version); err != nil {
		if errors.Is(err, catalog.ErrConflict) {
			return errors.New("the catalog changed while it was imported; run the import again")
		}
		return err
	}
	return nil
}
