#!/usr/bin/env bash
# The test command: installs what the tests need (pinned backend CLIs, JS SDKs and playwright-core from npm; Debian's chromium), builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")"

echo "==> npm: pinned backend CLIs (opencode, kilo, claude), JavaScript SDKs, playwright-core"
npm ci --prefix tests/backends --no-audit --no-fund
npm ci --prefix tests/node --no-audit --no-fund
npm ci --prefix tests/browser --no-audit --no-fund

# The playground's browser test drives Debian's chromium; playwright-core never downloads a browser of its own.
if ! command -v chromium >/dev/null 2>&1; then
    echo "==> apt: chromium (for the playground's browser test)"
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

echo "==> dotnet build (Release, warnings are errors)"
dotnet build AcpToApi.slnx -c Release

echo "==> dotnet test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test --solution AcpToApi.slnx -c Release --no-build "$@" 2>&1 | tee "$log"
# One plain closing line for CI readers: "N passed, N failed, N skipped".
awk '/^  succeeded:/{p=$2} /^  failed:/{f=$2} /^  skipped:/{s=$2} END{if (p!="") printf "%s passed, %s failed, %s skipped\n", p, f, s}' "$log"
