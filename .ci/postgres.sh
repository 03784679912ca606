# Sourced by .ci/run (bash, set -euo pipefail): a throwaway PostgreSQL cluster for the consult
# record tests. Installs Debian's `postgresql` when it is missing, starts a cluster owned by the
# `postgres` user in a temporary folder, listening only on a Unix socket in that folder, creates
# a database, exports FACESYM_TEST_POSTGRES_URL, and stops and removes the cluster on exit.

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -o Acquire::Retries=3
  apt-get install -y --no-install-recommends -o Acquire::Retries=3 postgresql
fi
FACESYM_PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
FACESYM_PG_DIR="$(mktemp -d /tmp/facesym-pg.XXXXXX)"
chown postgres: "$FACESYM_PG_DIR"

facesym_pg() { runuser -u postgres -- "$@"; }

facesym_pg_stop() {
  facesym_pg "$FACESYM_PG_BIN/pg_ctl" -D "$FACESYM_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$FACESYM_PG_DIR"
}
trap facesym_pg_stop EXIT

facesym_pg "$FACESYM_PG_BIN/initdb" -D "$FACESYM_PG_DIR/data" --auth=trust -U postgres \
  --encoding=UTF8 --no-locale >/dev/null
facesym_pg "$FACESYM_PG_BIN/pg_ctl" -D "$FACESYM_PG_DIR/data" -l "$FACESYM_PG_DIR/server.log" -w \
  -o "-k $FACESYM_PG_DIR -c listen_addresses=''" start >/dev/null
facesym_pg "$FACESYM_PG_BIN/createdb" -h "$FACESYM_PG_DIR" -U postgres facesym_test
export FACESYM_TEST_POSTGRES_URL="postgresql+psycopg://postgres@/facesym_test?host=$FACESYM_PG_DIR"
echo "PostgreSQL for the record tests: $FACESYM_TEST_POSTGRES_URL"
