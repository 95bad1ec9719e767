#!/usr/bin/env bash
# npm run chaos -- [--minutes N] [--seed S] [--shoppers K]: build what the run needs, then run it (niced:
# the harness shares the machine with whatever else runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_NO_CLOUD=true NX_USE_LOCAL=true NX_TUI=false NX_DAEMON=false
if [ -z "${REDIS_URL:-}" ]; then bash tools/ensure-deps.sh redis-server; else bash tools/ensure-deps.sh; fi
npx nx run-many -t build -p catalog,orders,logistics,certification,mongo-standin,kafka-standin --outputStyle=static
TSX_TSCONFIG_PATH=tools/tsconfig.json exec nice -n 10 node --import tsx tools/chaos/chaos.ts "$@"
