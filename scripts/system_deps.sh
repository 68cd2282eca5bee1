#!/usr/bin/env bash
# System packages the tests need (Debian): Pango for WeasyPrint PDF downloads, Liberation fonts
# (the PDF charts' SVG text is measured by vl-convert with Liberation Sans metrics), and chromium
# for the Playwright e2e test (tests/web/test_web_e2e.py drives /usr/bin/chromium; Playwright
# never downloads a browser). Chromium is only added when /usr/bin/chromium is missing; gettext
# (msgfmt) for the message catalogue test.
# PostgreSQL is installed by scripts/pg_test.sh. Needs root; a no-op when present.
# `system_deps.sh runtime` (make run) installs only what the web app's PDF downloads need.
set -euo pipefail
need=()
for lib in libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation; do
  dpkg -s "$lib" >/dev/null 2>&1 || need+=("$lib")
done
if [ "${1:-}" != runtime ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # msgfmt: tests/test_messages.py compiles a copy of the catalogue with an entry removed
  command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "system_deps.sh: missing ${need[*]} (install them as root)" >&2
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
