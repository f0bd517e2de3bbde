#!/usr/bin/env bash
# System tools the test suite needs that PyPI does not carry. Idempotent; installs only what is missing.
set -euo pipefail
need=()
command -v mcs >/dev/null 2>&1 || need+=(mono-mcs mono-devel)
[ -e /usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll ] || need+=(libnewtonsoft-json-cil-dev)
# connector preview's browser tests and make screenshots: Playwright drives Debian's Chromium
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-system: missing ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "setup-system: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
