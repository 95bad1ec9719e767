#!/usr/bin/env bash
# Installs what the local stack needs and is missing: npm packages and the given Debian packages
# (e.g. redis-server). Uses apt-get as root, sudo otherwise, and says what to do when neither works.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[deps] npm ci"
  # Some registries (mirrors) lack other platforms' optional packages (e.g. sass-embedded's builds for
  # other systems), so the lock cannot list them and npm ci rejects it as out of sync although it is not.
  # npm install with the same lock then installs the same tree and leaves the lock unchanged. npm ci's
  # complaint goes to a log file instead of the terminal: it is expected there and needs no action.
  log=$(mktemp)
  if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
    echo "[deps] npm ci refused the lock file (the registry lacks other platforms' optional packages; details: $log); installing the same lock with npm install"
    npm install --no-audit --no-fund
  else
    cat "$log"; rm -f "$log"
  fi
fi

missing=()
for pkg in "$@"; do
  case "$pkg" in
    redis-server) command -v redis-server >/dev/null || missing+=(redis-server) ;;
    docker-compose) command -v docker-compose >/dev/null || missing+=(docker-compose) ;;
    # Debian's chromium ships without CJK fonts: Chinese would render as boxes. Always install one with it.
    chromium)
      command -v chromium >/dev/null || missing+=(chromium)
      dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk) ;;
    *) dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then apt=(apt-get); elif command -v sudo >/dev/null; then apt=(sudo apt-get); else apt=(); fi
if [ ${#apt[@]} -eq 0 ] || ! command -v apt-get >/dev/null; then
  echo "[deps] missing system packages: ${missing[*]}. Install them with your package manager (Debian/Ubuntu: apt-get install -y ${missing[*]}; macOS: brew install redis)." >&2
  exit 1
fi
echo "[deps] installing ${missing[*]}"
"${apt[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
