#!/usr/bin/env bash
# Ingest benchmark with the server and the load generator in separate JVMs (docs/performance.md):
#   bench/ingest-apart.sh [-Dbench.rate=2000 -Dbench.seconds=60 -Dbench.concurrency=32 -Dbench.customers=500 ...]
# Server JVM options: SERVER_OPTS (e.g. "-Xmx512m -XX:StartFlightRecording=filename=target/ingest.jfr,settings=profile");
# server settings: SERVER_ARGS (e.g. "--voiceledger.embedded.pool-size=8"). Output: target/bench-server.log and stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
if [ ! -f target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
  ./mvnw -ntp -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
./mvnw -ntp -q test-compile
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
PORT="${PORT:-18080}"
rm -f target/bench-server.pid target/bench-server.stop target/bench-server.stop.start
# shellcheck disable=SC2086
"$JAVA" ${SERVER_OPTS:--Xmx768m} -cp "$CP" -Dbench.mode=server -Dbench.port="$PORT" \
  -Dbench.serverArgs="${SERVER_ARGS:-}" com.voiceledger.bench.IngestBenchmark > target/bench-server.log 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do [ -f target/bench-server.pid ] && break; sleep 1; done
[ -f target/bench-server.pid ] || { echo "server did not start"; cat target/bench-server.log; kill "$SERVER"; exit 1; }
"$JAVA" -Xmx1g -cp "$CP" -Dbench.mode=ingest -Dbench.url="http://127.0.0.1:$PORT" \
  -Dbench.stopFile=target/bench-server.stop "$@" com.voiceledger.bench.IngestBenchmark
wait "$SERVER" || true
grep -v "WARN\|^\s*at " target/bench-server.log | sed -n '/settings:/p;/== PostgreSQL/,$p'
