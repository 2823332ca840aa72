#!/usr/bin/env bash
# One command for the npm packages (esbuild/biome style): the launcher acptoapi-dotnet, and acptoapi-dotnet-linux-x64
# carrying the Native AOT binary (os/cpu restricted, an optional dependency of the launcher). Builds the binary with
# ./build-native.sh first unless --no-build is given (test.sh has just built it). Writes:
#   artifacts/npm/stage/<package>/          the package directories (what `npm pack` packs)
#   artifacts/npm/<package>-<version>.tgz   the packed tarballs
# Try them with Node only: npx --yes --package ./acptoapi-dotnet-linux-x64-<v>.tgz --package ./acptoapi-dotnet-<v>.tgz acptoapi-dotnet
set -euo pipefail
cd "$(dirname "$0")"
rid=linux-x64
if [ "${1:-}" != "--no-build" ]; then
    ./build-native.sh "$rid"
fi
binary=artifacts/native/$rid/acptoapi
[ -x "$binary" ] || { echo "build-npm.sh: $binary is missing: run ./build-native.sh" >&2; exit 1; }
version=$("$binary" --version)

stage=artifacts/npm/stage
rm -rf "$stage" artifacts/npm/*.tgz
mkdir -p "$stage"
for package in acptoapi-dotnet acptoapi-dotnet-$rid; do
    cp -r "npm/$package" "$stage/$package"
    # The version is the binary's own; the launcher asks for exactly the same version of its platform package.
    node -e '
        const fs = require("node:fs");
        const [file, version] = process.argv.slice(1);
        const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
        manifest.version = version;
        for (const name of Object.keys(manifest.optionalDependencies ?? {})) manifest.optionalDependencies[name] = version;
        fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");' "$stage/$package/package.json" "$version"
done
install -D -m 755 "$binary" "$stage/acptoapi-dotnet-$rid/bin/acptoapi"
for package in acptoapi-dotnet acptoapi-dotnet-$rid; do
    npm pack "./$stage/$package" --pack-destination artifacts/npm --silent
done
ls -l artifacts/npm/*.tgz
