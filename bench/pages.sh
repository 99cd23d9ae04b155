#!/usr/bin/env bash
# The pages and JSON answers people use, timed over generated collections (issue 19):
# for each route, median and p95 of REPEATS requests one at a time, then 16 concurrent
# clients; the answer's size and status; the server's RSS idle and at its peak.
# Default `serve` flags (the 30 s query time limit, twice the cores as query slots).
# Usage: [CRIMEGRAPH_BIN=...] bench/pages.sh [--quick] [SIZES...]   (default sizes 1000
#        10000 100000; --quick: 50 200 and 3 requests: the smoke mode CI uses);
#        BENCH_REPEATS (20) requests a route, BENCH_CLIENTS (16; 0: sequential only)
# No time is asserted; the run fails only on an error other than 503 under load.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
parse_sizes "$@"
repeats=${BENCH_REPEATS:-20}; clients=${BENCH_CLIENTS:-16}
[ "$quick" = 1 ] && repeats=3
bin=${CRIMEGRAPH_BIN:-target/release/crimegraph}
[ -x "$bin" ] || cargo build --release
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

for n in "${sizes[@]}"; do
  "$bin" --memory gen-corpus --reports "$n" --seed 1 --out "$work/corpus-$n" >/dev/null
  "$bin" --data "$work/cg-$n" ingest "$work/corpus-$n/reports" >/dev/null 2>>"$work/stderr.log"
  "$bin" --data "$work/cg-$n" optimize >/dev/null 2>>"$work/stderr.log"
  port=$(free_port)
  "$bin" --data "$work/cg-$n" serve --bind "127.0.0.1:$port" >"$work/serve-$n.log" 2>&1 &
  server=$!
  wait_up "http://127.0.0.1:$port/sparql"
  echo
  echo "### $n reports"
  echo
  echo "| route | median, ms | p95, ms | size, KB | status | median at $clients clients, ms | p95 at $clients clients, ms | 503s | other errors |"
  echo "|---|---:|---:|---:|---|---:|---:|---:|---:|"
  python3 bench/pages.py "http://127.0.0.1:$port" "$repeats" "$clients" "$server"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  rm -rf "$work/cg-$n" "$work/corpus-$n"
done
