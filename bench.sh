#!/usr/bin/env bash
# Runs the BenchmarkDotNet benchmarks against their own throwaway Azurite (not part of ./test.sh).
# Extra arguments go to BenchmarkDotNet (e.g. --filter '*CheckTurn*'); the default runs every benchmark.
# ./bench.sh load [--n N --c C --t T] runs the load benchmark against the bot and the botbuilder peer (bench/load/).
set -euo pipefail
if [ "${1:-}" = load ]; then shift; exec "$(dirname "$0")/bench/load/run.sh" "$@"; fi
source "$(dirname "$0")/scripts/lib.sh"
require_tools
cd "$REPO_ROOT"
ensure_npm_tools
ensure_tab_bundle

BENCH_AZURITE_PORT="${BENCH_AZURITE_PORT:-10162}"
start_throwaway_azurite "$BENCH_AZURITE_PORT" benchmarks

log "Running the benchmarks (Release)"
if [ "$#" -eq 0 ]; then set -- --filter '*'; fi
dotnet run -c Release --project Bot.Benchmarks -- "$@"
