#!/bin/bash
# Launches the built portal on an existing database (demo off) and prints how long after launch GET /healthz first
# answered 503 ("starting") and 200. Usage: bench/ScaleBench/healthz-after-start.sh /path/to/portal.db [port]
set -u
DB=${1:?database file}; PORT=${2:-5197}
DLL="$(dirname "$0")/../../src/Portal/bin/Release/net10.0/ModelWatch.Portal.dll"
start=$(date +%s%N)
ConnectionStrings__Portal="Data Source=$DB" Portal__Demo__Enabled=false dotnet "$DLL" --urls "http://127.0.0.1:$PORT" > /tmp/healthz-after-start.log 2>&1 &
pid=$!
seen503=""
while true; do
  code=$(curl -s -o /tmp/healthz-after-start.json -w "%{http_code}" "http://127.0.0.1:$PORT/healthz")
  now=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ "$code" = "503" ] && [ -z "$seen503" ]; then seen503=1; echo "first 503 at $now ms: $(head -c 300 /tmp/healthz-after-start.json)"; fi
  if [ "$code" = "200" ]; then echo "healthz 200 at $now ms"; break; fi
  if [ $now -gt 120000 ]; then echo "no 200 after $now ms (last answer $code)"; break; fi
  sleep 0.05
done
kill $pid; wait $pid 2>/dev/null
grep -h "Replayed" /tmp/healthz-after-start.log
