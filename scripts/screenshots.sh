#!/usr/bin/env bash
# Regenerates the card pictures in docs/screenshots with the official Adaptive Cards renderer in headless Chromium and
# Teams' host configs: the same renderer the card height tests use (docs/cards.md). The checklist, answer view and
# summary in light and dark, and the README's digest, built by the real digest builder from a seeded eight weeks in a
# throwaway Azurite (Bot.Tests/TestSupport/SeededDigest.cs). One command: scripts/screenshots.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_tools
cd "$REPO_ROOT"
ensure_npm_tools
ensure_chromium
start_throwaway_azurite "${SCREENSHOTS_AZURITE_PORT:-10164}" "screenshots"
CARD_SCREENSHOTS_DIR="$REPO_ROOT/docs/screenshots" dotnet test Bot.Tests --filter "TestCategory=Screenshots" "$@"

log "Pictures written to docs/screenshots"
