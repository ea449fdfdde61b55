#!/bin/sh
# A PostgreSQL server for the tests (run as root): installs PostgreSQL with apt if it is missing, starts the
# cluster, creates the role `watchfloor` (password `watchfloor`, CREATEDB) and prints the URL to export as
# WATCHFLOOR_TEST_PG. Each test run creates its own databases on it and drops them after.
set -eu
VERSION="${PG_VERSION:-15}"
ROLE="${PG_ROLE:-watchfloor}"
PASSWORD="${PG_PASSWORD:-watchfloor}"
PORT="${PG_PORT:-5432}"
if [ "$(id -u)" != 0 ]; then
    echo "run as root (sudo $0): it starts the system PostgreSQL cluster" >&2
    exit 1
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d "/usr/lib/postgresql/$VERSION" ]; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$VERSION" postgresql-contrib >&2 \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
    VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main"' | grep -q .; then
    pg_createcluster "$VERSION" main >&2
fi
pg_ctlcluster "$VERSION" main start >/dev/null 2>&1 || true  # already running is fine
for _ in 1 2 3 4 5 6 7 8 9 10; do
    su postgres -c "pg_isready -q -p $PORT" && break
    sleep 1
done
su postgres -c "psql -q -p $PORT -v ON_ERROR_STOP=1" >&2 <<SQL
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    END IF;
END \$\$;
SQL
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/postgres"
