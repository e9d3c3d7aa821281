#!/usr/bin/env bash
# THE benchmark command: bash scripts/bench.sh [--no-build] [--only <name>]...
#
# Runs every benchmark in the repository (each test marked [Trait("Category", "Benchmark")]) at full size against
# servers of its own, configured for durability: PostgreSQL with fsync, synchronous_commit and full_page_writes on
# (unlike scripts/test.sh's throwaway servers), its data on disk under /var/tmp (not a tmpfs /tmp), RabbitMQ (quorum
# queues, persistent messages) and smtp4dev. It installs what is missing (postgresql, rabbitmq-server, the smtp4dev
# tool), builds the benchmark projects in Release (unless --no-build), runs them one after another, stops the servers
# and prints one markdown table and, for each figure, one line:
#   bench <name>: <figure> <unit>; baseline <figure> <unit>; ratio <r>      (a rate against a baseline of the same run)
#   bench <name>: p50 <ms> ms; p95 <ms> ms; p99 <ms> ms                    (a latency)
# Figures depend on the machine and on what else runs on it: the report starts with the core count and load average.
# Exit status: non-zero when a benchmark failed (each asserts its correctness: nothing lost, nothing doubled).
#
# Full sizes (override any of them by setting the variable before running):
#   VIRTUALIOP_PIPELINE_BENCH_COUNT       events through outbox, relay, RabbitMQ and an inbox consumer   (20,000)
#   VIRTUALIOP_NOTIFICATION_BENCH_COUNT   due reminders sent by the dispatcher                           (20,000)
#   VIRTUALIOP_LATENCY_BENCH_RATE         no-shows decided per second ...                                (100)
#   VIRTUALIOP_LATENCY_BENCH_SECONDS      ... for this many seconds                                      (60)
#   VIRTUALIOP_GATEWAY_BENCH_SECONDS      each round of the gateway-against-direct measurement (scripts/bench-gateway.sh) (10)
# The no-show sweep benchmark has one size: 100,000 records.
# --only <name> (repeatable) runs just the benchmarks whose test project's name contains <name> (case-insensitive;
# for example --only BuildingBlocks for the pipeline), or the gateway's with --only gateway: one figure, measured again
# without the others' minutes.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
infra=VirtualIop.AppHost/infra

build=true
only=()
usage() { echo "usage: bash scripts/bench.sh [--no-build] [--only <name>]..." >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --no-build) build=false ;;
    --only) [[ $# -ge 2 && -n $2 ]] || usage; only+=("${2,,}"); shift ;;
    *) usage ;;
  esac
  shift
done
# selected NAME: true when no --only was given, or when NAME contains one of them.
selected() {
  [[ ${#only[@]} -eq 0 ]] && return 0
  local name=${1,,} word
  for word in "${only[@]}"; do [[ $name == *"$word"* ]] && return 0; done
  return 1
}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export VIRTUALIOP_PIPELINE_BENCH_COUNT=${VIRTUALIOP_PIPELINE_BENCH_COUNT:-20000}
export VIRTUALIOP_NOTIFICATION_BENCH_COUNT=${VIRTUALIOP_NOTIFICATION_BENCH_COUNT:-20000}
export VIRTUALIOP_LATENCY_BENCH_RATE=${VIRTUALIOP_LATENCY_BENCH_RATE:-100}
export VIRTUALIOP_LATENCY_BENCH_SECONDS=${VIRTUALIOP_LATENCY_BENCH_SECONDS:-60}

# Every test project holding a benchmark, found by its trait, so a new benchmark is run without editing this script.
mapfile -t found < <(grep -rlE --include='*.cs' 'Trait\("Category", *"Benchmark"\)' tests \
  | sed -E 's#^(tests/[^/]+)/.*#\1#' | sort -u)
if [[ ${#found[@]} -eq 0 ]]; then
  echo "error: no benchmark found (no test with [Trait(\"Category\", \"Benchmark\")] under tests/)" >&2
  exit 1
fi
projects=()
for project in "${found[@]}"; do selected "$(basename "$project")" && projects+=("$project"); done
gateway=false
selected gateway && gateway=true
if [[ ${#projects[@]} -eq 0 && $gateway == false ]]; then
  echo "error: --only ${only[*]} matches no benchmark (projects: ${found[*]##*/}; or gateway)" >&2
  exit 2
fi

pids=()
tmp=""
epmd_before=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ ${#pids[@]} -gt 0 ]]; then
    echo "Stopping benchmark servers ..."
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
  [[ -n "$tmp" ]] && rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_local_servers
dotnet tool restore >/dev/null
if [[ $build == true ]]; then
  echo "Building ${projects[*]} (Release) ..."
  targets=("${projects[@]}")
  [[ $gateway == true ]] && targets+=(src/VirtualIop.Scheduling src/VirtualIop.Gateway)
  for project in "${targets[@]}"; do
    dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly
  done
fi

# On disk, not in a tmpfs /tmp: the point of these servers is that a commit is durable.
tmp=$(mktemp -d /var/tmp/virtualiop-bench.XXXXXX)
chmod 755 "$tmp" # the postgres OS user must reach its data dir
logs=$(mktemp -d /tmp/virtualiop-bench-logs.XXXXXX)
report="$logs/report.txt"
: >"$report"
epmd_before=$(pgrep -x epmd 2>/dev/null | tr '\n' ' ' || true)
pg_port=$(free_port); amqp_port=$(free_port); dist_port=$(free_port); mgmt_port=$(free_port)
smtp_port=$(free_port); mail_http_port=$(free_port)
pg_password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')

echo "Starting PostgreSQL (durable) on $pg_port, RabbitMQ on $amqp_port, smtp4dev on $smtp_port ..."
PGDATA="$tmp/postgres" PGPORT=$pg_port POSTGRES_PASSWORD=$pg_password \
  POSTGRES_EXTRA_ARGS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on" \
  bash "$infra/postgres.sh" >"$logs/postgres.log" 2>&1 &
pids+=($!); pg_pid=$!
RABBITMQ_BASE_DIR="$tmp/rabbitmq" RABBITMQ_NODE_PORT=$amqp_port RABBITMQ_DIST_PORT=$dist_port \
  RABBITMQ_MANAGEMENT_PORT=$mgmt_port RABBITMQ_NODENAME="virtualiop-bench-$$@localhost" \
  bash "$infra/rabbitmq.sh" >"$logs/rabbitmq.log" 2>&1 &
pids+=($!); rabbit_pid=$!
SMTP4DEV_HTTP_PORT=$mail_http_port SMTP4DEV_SMTP_PORT=$smtp_port \
  bash "$infra/smtp4dev.sh" >"$logs/smtp4dev.log" 2>&1 &
pids+=($!); smtp_pid=$!

export VIRTUALIOP_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=postgres"
export VIRTUALIOP_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$amqp_port/"
export VIRTUALIOP_TEST_RABBITMQ_MANAGEMENT="http://guest:guest@127.0.0.1:$mgmt_port"
export VIRTUALIOP_TEST_SMTP_HOST=127.0.0.1
export VIRTUALIOP_TEST_SMTP_PORT=$smtp_port
export VIRTUALIOP_TEST_MAILSINK_URL="http://127.0.0.1:$mail_http_port"
export VIRTUALIOP_BENCH_REPORT=$report

pg_ready() { PGPASSWORD=$pg_password psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atqc 'select 1'; }
rabbit_ready() { curl -fsS -u guest:guest "http://127.0.0.1:$mgmt_port/api/overview"; }
mail_ready() { curl -fsS "$VIRTUALIOP_TEST_MAILSINK_URL/api/messages?pageSize=1"; }
if ! wait_until 60 "$pg_pid" PostgreSQL pg_ready \
  || ! wait_until 180 "$rabbit_pid" RabbitMQ rabbit_ready \
  || ! wait_until 120 "$smtp_pid" smtp4dev mail_ready; then
  for log in "$logs"/*.log; do echo "----- $log"; tail -n 40 "$log"; done
  exit 1
fi
durability=$(PGPASSWORD=$pg_password psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atqc \
  "select string_agg(name || '=' || setting, ', ' order by name) from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes')")
echo "Servers are up (PostgreSQL: $durability)."

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
failed=()
for project in "${projects[@]}"; do
  name=$(basename "$project")
  echo "Running the benchmarks of $name ..."
  if ! dotnet test "$project" -c Release --no-build --filter "Category=Benchmark" \
      --logger "console;verbosity=detailed" >"$logs/$name.log" 2>&1; then
    failed+=("$name")
    echo "  FAILED: see $logs/$name.log"
    tail -n 40 "$logs/$name.log"
  fi
done
if [[ $gateway == true ]]; then
  echo "Running the gateway benchmark (scripts/bench-gateway.sh) ..."
  if ! bash scripts/bench-gateway.sh >"$logs/gateway.log" 2>&1; then
    failed+=(gateway)
    echo "  FAILED: see $logs/gateway.log"
    tail -n 40 "$logs/gateway.log"
  fi
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "## Benchmarks ($(nproc) cores; load average $load_before before, $load_after after; PostgreSQL $durability)"
echo
echo "| benchmark | measured | baseline (same run) | ratio |"
echo "|---|---|---|---|"
while IFS= read -r line; do
  if [[ $line =~ ^bench\ ([^:]+):\ (.+)\;\ baseline\ (.+)\;\ ratio\ (.+)$ ]]; then
    echo "| ${BASH_REMATCH[1]} | ${BASH_REMATCH[2]} | ${BASH_REMATCH[3]} | ${BASH_REMATCH[4]} |"
  elif [[ $line =~ ^bench\ ([^:]+):\ (p50.+)$ ]]; then
    echo "| ${BASH_REMATCH[1]} | ${BASH_REMATCH[2]//;/,} | | |"
  fi
done <"$report"
echo
cat "$report"
echo
echo "Logs: $logs"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "error: benchmarks failed in ${failed[*]}" >&2
  exit 1
fi
