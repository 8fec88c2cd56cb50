# Shared by run.sh and test.sh: installs the pinned npm tools and starts/stops Azurite.
# Sourced, not executed.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/tools"
BOT_DLL="$REPO_ROOT/Bot/bin/Debug/net10.0/CustomerAdvocateBot.dll"
AZURITE_ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_tools() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required: https://dot.net"
  command -v node >/dev/null 2>&1 || die "Node.js 20 or later is required: https://nodejs.org"
  command -v npm >/dev/null 2>&1 || die "npm is required (it comes with Node.js)"
  command -v curl >/dev/null 2>&1 || die "curl is required"
}

# Installs tools/ from its lock file when node_modules is missing or older than the lock file; and tools/cards, the
# Adaptive Cards renderer the card tests render with (docs/cards.md).
ensure_npm_tools() {
  local dir
  for dir in "$TOOLS_DIR" "$TOOLS_DIR/cards"; do
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      log "Installing local tools into ${dir#"$REPO_ROOT"/}/node_modules"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in ${dir#"$REPO_ROOT"/}"
    fi
  done
}

TAB_DIR="$REPO_ROOT/tab"

# Builds the tab's script (tab/src -> Bot/wwwroot/tab/app.js) with esbuild, installing tab/ from its lock file first
# when needed. The bundle is built, not committed (docs/tab.md says why); the build fails over the 300 KB budget.
ensure_tab_bundle() {
  if [ ! -d "$TAB_DIR/node_modules" ] || [ "$TAB_DIR/package-lock.json" -nt "$TAB_DIR/node_modules/.package-lock.json" ]; then
    log "Installing the tab's build tools (esbuild, teams-js, Fluent web components) into tab/node_modules"
    (cd "$TAB_DIR" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in tab/"
  fi
  (cd "$TAB_DIR" && node build.mjs) || die "the tab's script did not build"
}

# start_azurite PORT LOG_DIR [azurite args...]: starts Azurite's table service and waits until it answers.
# Pass --location DIR to keep data, or --inMemoryPersistence for throwaway data.
start_azurite() {
  local port="$1" location="$2"; shift 2
  mkdir -p "$location"
  # AZURITE_NODE_FLAGS: V8 flags for Azurite's Node process (the load benchmark sizes its heap: bench/load/README.md).
  node ${AZURITE_NODE_FLAGS:-} "$TOOLS_DIR/node_modules/azurite/dist/src/table/main.js" --tableHost 127.0.0.1 --tablePort "$port" \
    --silent --skipApiVersionCheck --disableTelemetry "$@" >"$location/azurite.log" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$AZURITE_PID" 2>/dev/null || { cat "$location/azurite.log" >&2; die "Azurite did not start on port $port"; }
    sleep 0.25
  done
  die "Azurite did not answer on port $port"
}

# start_throwaway_azurite PORT WHAT: Azurite in memory for one run of the tests or benchmarks. Sets WORK (a temporary
# folder), stops Azurite and removes WORK on exit, and exports ConnectionStrings__Storage for the .NET code.
start_throwaway_azurite() {
  local port="$1" what="$2"
  WORK="$(mktemp -d)"
  trap '[ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
  log "Starting Azurite (tables) on 127.0.0.1:$port for the $what"
  start_azurite "$port" "$WORK/azurite" --inMemoryPersistence
  export ConnectionStrings__Storage="$(azurite_connection_string "$port")"
}

azurite_connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_ACCOUNT_KEY;TableEndpoint=http://127.0.0.1:$1/devstoreaccount1;"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_listening PORT: whether a socket listens on PORT, read from /proc (no connection is made).
port_listening() {
  local hex
  hex="$(printf ':%04X' "$1")"
  awk -v port="$hex" '$4 == "0A" && substr($2, length($2) - 4) == port { found = 1 } END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# wait_for_http URL PID SECONDS: waits until URL answers 2xx; fails early if PID exits.
# Where /proc is readable it connects only once the port listens: a connection to a port nobody listens on, inside the
# ephemeral range (32768-60999 here), can be given that same port as its source and connect to itself (TCP
# simultaneous open); the port is then taken, in use or in TIME-WAIT, and the server starting there cannot bind it.
# That happened to the load benchmark's bot on 45002, two runs in a row.
wait_for_http() {
  local url="$1" pid="$2" seconds="$3" i port
  port="${url#*://}"; port="${port%%/*}"; port="${port##*:}"
  for ((i = 0; i < seconds * 4; i++)); do
    if [ ! -r /proc/net/tcp ] || port_listening "$port"; then
      curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

# start_playground ENDPOINT PORT LOG_DIR: starts the Agents Playground (Teams channel, no telemetry) in the background,
# with the mock Teams context in tools/playground.yml. It writes its log file under LOG_DIR (not ./devTools), and opens
# no browser on a machine without a display. Its start-up errors go to that log file, not to the terminal.
start_playground() {
  local endpoint="$1" port="$2" log_dir="$3"
  local browser="${TEAMSAPPTESTER_BROWSER:-}"
  if [ -z "$browser" ] && [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then browser=none; fi
  TEAMSAPPTESTER_BROWSER="$browser" M365_AGENTS_PLAYGROUND_LOGFILE="$log_dir/playground.log" \
    M365_AGENTS_PLAYGROUND_CONFIG_PATH="$TOOLS_DIR/playground.yml" \
    "$TOOLS_DIR/node_modules/.bin/agentsplayground" -e "$endpoint" -c msteams -p "$port" --disable-telemetry &
  PLAYGROUND_PID=$!
}

# stop_processes PID...: asks each to stop (SIGTERM), waits up to 10 s, then kills what is left.
stop_processes() {
  local pid i
  [ "$#" -eq 0 ] && return 0
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for ((i = 0; i < 40; i++)); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.25
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait "$@" 2>/dev/null || true
}

# The end-to-end tests drive the Playground in Chromium. CI (root, Debian/Ubuntu) gets it from apt; elsewhere it is
# the developer's to install, and the tests say so.
ensure_chromium() {
  { [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1; } && return 0
  if [ "${CI:-}" = true ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing Chromium for the end-to-end tests (apt-get install chromium)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || die "could not install chromium"
  else
    log "Chromium is not installed: the end-to-end tests will not run (install the 'chromium' package, or set CHROMIUM_PATH)"
  fi
}
