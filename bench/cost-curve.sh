#!/usr/bin/env bash
# The cost curve (issue #17): for each data set present in /work/bench-data (calls-10000, calls-1000000,
# calls-10000000), the dashboard bench (bench.mode=dashboard: p95 server time of the customer dashboard's
# page, current and previous month, and p95 of GET /api/v1/usage/summary over HTTP) and the month-end close
# of every customer (bench.mode=close, which first undoes earlier closes), one table row per data set with
# its database size and the load average before and after. Runs this checkout's code (the bench classes on
# the test classpath, in one JVM per bench as ./mvnw -Pbench verify does, without Maven's own time): a
# checkout with migrations newer than a data set's migrates that data set on start.
#
#   bench/cost-curve.sh                         # every data set present
#   SETS="10000 1000000" bench/cost-curve.sh    # some of them
#
# The month closed is the latest one that has ended in every billing time zone (the data sets' westernmost
# is America/Los_Angeles): before 12:00 UTC on the 1st that is the month before last. MONTH=2026-11 to choose.
# Settings (environment): SETS (10000 1000000 10000000), DATA (/work/bench-data), MONTH, BENCH_ARGS (extra
# system properties, e.g. -Dbench.pages=300 -Dvoiceledger.billing.close-workers=2). Outputs in target/cost-curve-*/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SETS="${SETS:-10000 1000000 10000000}"; DATA="${DATA:-/work/bench-data}"
MONTH="${MONTH:-$(date -u -d "$(date -u -d '-12 hours' +%Y-%m-01) -1 month" +%Y-%m)}"
dir=$(mktemp -d "$PWD/target/cost-curve.XXXX")
CP=$(bench_classpath)
echo "closing $MONTH; outputs in $dir"
rows=()
for calls in $SETS; do
  set_dir="$DATA/calls-$calls"
  if [ ! -d "$set_dir/postgres" ]; then echo "no data set $set_dir: skipped"; continue; fi
  if [ -f "$set_dir/postgres/postmaster.pid" ] && kill -0 "$(head -1 "$set_dir/postgres/postmaster.pid")" 2>/dev/null; then
    echo "$set_dir is in use (PostgreSQL $(head -1 "$set_dir/postgres/postmaster.pid")): skipped"; continue
  fi
  load_before=$(load)
  for mode in dashboard close; do
    started=$(date +%s)
    # shellcheck disable=SC2086
    "$JAVA" -cp "$CP" -Dbench.mode=$mode -Dbench.calls="$calls" -Dbench.dataDir="$set_dir" -Dbench.month="$MONTH" \
      ${BENCH_ARGS:-} com.voiceledger.bench.IngestBenchmark > "$dir/$mode-$calls.txt" 2>&1 \
      || { echo "$mode on $calls calls failed:"; tail -20 "$dir/$mode-$calls.txt"; exit 1; }
    echo "$mode on $calls calls: $(( $(date +%s) - started )) s (load $(load))"
  done
  load_after=$(load)
  d="$dir/dashboard-$calls.txt"; c="$dir/close-$calls.txt"
  # "  whole page (queries only)   p50 x  p95 y ..." twice (current, previous month); "usage summary" once
  page=($(grep 'whole page (queries only)' "$d" | sed 's/.* p95 *\([0-9.]*\).*/\1/'))
  summary=$(grep '^  usage summary' "$d" | sed 's/.* p95 *\([0-9.]*\).*/\1/')
  standings=$(grep '^  standings (all customers)' "$d" | sed 's/.* p95 *\([0-9.]*\).*/\1/')
  size=$(sed -n 's/^data set .*database \(.*\), [0-9]* customers$/\1/p' "$d")
  month_calls=$(sed -n 's/^closing [0-9-]*: .*, \([0-9,]*\) calls in the month.*/\1/p' "$c")
  close=$(sed -n 's/^== month-end close of [0-9-]*: \([0-9]*\) customers (\([0-9]*\) invoiced, \([0-9]*\) failed) in \([0-9.]*\) s.*/\4 s (\1 customers, \2 invoiced, \3 failed)/p' "$c")
  rows+=("| $(rev <<< "$calls" | sed 's/[0-9]\{3\}/&,/g; s/,$//' | rev) | $size | ${page[0]:-?} / ${page[1]:-?} | ${summary:-?} | ${standings:-?} | $month_calls | ${close:-?} | $load_before → $load_after |")
done
echo
echo "| calls | database | dashboard page p95 ms, current / previous month (server) | usage summary p95 ms (HTTP) | finance overview standings p95 ms | calls in the closed month | close | load before → after |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
