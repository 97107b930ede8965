# Shared by bench/ingest-populated.sh, bench/ingest-two.sh and bench/cost-curve.sh (sourced, not run).
# The same measures as bench/ingest-wrk.sh: CPU from /proc, RSS, load average beside every figure.

JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
BENCH_SECRET="${BENCH_SECRET:-bench-vapi-secret-7c1e}"
BENCH_ADMIN_TOKEN="${BENCH_ADMIN_TOKEN:-bench-admin-token-5d1c7e9a3f0b2468ace13579bdf02468}"

load() { cut -d' ' -f1-3 /proc/loadavg; }

ticks() { # utime+stime of the given pids (for PostgreSQL: postmaster + backends), in 1/100 s
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat")))
  done
  echo "$total"
}

pg_pids() { local pm=$1; echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')"; }

rss_mib() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }

# The test classes (PhysicalLimit) and their classpath, compiled if missing or older than their sources.
bench_classpath() {
  if [ ! -f target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
    ./mvnw -ntp -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
  fi
  local class=target/test-classes/com/voiceledger/bench/PhysicalLimit.class
  if [ ! -f "$class" ] || [ -n "$(find src/test/java/com/voiceledger/bench -newer "$class" -name '*.java')" ]; then
    ./mvnw -ntp -q test-compile >&2
  fi
  echo "target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
}

# Waits until the application logged that it started (or the line given), or fails with its log's tail.
wait_started() {
  local pid=$1 log=$2 line="${3:-Started VoiceLedgerApplication}" timeout="${4:-300}"
  for _ in $(seq 1 "$timeout"); do
    grep -q "$line" "$log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  echo "the application did not start (no '$line' in $log):" >&2
  tail -30 "$log" >&2
  return 1
}

# Stops an application (SIGTERM: its embedded PostgreSQL stops with it) and waits for both.
stop_app() {
  local pid=$1 pgdir="${2:-}"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && { echo "pid $pid still running after 120 s; kill -9" >&2; kill -9 "$pid"; }
  if [ -n "$pgdir" ] && [ -f "$pgdir/postmaster.pid" ]; then
    local pm; pm=$(head -1 "$pgdir/postmaster.pid")
    for _ in $(seq 1 60); do kill -0 "$pm" 2>/dev/null || break; sleep 1; done
    kill -0 "$pm" 2>/dev/null && { echo "PostgreSQL $pm still running: stopping it" >&2; kill -INT "$pm"; sleep 5; }
  fi
  return 0
}

psql_at() { # psql_at port sql: unaligned, tuples only, space separated
  psql -X -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -At -F ' ' -c "$2"
}

# One wrk run; its WRK line (from bench/wrk/end-of-call.lua's done()) on stdout, the full output in $out.
run_wrk() {
  local threads=$1 connections=$2 seconds=$3 url=$4 out=$5 latency="${6:-}"
  # shellcheck disable=SC2086
  wrk -t"$threads" -c"$connections" -d"${seconds}s" $latency -s bench/wrk/end-of-call.lua "$url" > "$out"
  grep '^WRK' "$out"
}

wrk_field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< " $1"; }

# SECONDS from the caller's environment: bash's own SECONDS (seconds since the shell started) hides it, so
# ${SECONDS:-60} would give 0; read the environment the script was started with instead. DURATION wins.
run_seconds() {
  local given
  given=$(tr '\0' '\n' < /proc/$$/environ | sed -n 's/^SECONDS=//p')
  echo "${DURATION:-${given:-$1}}"
}

# CPU of one JVM's threads by kind (ingest writers, Tomcat's request threads, JIT compilers, GC, the rest),
# in 1/100 s: "writer http jit gc other". Two snapshots around a run, divided by its requests, say where the
# JVM's CPU per delivery went; the JIT's share is what a short warm-up leaves to compile during the run
# (docs/performance.md, "JVM per delivery").
thread_ticks() {
  local t stat name rest writer=0 http=0 jit=0 gc=0 other=0 ticks
  for t in /proc/"$1"/task/*; do
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    name=${stat#*(}; name=${name%)*}; rest=${stat##*) }
    ticks=$(awk '{print $12 + $13}' <<< "$rest")
    case "$name" in
      ingest-writer*) writer=$((writer + ticks)) ;;
      http-nio*) http=$((http + ticks)) ;;
      C1\ Compiler*|C2\ Compiler*) jit=$((jit + ticks)) ;;
      GC\ Thread*|G1\ *) gc=$((gc + ticks)) ;;
      *) other=$((other + ticks)) ;;
    esac
  done
  echo "$writer $http $jit $gc $other"
}

# "writer_ms=... http_ms=... jit_ms=... gc_ms=... other_ms=..." per request from two thread_ticks snapshots.
thread_ms_per_request() {
  local before=($1) after=($2) requests=$3 names=(writer http jit gc other) i out=""
  for i in 0 1 2 3 4; do
    out+=$(printf '%s_ms=%.3f ' "${names[$i]}" "$(echo "(${after[$i]} - ${before[$i]}) * 10 / $requests" | bc -l)")
  done
  echo "${out% }"
}
