#!/usr/bin/env bash
# npm test's chaos step: the harness's own unit tests, then a short seeded run that must keep every
# invariant (only the invariants are asserted, never timings: it runs on loaded 2-core CI machines).
set -euo pipefail
cd "$(dirname "$0")/../.."
TSX_TSCONFIG_PATH=tools/tsconfig.json node --import tsx --test tools/chaos/chaos.test.ts
bash tools/chaos/chaos.sh --minutes 2 --seed 42 --shoppers 3
