#!/usr/bin/env bash
# Sets up a fresh clone for development and tests: npm packages, then each optional test host whose
# installer exists (the real VS Code host and Chromium, the OpenIDM artifact). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ -x scripts/install-vscode-host.sh ]; then bash scripts/install-vscode-host.sh; fi
if [ -x test/contract/openidm.sh ]; then bash test/contract/openidm.sh fetch || echo "setup: OpenIDM artifact not available; the contract lane will say why"; fi
