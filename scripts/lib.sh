# Shared helpers for scripts/run.sh and scripts/test.sh (sourced, not run).

# True when a container engine answers (the docker CLI alone is not enough).
docker_is_healthy() {
  command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1
}

# Runs a command as root (directly when already root, else through sudo).
as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

_apt_updated=false
# apt_install PACKAGE...: installs missing Debian packages without upgrading anything else
# (--no-upgrade: otherwise apt would also upgrade the preinstalled postgresql).
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: '$*' is needed but apt-get is not available; install it with your package manager." >&2
    return 1
  fi
  if [[ $_apt_updated == false ]]; then
    as_root apt-get update -qq
    _apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends --no-upgrade "$@"
}

# Installs the local servers the no-container path needs: PostgreSQL and rabbitmq-server.
ensure_local_servers() {
  local missing=()
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
  [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || missing+=(rabbitmq-server)
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "Installing ${missing[*]} ..."
    apt_install "${missing[@]}"
  fi
}

# Installs the command-line tools the README's API walk-through uses (curl, jq, openssl for webhook signatures).
ensure_api_tools() {
  local missing=()
  for tool in curl jq openssl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "Installing ${missing[*]} ..."
    apt_install "${missing[@]}"
  fi
}

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on (and that this script has not handed out yet).
_handed_out_ports=" "
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    [[ $_handed_out_ports == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      _handed_out_ports+="$port "
      echo "$port"
      return 0
    fi
  done
  echo "error: no free port found" >&2
  return 1
}

# wait_until SECONDS PID DESCRIPTION COMMAND...: polls COMMAND until it succeeds; fails if PID dies or time runs out.
wait_until() {
  local seconds=$1 pid=$2 what=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $what exited before it was ready" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "error: $what not ready after ${seconds}s" >&2
      return 1
    fi
    sleep 0.5
  done
}

# Installs what the Kubernetes manifest tests (tests/VirtualIop.OperationsTests, Category=Deploy) need: node and npm
# for the offline validator and its locked packages (deploy/k8s/validate); kubectl (with kustomize) must be installed.
ensure_manifest_validator() {
  local missing=()
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "Installing ${missing[*]} ..."
    apt_install "${missing[@]}"
  fi
  command -v kubectl >/dev/null 2>&1 \
    || echo "warning: kubectl is not installed; the Kubernetes manifest tests will fail (they render with 'kubectl kustomize')." >&2
  npm ci --prefix deploy/k8s/validate --no-audit --no-fund --loglevel=error >/dev/null
}

# Installs Debian's Chromium for the browser tier (tests/VirtualIop.BrowserTests, Category=Browser) where no Chromium-based
# browser is installed; Playwright drives it through its ExecutablePath, because Playwright's own browser download cannot
# be reached from every machine. Exports VIRTUALIOP_TEST_CHROMIUM, the browser the tests launch.
ensure_chromium() {
  local browser
  for browser in chromium chromium-browser google-chrome; do
    if command -v "$browser" >/dev/null 2>&1; then
      export VIRTUALIOP_TEST_CHROMIUM=${VIRTUALIOP_TEST_CHROMIUM:-$(command -v "$browser")}
      return 0
    fi
  done
  echo "Installing chromium ..."
  apt_install chromium
  export VIRTUALIOP_TEST_CHROMIUM=${VIRTUALIOP_TEST_CHROMIUM:-$(command -v chromium)}
}
