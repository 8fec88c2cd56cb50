#!/usr/bin/env bash
# Runs every test: installs the npm tools, starts Azurite on its own port, runs `dotnet test`, stops what it started.
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
require_tools
cd "$REPO_ROOT"
ensure_npm_tools
ensure_tab_bundle
ensure_chromium

TEST_AZURITE_PORT="${TEST_AZURITE_PORT:-10102}"
start_throwaway_azurite "$TEST_AZURITE_PORT" tests

log "Running dotnet test"
set +e
dotnet test CustomerAdvocateBot.sln --logger "trx;LogFileName=results.trx" --results-directory "$WORK/results" "$@" 2>&1 | tee "$WORK/test.log"
status=${PIPESTATUS[0]}
set -e

# One closing line any CI can read, summed over every test assembly's TRX.
passed=0; failed=0; skipped=0
for trx in "$WORK"/results/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
