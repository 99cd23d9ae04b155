#!/usr/bin/env bash
# Issue 22: the pages and JSON answers over a remote store against the same pages over
# the embedded store, at N generated reports, in one run on one machine. The same
# corpus is ingested into an embedded store (then optimized, as bench/pages.sh does)
# and into `oxigraph serve --union-default-graph`; one crimegraph server runs over
# each, with default flags, and bench/compare_pages.py asks both the routes of
# bench/pages.py in turns. Target: each route within 2x of the embedded store's time.
# Usage: [REMOTE_OPTIMIZE=1] bench/remote-pages.sh [N] [REPEATS]   (default 10000 5; with
#        REMOTE_OPTIMIZE=1 the remote store is compacted after the ingest). Prints markdown rows.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
repeats=${2:-5}
bin=${CRIMEGRAPH_BIN:-target/release/crimegraph}
[ -x "$bin" ] || cargo build --release
python3 -m pip install --quiet --disable-pip-version-check oxigraph==0.5.13
source bench/lib.sh
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" --memory gen-corpus --reports "$n" --seed 1 --out "$work/corpus" >/dev/null
"$bin" --data "$work/cg" ingest "$work/corpus/reports" >/dev/null 2>>"$work/stderr.log"
"$bin" --data "$work/cg" optimize >/dev/null 2>>"$work/stderr.log"
ox=$(free_port)
oxigraph serve --location "$work/ox" --bind "127.0.0.1:$ox" --union-default-graph >/dev/null 2>&1 & pids+=($!)
wait_up "http://127.0.0.1:$ox/query"
remote=(--remote-query "http://127.0.0.1:$ox/query" --remote-update "http://127.0.0.1:$ox/update"
  --remote-store "http://127.0.0.1:$ox/store")
"$bin" "${remote[@]}" ingest "$work/corpus/reports" >/dev/null 2>>"$work/stderr.log"
if [ "${REMOTE_OPTIMIZE:-0}" = 1 ]; then
  # Compact the remote store too, as the embedded one is: oxigraph serve has no
  # compaction over HTTP, so it is stopped, optimized and started again.
  kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
  oxigraph optimize --location "$work/ox" >/dev/null 2>>"$work/stderr.log"
  oxigraph serve --location "$work/ox" --bind "127.0.0.1:$ox" --union-default-graph >/dev/null 2>&1 & pids[0]=$!
  wait_up "http://127.0.0.1:$ox/query"
fi

p1=$(free_port); p2=$(free_port)
"$bin" --data "$work/cg" serve --bind "127.0.0.1:$p1" >"$work/serve-embedded.log" 2>&1 & pids+=($!)
"$bin" "${remote[@]}" serve --bind "127.0.0.1:$p2" >"$work/serve-remote.log" 2>&1 & pids+=($!)
wait_up "http://127.0.0.1:$p1/sparql"
wait_up "http://127.0.0.1:$p2/sparql"
echo "| route, $n reports | embedded store, median ms | over oxigraph serve, median ms | ratio | statuses |"
echo "|---|---:|---:|---:|---|"
(cd bench && python3 compare_pages.py "http://127.0.0.1:$p1" "http://127.0.0.1:$p2" "$repeats")
