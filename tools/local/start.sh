#!/usr/bin/env bash
# npm start: install what is missing, build the services, the front end and the edge, start everything on the local stack.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_USE_LOCAL=true NX_TUI=false NX_DAEMON=false
if [ -z "${REDIS_URL:-}" ]; then bash tools/ensure-deps.sh redis-server; else bash tools/ensure-deps.sh; fi
npx nx run-many -t build -p catalog,orders,logistics,certification,mongo-standin,web,gateway --outputStyle=static
# In-process TypeScript (no tsx wrapper process between the signal and the launcher).
TSX_TSCONFIG_PATH=tools/tsconfig.json exec node --import tsx tools/local/start.ts
