#!/usr/bin/env bash
# Regenerates the card pictures in docs/screenshots (light and dark) with the official Adaptive Cards renderer in
# headless Chromium and Teams' host configs: the same renderer the card height tests use (docs/cards.md).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_tools
cd "$REPO_ROOT"
ensure_npm_tools
ensure_chromium
CARD_SCREENSHOTS_DIR="$REPO_ROOT/docs/screenshots" dotnet test Bot.Tests --filter "TestCategory=Screenshots" "$@"
log "Pictures written to docs/screenshots"
