#!/usr/bin/env bash
# Ingest p99 with and without the raw-event pruner at work (issue 9 item 5: goal p99 rises by at most 20 %).
# Registers a model and stores a few batches through the API, then adds AGED predictions 30 days old, copies of a
# stored one, marked flushed (SQL on the stopped portal's file: the API refuses events that old). The load generator
# then runs against two copies of that file: pruner idle, and pruner deleting the aged rows in BatchRows batches
# through the writer during the measured window. Runs alternate (A B A B) so a neighbour's load hits both.
# Usage: bench/RetentionBench/run.sh [aged-rows] [measure-seconds] [rounds] [batch] [clients]
set -euo pipefail
cd "$(dirname "$0")/../.."
AGED=${1:-1000000}; MEASURE=${2:-20}; ROUNDS=${3:-2}; BATCH=${4:-1000}; CLIENTS=${5:-2}
PORTAL=src/Portal/bin/Release/net10.0/ModelWatch.Portal.dll
LOAD=bench/LoadGenerator/bin/Release/net10.0/ModelWatch.LoadGenerator.dll
KEY="mwk_retention-bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK=$(mktemp -d /tmp/retention-bench.XXXXXX)
PID=

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_portal() { # db interval-seconds log
  PORT=$(free_port)
  ConnectionStrings__Portal="Data Source=$1" Portal__Demo__Enabled=false Portal__Bootstrap__AdminApiKey="$KEY" \
  Portal__Retention__IntervalSeconds="$2" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Information \
    dotnet "$PORTAL" --urls "http://127.0.0.1:$PORT" >"$3" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "portal did not become healthy"; tail -20 "$3"; exit 1
}
stop_portal() { kill "$PID"; wait "$PID" || true; PID=; }
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; true' EXIT

start_portal "$WORK/seed.db" 86400 "$WORK/seed.log"
dotnet "$LOAD" --url "http://127.0.0.1:$PORT" --api-key "$KEY" --batch-sizes 100 --clients 1 --duration 2 --warmup 0 >"$WORK/seed.out"
stop_portal
# Aged rows, marked flushed, as a portal that ran a month ago would have left them.
sqlite3 "$WORK/seed.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $AGED)
  INSERT INTO predictions (model_pk, event_id, ts, version_pk, features, prediction_num, latency_ms, cost_usd, is_error)
  SELECT p.model_pk, 'aged-' || i, p.ts - 30 * 86400000 + i, p.version_pk, p.features, p.prediction_num, p.latency_ms, p.cost_usd, 0
  FROM n, (SELECT * FROM predictions LIMIT 1) p;
  UPDATE aggregate_watermarks SET predictions = (SELECT MAX(rowid) FROM predictions); PRAGMA wal_checkpoint(TRUNCATE);"
echo "seeded: $(sqlite3 "$WORK/seed.db" 'SELECT COUNT(*) FROM predictions') predictions, $(du -m "$WORK/seed.db" | cut -f1) MB, auto_vacuum=$(sqlite3 "$WORK/seed.db" 'PRAGMA auto_vacuum')"

for round in $(seq 1 "$ROUNDS"); do
  for mode in idle pruning; do
    db="$WORK/$mode-$round.db"; cp "$WORK/seed.db" "$db"
    interval=86400; [ "$mode" = pruning ] && interval=1
    start_portal "$db" "$interval" "$WORK/$mode-$round.log"
    dotnet "$LOAD" --url "http://127.0.0.1:$PORT" --api-key "$KEY" --batch-sizes "$BATCH" --clients "$CLIENTS" --duration "$MEASURE" --warmup 2 >"$WORK/$mode-$round.out"
    stop_portal
    left=$(sqlite3 "$db" "SELECT COUNT(*) FROM predictions WHERE ts < (strftime('%s','now') - 14*86400) * 1000")
    echo "round $round $mode: $(grep 'events/s' "$WORK/$mode-$round.out" | tr -s ' ') | aged rows left $left | $(grep -o 'Raw retention deleted [0-9]* predictions.*ms' "$WORK/$mode-$round.log" | head -1)"
    rm -f "$db" "$db-wal" "$db-shm"
  done
done
echo "outputs in $WORK"
