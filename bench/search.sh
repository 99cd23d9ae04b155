#!/usr/bin/env bash
# Paragraph search over generated collections (issue 21): for each size, the ingest
# time with the text index and without it (`--no-text-index`, same run), the index's size
# per report, then search latency (median and p95 of REPEATS requests one at a time) on
# /api/paragraphs for a word, a phrase with two facets and a prefix, beside the search a
# user has without the index: SPARQL CONTAINS over paragraph text on the same store.
# Usage: [CRIMEGRAPH_BIN=...] bench/search.sh [--quick] [SIZES...]   (default 1000 10000
#        100000; --quick: 50 200 and 3 requests); BENCH_REPEATS (20; the SPARQL baselines,
#        seconds each at 100k, a quarter of it, at least 3); BENCH_PAGES=1 also times
#        bench/pages.sh's routes on the same server, one at a time and with BENCH_CLIENTS
#        (16) clients.
# No time is asserted; the run fails on an answer that is not 200 (the baseline may 503).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
parse_sizes "$@"
repeats=${BENCH_REPEATS:-20}
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
  # The baseline: the same ingest with no text index (`--no-text-index`), then thrown away.
  start=$(date +%s.%N)
  "$bin" --no-text-index --data "$work/base-$n" ingest "$work/corpus-$n/reports" >/dev/null 2>&1
  end=$(date +%s.%N)
  base_s=$(python3 -c "print($end - $start)")
  rm -rf "$work/base-$n"
  start=$(date +%s.%N)
  "$bin" --data "$work/cg-$n" ingest "$work/corpus-$n/reports" >/dev/null 2>"$work/ingest-$n.log"
  end=$(date +%s.%N)
  total_s=$(python3 -c "print($end - $start)")
  index_kb=$(du -sk "$work/cg-$n/text-index" | cut -f1)
  store_kb=$(du -sk "$work/cg-$n" | cut -f1)
  # Compacted before it serves, as bench/pages.sh does: a store just loaded compacts in
  # the background for minutes at 100k, and would be timed while it does.
  "$bin" --data "$work/cg-$n" optimize >/dev/null 2>&1
  paragraphs=$("$bin" --data "$work/cg-$n" search --json --limit 1 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
  port=$(free_port)
  "$bin" --data "$work/cg-$n" serve --bind "127.0.0.1:$port" >"$work/serve-$n.log" 2>&1 &
  server=$!
  wait_up "http://127.0.0.1:$port/sparql"
  echo
  echo "### $n reports ($paragraphs paragraphs)"
  echo
  python3 -c "t, b, kb, n, store = $total_s, $base_s, $index_kb, $n, $store_kb
print(f'ingest {t:.1f} s with the text index, {b:.1f} s without it (--no-text-index): {t / b:.2f}x')
print(f'text index {kb} KB ({kb / n:.1f} KB per report); whole store with it {store} KB')
print()"
  echo "| search | median, ms | p95, ms | hits | status | requests |"
  echo "|---|---:|---:|---:|---|---:|"
  python3 bench/search.py "http://127.0.0.1:$port" "$repeats"
  # BENCH_PAGES=1: the pages of bench/pages.sh over the same store and server, one at
  # a time (a 100k store is made once for both).
  if [ "${BENCH_PAGES:-0}" = 1 ]; then
    echo
    clients=${BENCH_CLIENTS:-16}
    echo "| route | median, ms | p95, ms | size, KB | status | median at $clients clients, ms | p95 at $clients clients, ms | 503s | other errors |"
    echo "|---|---:|---:|---:|---|---:|---:|---:|---:|"
    python3 bench/pages.py "http://127.0.0.1:$port" "$repeats" "$clients" "$server"
  fi
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  rm -rf "$work/cg-$n" "$work/corpus-$n"
done
