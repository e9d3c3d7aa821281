#!/usr/bin/env bash
# THE run command: bash scripts/run.sh
#
# Starts the whole VirtualIop stack with the Aspire AppHost (dashboard included), waits until the
# gateway is healthy, seeds a demo clinic (scripts/seed-demo.sh), prints the URLs, and keeps running
# until Ctrl-C, which stops everything cleanly.
#
# Needs the .NET 10 SDK. Without a working Docker engine it installs (apt, --no-upgrade) and runs a local
# PostgreSQL and RabbitMQ instead of containers; data then lives in .data/ (gitignored).
# Extra arguments go to the AppHost as configuration, e.g. --UseContainers=false or
# --Services:notification:Notification:ReminderOffsets=00:05:00 (see VirtualIop.AppHost/Infrastructure.cs).
# Environment: VIRTUALIOP_DATA_DIR (default <repo>/.data), USE_CONTAINERS=true|false (default: detect),
#              VIRTUALIOP_START_TIMEOUT seconds (default 600, includes the first build).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

data_dir=${VIRTUALIOP_DATA_DIR:-$repo/.data}
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)
# PostgreSQL runs as the postgres OS user, which must be able to reach its data folder; a clone under
# a private home (e.g. /root) is not reachable, so the data then lives under /var/tmp instead.
if [[ $(id -u) -eq 0 && -z "${VIRTUALIOP_DATA_DIR:-}" ]] && id postgres >/dev/null 2>&1 \
   && ! setpriv --reuid=postgres --regid=postgres --init-groups -- test -x "$data_dir" 2>/dev/null; then
  data_dir=/var/tmp/virtualiop-$(echo "$repo" | md5sum | cut -c1-8)
  mkdir -p "$data_dir" && chmod 755 "$data_dir"
fi
urls_file="$data_dir/urls.env"
log_file="$data_dir/apphost.log"

for arg in "$@"; do
  [[ $arg == --UseContainers=* ]] && USE_CONTAINERS=${arg#--UseContainers=}
done
if [[ -n "${USE_CONTAINERS:-}" ]]; then
  use_containers=$(echo "$USE_CONTAINERS" | tr '[:upper:]' '[:lower:]')
elif docker_is_healthy; then
  use_containers=true
else
  use_containers=false
fi
if [[ $use_containers == true ]]; then
  echo "Docker is healthy: PostgreSQL and RabbitMQ run as containers."
else
  echo "No container engine: PostgreSQL and RabbitMQ run as local processes (data in $data_dir)."
  ensure_local_servers
fi

ensure_api_tools

echo "Restoring tools and building ..."
dotnet tool restore >/dev/null
dotnet build VirtualIop.AppHost -c Debug -nologo -v quiet -clp:ErrorsOnly

# Demo timings (default): one-minute sessions allowed, reminders 2 min and 1 min before, no-shows 30 s
# after the end, so the seeded session shows the whole flow within minutes. VIRTUALIOP_DEMO_TIMINGS=0
# keeps the production defaults (reminders 24 h and 1 h before, 15 min grace).
demo_timings=()
if [[ ${VIRTUALIOP_DEMO_TIMINGS:-1} == 1 ]]; then
  demo_timings=(
    --Services:scheduling:Scheduling:MinimumSessionMinutes=1
    --Services:notification:Notification:ReminderOffsets:0=00:02:00
    --Services:notification:Notification:ReminderOffsets:1=00:01:00
    --Services:attendance:Attendance:NoShowGrace=00:00:30
    --Services:attendance:Attendance:SweepInterval=00:00:05
  )
fi

# The demo clinic's webhook secrets, printed below so the signed telehealth and recording webhooks can be tried
# with curl (README, "Calling the API"). Development values only: production keeps them in a secret store. They
# live in src/VirtualIop.Attendance/appsettings.Development.json and src/VirtualIop.Scheduling/appsettings.Development.json.
demo_clinic=3f6c1d52-8a4b-4e1f-9c27-5d0b8e6a1f01
telehealth_secret=demo-clinic-telehealth-secret-for-development-only
recording_secret=demo-recording-webhook-secret-0123456789
# Calendar-feed URLs point at the gateway, where calendar apps can reach them.
demo_settings=("--Services:scheduling:Scheduling:CalendarFeeds:PublicBaseUrl=http://localhost:5080")

rm -f "$urls_file"
echo "Starting the AppHost (log: $log_file) ..."
dotnet run --project VirtualIop.AppHost --launch-profile http --no-build -- \
  "--UseContainers=$use_containers" "--LocalInfra:DataDirectory=$data_dir" "${demo_timings[@]}" "${demo_settings[@]}" "$@" >"$log_file" 2>&1 &
apphost_pid=$!

stop() {
  trap - EXIT INT TERM
  if kill -0 "$apphost_pid" 2>/dev/null; then
    echo
    echo "Stopping VirtualIop ..."
    kill -TERM "$apphost_pid" 2>/dev/null || true
    wait "$apphost_pid" 2>/dev/null || true
    # The orchestrator stops the local servers after the AppHost exits: wait for them (RabbitMQ takes ~8 s).
    local pid
    for pid in $(head -n 1 "$data_dir/postgres/postmaster.pid" 2>/dev/null) $(cat "$data_dir/rabbitmq/rabbitmq.pid" 2>/dev/null); do
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    done
  fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url_of() { sed -n "s/^$1=//p" "$urls_file" 2>/dev/null | tail -n 1; }
ready() { [[ $(url_of READY) == true ]]; }
if ! wait_until "${VIRTUALIOP_START_TIMEOUT:-600}" "$apphost_pid" "the AppHost" ready; then
  echo "----- last lines of $log_file" >&2
  tail -n 60 "$log_file" >&2
  exit 1
fi

gateway_url=$(url_of GATEWAY_URL); gateway_url=${gateway_url:-http://localhost:5080}
dashboard_url=$(url_of DASHBOARD_URL); dashboard_url=${dashboard_url:-http://localhost:15080}
mailsink_url=$(url_of MAILSINK_URL)
rabbit_url=$(url_of RABBITMQ_MANAGEMENT_URL)
curl -fsS "$gateway_url/health" >/dev/null

if [[ -f scripts/seed-demo.sh ]]; then
  echo "Seeding the demo clinic ..."
  GATEWAY_URL=$gateway_url bash scripts/seed-demo.sh || echo "warning: seeding the demo clinic failed (see above); the stack is still running." >&2
fi

cat <<EOT

VirtualIop is running.
  Gateway (partner API):  $gateway_url   (interactive API docs: $gateway_url/docs)
  Clinician console:      $gateway_url/console   (clinician@demo-clinic / demo-clinician-password)
  Aspire dashboard:       $dashboard_url
  Mail sink (smtp4dev):   ${mailsink_url:-see the dashboard}
EOT
[[ -n "$rabbit_url" ]] && echo "  RabbitMQ management:    $rabbit_url (credentials: see the rabbitmq resource on the dashboard)"
cat <<EOT

Get a demo token (client credentials):
  TOKEN=\$(curl -s -X POST $gateway_url/connect/token -d grant_type=client_credentials \\
          -d client_id=demo-clinic -d client_secret=demo-clinic-secret | jq -r .access_token)
  curl -H "Authorization: Bearer \$TOKEN" $gateway_url/api/scheduling/...

Webhook secrets of the demo clinic ($demo_clinic), for signing (see the README):
  telehealth platform: $telehealth_secret
  video platform:      $recording_secret

Press Ctrl-C to stop.
EOT

wait "$apphost_pid" || true
