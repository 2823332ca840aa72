#!/usr/bin/env node
// The acptoapi-dotnet command: runs the native binary from the platform package npm installed beside this one
// (acptoapi-dotnet-<platform>-<arch>, an optional dependency), with this command's arguments. Ctrl+C, SIGTERM and
// SIGHUP are handed to the server, which ends its streams and exits; this launcher then exits with the server's code
// (or ends by the same signal).
"use strict";

const { spawn } = require("node:child_process");
const path = require("node:path");

const name = "acptoapi-dotnet";
const target = `${process.platform}-${process.arch}`;
const supported = new Set(["linux-x64"]);

function fail(message) {
  process.stderr.write(`${name}: ${message}\n`);
  process.exit(1);
}

if (!supported.has(target)) {
  fail(`no native build for ${process.platform} ${process.arch}; run the .NET build instead (see the project's README)`);
}

const platformPackage = `${name}-${target}`;
let binary;
try {
  binary = path.join(path.dirname(require.resolve(`${platformPackage}/package.json`)), "bin", "acptoapi");
} catch {
  fail(`the package ${platformPackage}, which carries the binary, is not installed (npm may have left out optional dependencies: install again without --omit=optional, with both packages)`);
}

const child = spawn(binary, process.argv.slice(2), { stdio: "inherit" });

const forwarded = ["SIGINT", "SIGTERM", "SIGHUP"];
for (const signal of forwarded) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
    }
  });
}

child.on("error", (error) => fail(`could not start ${binary}: ${error.message}`));
child.on("exit", (code, signal) => {
  if (signal) {
    for (const s of forwarded) {
      process.removeAllListeners(s);
    }
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
