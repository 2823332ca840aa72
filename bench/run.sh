#!/usr/bin/env bash
# The benchmark of issues 7 and 16, in one command: builds Release and the Native AOT binary, installs the pinned peer
# gateway, starts the fake upstream, acptoapi (JIT), acptoapi AOT and portkey on free 127.0.0.1 ports, measures them
# side by side and writes bench/results/<date>.md.
#
#   bench/run.sh                      full run (about 15 minutes with the default 5-minute soak)
#   bench/run.sh --quick              smoke run: every measurement with small counts, writes results/<date>-quick.md
#   bench/run.sh --soak-seconds 900   longer soak; other options: --repeats N --requests N --throughput-seconds N
#                                     --agent-runs N --server-cpus none (no pinning) --skip-peer --skip-aot --no-readme --output FILE
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

echo "==> dotnet build (Release): gateway, fake upstream, load client"
dotnet build AcpToApi.slnx -c Release -v quiet -nologo
dotnet build bench/AcpToApi.Bench/AcpToApi.Bench.csproj -c Release -v quiet -nologo
if [[ " $* " != *" --skip-aot "* ]]; then
  echo "==> the Native AOT column: ./build-native.sh (artifacts/native/linux-x64/acptoapi)"
  ./build-native.sh
fi

echo "==> npm: peer gateway @portkey-ai/gateway (pinned by bench/package-lock.json)"
npm ci --prefix bench --no-audit --no-fund --loglevel=error
echo "==> npm: the pinned opencode, kilo and claude CLIs for item 6 (tests/backends/package-lock.json)"
npm ci --prefix tests/backends --no-audit --no-fund --loglevel=error

client=(dotnet bench/AcpToApi.Bench/bin/Release/net10.0/acptoapi-bench.dll --root "$root")
cpus=$(nproc --all)
if [[ " $* " == *" --server-cpus none "* ]] || (( cpus < 2 )); then
  echo "==> no CPU pinning"
  exec "${client[@]}" --server-cpus none --client-cpus none "$@"
fi
# Load client on CPU 0, the three servers on CPU 1 (the harness starts them with taskset -c 1).
echo "==> load client pinned to CPU 0, servers to CPU 1"
exec taskset -c 0 "${client[@]}" --client-cpus 0 --server-cpus 1 "$@"
