#!/bin/sh
# Point lookups by primary key with pgbench, straight from PostgreSQL and
# through Junction, side by side; prints both throughputs and their ratio.
# See README.md.
set -eu

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-root}
export PGHOST PGPORT PGUSER
DB=${PGBENCH_DB:-junction_pgbench}
CLIENTS=${CLIENTS:-8}
THREADS=${THREADS:-2}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
ROUNDS=${ROUNDS:-3}
MODES=${MODES:-simple extended prepared}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

# The source: orders with TPC-H's columns and a primary key, in schema src
# so that the same script names it src.orders on both targets.
if [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
	psql -q -d postgres -c "CREATE DATABASE $DB"
	psql -q -d "$DB" <<'SQL'
CREATE SCHEMA src;
CREATE TABLE src.orders (
	o_orderkey integer PRIMARY KEY, o_custkey integer NOT NULL, o_orderstatus character(1) NOT NULL,
	o_totalprice numeric(15,2) NOT NULL, o_orderdate date NOT NULL, o_orderpriority character varying(15) NOT NULL,
	o_clerk character varying(15) NOT NULL, o_shippriority integer NOT NULL, o_comment character varying(79) NOT NULL);
INSERT INTO src.orders
SELECT i, i % 15000 + 1, substr('OFP', i % 3 + 1, 1), round((i * 7919 % 50000000) / 100.0, 2), date '1992-01-01' + i % 2400,
	(ARRAY['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'])[i % 5 + 1], 'Clerk#' || lpad((i % 1000)::text, 9, '0'),
	0, md5(i::text)
FROM generate_series(1, 150000) AS i;
VACUUM ANALYZE src.orders;
SQL
fi

# Junction: the one at JUNCTION_HOST:JUNCTION_PORT, or a fresh server run
# from JUNCTION_BIN or built from this tree.
# The servers this script starts end with it.
cleanup() {
	for p in ${pid:-} ${relay_pid:-}; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "${work:-}" "${relay_dir:-}"
}
trap cleanup EXIT
if [ -z "${JUNCTION_PORT:-}" ]; then
	work=$(mktemp -d)
	if [ -n "${JUNCTION_BIN:-}" ]; then
		cp "$JUNCTION_BIN" "$work/junction"
	else
		(cd "$root" && go build -o "$work/junction" ./cmd/junction)
	fi
	JUNCTION_HOST=127.0.0.1
	JUNCTION_PORT=${PGBENCH_JUNCTION_PORT:-15499}
	"$work/junction" serve --listen "$JUNCTION_HOST:$JUNCTION_PORT" --http "" --data-dir "$work/data" >"$work/log" 2>&1 &
	pid=$!
	until psql -h "$JUNCTION_HOST" -p "$JUNCTION_PORT" -d junction -Atqc 'SELECT 1' >/dev/null 2>&1; do sleep 0.2; done
fi
JUNCTION_HOST=${JUNCTION_HOST:-127.0.0.1}

# The floor: a relay that only copies bytes between pgbench and
# PostgreSQL, over the same two TCP hops as Junction (see relay/main.go).
relay_dir=$(mktemp -d)
(cd "$root" && go build -o "$relay_dir/relay" ./test/bench/pgbench/relay)
RELAY_PORT=${PGBENCH_RELAY_PORT:-15498}
"$relay_dir/relay" -listen "127.0.0.1:$RELAY_PORT" -server "$PGHOST:$PGPORT" &
relay_pid=$!
until psql -h 127.0.0.1 -p "$RELAY_PORT" -d "$DB" -Atqc 'SELECT 1' >/dev/null 2>&1; do sleep 0.2; done

junction() { psql -h "$JUNCTION_HOST" -p "$JUNCTION_PORT" -d junction -v ON_ERROR_STOP=1 -Atq "$@"; }
junction -c "DROP SERVER IF EXISTS src"
junction -c "CREATE SERVER src FOREIGN DATA WRAPPER postgres OPTIONS (host '$PGHOST', port '$PGPORT', dbname '$DB', user '$PGUSER', schema 'src')"

tps() { # host port dbname mode
	pgbench -h "$1" -p "$2" -n -c "$CLIENTS" -j "$THREADS" -T "$SECONDS_PER_RUN" -M "$4" -f "$here/lookup.sql" "$3" |
		sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
# Runs alternate between the targets, ROUNDS of each, so that all see the
# same load from whatever else runs on the machine; the figures are the
# mean throughputs, and each ratio is to the direct one.
printf '%-9s %12s %12s %8s %12s %8s\n' mode direct junction ratio relay ratio
for mode in $MODES; do
	direct=0
	through=0
	relayed=0
	for _ in $(seq "$ROUNDS"); do
		direct=$(echo "$direct + $(tps "$PGHOST" "$PGPORT" "$DB" "$mode")" | bc -l)
		through=$(echo "$through + $(tps "$JUNCTION_HOST" "$JUNCTION_PORT" junction "$mode")" | bc -l)
		relayed=$(echo "$relayed + $(tps 127.0.0.1 "$RELAY_PORT" "$DB" "$mode")" | bc -l)
	done
	printf '%-9s %12.0f %12.0f %8.3f %12.0f %8.3f\n' "$mode" "$(echo "$direct / $ROUNDS" | bc -l)" "$(echo "$through / $ROUNDS" | bc -l)" \
		"$(echo "$through / $direct" | bc -l)" "$(echo "$relayed / $ROUNDS" | bc -l)" "$(echo "$relayed / $direct" | bc -l)"
done
