#!/usr/bin/env bash
# Runs the BenchmarkDotNet benchmarks against their own throwaway Azurite (not part of ./test.sh).
# Extra arguments go to BenchmarkDotNet (e.g. --filter '*CheckTurn*'); the default runs every benchmark.
set -euo pipefail
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
