#!/usr/bin/env bash
# One command for the Native AOT build: a single self-contained executable, artifacts/native/<rid>/acptoapi
# (default rid: linux-x64, this machine's). Trimming and AOT warnings fail the build. Needs clang (or gcc) and
# zlib1g-dev: on Debian/Ubuntu, apt-get install clang zlib1g-dev (test.sh installs them when missing).
#
#   ./build-native.sh              # artifacts/native/linux-x64/acptoapi
#   ./build-native.sh linux-x64    # the same, naming the runtime identifier
set -euo pipefail
cd "$(dirname "$0")"
rid=${1:-linux-x64}

if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
    echo "build-native.sh: Native AOT links with clang (or gcc); install it: apt-get install clang zlib1g-dev" >&2
    exit 1
fi
if [ ! -e /usr/include/zlib.h ]; then
    echo "build-native.sh: Native AOT links against zlib; install its headers: apt-get install zlib1g-dev" >&2
    exit 1
fi

publish=artifacts/publish/$rid
echo "==> dotnet publish src/AcpToApi -c Release -r $rid -p:PublishAot=true (warnings are errors)"
dotnet publish src/AcpToApi -c Release -r "$rid" -p:PublishAot=true -o "$publish" -nologo
install -D -m 755 "$publish/acptoapi" "artifacts/native/$rid/acptoapi"
echo "==> artifacts/native/$rid/acptoapi ($(du -h "artifacts/native/$rid/acptoapi" | cut -f1))"
