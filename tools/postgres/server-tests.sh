#!/usr/bin/env bash
# The cleanup handler's tests (test/cleanup-postgres.test.ts) against Debian's PostgreSQL server,
# as .ci/run runs them; npm test runs the same tests on PGlite. Installs the server when it is
# missing (as root; otherwise says what to install), starts a cluster of its own in a temporary
# folder on 127.0.0.1 (never the system's service), runs the tests with
# DOMAIN_EVENTS_TEST_DATABASE_URL, and stops and removes the cluster whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "Debian's PostgreSQL server is missing: install it with 'apt-get install postgresql' (as root), then run this again." >&2
    exit 1
  fi
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
  # The package may start its default cluster: this script started it, so it stops it.
  pg_lsclusters -h 2>/dev/null | while read -r version name _; do pg_ctlcluster "$version" "$name" stop >/dev/null 2>&1 || true; done
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PORT=${DOMAIN_EVENTS_PG_PORT:-54329}
DIR=$(mktemp -d)
# The server refuses to run as root: as root, the cluster belongs to the postgres user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
stop() {
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT
as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U postgres >/dev/null
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
DOMAIN_EVENTS_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres" npx vitest run test/cleanup-postgres.test.ts
