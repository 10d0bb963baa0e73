#!/usr/bin/env bash
# Installs what the integration tests need to run the extension in a real VS Code, offline:
# Debian chromium (+ ripgrep, krb5 headers for code-server's native modules) and code-server +
# playwright-core into test/realVscode (its own package.json/lock, outside the extension's tree).
# Idempotent: does nothing when everything is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/test/realVscode"

if ! command -v chromium >/dev/null || ! command -v rg >/dev/null || [ ! -e /usr/include/krb5.h ]; then
  if [ "$(id -u)" != 0 ]; then echo "installRealVscode: need chromium, ripgrep, libkrb5-dev (apt-get install as root)" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ripgrep libkrb5-dev >/dev/null
fi

if [ -f "$dir/node_modules/code-server/out/node/entry.js" ] && [ -f "$dir/node_modules/playwright-core/package.json" ]; then
  exit 0
fi

# @vscode/ripgrep's postinstall downloads ripgrep from GitHub (unreachable): seed its cache with Debian's rg.
cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
seed=$(mktemp -d)
mkdir -p "$cache"; cp "$(command -v rg)" "$seed/rg"
tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$seed" rg
rm -rf "$seed"

cd "$dir"
export npm_config_yes=true npm_config_nodedir=/usr
if [ -f package-lock.json ]; then
  npm ci --unsafe-perm --no-audit --no-fund
else
  npm install --unsafe-perm --no-audit --no-fund
fi
echo "installRealVscode: code-server $(node -p 'require("code-server/package.json").version') ready in $dir"
