#!/usr/bin/env bash
# Installs the headless Chromium that the docs' end-to-end test drives (docs/test/e2e.test.ts).
# Idempotent: does nothing when /usr/bin/chromium is already there. Only installs by itself
# as root on Debian (CI and the dev machines); elsewhere it says what to do and exits 0, so a
# missing browser never breaks an install step (the e2e test then fails with the same hint).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "install-chromium: $CHROMIUM present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  echo "install-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

cat <<'MSG'
install-chromium: /usr/bin/chromium is missing and this script installs it only as root on Debian.
  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium
  Elsewhere: install Chromium and link it to /usr/bin/chromium, or set JUTE_CHROMIUM=/path/to/chrome
  The docs' end-to-end test (pnpm --filter @jute/docs test:e2e) needs it.
MSG
