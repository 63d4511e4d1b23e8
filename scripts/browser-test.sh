#!/usr/bin/env bash
# End-to-end test of `dnsrace explore` in a real browser: headless Chromium (Debian's
# `chromium` package) driven by playwright-core opens the outage counterexample that
# `dnsrace explore` links to, and fails unless the page shows the violated property and
# the regional endpoint resolving to no address. It also renders the docs' Mermaid
# diagrams with mermaid.js.
#
# Installs what it needs when it is missing: Debian's chromium (with apt-get, as root)
# and the npm packages pinned in tests/browser/package-lock.json (into
# tests/browser/node_modules). Builds dnsrace in release mode.
#
#   scripts/browser-test.sh                # test; screenshot in target/browser-test/
#   scripts/browser-test.sh --update-docs  # also refresh docs/images/explorer-counterexample.png
set -euo pipefail
cd "$(dirname "$0")/.."

update_docs=false
for arg in "$@"; do
  case "$arg" in
    --update-docs) update_docs=true ;;
    *) echo "usage: scripts/browser-test.sh [--update-docs]" >&2; exit 2 ;;
  esac
done

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: $chromium is missing: install Debian's chromium (sudo apt-get install chromium) or set CHROMIUM" >&2
    exit 1
  fi
fi

# npm ci only when the lock file changed since the last install.
lock_sum=$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)
stamp=tests/browser/node_modules/.dnsrace-lock-sha256
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sum" ]; then
  echo "== installing the browser test's npm packages (npm ci)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$stamp"
fi

echo "== building dnsrace (release)"
cargo build --release --quiet -p dnsrace

shots=(--screenshot target/browser-test/explorer-counterexample.png)
if $update_docs; then
  shots+=(--screenshot docs/images/explorer-counterexample.png)
fi
CHROMIUM="$chromium" node tests/browser/explorer.test.mjs --dnsrace target/release/dnsrace "${shots[@]}"
