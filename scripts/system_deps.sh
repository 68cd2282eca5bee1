#!/usr/bin/env bash
# System packages the tests need (Debian): Pango for WeasyPrint PDF downloads.
# PostgreSQL is installed by scripts/pg_test.sh. Needs root; a no-op when present.
set -euo pipefail
need=()
for lib in libpango-1.0-0 libpangoft2-1.0-0; do
  dpkg -s "$lib" >/dev/null 2>&1 || need+=("$lib")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "system_deps.sh: missing ${need[*]} (install them as root)" >&2
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
