#!/usr/bin/env bash
# THE test command: bash scripts/test.sh [extra dotnet test args]
#
# Unless the VIRTUALIOP_TEST_* variables are already set, or a container engine is healthy (then the
# test fixtures use Testcontainers), it installs what is missing (postgresql, rabbitmq-server), starts
# throwaway servers on free ports in a temp dir (PostgreSQL with fsync=off, RabbitMQ with the management
# plugin, smtp4dev), exports their addresses, builds the solution, runs `dotnet test VirtualIop.sln -c Release --no-build` (every tier: unit,
# integration, end-to-end, fault, bad-input, browser), stops the servers and exits with the tests' exit code.
# Set VIRTUALIOP_TEST_LOCAL_SERVERS=1 to start local servers even where Docker works. VIRTUALIOP_TEST_SERVE=1 only starts the servers and keeps them
# (see below), for running single test projects while developing.
#
# Exported for the tests (see tests/VirtualIop.TestSupport):
#   VIRTUALIOP_TEST_POSTGRES             Npgsql connection string to the "postgres" db as superuser
#   VIRTUALIOP_TEST_RABBITMQ             amqp://guest:guest@127.0.0.1:PORT/
#   VIRTUALIOP_TEST_RABBITMQ_MANAGEMENT  http://guest:guest@127.0.0.1:PORT (management HTTP API)
#   VIRTUALIOP_TEST_SMTP_HOST, VIRTUALIOP_TEST_SMTP_PORT   smtp4dev's SMTP server
#   VIRTUALIOP_TEST_MAILSINK_URL         smtp4dev's web/API base URL
#   VIRTUALIOP_TEST_CHROMIUM             the Chromium the browser tier launches (installed here where missing)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
infra=VirtualIop.AppHost/infra

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

start_servers=true
if [[ -n "${VIRTUALIOP_TEST_POSTGRES:-}" ]]; then
  echo "Using the servers given by the VIRTUALIOP_TEST_* environment variables."
  start_servers=false
elif [[ -z "${VIRTUALIOP_TEST_LOCAL_SERVERS:-}" ]] && docker_is_healthy; then
  echo "Docker is healthy: the tests start their servers with Testcontainers."
  start_servers=false
fi

dotnet tool restore >/dev/null
# The fault tier (tests/VirtualIop.FaultTests) starts, kills and restarts private servers of its own from the local
# binaries, so they are needed even where Docker serves the other tests.
ensure_local_servers
# The tested docs (tests/VirtualIop.EndToEndTests, DocsExamplesTests) run the README's and docs/api.md's examples.
ensure_api_tools
# The deploy tier renders deploy/k8s with kubectl and validates it offline with a small node script.
ensure_manifest_validator
# The browser tier (tests/VirtualIop.BrowserTests) drives Chromium with Playwright; its screenshots go to TestResults/screenshots.
ensure_chromium

pids=()
tmp=""
results=""
epmd_before=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ ${#pids[@]} -gt 0 ]]; then
    echo "Stopping test servers ..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for pid in "${pids[@]}"; do
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  # rabbitmq-server leaves epmd behind: stop the one it started (never one that ran before).
  for pid in $(pgrep -x epmd 2>/dev/null || true); do
    [[ " $epmd_before " == *" $pid "* ]] || kill -TERM "$pid" 2>/dev/null || true
  done
  if [[ -n "$tmp" ]]; then
    if [[ $status -ne 0 && -n "${CI:-}" ]]; then
      for log in "$tmp"/*.log; do echo "----- $log (tail)"; tail -n 30 "$log"; done
    fi
    rm -rf "$tmp"
  fi
  # Last, so that a CI log cut to its tail still names what failed.
  if [[ $status -ne 0 && -s ${results:-} ]]; then
    echo "===== Failed tests (with the first lines of each error):"
    grep -E -A8 '^\s+Failed [A-Za-z_]' "$results" | cut -c1-300 | head -n 150 || true
    grep -E '^Failed!' "$results" || true
  fi
  [[ -n ${results:-} ]] && rm -f "$results"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $start_servers == true ]]; then
  tmp=$(mktemp -d /tmp/virtualiop-test.XXXXXX)
  chmod 755 "$tmp" # the postgres OS user must reach its data dir
  epmd_before=$(pgrep -x epmd 2>/dev/null | tr '\n' ' ' || true)
  pg_port=$(free_port); amqp_port=$(free_port); dist_port=$(free_port); mgmt_port=$(free_port)
  smtp_port=$(free_port); mail_http_port=$(free_port)
  pg_password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')

  echo "Starting PostgreSQL on $pg_port, RabbitMQ on $amqp_port (management $mgmt_port), smtp4dev on $smtp_port (http $mail_http_port) ..."
  # Throwaway data: fsync off is fine here (never on the run path).
  PGDATA="$tmp/postgres" PGPORT=$pg_port POSTGRES_PASSWORD=$pg_password POSTGRES_INITDB_ARGS=--no-sync \
    POSTGRES_EXTRA_ARGS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    bash "$infra/postgres.sh" >"$tmp/postgres.log" 2>&1 &
  pids+=($!); pg_pid=$!
  RABBITMQ_BASE_DIR="$tmp/rabbitmq" RABBITMQ_NODE_PORT=$amqp_port RABBITMQ_DIST_PORT=$dist_port \
    RABBITMQ_MANAGEMENT_PORT=$mgmt_port RABBITMQ_NODENAME="virtualiop-test-$$@localhost" \
    bash "$infra/rabbitmq.sh" >"$tmp/rabbitmq.log" 2>&1 &
  pids+=($!); rabbit_pid=$!
  SMTP4DEV_HTTP_PORT=$mail_http_port SMTP4DEV_SMTP_PORT=$smtp_port \
    bash "$infra/smtp4dev.sh" >"$tmp/smtp4dev.log" 2>&1 &
  pids+=($!); smtp_pid=$!

  export VIRTUALIOP_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=postgres"
  export VIRTUALIOP_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$amqp_port/"
  export VIRTUALIOP_TEST_RABBITMQ_MANAGEMENT="http://guest:guest@127.0.0.1:$mgmt_port"
  export VIRTUALIOP_TEST_SMTP_HOST=127.0.0.1
  export VIRTUALIOP_TEST_SMTP_PORT=$smtp_port
  export VIRTUALIOP_TEST_MAILSINK_URL="http://127.0.0.1:$mail_http_port"

  pg_ready() { PGPASSWORD=$pg_password psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atqc 'select 1'; }
  rabbit_ready() { curl -fsS -u guest:guest "http://127.0.0.1:$mgmt_port/api/overview"; }
  mail_ready() { curl -fsS "$VIRTUALIOP_TEST_MAILSINK_URL/api/messages?pageSize=1"; }
  if ! wait_until 60 "$pg_pid" PostgreSQL pg_ready \
    || ! wait_until 180 "$rabbit_pid" RabbitMQ rabbit_ready \
    || ! wait_until 120 "$smtp_pid" smtp4dev mail_ready; then
    for log in "$tmp"/*.log; do echo "----- $log"; tail -n 40 "$log"; done
    exit 1
  fi
  echo "Test servers are up."
fi

# Developer convenience: `VIRTUALIOP_TEST_SERVE=1 bash scripts/test.sh` keeps the servers running and
# writes their variables to a file to `source`, so test projects can be run one by one with `dotnet test`.
if [[ -n "${VIRTUALIOP_TEST_SERVE:-}" ]]; then
  env_file=${VIRTUALIOP_TEST_ENV_FILE:-/tmp/virtualiop-test.env}
  for name in VIRTUALIOP_TEST_POSTGRES VIRTUALIOP_TEST_RABBITMQ VIRTUALIOP_TEST_RABBITMQ_MANAGEMENT \
              VIRTUALIOP_TEST_SMTP_HOST VIRTUALIOP_TEST_SMTP_PORT VIRTUALIOP_TEST_MAILSINK_URL; do
    printf 'export %s=%q\n' "$name" "${!name:-}"
  done >"$env_file"
  echo "Servers kept running; variables in $env_file. Press Ctrl-C to stop them."
  # `wait` on a background sleep lets Ctrl-C (or TERM) reach the cleanup trap at once.
  while true; do sleep 3600 & wait $!; done
fi

# The fault cases, the benchmarks (run small here) and the bad-input tier (tests/VirtualIop.BadInputTests,
# Category=BadInput: `bad-input: N requests, N 5xx, N writes`) report one line each; they are printed after the run.
figures=$(mktemp /tmp/virtualiop-figures.XXXXXX)
export VIRTUALIOP_BENCH_REPORT=$figures

# Build everything first: `dotnet test` alone builds and tests projects side by side, and a tier that starts the
# services' own binaries (the fault suite) could then start one while another project's build rewrites it.
echo "Building ..."
dotnet build VirtualIop.sln -c Release -nologo -v quiet
results=$(mktemp /tmp/virtualiop-results.XXXXXX)
set +e
dotnet test VirtualIop.sln -c Release --no-build "$@" 2>&1 | tee "$results"
status=${PIPESTATUS[0]}
set -e
if [[ -s $figures ]]; then
  echo "Figures reported by this run:"
  cat "$figures"
fi
rm -f "$figures"
exit $status
