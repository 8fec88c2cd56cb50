#!/usr/bin/env bash
# ./bench.sh load [--n 500] [--c 50] [--t 50] [--rounds 5] [--only bot]: the load benchmark (docs in bench/load/README.md).
# Starts its own Azurite, a counting proxy in front of it and a recording connector (bench/load/harness.mjs), the bot
# (Release) and the botbuilder peer (bench/load/sdk-peer.mjs); bench/load/generate.mjs drives each phase against the bot
# and then the peer (raise in rounds, the order alternating), and the last line is ratio= (the median over the rounds of
# bot raise throughput / peer raise throughput).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
require_tools
cd "$REPO_ROOT"
ensure_npm_tools

N=500 C=50 T=50 ROUNDS=5 ONLY=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --n) N="$2"; shift 2 ;;
    --c) C="$2"; shift 2 ;;
    --t) T="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    *) die "unknown option $1 (use --n, --c, --t, --rounds, --only bot)" ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds takes a whole number from 1 (got $ROUNDS)"

LOAD_DIR="$REPO_ROOT/bench/load"
# A port given with LOAD_*_PORT must be free; a default that is taken (another run, another engineer's servers on a
# shared machine) moves to the next free port above it, so two runs never collide and none dies on a busy default.
TAKEN=()
pick_port() { # NAME DEFAULT
  local name="$1" port="${!1:-}" candidate
  if [ -n "$port" ]; then
    port_in_use "$port" && die "port $port ($name) is already in use"
    TAKEN+=("$port"); echo "$port"; return
  fi
  for ((candidate = $2; candidate < $2 + 200; candidate++)); do
    [[ " ${TAKEN[*]-} " == *" $candidate "* ]] && continue
    port_in_use "$candidate" || { echo "$candidate"; return; }
  done
  die "no free port from $2 to $(($2 + 199)) for $name"
}
AZURITE_PORT="$(pick_port LOAD_AZURITE_PORT 10251)"; TAKEN+=("$AZURITE_PORT")
PROXY_PORT="$(pick_port LOAD_PROXY_PORT 10252)"; TAKEN+=("$PROXY_PORT")
CONNECTOR_PORT="$(pick_port LOAD_CONNECTOR_PORT 45001)"; TAKEN+=("$CONNECTOR_PORT")
BOT_PORT="$(pick_port LOAD_BOT_PORT 45002)"; TAKEN+=("$BOT_PORT")
PEER_PORT="$(pick_port LOAD_PEER_PORT 45003)"; TAKEN+=("$PEER_PORT")

if [ ! -d "$LOAD_DIR/node_modules" ] || [ "$LOAD_DIR/package-lock.json" -nt "$LOAD_DIR/node_modules/.package-lock.json" ]; then
  log "Installing the benchmark-only peer's packages (botbuilder, @azure/data-tables) into bench/load/node_modules"
  (cd "$LOAD_DIR" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in bench/load/"
fi

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  [ "${#PIDS[@]}" -gt 0 ] && stop_processes "${PIDS[@]}"
  # LOAD_KEEP=DIR keeps the bot's and the peer's logs and the measured figures (JSON) for a closer look.
  if [ -n "${LOAD_KEEP:-}" ]; then mkdir -p "$LOAD_KEEP" && cp "$WORK"/*.log "$WORK"/*.json "$LOAD_KEEP"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "Starting Azurite (tables, in memory) on $AZURITE_PORT, its counting proxy on $PROXY_PORT and the recording connector on $CONNECTOR_PORT"
# Azurite keeps every row in its Node heap, and a major garbage collection there stalls every storage call for 50-75 ms
# (its answers 3-7x slower): one landing in a round moved that round's p99 to 2.3-2.9x p50 (bench/load/README.md).
# Table Storage has no such pause. With a 2 GB initial old space Azurite makes one such collection a run (near 460 MB)
# instead of 6-7; both sides share the same Azurite.
AZURITE_NODE_FLAGS="--initial-old-space-size=2048" start_azurite "$AZURITE_PORT" "$WORK/azurite" --inMemoryPersistence
PIDS+=("$AZURITE_PID")
node "$LOAD_DIR/harness.mjs" --connector-port "$CONNECTOR_PORT" --proxy-port "$PROXY_PORT" --azurite-port "$AZURITE_PORT" &
HARNESS_PID=$!
PIDS+=("$HARNESS_PID")
STORAGE="$(azurite_connection_string "$PROXY_PORT")"
HARNESS="http://127.0.0.1:$CONNECTOR_PORT"
RUN_ID="$(date +%s)"
generate() { # LABEL PORT PID PHASE [ROUND]
  node "$LOAD_DIR/generate.mjs" --label "$1" --target "http://127.0.0.1:$2/api/messages" --service-url "$HARNESS/" \
    --harness "$HARNESS" --n "$N" --c "$C" --t "$T" --pids "$1=$3,azurite=$AZURITE_PID,harness=$HARNESS_PID" \
    --out "$WORK/$1.json" --phases "$4" --run-id "$1$RUN_ID" --round "${5:-1}" --rounds "$ROUNDS"
}
bot() { [ -z "$BOT_PID" ] || generate bot "$BOT_PORT" "$BOT_PID" "$@"; }
peer() { [ -z "$PEER_PID" ] || generate sdk "$PEER_PORT" "$PEER_PID" "$@"; }

BOT_PID="" PEER_PID=""
if [ "$ONLY" != sdk ]; then
  log "Building the bot (Release)"
  dotnet build Bot -c Release -nologo -v q -clp:ErrorsOnly >/dev/null || die "the bot did not build"
  # Development only because authentication is off without an app id (the connector here takes no tokens); logging at
  # Warning and the console span exporter (on by default in Development) off, so the console is not what is measured:
  # with it on, every span of every turn (about five, ~25 lines each) was written to stdout as the span ended.
  ASPNETCORE_ENVIRONMENT=Development MicrosoftAppId= ConnectionStrings__Storage="$STORAGE" Storage__TablePrefix=loadbench \
    Logging__LogLevel__Default=Warning Logging__LogLevel__CustomerAdvocateBot=Warning Telemetry__ConsoleExporter=false \
    dotnet "$REPO_ROOT/Bot/bin/Release/net10.0/CustomerAdvocateBot.dll" --urls "http://127.0.0.1:$BOT_PORT" >"$WORK/bot.log" 2>&1 &
  BOT_PID=$!
  PIDS+=("$BOT_PID")
  wait_for_http "http://127.0.0.1:$BOT_PORT/healthz" "$BOT_PID" 60 || { cat "$WORK/bot.log" >&2; die "the bot did not start"; }
fi
if [ "$ONLY" != bot ]; then
  [ "$ONLY" = sdk ] && die "the peer sends the bot's checklist card from the same run: run both (no --only), or --only bot"
  node "$LOAD_DIR/sdk-peer.mjs" --port "$PEER_PORT" --storage "$STORAGE" --harness "$HARNESS" >"$WORK/sdk.log" 2>&1 &
  PEER_PID=$!
  PIDS+=("$PEER_PID")
  wait_for_http "http://127.0.0.1:$PEER_PORT/healthz" "$PEER_PID" 30 || { cat "$WORK/sdk.log" >&2; die "the peer did not start"; }
fi

# Each phase runs against the bot and then the peer, back to back, so the two figures compared were measured seconds
# apart, under the same load from the rest of the machine. The one not being measured sits idle. The raise, which the
# ratio compares, runs in rounds (each N mentions again in the same conversations), the side going first alternating:
# a round lasts about a second a side, so one slow second on a shared host moved a single round's ratio by a fifth
# (bench/load/README.md); the median over the rounds is what one run says. The answers come after the first round, on
# the tables as they were then: Azurite scans a whole table for every range read (Table Storage does not), so answering
# after five rounds measured the table's size more than either side.
log "$N mentions, $C at a time, over $T tenants, in $ROUNDS rounds; one card answer per decision after the first"
raise() { # ROUND
  if (($1 % 2)); then bot raise "$1"; peer raise "$1"; else peer raise "$1"; bot raise "$1"; fi
}
for phase in warmup install; do bot "$phase"; peer "$phase"; done
raise 1
bot answer; peer answer
for ((round = 2; round <= ROUNDS; round++)); do raise "$round"; done
[ -n "$BOT_PID" ] && { grep -iE "fail|error" "$WORK/bot.log" | head -5 >&2 || true; }
[ -n "$PEER_PID" ] && { head -5 "$WORK/sdk.log" >&2 || true; }

# The summary: per round, the bot's raise tail (p99 / p50) and, with the peer, the throughput ratio; then the medians.
node -e '
  const [bot, sdk] = process.argv.slice(1).map((f) => (require("fs").existsSync(f) ? JSON.parse(require("fs").readFileSync(f, "utf8")) : null));
  const median = (values) => {
    const sorted = values.slice().sort((a, b) => a - b);
    return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
  };
  const tails = bot.raises.map((r) => r.p99 / r.p50);
  console.log(`bot raise p99/p50 by round: ${tails.map((t) => t.toFixed(2)).join(" ")} (median ${median(tails).toFixed(2)})`);
  if (sdk) {
    const ratios = bot.raises.map((r) => r.throughput / sdk.raises.find((s) => s.round === r.round).throughput);
    console.log(`answer_ratio=${(bot.answer.throughput / sdk.answer.throughput).toFixed(2)}`);
    console.log(`ratio by round: ${ratios.map((r) => r.toFixed(2)).join(" ")}`);
    console.log(`ratio=${median(ratios).toFixed(2)}`);
  }
' "$WORK/bot.json" "$WORK/sdk.json"
