#!/usr/bin/env bash
# The test command: installs what the tests need (pinned backend CLIs and JS SDKs from npm), builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")"

echo "==> npm: pinned backend CLIs (opencode, kilo, claude) and JavaScript SDKs"
# npm ci would refuse this lock file: the registry mirror does not serve the other platforms'
# optional packages of kilo and opencode, so they are absent from it. npm install with the lock
# and exact versions in package.json installs the same pinned tree without rewriting anything.
npm install --prefix tests/backends --no-audit --no-fund --no-save
npm ci --prefix tests/node --no-audit --no-fund

echo "==> dotnet build (Release, warnings are errors)"
dotnet build AcpToApi.slnx -c Release

echo "==> dotnet test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test --solution AcpToApi.slnx -c Release --no-build "$@" 2>&1 | tee "$log"
# One plain closing line for CI readers: "N passed, N failed, N skipped".
awk '/^  succeeded:/{p=$2} /^  failed:/{f=$2} /^  skipped:/{s=$2} END{if (p!="") printf "%s passed, %s failed, %s skipped\n", p, f, s}' "$log"
