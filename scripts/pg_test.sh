#!/usr/bin/env bash
# Run the database-semantic tests (tests/web, marker pg: PG_MODULES of tests/web/conftest.py;
# SANITASI_PG_ALL=1 for every database test) on a real, throwaway PostgreSQL cluster,
# on every core (pytest-xdist: PYTEST_WORKERS, default auto; pytest-django gives each worker
# its own test database, test_sanitasi_gw0, test_sanitasi_gw1, ...).
#
# Uses Debian's postgresql-common tools (pg_createcluster, pg_ctlcluster, pg_dropcluster);
# installs the `postgresql` package with apt-get when they are missing (root only). As root
# the server runs as the `postgres` user. The cluster listens on 127.0.0.1:$PGPORT with
# trust authentication, lives only for this run and is dropped on exit.
#
#   bash scripts/pg_test.sh [pytest args...]
#   PGPORT=54329 PG_CLUSTER=sanitasi_test BIN=.venv/bin   (defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PGPORT=${PGPORT:-54329}
CLUSTER=${PG_CLUSTER:-sanitasi_test}
DB_USER=sanitasi
DB_NAME=sanitasi

if [ "$(id -u)" != 0 ]; then
  echo "pg_test.sh: run as root (pg_createcluster writes /etc/postgresql)" >&2
  exit 2
fi
if ! command -v pg_createcluster >/dev/null 2>&1; then
  echo "pg_test.sh: installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
[ -x "/usr/lib/postgresql/$VERSION/bin/postgres" ] || { echo "no PostgreSQL server found" >&2; exit 2; }

drop() { pg_dropcluster --stop "$VERSION" "$CLUSTER" >/dev/null 2>&1 || true; }
drop  # a cluster left over by an interrupted run
trap drop EXIT

install -d -o postgres -g postgres -m 2775 /var/run/postgresql
pg_createcluster --user postgres --port "$PGPORT" --start-conf manual "$VERSION" "$CLUSTER" \
  -- --auth-local=trust --auth-host=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
pg_ctlcluster "$VERSION" "$CLUSTER" start -- -o "-c listen_addresses=127.0.0.1 -c fsync=off"

psql_() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$PGPORT" "$@"; }
psql_ -d postgres -c "CREATE ROLE $DB_USER LOGIN CREATEDB"
psql_ -d postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
echo "PostgreSQL $(psql_ -d postgres -Atc 'SHOW server_version') on 127.0.0.1:$PGPORT (cluster $VERSION/$CLUSTER)"

export DATABASE_URL="postgres://$DB_USER@127.0.0.1:$PGPORT/$DB_NAME"
# The database-touching tests (marker pg, set by tests/web/conftest.py), except the browser
# journeys and the PDF layouts: they test the page and the print, not the database, and
# already ran in the SQLite pass (PG_MARKERS="pg" runs them here too).
"$BIN/pytest" -q -n "${PYTEST_WORKERS:-auto}" --dist worksteal -m "${PG_MARKERS:-pg and not e2e and not pdf}" tests/web "$@"
