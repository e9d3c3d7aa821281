#!/usr/bin/env bash
# Starts a private RabbitMQ node in the foreground (exec, so signals reach it).
# Used by the AppHost (executable resource "rabbitmq") and by scripts/test.sh.
#
# Environment:
#   RABBITMQ_BASE_DIR         private directory for this node (mnesia, logs, config, HOME) [required]
#   RABBITMQ_NODE_PORT        AMQP port (127.0.0.1 only)                                   [required]
#   RABBITMQ_DIST_PORT        Erlang distribution port                                     [required]
#   RABBITMQ_MANAGEMENT_PORT  management UI / HTTP API port (127.0.0.1 only)               [required]
#   RABBITMQ_NODENAME         node name (default: virtualiop-<hash of base dir>@localhost)
#   RABBITMQ_APP_USER, RABBITMQ_APP_PASSWORD
#                             optional: an administrator user (full rights on "/") that is created,
#                             or has its password reset, once the node is up. guest/guest stays
#                             (loopback only).
#   RABBITMQ_BIN              dir with rabbitmq-server/rabbitmqctl (default /usr/lib/rabbitmq/bin;
#                             the /usr/sbin wrappers switch user and cookie, so they are not used)
set -euo pipefail

: "${RABBITMQ_BASE_DIR:?RABBITMQ_BASE_DIR must be set}"
: "${RABBITMQ_NODE_PORT:?RABBITMQ_NODE_PORT must be set}"
: "${RABBITMQ_DIST_PORT:?RABBITMQ_DIST_PORT must be set}"
: "${RABBITMQ_MANAGEMENT_PORT:?RABBITMQ_MANAGEMENT_PORT must be set}"
RABBITMQ_BIN=${RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}
if [[ ! -x "$RABBITMQ_BIN/rabbitmq-server" ]]; then
  echo "rabbitmq.sh: $RABBITMQ_BIN/rabbitmq-server not found. Install it: apt-get install -y --no-install-recommends --no-upgrade rabbitmq-server (scripts/run.sh and scripts/test.sh do this)." >&2
  exit 1
fi

base=$RABBITMQ_BASE_DIR
mkdir -p "$base/home" "$base/mnesia" "$base/log"
base=$(cd "$base" && pwd)

export HOME="$base/home"
export RABBITMQ_NODENAME=${RABBITMQ_NODENAME:-virtualiop-$(printf '%s' "$base" | cksum | cut -d' ' -f1)@localhost}
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE="$base/mnesia"
export RABBITMQ_LOG_BASE="$base/log"
export RABBITMQ_PID_FILE="$base/rabbitmq.pid"
export RABBITMQ_CONFIG_FILE="$base/rabbitmq.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins"
export RABBITMQ_CONF_ENV_FILE="$base/rabbitmq-env.conf"
export RABBITMQ_NODE_PORT RABBITMQ_DIST_PORT
# Loopback only, for the Erlang distribution port and for an epmd that this node starts.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="${RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:-} -kernel inet_dist_use_interface {127,0,0,1}"
export ERL_EPMD_ADDRESS=${ERL_EPMD_ADDRESS:-127.0.0.1}

: > "$RABBITMQ_CONF_ENV_FILE"
echo '[rabbitmq_management].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
cat > "$RABBITMQ_CONFIG_FILE" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_NODE_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBITMQ_MANAGEMENT_PORT
log.console = true
log.console.level = warning
log.file.level = info
CONF

if [[ -n "${RABBITMQ_APP_USER:-}" && -n "${RABBITMQ_APP_PASSWORD:-}" ]]; then
  # Runs beside the node (which replaces this shell below): waits for it, then ensures the user.
  # Through the management API (guest, loopback) when curl exists: far cheaper than rabbitmqctl runs.
  (
    if command -v curl >/dev/null 2>&1; then
      api="http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT/api"
      for _ in $(seq 1 360); do
        curl -fsS -u guest:guest "$api/overview" >/dev/null 2>&1 && break
        sleep 0.5
      done
      json_escape() { local v=${1//\\/\\\\}; printf '%s' "${v//\"/\\\"}"; }
      curl -fsS -u guest:guest -X PUT -H 'content-type: application/json' "$api/users/$RABBITMQ_APP_USER" \
        -d "{\"password\":\"$(json_escape "$RABBITMQ_APP_PASSWORD")\",\"tags\":\"administrator\"}" >/dev/null
      curl -fsS -u guest:guest -X PUT -H 'content-type: application/json' "$api/permissions/%2F/$RABBITMQ_APP_USER" \
        -d '{"configure":".*","write":".*","read":".*"}' >/dev/null
    else
      ctl() { "$RABBITMQ_BIN/rabbitmqctl" -q "$@"; }
      ctl wait "$RABBITMQ_PID_FILE" --timeout 180 >/dev/null 2>&1 || exit 0
      if ! ctl add_user "$RABBITMQ_APP_USER" "$RABBITMQ_APP_PASSWORD" >/dev/null 2>&1; then
        ctl change_password "$RABBITMQ_APP_USER" "$RABBITMQ_APP_PASSWORD" >/dev/null
      fi
      ctl set_user_tags "$RABBITMQ_APP_USER" administrator >/dev/null
      ctl set_permissions -p / "$RABBITMQ_APP_USER" '.*' '.*' '.*' >/dev/null
    fi
    echo "rabbitmq.sh: user '$RABBITMQ_APP_USER' ready"
  ) </dev/null &
fi

exec "$RABBITMQ_BIN/rabbitmq-server"
