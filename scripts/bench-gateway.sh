#!/usr/bin/env bash
# The gateway's cost: the same read (GET /api/scheduling/programs/{id}, one indexed row, no audit write) driven
# directly at Scheduling and through the gateway, with a valid token, at 1 and at 64 connections, by `hey` (Debian's
# package, installed when missing). Run by scripts/bench.sh on its durable servers; alone it takes the servers from
# the VIRTUALIOP_TEST_* variables (`source /tmp/virtualiop-test.env; bash scripts/bench-gateway.sh`).
#
# Starts its own Scheduling and gateway (Release builds, Development environment for the gateway's demo token endpoint,
# logging at Warning for both), raises the partner rate limit (GatewayRateLimits:PartnerRequestsPerMinute) out of the
# way for the run, and prints, also appending them to $VIRTUALIOP_BENCH_REPORT when set:
#   bench gateway-rate-c<N>: <through the gateway> req/s; baseline <direct> req/s; ratio <r>
#   bench gateway-latency-c<N>: p50 <ms> ms; p99 <ms> ms; direct p50 <ms> ms; p99 <ms> ms; added at p50 <ms> ms
# and, between them, every round's rate and the CPU time the gateway and Scheduling each spent per proxied request.
# Goal (issue 13): a ratio of at least 0.75 at 64 connections, under 0.5 ms added at p50 with one connection.
# Each figure is the median of 3 rounds taken in turns with the direct ones, after a 20 s warm-up of both servers;
# VIRTUALIOP_GATEWAY_BENCH_SECONDS sets each round's length (default 10 s): about 2.5 minutes in all.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

: "${VIRTUALIOP_TEST_POSTGRES:?set the VIRTUALIOP_TEST_* variables (scripts/bench.sh does; or source /tmp/virtualiop-test.env)}"
: "${VIRTUALIOP_TEST_RABBITMQ:?set VIRTUALIOP_TEST_RABBITMQ}"
seconds=${VIRTUALIOP_GATEWAY_BENCH_SECONDS:-10}
rounds=3
warm_up=20

ensure_api_tools
command -v hey >/dev/null 2>&1 || apt_install hey

for project in src/VirtualIop.Scheduling src/VirtualIop.Gateway; do
  if [[ ! -f $project/bin/Release/net10.0/$(basename "$project").dll ]]; then
    echo "error: build $project in Release first (scripts/bench.sh does)" >&2
    exit 1
  fi
done

run_id=gateway_bench_$$
database="${VIRTUALIOP_TEST_POSTGRES/Database=postgres/Database=virtualiop_$run_id}"
vhost=virtualiop-$run_id
amqp="${VIRTUALIOP_TEST_RABBITMQ%/}/$vhost"
management=${VIRTUALIOP_TEST_RABBITMQ_MANAGEMENT:-}
if [[ -n $management ]]; then
  curl -fsS -X PUT "$management/api/vhosts/$vhost" >/dev/null
  curl -fsS -X PUT "$management/api/permissions/$vhost/guest" -H "Content-Type: application/json" \
    -d '{"configure":".*","write":".*","read":".*"}' >/dev/null
else
  amqp=$VIRTUALIOP_TEST_RABBITMQ
fi
signing_key=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
scheduling_port=$(free_port); gateway_port=$(free_port)
scheduling=http://127.0.0.1:$scheduling_port
gateway=http://127.0.0.1:$gateway_port
logs=$(mktemp -d /tmp/virtualiop-gateway-bench.XXXXXX)

pids=()
stop() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n $management ]] && curl -fsS -X DELETE "$management/api/vhosts/$vhost" >/dev/null 2>&1 || true
  exit "$status"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export Auth__SigningKey=$signing_key Logging__LogLevel__Default=Warning DOTNET_CLI_TELEMETRY_OPTOUT=1
# Each runs from its project folder, its content root, where its appsettings files are.
(cd src/VirtualIop.Scheduling && ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=$scheduling \
  ConnectionStrings__schedulingdb="$database" ConnectionStrings__rabbitmq="$amqp" \
  exec dotnet bin/Release/net10.0/VirtualIop.Scheduling.dll) >"$logs/scheduling.log" 2>&1 &
pids+=($!); scheduling_pid=$!
# Every cluster must resolve; only Scheduling is called.
(cd src/VirtualIop.Gateway && ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=$gateway \
  services__scheduling__http__0=$scheduling services__attendance__http__0=$scheduling \
  services__notification__http__0=$scheduling services__engagement__http__0=$scheduling \
  GatewayRateLimits__PartnerRequestsPerMinute=100000000 \
  exec dotnet bin/Release/net10.0/VirtualIop.Gateway.dll) >"$logs/gateway.log" 2>&1 &
pids+=($!); gateway_pid=$!

healthy() { curl -fsS "$1/health"; }
if ! wait_until 120 "$scheduling_pid" Scheduling healthy "$scheduling" || ! wait_until 120 "$gateway_pid" "the gateway" healthy "$gateway"; then
  for log in "$logs"/*.log; do echo "----- $log"; tail -n 40 "$log"; done
  exit 1
fi

token=$(curl -fsS -X POST "$gateway/connect/token" -d grant_type=client_credentials \
  -d client_id=demo-clinic -d client_secret=demo-clinic-secret | jq -r .access_token)
program=$(curl -fsS -X POST "$scheduling/api/scheduling/programs" -H "Authorization: Bearer $token" \
  -H "Content-Type: application/json" -d '{"name":"Gateway benchmark","topics":[{"title":"Triggers","kind":"groupTherapy"}]}' | jq -r .id)
path=/api/scheduling/programs/$program
curl -fsS "$gateway$path" -H "Authorization: Bearer $token" >/dev/null

# measure BASE CONNECTIONS DURATION: prints "<requests/s> <p50 ms> <p99 ms>"; fails on any answer but 200.
# CPU time PID has used, in clock ticks (user and system).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# measure BASE CONNECTIONS DURATION: prints "<requests/s> <p50 ms> <p99 ms> <gateway CPU µs/request> <Scheduling CPU
# µs/request>"; fails on any answer but 200.
measure() {
  local out gateway_before scheduling_before gateway_after scheduling_after
  gateway_before=$(cpu_ticks "$gateway_pid"); scheduling_before=$(cpu_ticks "$scheduling_pid")
  out=$(hey -z "$3s" -c "$2" -H "Authorization: Bearer $token" "$1$path")
  gateway_after=$(cpu_ticks "$gateway_pid"); scheduling_after=$(cpu_ticks "$scheduling_pid")
  if grep -qE '^\s+\[([013-9][0-9]{2}|2[1-9][0-9]|20[1-9])\]' <<<"$out" || grep -q 'Error distribution' <<<"$out"; then
    echo "error: $1$path answered something else than 200:" >&2
    echo "$out" >&2
    return 1
  fi
  awk -v tps="$ticks_per_second" -v g=$((gateway_after - gateway_before)) -v s=$((scheduling_after - scheduling_before)) '
       /Requests\/sec:/ { rate = $2 }
       / 50% in / { p50 = $3 * 1000 }
       / 99% in / { p99 = $3 * 1000 }
       /\[200\]/ { n = $2 }
       END { printf "%.0f %.1f %.1f %.0f %.0f\n", rate, p50, p99, g / tps * 1e6 / n, s / tps * 1e6 / n }' <<<"$out"
}

report() {
  echo "$1"
  [[ -n ${VIRTUALIOP_BENCH_REPORT:-} ]] && echo "$1" >>"$VIRTUALIOP_BENCH_REPORT"
  return 0
}

# Both servers run long enough first for the JIT to finish with the hot paths (it takes seconds under load, and a
# measurement taken while it works is the compiler's, not the gateway's); then direct and through the gateway take
# turns, $rounds rounds each, so a background burst on the machine falls on both alike, and each figure is the median.
measure "$gateway" 64 "$warm_up" >/dev/null
measure "$scheduling" 64 5 >/dev/null

# median N...: the middle of the numbers.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for connections in 1 64; do
  direct_rates=(); direct_p50s=(); direct_p99s=(); gateway_rates=(); gateway_p50s=(); gateway_p99s=()
  gateway_cpus=(); scheduling_cpus=(); direct_cpus=()
  for _ in $(seq 1 "$rounds"); do
    figures=$(measure "$scheduling" "$connections" "$seconds")
    read -r rate p50 p99 _ scheduling_cpu <<<"$figures"
    direct_rates+=("$rate"); direct_p50s+=("$p50"); direct_p99s+=("$p99"); direct_cpus+=("$scheduling_cpu")
    figures=$(measure "$gateway" "$connections" "$seconds")
    read -r rate p50 p99 gateway_cpu scheduling_cpu <<<"$figures"
    gateway_rates+=("$rate"); gateway_p50s+=("$p50"); gateway_p99s+=("$p99")
    gateway_cpus+=("$gateway_cpu"); scheduling_cpus+=("$scheduling_cpu")
  done
  echo "c$connections rounds, req/s direct: ${direct_rates[*]}; through the gateway: ${gateway_rates[*]}"
  # Where a request's CPU goes when it passes the gateway: the two cores are shared with hey and PostgreSQL, so the
  # ratio above depends on how cheap the service behind is; this says what the gateway itself costs.
  echo "c$connections through the gateway, CPU per request (median): gateway $(median "${gateway_cpus[@]}") µs, Scheduling $(median "${scheduling_cpus[@]}") µs (called directly: $(median "${direct_cpus[@]}") µs)"
  direct_rate=$(median "${direct_rates[@]}"); gateway_rate=$(median "${gateway_rates[@]}")
  direct_p50=$(median "${direct_p50s[@]}"); direct_p99=$(median "${direct_p99s[@]}")
  gateway_p50=$(median "${gateway_p50s[@]}"); gateway_p99=$(median "${gateway_p99s[@]}")
  ratio=$(awk -v g="$gateway_rate" -v d="$direct_rate" 'BEGIN { printf "%.2f", g / d }')
  added=$(awk -v g="$gateway_p50" -v d="$direct_p50" 'BEGIN { printf "%.1f", g - d }')
  report "bench gateway-rate-c$connections: $gateway_rate req/s; baseline $direct_rate req/s; ratio $ratio"
  report "bench gateway-latency-c$connections: p50 $gateway_p50 ms; p99 $gateway_p99 ms; direct p50 $direct_p50 ms; p99 $direct_p99 ms; added at p50 $added ms"
done
