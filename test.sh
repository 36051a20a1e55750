#!/usr/bin/env bash
# Runs every test: unit, component, API and real-browser tests. Installs what a fresh Debian machine lacks.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]] || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi . || need_apt+=(fonts-dejavu-core)
# The hub test runs the official @microsoft/signalr client (fetched with npm into a temp folder) under node.
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# The provider and multi-node tests run against private PostgreSQL and Redis instances (tests/test-services.sh).
source tests/test-services.sh
[[ -n "$(_pg_bin)" ]] || need_apt+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if ((${#need_apt[@]})); then
  echo "test.sh: installing ${need_apt[*]} (Debian packages)"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 1
fi

dotnet build Portal.sln -c Release --nologo -v quiet
log=$(mktemp)
trap 'test_services_stop; rm -f "$log"' EXIT
test_services_start
status=0
dotnet test Portal.sln -c Release --no-build --nologo -v quiet --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log" || status=$?

# One closing line across all test assemblies, e.g. "412 passed, 0 failed, 3 skipped".
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{s += $2} END {print s + 0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [[ $status -eq 0 && $passed -eq 0 ]]; then echo "test.sh: no test ran" >&2; exit 1; fi
exit "$status"
