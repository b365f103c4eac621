#!/usr/bin/env bash
# Type-check the web app's ES modules that say `// @ts-check` with TypeScript's
# tsc (pinned in package.json / package-lock.json), installing it first when
# needed. Run by `make lint`; needs Node.js and npm (Debian: apt-get install nodejs npm).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "check-js: npm is not installed (apt-get install -y nodejs npm)" >&2
  exit 1
fi
if [ ! -x node_modules/.bin/tsc ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts --silent
fi
node_modules/.bin/tsc --noEmit -p tsconfig.json
