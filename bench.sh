#!/usr/bin/env bash
# Runs the BenchmarkDotNet benchmarks against their own throwaway Azurite (not part of ./test.sh).
# Extra arguments go to BenchmarkDotNet (e.g. --filter '*CheckTurn*'); the default runs every benchmark.
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
require_tools
cd "$REPO_ROOT"
ensure_npm_tools

BENCH_AZURITE_PORT="${BENCH_AZURITE_PORT:-10162}"
WORK="$(mktemp -d)"
cleanup() { [ -n "${AZURITE_PID:-}" ] && kill "$AZURITE_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

log "Starting Azurite (tables) on 127.0.0.1:$BENCH_AZURITE_PORT for the benchmarks"
start_azurite "$BENCH_AZURITE_PORT" "$WORK/azurite" --inMemoryPersistence
export ConnectionStrings__Storage="$(azurite_connection_string "$BENCH_AZURITE_PORT")"

log "Running the benchmarks (Release)"
if [ "$#" -eq 0 ]; then set -- --filter '*'; fi
dotnet run -c Release --project Bot.Benchmarks -- "$@"
