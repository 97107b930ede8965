#!/usr/bin/env bash
# An independent check of a month's invoices on a data set (issue #17): starts the data set's own PostgreSQL
# (the embedded binaries zonky extracted to /tmp/embedded-pg, as the benches start it: `unshare -U` when run as
# root) with every transaction read-only, runs bench/invoice-check.sql, and stops it again. No application
# code runs, so no migration and no scheduler touches the data set; the server's own files (statistics, WAL
# checkpoint) are all that change.
#
#   bench/invoice-check.sh /work/bench-data/calls-10000000 2026-10-01
#
# Settings (environment): PORT (18401), PG_BIN (the embedded binaries' bin directory). The output (with each
# query's time) goes to stdout; psql from the system is used as the client.
set -euo pipefail
cd "$(dirname "$0")/.."
set_dir="${1:?usage: bench/invoice-check.sh DATA_SET_DIR MONTH(yyyy-mm-01)}"
month="${2:?usage: bench/invoice-check.sh DATA_SET_DIR MONTH(yyyy-mm-01)}"
PORT="${PORT:-18401}"
PG_BIN="${PG_BIN:-$(ls -d /tmp/embedded-pg/PG-*/bin 2>/dev/null | head -1)}"
[ -x "$PG_BIN/pg_ctl" ] || { echo "no embedded PostgreSQL binaries (run any bench once, or set PG_BIN)" >&2; exit 1; }
data="$set_dir/postgres"
if [ -f "$data/postmaster.pid" ] && kill -0 "$(head -1 "$data/postmaster.pid")" 2>/dev/null; then
  echo "$data is in use (PostgreSQL $(head -1 "$data/postmaster.pid")): stop it first" >&2; exit 1
fi
as_user=(); [ "$(id -u)" = 0 ] && as_user=(unshare -U) # PostgreSQL refuses to run as root; zonky does the same
mkdir -p target
log="$PWD/target/invoice-check-postgres.log"
"${as_user[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 600 -o "-p $PORT -c listen_addresses=127.0.0.1 \
  -c default_transaction_read_only=on -c timezone=UTC -c max_connections=10" start > /dev/null
trap '"${as_user[@]}" "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop > /dev/null' EXIT
echo "data set $set_dir, month $month, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
psql -X -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v month="$month" -f bench/invoice-check.sql
echo "done, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
