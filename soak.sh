#!/usr/bin/env bash
# The soak (docs/reliability.md): ./soak.sh [--minutes N] [--meetings M] [--people P]. Builds the bot, then runs
# scripts/soak.js: two bot instances behind a round-robin proxy, one Azurite on disk, a recording connector; Azurite
# restarted twice and one bot killed during the run. Prints one result line; exits non-zero on loss, duplicate or silence.
# Ports: SOAK_AZURITE_PORT (10231) and SOAK_PORT_BASE (43010..43013).
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
require_tools
cd "$REPO_ROOT"
ensure_npm_tools
log "Building the bot"
dotnet build Bot --nologo -v quiet >/dev/null
exec node scripts/soak.js "$@"
