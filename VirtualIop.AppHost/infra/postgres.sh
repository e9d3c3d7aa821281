#!/usr/bin/env bash
# Starts a private PostgreSQL server in the foreground (exec, so signals reach it).
# Used by the AppHost (executable resource "postgres") and by scripts/test.sh.
#
# Environment:
#   PGDATA                 data directory (created and initdb'ed on first use)       [required]
#   PGPORT                 TCP port to listen on (127.0.0.1 only)                     [required]
#   POSTGRES_PASSWORD      password of the "postgres" superuser (scram-sha-256)      [required]
#   POSTGRES_EXTRA_ARGS    extra server args, e.g. "-c fsync=off" (tests ONLY)        [optional]
#   POSTGRES_INITDB_ARGS   extra initdb args, e.g. "--no-sync" (tests ONLY)           [optional]
#   PG_BIN                 PostgreSQL bin dir (default: newest /usr/lib/postgresql/*/bin)
#
# The password is (re)applied on every start, so a persisted data directory always
# matches the current password. Local (unix socket) connections use trust auth;
# TCP connections need the password. initdb and postgres refuse to run as root, so
# as root everything runs as the "postgres" OS user via setpriv.
set -euo pipefail

: "${PGDATA:?PGDATA must be set}"
: "${PGPORT:?PGPORT must be set}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"

if [[ -z "${PG_BIN:-}" ]]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$PG_BIN" ]] || PG_BIN=$(dirname "$(command -v postgres 2>/dev/null || command -v initdb 2>/dev/null || echo /nonexistent/x)")
fi
if [[ ! -x "$PG_BIN/postgres" || ! -x "$PG_BIN/initdb" ]]; then
  echo "postgres.sh: PostgreSQL server binaries not found (looked in '$PG_BIN'). Install postgresql (apt-get install postgresql) or set PG_BIN." >&2
  exit 1
fi

mkdir -p "$PGDATA"
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$PGDATA"
  as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  if ! "${as_pg[@]}" test -w "$PGDATA"; then
    echo "postgres.sh: the 'postgres' OS user cannot write '$PGDATA' (a parent directory is not traversable?). Use a data directory outside private folders, e.g. --LocalInfra:DataDirectory=/var/tmp/virtualiop." >&2
    exit 1
  fi
fi
chmod 700 "$PGDATA"

if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  [[ ${#as_pg[@]} -gt 0 ]] && chown postgres "$pwfile"
  # shellcheck disable=SC2086
  "${as_pg[@]}" "$PG_BIN/initdb" -D "$PGDATA" -U postgres --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f "$pwfile"
  echo "postgres.sh: initialised $PGDATA"
else
  # Re-apply the current password (single-user mode: no socket, no port, ~0.3 s).
  # Generated passwords are alphanumeric; quotes are doubled anyway.
  escaped=${POSTGRES_PASSWORD//\'/\'\'}
  printf "ALTER ROLE postgres WITH PASSWORD '%s';\n" "$escaped" \
    | "${as_pg[@]}" "$PG_BIN/postgres" --single -D "$PGDATA" -j postgres >/dev/null
fi

# shellcheck disable=SC2086
exec "${as_pg[@]}" "$PG_BIN/postgres" -D "$PGDATA" -k "$PGDATA" -h 127.0.0.1 -p "$PGPORT" \
  -c max_connections="${POSTGRES_MAX_CONNECTIONS:-300}" ${POSTGRES_EXTRA_ARGS:-}
