#!/usr/bin/env bash
# Ingest on a database that already holds a data set ("flat in data size", issue #17): the production jar
# started on a generated data set's directory (DataGenerator), wrk posting unique end-of-call reports for the
# data set's OWN customers and assistants with its skew, then the physical limit of that database in the
# same run (PhysicalLimit). Prints the same RESULT line as bench/ingest-wrk.sh, then LIMIT lines.
#
#   ./mvnw -Pproduction package -DskipTests && cp target/voiceledger-*.jar /tmp/after.jar
#   bench/ingest-populated.sh /tmp/after.jar /work/bench-data/calls-10000000
#
# The jar runs with its defaults (durable embedded PostgreSQL, schedulers on, no demo data); only
# VOICELEDGER_DATA_DIR, the Vapi secret and the admin token are given (environment), plus JAVA_OPTS if set.
# Load: one line per (customer, assistant) of the data set with its calls in the last 30 days
# (rating_calls_daily), each request picks one with probability ∝ calls; the call starts 4 min before the run.
# The data set stays usable: the reports it posts stay (rated like any other), the physical limit's copies
# are deleted and their rollup sums taken back. A jar with migrations newer than the data set's migrates it
# on start (irreversibly; on 10M calls that can take long): START_TIMEOUT allows for it.
#
# Settings (environment): WARMUP (20 s), SECONDS or DURATION (60), THREADS (2), CONNECTIONS (32), PORT (18170),
# LIMIT_SECONDS (15), LIMIT_THREADS (8), LIMIT_BATCH (10), START_TIMEOUT (3600 s), JAVA_OPTS (none),
# CHECK_ROLLUPS=1 (afterwards, the application's own check of every rollup row against the charges).
# Logs in target/populated-*/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ "$#" -ge 1 ] || { echo "usage: $0 app.jar [data-set directory, default /work/bench-data/calls-10000000]"; exit 2; }
JAR=$(realpath "$1"); DATA=$(realpath "${2:-/work/bench-data/calls-10000000}")
WARMUP="${WARMUP:-20}"; SECONDS_=$(run_seconds 60); THREADS="${THREADS:-2}"; CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-18170}"; BASE="http://127.0.0.1:$PORT"

[ -d "$DATA/postgres" ] || { echo "no data set in $DATA (bench.mode=generate writes one)"; exit 2; }
if [ -f "$DATA/postgres/postmaster.pid" ] && kill -0 "$(head -1 "$DATA/postgres/postmaster.pid")" 2>/dev/null; then
  echo "$DATA is in use: PostgreSQL $(head -1 "$DATA/postgres/postmaster.pid") runs on it"; exit 1
fi
CP=$(bench_classpath)
name="$(basename "$JAR" .jar)@$(basename "$DATA")"
dir=$(mktemp -d "$PWD/target/populated-$(basename "$DATA").XXXX")
echo "$name: logs in $dir; newest migration in the jar: $(unzip -Z1 "$JAR" 'BOOT-INF/classes/db/migration/*' \
  | sed -n 's|.*/V\([0-9]*\)__.*|\1|p' | sort -n | tail -1)"

started=$(date +%s)
# shellcheck disable=SC2086
SERVER_PORT=$PORT VOICELEDGER_DATA_DIR="$DATA" VOICELEDGER_VAPI_SECRET="$BENCH_SECRET" \
  VOICELEDGER_ADMIN_API_TOKEN="$BENCH_ADMIN_TOKEN" "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" > "$dir/server.log" 2>&1 &
server=$!
trap 'stop_app $server "$DATA/postgres"' EXIT
wait_started "$server" "$dir/server.log" "Started VoiceLedgerApplication" "${START_TIMEOUT:-3600}"
pm=$(head -1 "$DATA/postgres/postmaster.pid"); pg=$(sed -n 4p "$DATA/postgres/postmaster.pid")
echo "started in $(( $(date +%s) - started )) s; schema V$(psql_at "$pg" "select max(version::int) from flyway_schema_history where version is not null"); $(psql_at "$pg" "select 'database ' || pg_size_pretty(pg_database_size('postgres')) || ', ' || (select count(*) from rating_call) || ' rated calls, settings ' || (select string_agg(name || '=' || setting, ' ' order by name) from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes'))")"

# the data set's own customers (metadata key = external id) and assistants, weighted by their calls
psql_at "$pg" "select c.external_id, d.assistant_id, sum(d.calls) from rating_calls_daily d
  join customer c on c.id = d.customer_id
  join customer_attribution a on a.customer_id = d.customer_id and a.type = 'assistantId' and a.value = d.assistant_id
  where d.day >= current_date - 30 group by 1, 2 having sum(d.calls) > 0 order by 3 desc" > "$dir/targets.txt"
awk '{calls[$1] += $3; n[$1]++; total += $3} END {
  for (c in calls) if (calls[c] > top) {top = calls[c]; who = c}
  printf "TARGETS %d (customer, assistant) pairs of %d customers, %d calls in the last 30 days; largest %s: %d calls on %d assistants (%.1f %% of the load)\n",
    NR, length(calls), total, who, top, n[who], 100 * top / total }' "$dir/targets.txt"

export BENCH_TARGETS="$dir/targets.txt" BENCH_CALL_TIME=now BENCH_SECRET
BENCH_RUN=$(($(date +%s) * 2)) run_wrk "$THREADS" "$CONNECTIONS" "$WARMUP" "$BASE/webhooks/vapi" "$dir/warmup.txt" > /dev/null
load_before=$(load)
t0=$(date +%s.%N); j0=$(ticks "$server"); p0=$(ticks $(pg_pids "$pm"))
out=$(BENCH_RUN=$(($(date +%s) * 2 + 1)) run_wrk "$THREADS" "$CONNECTIONS" "$SECONDS_" "$BASE/webhooks/vapi" "$dir/wrk.txt" --latency)
t1=$(date +%s.%N); j1=$(ticks "$server"); p1=$(ticks $(pg_pids "$pm"))
load_after=$(load)
rss=$(rss_mib "$server")
requests=$(wrk_field "$out" requests); elapsed=$(echo "$t1 - $t0" | bc -l)
non2xx=$(grep -c "Non-2xx" "$dir/wrk.txt" || true)
printf 'RESULT %s %s jvm_ms_per_req=%.2f pg_ms_per_req=%.2f cpu_used=%.0f%% rss_mib=%s non2xx_lines=%s load_before="%s" load_after="%s"\n' \
  "$name" "${out#WRK }" "$(echo "($j1 - $j0) * 10 / $requests" | bc -l)" "$(echo "($p1 - $p0) * 10 / $requests" | bc -l)" \
  "$(echo "($j1 - $j0 + $p1 - $p0) / $elapsed / 2" | bc -l)" "$rss" "$non2xx" "$load_before" "$load_after"

# the physical limit of this database, server idle, same run; it deletes its copies and takes their sums back
"$JAVA" -cp "$CP" -Dbench.mode=limit -Dbench.jdbcUrl="jdbc:postgresql://127.0.0.1:$pg/postgres" \
  -Dbench.limitSeconds="${LIMIT_SECONDS:-15}" -Dbench.limitThreads="${LIMIT_THREADS:-8}" \
  -Dbench.limitBatch="${LIMIT_BATCH:-10}" com.voiceledger.bench.IngestBenchmark 2>&1 | tee "$dir/limit.txt" | grep '^LIMIT' || true
echo "database after: $(psql_at "$pg" "select pg_size_pretty(pg_database_size('postgres'))"), load $(load)"
if [ "${CHECK_ROLLUPS:-0}" = 1 ]; then # every rollup row against the charges (a full scan: ~1 min per 1M calls)
  echo "CHECK rollups against charges: $(curl -sf -m 7200 -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" \
    "$BASE/api/admin/v1/rollups/check")"
fi
