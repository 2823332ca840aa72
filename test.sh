#!/usr/bin/env bash
# The test command: installs what the tests need (pinned backend CLIs and JS SDKs from npm), builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")"

echo "==> npm ci: pinned backend CLIs (opencode, kilo, claude) and JavaScript SDKs"
npm ci --prefix tests/backends --no-audit --no-fund
npm ci --prefix tests/node --no-audit --no-fund

echo "==> dotnet build (Release, warnings are errors)"
dotnet build AcpToApi.slnx -c Release

echo "==> dotnet test"
dotnet test --solution AcpToApi.slnx -c Release --no-build "$@"
