#!/usr/bin/env bash
# The test command: installs what the tests need (pinned backend CLIs, JS SDKs and playwright-core from npm; Debian's chromium), builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")"

echo "==> npm: pinned backend CLIs (opencode, kilo, claude), JavaScript SDKs, playwright-core"
npm ci --prefix tests/backends --no-audit --no-fund
npm ci --prefix tests/node --no-audit --no-fund
npm ci --prefix tests/browser --no-audit --no-fund

# What apt must bring when missing: Debian's chromium for the playground's browser test (playwright-core never downloads a
# browser of its own), clang and zlib's headers for the Native AOT build (ILC links the executable with them).
packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v clang >/dev/null 2>&1 || packages+=(clang)
[ -e /usr/include/zlib.h ] || packages+=(zlib1g-dev)
if [ ${#packages[@]} -gt 0 ]; then
    echo "==> apt: ${packages[*]}"
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
fi

echo "==> dotnet build (Release, warnings are errors)"
dotnet build AcpToApi.slnx -c Release

echo "==> Native AOT binary (./build-native.sh: trimming and AOT warnings are errors) and the npm packages (./build-npm.sh)"
./build-native.sh
./build-npm.sh --no-build

logs=()
status=0
trap 'rm -f "${logs[@]}"' EXIT
# Both runs go ahead whatever the first one found; the script fails at the end if either failed.
run_tests() {
    local log
    log=$(mktemp)
    logs+=("$log")
    dotnet test -c Release --no-build "$@" 2>&1 | tee "$log" || status=1
}

echo "==> dotnet test (the JIT build: in-process gateway, the program itself, the npx install)"
run_tests --solution AcpToApi.slnx "$@"

# The end-to-end and SDK tests again, each gateway being the Native AOT executable in its own process (GatewayServer
# starts what ACPTOAPI_TEST_SERVER names), the claude tests among them (client tools reach the gateway's MCP server).
# A test that drives the gateway's clock or reads its services is skipped there.
echo "==> dotnet test against the Native AOT binary (ACPTOAPI_TEST_SERVER=artifacts/native/linux-x64/acptoapi)"
ACPTOAPI_TEST_SERVER=artifacts/native/linux-x64/acptoapi run_tests --project tests/AcpToApi.Tests "$@" -- \
    --filter-namespace 'AcpToApi.Tests.OpenAISdk' --filter-namespace 'AcpToApi.Tests.AnthropicSdk' \
    --filter-namespace 'AcpToApi.Tests.NodeSdk' --filter-namespace 'AcpToApi.Tests.Gemini' \
    --filter-namespace 'AcpToApi.Tests.Responses' --filter-namespace 'AcpToApi.Tests.Endpoints' \
    --filter-namespace 'AcpToApi.Tests.Hosting' --filter-namespace 'AcpToApi.Tests.DirectProviders' \
    --filter-namespace 'AcpToApi.Tests.AgentTools' --filter-namespace 'AcpToApi.Tests.Playground' \
    --filter-namespace 'AcpToApi.Tests.ClaudeCli'

# One plain closing line for CI readers, both runs added up: "N passed, N failed, N skipped".
awk '/^  succeeded:/{p+=$2} /^  failed:/{f+=$2} /^  skipped:/{s+=$2} END{if (p!="") printf "%d passed, %d failed, %d skipped\n", p, f, s}' "${logs[@]}"
exit $status
