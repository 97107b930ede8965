#!/usr/bin/env bash
# More instances, more throughput? (issue #17) Two application instances on ONE PostgreSQL against one
# instance, same run, same database. Instance 1: the production jar on a fresh embedded PostgreSQL
# (demo mode for the reference rate card, as bench/ingest-wrk.sh), 50 cost-plus customers. Instance 2: the
# same jar pointed at instance 1's PostgreSQL (SPRING_DATASOURCE_URL; the port is line 4 of
# data/postgres/postmaster.pid), with the embedded pool's settings (16 connections, reWriteBatchedInserts).
# Schedulers on in both (defaults). Then:
#   1. two: one wrk per instance, each half the threads and connections, at the same time; rates summed;
#   2. one: one wrk on instance 1 alone with all the connections, same duration (instance 2 stays up, idle);
#   3. the physical limit of the same database (PhysicalLimit), server idle.
# CPU per delivery split between JVM 1, JVM 2 and PostgreSQL (from /proc), load average beside each.
#
#   ./mvnw -Pproduction package -DskipTests && cp target/voiceledger-*.jar /tmp/after.jar
#   bench/ingest-two.sh /tmp/after.jar
#
# Settings (environment): ROUNDS (1: two then one, repeated), WARMUP (20 s), SECONDS or DURATION (60), THREADS (2), CONNECTIONS (32),
# CUSTOMERS (50), ASSISTANTS (3), PORT (18170; instance 2 on PORT+1), LIMIT_SECONDS (15), LIMIT_THREADS (8),
# LIMIT_BATCH (10), JAVA_OPTS (both instances). Logs in target/two-*/ (the database is deleted at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ "$#" -eq 1 ] || { echo "usage: $0 app.jar"; exit 2; }
JAR=$(realpath "$1")
WARMUP="${WARMUP:-20}"; SECONDS_=$(run_seconds 60); THREADS="${THREADS:-2}"; CONNECTIONS="${CONNECTIONS:-32}"
CUSTOMERS="${CUSTOMERS:-50}"; ASSISTANTS="${ASSISTANTS:-3}"; PORT="${PORT:-18170}"; PORT2=$((PORT + 1))
HALF_THREADS=$(( THREADS / 2 > 0 ? THREADS / 2 : 1 )); HALF_CONNECTIONS=$((CONNECTIONS / 2))
ADMIN="Authorization: Bearer $BENCH_ADMIN_TOKEN"
CP=$(bench_classpath)
dir=$(mktemp -d "$PWD/target/two-$(basename "$JAR" .jar).XXXX")
echo "logs in $dir"
server1=""; server2=""
cleanup() {
  if [ -n "$server2" ]; then stop_app "$server2"; fi
  if [ -n "$server1" ]; then stop_app "$server1" "$dir/data/postgres"; fi
  rm -rf "$dir/data"
}
trap cleanup EXIT

# shellcheck disable=SC2086
SERVER_PORT=$PORT VOICELEDGER_DATA_DIR="$dir/data" VOICELEDGER_DEMO_DATA=embedded SPRING_APPLICATION_NAME=voiceledger-1 \
  VOICELEDGER_VAPI_SECRET="$BENCH_SECRET" VOICELEDGER_ADMIN_API_TOKEN="$BENCH_ADMIN_TOKEN" \
  "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" > "$dir/server1.log" 2>&1 &
server1=$!
wait_started "$server1" "$dir/server1.log" "Demo data:"
pm=$(head -1 "$dir/data/postgres/postmaster.pid"); pg=$(sed -n 4p "$dir/data/postgres/postmaster.pid")

# shellcheck disable=SC2086
SERVER_PORT=$PORT2 VOICELEDGER_DATA_DIR="$dir/data2" SPRING_APPLICATION_NAME=voiceledger-2 \
  SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$pg/postgres?reWriteBatchedInserts=true" \
  SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE=16 \
  VOICELEDGER_VAPI_SECRET="$BENCH_SECRET" VOICELEDGER_ADMIN_API_TOKEN="$BENCH_ADMIN_TOKEN" \
  "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" > "$dir/server2.log" 2>&1 &
server2=$!
wait_started "$server2" "$dir/server2.log"
grep -q "Embedded PostgreSQL started" "$dir/server2.log" && { echo "instance 2 started its own PostgreSQL"; exit 1; }

month=$(date -u +%Y-%m-01)
for c in $(seq 0 $((CUSTOMERS - 1))); do
  curl -sf -o /dev/null -H "$ADMIN" -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/api/admin/v1/customers" \
    -d "{\"externalId\":\"bench-$c\",\"name\":\"Bench $c\"}"
  curl -sf -o /dev/null -H "$ADMIN" -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/api/admin/v1/customers/bench-$c/contracts" \
    -d "{\"effectiveFrom\":\"${month}T00:00:00Z\",\"pricingModel\":\"RATE_CARD\",\"reason\":\"bench cost-plus\",\"markup\":{\"llm\":20,\"platform\":10}}"
done
for _ in $(seq 1 120); do # the contracts' re-rating jobs, before the load
  curl -sf -H "$ADMIN" "http://127.0.0.1:$PORT/api/admin/v1/rating/jobs" | grep -q '"QUEUED"\|"RUNNING"' || break; sleep 1
done
export BENCH_CUSTOMERS=$CUSTOMERS BENCH_ASSISTANTS=$ASSISTANTS BENCH_SECRET
run=$(($(date +%s) * 64)) # call ids: a distinct run number per wrk

# warm-up: both instances, as in the first measurement
BENCH_RUN=$run run_wrk "$HALF_THREADS" "$HALF_CONNECTIONS" "$WARMUP" "http://127.0.0.1:$PORT/webhooks/vapi" "$dir/warmup1.txt" > /dev/null &
w1=$!
BENCH_RUN=$((run + 1)) run_wrk "$HALF_THREADS" "$HALF_CONNECTIONS" "$WARMUP" "http://127.0.0.1:$PORT2/webhooks/vapi" "$dir/warmup2.txt" > /dev/null
wait "$w1"

# prints one RESULT line: label, rate, latencies per wrk, CPU per delivery of each process, RSS, load
measure() {
  local label=$1; shift # then pairs: port run-number
  local load_before t0 j10 j20 p0 t1 j11 j21 p1 load_after i=0 pids=() outs=() requests=0 lat=""
  load_before=$(load)
  t0=$(date +%s.%N); j10=$(ticks "$server1"); j20=$(ticks "$server2"); p0=$(ticks $(pg_pids "$pm"))
  while [ "$#" -ge 2 ]; do
    local threads=$THREADS connections=$CONNECTIONS
    [ "$label" = two ] && { threads=$HALF_THREADS; connections=$HALF_CONNECTIONS; }
    BENCH_RUN=$2 run_wrk "$threads" "$connections" "$SECONDS_" "http://127.0.0.1:$1/webhooks/vapi" "$dir/$label-$1.txt" --latency > /dev/null &
    pids+=($!); outs+=("$dir/$label-$1.txt"); shift 2
  done
  for p in "${pids[@]}"; do wait "$p"; done
  t1=$(date +%s.%N); j11=$(ticks "$server1"); j21=$(ticks "$server2"); p1=$(ticks $(pg_pids "$pm"))
  load_after=$(load)
  for o in "${outs[@]}"; do
    local line; line=$(grep '^WRK' "$o")
    requests=$((requests + $(wrk_field "$line" requests)))
    i=$((i + 1))
    lat+=" wrk$i=[rate=$(wrk_field "$line" rate) p50_ms=$(wrk_field "$line" p50_ms) p95_ms=$(wrk_field "$line" p95_ms) p99_ms=$(wrk_field "$line" p99_ms) errors_timeout=$(wrk_field "$line" errors_timeout) non2xx=$(grep -c Non-2xx "$o" || true)]"
  done
  local elapsed; elapsed=$(echo "$t1 - $t0" | bc -l)
  printf 'RESULT %s round=%d requests=%d rate=%.1f%s jvm1_ms_per_req=%.2f jvm2_ms_per_req=%.2f pg_ms_per_req=%.2f cpu_used=%.0f%% rss1_mib=%s rss2_mib=%s load_before="%s" load_after="%s"\n' \
    "$label" "$round" "$requests" "$(echo "$requests / $elapsed" | bc -l)" "$lat" \
    "$(echo "($j11 - $j10) * 10 / $requests" | bc -l)" "$(echo "($j21 - $j20) * 10 / $requests" | bc -l)" \
    "$(echo "($p1 - $p0) * 10 / $requests" | bc -l)" "$(echo "($j11 - $j10 + $j21 - $j20 + $p1 - $p0) / $elapsed / 2" | bc -l)" \
    "$(rss_mib "$server1")" "$(rss_mib "$server2")" "$load_before" "$load_after"
}
for round in $(seq 1 "${ROUNDS:-1}"); do # more rounds show what the order (and JIT warm-up) does
  measure two "$PORT" $((run + 4 * round)) "$PORT2" $((run + 4 * round + 1))
  measure one "$PORT" $((run + 4 * round + 2))
done

"$JAVA" -cp "$CP" -Dbench.mode=limit -Dbench.jdbcUrl="jdbc:postgresql://127.0.0.1:$pg/postgres" \
  -Dbench.limitSeconds="${LIMIT_SECONDS:-15}" -Dbench.limitThreads="${LIMIT_THREADS:-8}" \
  -Dbench.limitBatch="${LIMIT_BATCH:-10}" com.voiceledger.bench.IngestBenchmark 2>&1 | tee "$dir/limit.txt" | grep '^LIMIT' || true
