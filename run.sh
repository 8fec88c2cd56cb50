#!/usr/bin/env bash
# Runs the bot locally with no Azure or Teams account: Azurite (tables), the bot on :3978 (Development, auth off)
# which also serves the decision history tab at /tab/, and the Microsoft 365 Agents Playground as the Teams client. Ctrl-C stops all three.
# Ports can be moved: BOT_PORT (3978), PLAYGROUND_PORT (56150), AZURITE_PORT (10002).
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
require_tools
cd "$REPO_ROOT"
ensure_npm_tools
ensure_tab_bundle

AZURITE_PORT="${AZURITE_PORT:-10002}"
BOT_PORT="${BOT_PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
DATA_DIR="$REPO_ROOT/.azurite"
LOG_DIR="$REPO_ROOT/.playground"
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  [ "${#PIDS[@]}" -eq 0 ] && return 0
  log "Stopping"
  stop_processes "${PIDS[@]}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The Playground silently moves to a random port when its port is taken, so a busy port is an error here.
for port in "$BOT_PORT" "$PLAYGROUND_PORT"; do
  port_in_use "$port" && die "port $port is already in use (is another copy running?); set BOT_PORT / PLAYGROUND_PORT to move"
done

if port_in_use "$AZURITE_PORT"; then
  log "Table storage is already listening on 127.0.0.1:$AZURITE_PORT; using it"
else
  log "Starting Azurite (tables) on 127.0.0.1:$AZURITE_PORT, data in .azurite/"
  start_azurite "$AZURITE_PORT" "$DATA_DIR" --location "$DATA_DIR"
  PIDS+=("$AZURITE_PID")
fi

log "Building the bot"
dotnet build Bot/Bot.csproj --nologo -v quiet -clp:ErrorsOnly || die "the bot did not build"
log "Starting the bot on http://localhost:$BOT_PORT/api/messages"
# The built DLL runs directly (not `dotnet run`) so that stopping it stops the bot itself, not a wrapper.
ASPNETCORE_ENVIRONMENT=Development MicrosoftAppId="" \
  ConnectionStrings__Storage="$(azurite_connection_string "$AZURITE_PORT")" \
  dotnet "$BOT_DLL" --contentRoot "$REPO_ROOT/Bot" --urls "http://localhost:$BOT_PORT" &
BOT_PID=$!
PIDS+=("$BOT_PID")
wait_for_http "http://localhost:$BOT_PORT/healthz" "$BOT_PID" 60 || die "the bot did not become healthy on port $BOT_PORT (see its log above)"

log "Starting the Microsoft 365 Agents Playground on http://localhost:$PLAYGROUND_PORT"
mkdir -p "$LOG_DIR"
start_playground "http://localhost:$BOT_PORT/api/messages" "$PLAYGROUND_PORT" "$LOG_DIR"
PIDS+=("$PLAYGROUND_PID")
wait_for_http "http://localhost:$PLAYGROUND_PORT/" "$PLAYGROUND_PID" 60 || die "the Playground did not start on port $PLAYGROUND_PORT (see $LOG_DIR/)"

log "Ready. Open http://localhost:$PLAYGROUND_PORT in your browser and say hello to Customer Advocate. Ctrl-C stops everything."
log "Decision history tab: http://localhost:$BOT_PORT/tab/index.html?scope=mine (what you raised, own or answered, as the LOCAL DEVELOPMENT identity; add &theme=dark or &theme=contrast; a chat's log: ?scope=chat:<conversation id>)"
set +e
wait -n "${PIDS[@]}"
status=$?
set -e
log "A process stopped (exit $status); stopping the others"
exit "$status"
