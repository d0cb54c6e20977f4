#!/usr/bin/env bash
# Browser tests drive a system Chromium when there is one (CHROMIUM_PATH, or
# /usr/bin/chromium); as root on Debian they install Debian's; anywhere else they fetch
# Playwright's own build once (into its cache), so a machine with only Node can run them.
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] && exit 0
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file." >&2
  exit 1
fi
[ -x /usr/bin/chromium ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Chromium not found: installing Debian's chromium package for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq chromium >/dev/null && [ -x /usr/bin/chromium ]; then
    exit 0
  fi
  echo "Installing Debian's chromium failed; trying Playwright's build." >&2
fi

# Does nothing when this Playwright's Chromium is already in the cache.
if npx playwright install chromium; then
  exit 0
fi

cat >&2 <<'MSG'
The browser tests need Chromium and none could be found or installed.
Install one, then run the tests again:
  Debian/Ubuntu:  sudo apt-get install -y chromium
  macOS:          brew install --cask chromium, then export CHROMIUM_PATH="/Applications/Chromium.app/Contents/MacOS/Chromium"
  anything else:  npx playwright install chromium
MSG
exit 1
