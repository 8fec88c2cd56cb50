# Shared by run.sh and test.sh: installs the pinned npm tools and starts/stops Azurite.
# Sourced, not executed.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/tools"
AZURITE_ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_tools() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required: https://dot.net"
  command -v node >/dev/null 2>&1 || die "Node.js 20 or later is required: https://nodejs.org"
  command -v npm >/dev/null 2>&1 || die "npm is required (it comes with Node.js)"
}

# Installs tools/ from its lock file when node_modules is missing or older than the lock file.
ensure_npm_tools() {
  if [ ! -d "$TOOLS_DIR/node_modules" ] || [ "$TOOLS_DIR/package-lock.json" -nt "$TOOLS_DIR/node_modules/.package-lock.json" ]; then
    log "Installing local tools (Azurite, Agents Playground) into tools/node_modules"
    (cd "$TOOLS_DIR" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in tools/"
  fi
}

# start_azurite PORT LOG_DIR [azurite args...]: starts Azurite's table service and waits until it answers.
# Pass --location DIR to keep data, or --inMemoryPersistence for throwaway data.
start_azurite() {
  local port="$1" location="$2"; shift 2
  mkdir -p "$location"
  "$TOOLS_DIR/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$port" \
    --silent --skipApiVersionCheck --disableTelemetry "$@" >"$location/azurite.log" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$AZURITE_PID" 2>/dev/null || { cat "$location/azurite.log" >&2; die "Azurite did not start on port $port"; }
    sleep 0.25
  done
  die "Azurite did not answer on port $port"
}

azurite_connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_ACCOUNT_KEY;TableEndpoint=http://127.0.0.1:$1/devstoreaccount1;"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
