#!/usr/bin/env bash
# Runs a command next to a throw-away PostgreSQL 15 on a private free port, then
# stops and removes it; the command's exit code is passed through.
#   scripts/with-services.sh ctest --test-dir build --output-on-failure
# Exports SB_PG (libpq keyword string) for the [pg] tests.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PGBIN/initdb" ]; then
  echo "with-services: no PostgreSQL 15 server binaries in $PGBIN (apt-get install postgresql)" >&2
  exit 1
fi

D=$(mktemp -d "${TMPDIR:-/tmp}/sb-services.XXXXXX")

# initdb and postgres refuse to run as root: use the postgres system user (which the
# Debian package creates) in a folder it owns. Anyone else runs them as themselves.
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$D"
  as_pg() { (cd "$D" && runuser -u postgres -- "$@"); }  # cd: postgres can't read root's cwd
else
  as_pg() { (cd "$D" && "$@"); }
fi

free_port() {
  local p
  while :; do
    # Below Linux's ephemeral range (32768+), where outgoing connections take ports.
    p=$((20000 + RANDOM % 12000))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }
  done
}

cleanup() {
  local rc=$?
  if [ -f "$D/pg/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$D/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  # Redis would be stopped here (kill "$(cat "$D/redis.pid")") once a module needs it.
  rm -rf "$D"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! as_pg "$PGBIN/initdb" -D "$D/pg" -U postgres --auth=trust -E UTF8 --no-sync >"$D/initdb.log" 2>&1; then
  echo "with-services: initdb failed:" >&2
  cat "$D/initdb.log" >&2
  exit 1
fi
# fsync and full-page writes off: a test cluster is thrown away, speed matters.
# A port free a moment ago can be taken before we bind it: try a few.
started=
for _ in 1 2 3 4 5; do
  PG_PORT=$(free_port)
  if as_pg "$PGBIN/pg_ctl" -D "$D/pg" -l "$D/pg.log" -w -t 30 \
      -o "-p $PG_PORT -k $D -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "with-services: PostgreSQL did not start:" >&2
  cat "$D/pg.log" >&2
  exit 1
fi
export SB_PG="host=127.0.0.1 port=$PG_PORT dbname=postgres user=postgres"

# Redis 7 would start here (redis-server --port ... --daemonize yes --pidfile "$D/redis.pid")
# and export SB_REDIS_PORT, once a module needs it.

set +e
"$@"
rc=$?
set -e
exit $rc
