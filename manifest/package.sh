#!/usr/bin/env bash
# Builds the Teams app package: fills the bot's app id and domain into manifest.json and zips it with the two icons
# (manifest.json, color.png, outline.png at the zip root). See manifest/README.md.
#
#   manifest/package.sh --bot-id <guid> --domain <host> [--teams-app-id <guid>] [--app-version <x.y.z>] [--out <file>]
#
# Each option can come from the environment instead: BOT_ID, BOT_DOMAIN, TEAMS_APP_ID, APP_VERSION, OUT.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GUID_RE='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
# A DNS host name with at least one dot: no scheme, path, port or wildcard.
HOST_RE='^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$'
SEMVER_RE='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$'

die() { printf 'package.sh: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

bot_id="${BOT_ID:-}"
domain="${BOT_DOMAIN:-}"
teams_app_id="${TEAMS_APP_ID:-}"
app_version="${APP_VERSION:-1.0.0}"
out="${OUT:-appPackage.zip}"

while [ $# -gt 0 ]; do
  case "$1" in
    --bot-id) [ $# -ge 2 ] || die "--bot-id needs a value"; bot_id="$2"; shift 2 ;;
    --domain) [ $# -ge 2 ] || die "--domain needs a value"; domain="$2"; shift 2 ;;
    --teams-app-id) [ $# -ge 2 ] || die "--teams-app-id needs a value"; teams_app_id="$2"; shift 2 ;;
    --app-version) [ $# -ge 2 ] || die "--app-version needs a value"; app_version="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a value"; out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ -n "$bot_id" ] || die "the bot's app id is missing: pass --bot-id <guid> or set BOT_ID (the deployment's botAppId output)"
[[ "$bot_id" =~ $GUID_RE ]] || die "--bot-id must be a GUID like 00000000-0000-0000-0000-000000000000, got '$bot_id'"
[ -n "$domain" ] || die "the bot's domain is missing: pass --domain <host> or set BOT_DOMAIN (e.g. myapp.azurewebsites.net)"
[[ "$domain" =~ $HOST_RE ]] || die "--domain must be a host name without scheme, port or path (e.g. myapp.azurewebsites.net), got '$domain'"
teams_app_id="${teams_app_id:-$bot_id}"
[[ "$teams_app_id" =~ $GUID_RE ]] || die "--teams-app-id must be a GUID, got '$teams_app_id'"
[[ "$app_version" =~ $SEMVER_RE ]] || die "--app-version must look like 1.0.0, got '$app_version'"
command -v zip >/dev/null 2>&1 || die "zip is required (Debian/Ubuntu: apt-get install zip)"

# Host names are case-insensitive; Teams compares validDomains in lower case.
domain="$(printf '%s' "$domain" | tr '[:upper:]' '[:lower:]')"
bot_id="$(printf '%s' "$bot_id" | tr '[:upper:]' '[:lower:]')"
teams_app_id="$(printf '%s' "$teams_app_id" | tr '[:upper:]' '[:lower:]')"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
# The values are validated above, so they hold no character that sed or JSON would treat specially.
sed -e "s/\${{BOT_ID}}/$bot_id/g" -e "s/\${{BOT_DOMAIN}}/$domain/g" \
    -e "s/\${{TEAMS_APP_ID}}/$teams_app_id/g" -e "s/\${{APP_VERSION}}/$app_version/g" \
    "$HERE/manifest.json" >"$stage/manifest.json"
if grep -o '\${{[A-Z_]*}}' "$stage/manifest.json" >&2; then die "manifest.json still has the placeholders above"; fi
cp "$HERE/color.png" "$HERE/outline.png" "$stage/"

mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
rm -f "$out"
(cd "$stage" && zip -q -X "$out" manifest.json color.png outline.png)
printf 'Wrote %s (Teams app id %s, bot %s, domain %s, version %s)\n' "$out" "$teams_app_id" "$bot_id" "$domain" "$app_version"
