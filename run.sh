#!/usr/bin/env bash
# Runs the bot locally with no Azure or Teams account: Azurite (tables), the bot on :3978 (Development, auth off),
# and the Microsoft 365 Agents Playground as the Teams client. Ctrl-C stops all three.
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
require_tools
cd "$REPO_ROOT"
ensure_npm_tools

AZURITE_PORT=10002
BOT_PORT="${BOT_PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
DATA_DIR="$REPO_ROOT/.azurite"
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  log "Stopping"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

for port in "$BOT_PORT" "$PLAYGROUND_PORT"; do
  port_in_use "$port" && die "port $port is already in use (is another copy running?)"
done

if port_in_use "$AZURITE_PORT"; then
  log "Table storage is already listening on 127.0.0.1:$AZURITE_PORT; using it"
else
  log "Starting Azurite (tables) on 127.0.0.1:$AZURITE_PORT, data in .azurite/"
  start_azurite "$AZURITE_PORT" "$DATA_DIR" --location "$DATA_DIR"
  PIDS+=("$AZURITE_PID")
fi

log "Building and starting the bot on http://localhost:$BOT_PORT/api/messages"
dotnet build Bot/Bot.csproj --nologo -v quiet -clp:ErrorsOnly
ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Storage="UseDevelopmentStorage=true" MicrosoftAppId="" \
  dotnet run --project Bot/Bot.csproj --no-build --no-launch-profile --urls "http://localhost:$BOT_PORT" &
PIDS+=("$!")
for _ in $(seq 1 120); do
  curl -fsS "http://localhost:$BOT_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://localhost:$BOT_PORT/healthz" >/dev/null 2>&1 || die "the bot did not start"

log "Starting the Microsoft 365 Agents Playground"
"$TOOLS_DIR/node_modules/.bin/agentsplayground" -e "http://localhost:$BOT_PORT/api/messages" -c msteams \
  -p "$PLAYGROUND_PORT" --disable-telemetry &
PIDS+=("$!")

log "Open http://localhost:$PLAYGROUND_PORT in your browser and say hello to Customer Advocate. Ctrl-C stops everything."
wait -n "${PIDS[@]}" || true
