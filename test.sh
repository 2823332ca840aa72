#!/usr/bin/env bash
# The test command: installs what the tests need (pinned backend CLIs and JS SDKs from npm), builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")"

echo "==> npm: pinned backend CLIs (opencode, kilo, claude) and JavaScript SDKs"
npm ci --prefix tests/backends --no-audit --no-fund
npm ci --prefix tests/node --no-audit --no-fund

echo "==> dotnet build (Release, warnings are errors)"
dotnet build AcpToApi.slnx -c Release

echo "==> dotnet test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test --solution AcpToApi.slnx -c Release --no-build "$@" 2>&1 | tee "$log"
# One plain closing line for CI readers: "N passed, N failed, N skipped".
awk '/^  succeeded:/{p=$2} /^  failed:/{f=$2} /^  skipped:/{s=$2} END{if (p!="") printf "%s passed, %s failed, %s skipped\n", p, f, s}' "$log"
