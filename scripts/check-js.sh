#!/usr/bin/env bash
# Check the JavaScript the package serves: type-check the modules that say
# `// @ts-check` with TypeScript's tsc, and lint every file (the web app's
# modules and the drawing's viewer) with ESLint (eslint.config.js). Both are
# pinned in package.json / package-lock.json and installed first when needed.
# Run by `make lint`; needs Node.js and npm (Debian: apt-get install nodejs npm).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "check-js: npm is not installed (apt-get install -y nodejs npm)" >&2
  exit 1
fi
if [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/eslint ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts --silent
fi
node_modules/.bin/tsc --noEmit -p tsconfig.json
node_modules/.bin/eslint --max-warnings 0 src/stageline/server/static src/stageline/render/assets
