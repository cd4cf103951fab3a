package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/junction-db/junction/catalog"
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
		fmt.Fprintf(stderr, "usage: junction catalog export|import [--catalog URL | --data-dir DIR]\n")
		return 2
	}
	verb := args[0]
	fs := flag.NewFlagSet("junction catalog "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("catalog", "", "the PostgreSQL catalog database's `URL` (postgres://...)")
	dataDir := fs.String("data-dir", "", "the data `directory` whose catalog file to use")
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
	st, err := openStore(ctx, *url, *dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "junction catalog %s: %v\n", verb, err)
		return 1
	}
	defer st.Close()
	if verb == "export" {
		err = exportCatalog(ctx, st, stdout)
	} else {
		err = importCatalog(ctx, st, stdin)
	}
	if err != nil {
		fmt.Fprintf(stderr, "junction catalog %s: %v\n", verb, err)
		return 1
	}
	return 0
}

func exportCatalog(ctx context.Context, st catalog.Store, out io.Writer) error {
	snap, _, err := st.Load(ctx)
	if err != nil {
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
func importCatalog(ctx context.Context, st catalog.Store, in io.Reader) error {
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	snap, err := catalog.Decode(data)
	if err != nil {
		return fmt.Errorf("the input is not a Junction catalog: %w", err)
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
