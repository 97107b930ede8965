#!/usr/bin/env bash
# Ingest as a new user meets it (issue #17, docs/performance.md): the production jar with default settings
# (demo mode, durable embedded PostgreSQL), wrk on the same machine posting unique end-of-call reports for
# 50 cost-plus customers, then the physical limit of the same database measured in the same run.
#
#   bench/ingest-wrk.sh before.jar after.jar      # each jar in turn, ROUNDS times, alternating
#
# Settings (environment): ROUNDS (1), WARMUP (20 s), SECONDS (30), THREADS (2), CONNECTIONS (32),
# CUSTOMERS (50), ASSISTANTS (3), PORT (18170), LIMIT_SECONDS (15), LIMIT_THREADS (8), LIMIT_BATCH (10),
# JAVA_OPTS (none: the jar's defaults). Prints one RESULT line and one THREADS line (the JVM's CPU per delivery
# by thread kind: writers, request threads, JIT, GC, other) per jar run, and LIMIT lines per round;
# every figure has /proc/loadavg beside it. Logs in target/wrk-*/.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
# (bash's own SECONDS hides the caller's: ${SECONDS:-30} gave 0 when SECONDS was not set, so read the environment)
SECONDS_=$(tr '\0' '\n' < /proc/$$/environ | sed -n 's/^SECONDS=//p'); SECONDS_="${SECONDS_:-30}"
ROUNDS="${ROUNDS:-1}"; WARMUP="${WARMUP:-20}"; THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"; CUSTOMERS="${CUSTOMERS:-50}"; ASSISTANTS="${ASSISTANTS:-3}"; PORT="${PORT:-18170}"
BASE="http://127.0.0.1:$PORT"
ADMIN="Authorization: Bearer demo-admin-token"
[ "$#" -ge 1 ] || { echo "usage: $0 app.jar [other.jar ...]"; exit 2; }

# load, ticks, pg_pids and the bench classpath are shared with the other bench scripts
source bench/lib.sh
CP=$(bench_classpath)

run_jar() {
  local jar=$1 name dir server pm t0 j0 p0 t1 j1 p1 out
  name=$(basename "$jar" .jar)
  dir=$(mktemp -d "$PWD/target/wrk-$name.XXXX")
  # shellcheck disable=SC2086
  SERVER_PORT=$PORT VOICELEDGER_DATA_DIR="$dir/data" VOICELEDGER_DEMO_DATA=embedded "$JAVA" ${JAVA_OPTS:-} -jar "$jar" > "$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do grep -q "Demo data:" "$dir/server.log" 2>/dev/null && break; sleep 1; done
  grep -q "Demo data:" "$dir/server.log" || { echo "$name did not start"; tail -20 "$dir/server.log"; kill "$server"; return 1; }
  pm=$(head -1 "$dir/data/postgres/postmaster.pid")
  local month; month=$(date -u +%Y-%m-01)
  for c in $(seq 0 $((CUSTOMERS - 1))); do
    curl -sf -o /dev/null -H "$ADMIN" -H 'Content-Type: application/json' "$BASE/api/admin/v1/customers" \
      -d "{\"externalId\":\"bench-$c\",\"name\":\"Bench $c\"}"
    curl -sf -o /dev/null -H "$ADMIN" -H 'Content-Type: application/json' "$BASE/api/admin/v1/customers/bench-$c/contracts" \
      -d "{\"effectiveFrom\":\"${month}T00:00:00Z\",\"pricingModel\":\"RATE_CARD\",\"reason\":\"bench cost-plus\",\"markup\":{\"llm\":20,\"platform\":10}}"
  done
  # the contracts queue re-rating jobs: let them finish first, or they run during the measurement
  for _ in $(seq 1 120); do
    curl -sf -H "$ADMIN" "$BASE/api/admin/v1/rating/jobs" | grep -q '"QUEUED"\|"RUNNING"' || break; sleep 1
  done
  export BENCH_CUSTOMERS=$CUSTOMERS BENCH_ASSISTANTS=$ASSISTANTS BENCH_SECRET=demo-vapi-secret
  BENCH_RUN=$(($(date +%s) * 2)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/wrk/end-of-call.lua \
    "$BASE/webhooks/vapi" > "$dir/warmup.txt"
  local load_before; load_before=$(load)
  th0=$(thread_ticks "$server"); t0=$(date +%s.%N); j0=$(ticks "$server"); p0=$(ticks $(pg_pids "$pm"))
  BENCH_RUN=$(($(date +%s) * 2 + 1)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_}s" --latency -s bench/wrk/end-of-call.lua \
    "$BASE/webhooks/vapi" > "$dir/wrk.txt"
  t1=$(date +%s.%N); j1=$(ticks "$server"); p1=$(ticks $(pg_pids "$pm")); th1=$(thread_ticks "$server")
  local load_after; load_after=$(load)
  local rss; rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$server/status")
  out=$(grep '^WRK' "$dir/wrk.txt")
  local requests; requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<< "$out")
  local elapsed; elapsed=$(echo "$t1 - $t0" | bc -l)
  local non2xx; non2xx=$(grep -c "Non-2xx" "$dir/wrk.txt" || true)
  printf 'RESULT %s %s jvm_ms_per_req=%.2f pg_ms_per_req=%.2f cpu_used=%.0f%% rss_mib=%s non2xx_lines=%s load_before="%s" load_after="%s"\n' \
    "$name" "${out#WRK }" "$(echo "($j1 - $j0) * 10 / $requests" | bc -l)" "$(echo "($p1 - $p0) * 10 / $requests" | bc -l)" \
    "$(echo "($j1 - $j0 + $p1 - $p0) / $elapsed / 2" | bc -l)" "$rss" "$non2xx" "$load_before" "$load_after"
  # the JVM's CPU by thread kind: the JIT's share is the warm-up's leftover, not the delivery's cost
  printf 'THREADS %s %s\n' "$name" "$(thread_ms_per_request "$th0" "$th1" "$requests")"
  LAST_DIR=$dir; LAST_SERVER=$server; LAST_PORT=$(sed -n 4p "$dir/data/postgres/postmaster.pid")
}

for round in $(seq 1 "$ROUNDS"); do
  for jar in "$@"; do
    run_jar "$jar"
    if [ "$jar" = "${!#}" ]; then
      # the physical limit of this database, while the server is idle, in the same run
      "$JAVA" -cp "$CP" -Dbench.mode=limit -Dbench.jdbcUrl="jdbc:postgresql://127.0.0.1:$LAST_PORT/postgres" \
        -Dbench.limitSeconds="${LIMIT_SECONDS:-15}" -Dbench.limitThreads="${LIMIT_THREADS:-8}" \
        -Dbench.limitBatch="${LIMIT_BATCH:-10}" com.voiceledger.bench.IngestBenchmark 2>&1 | grep '^LIMIT' || true
    fi
    kill "$LAST_SERVER"; wait "$LAST_SERVER" 2>/dev/null || true
    rm -rf "$LAST_DIR/data"
  done
done
