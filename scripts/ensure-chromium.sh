#!/usr/bin/env bash
# Browser tests drive the system's Chromium (Playwright's own browser download is not
# needed). Finds it, installs Debian's where that is possible, or says what to run.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  exit 0
fi

if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file." >&2
  exit 1
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Chromium not found: installing Debian's chromium package for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ] && exit 0
fi

cat >&2 <<'MSG'
The browser tests need Chromium and none was found at /usr/bin/chromium.
Install it, then run the tests again:
  Debian/Ubuntu:  sudo apt-get install -y chromium
  macOS:          brew install --cask chromium, then export CHROMIUM_PATH="/Applications/Chromium.app/Contents/MacOS/Chromium"
  anything else:  npx playwright install chromium, then export CHROMIUM_PATH=<the path it prints>
MSG
exit 1
