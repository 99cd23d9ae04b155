#!/usr/bin/env bash
# /sparql on cheap questions against `oxigraph serve --union-default-graph` on the same
# store (issue 19's target: >= 1.0x with the request log kept): requests/s at 16
# connections (wrk -t2 -c16), crimegraph then Oxigraph, BENCH_ROUNDS (3) interleaved
# rounds; the ratio is the median of the rounds' ratios.
# Questions: ASK {}; one report's statements (by its IRI); state-topics.rq.
# Usage: [CRIMEGRAPH_BIN=...] bench/sparql.sh [--quick] [SIZES...]   (default 1000;
#        --quick: 50 and 1 s runs, the smoke mode)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
parse_sizes "$@"
[ "$#" -eq 0 ] && sizes=(1000)
duration=${BENCH_DURATION:-10s}; rounds=${BENCH_ROUNDS:-3}
[ "$quick" = 1 ] && { duration=1s; rounds=1; sizes=(50); }
python3 -m pip install --quiet --disable-pip-version-check oxigraph==0.5.13
bin=${CRIMEGRAPH_BIN:-target/release/crimegraph}
[ -x "$bin" ] || cargo build --release
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
urlq() { python3 -c "import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read()))"; }
one_wrk() { wrk -t2 -c16 -d"$duration" -H 'Accept: application/sparql-results+json' "$1?query=$2" 2>/dev/null | awk '/Requests\/sec/ {print $2}'; }

echo "| question, requests/s at 16 connections | N reports | crimegraph /sparql | oxigraph serve /query | ratio (median of rounds; range) |"
echo "|---|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  "$bin" --memory gen-corpus --reports "$n" --seed 1 --out "$work/corpus-$n" >/dev/null
  "$bin" --data "$work/cg-$n" ingest "$work/corpus-$n/reports" >/dev/null 2>>"$work/stderr.log"
  "$bin" --data "$work/cg-$n" export --format nq > "$work/all.nq"
  oxigraph load --location "$work/ox-$n" --file "$work/all.nq" >/dev/null 2>>"$work/stderr.log"
  rm -f "$work/all.nq"
  "$bin" --data "$work/cg-$n" optimize >/dev/null 2>>"$work/stderr.log"
  oxigraph optimize --location "$work/ox-$n" >/dev/null 2>>"$work/stderr.log"
  cg_port=$(free_port); ox_port=$(free_port)
  # The request log kept: what serve writes by default, to a file.
  "$bin" --data "$work/cg-$n" serve --bind "127.0.0.1:$cg_port" >"$work/cg-serve.log" 2>&1 & pids+=($!)
  oxigraph serve --location "$work/ox-$n" --bind "127.0.0.1:$ox_port" --union-default-graph >"$work/ox-serve.log" 2>&1 & pids+=($!)
  wait_up "http://127.0.0.1:$cg_port/sparql"; wait_up "http://127.0.0.1:$ox_port/query"
  report=$(curl -s "http://127.0.0.1:$cg_port/reports" | python3 -c "import json,sys; print(json.load(sys.stdin)['reports'][0]['report'])")
  ask=$(printf 'ASK {}' | urlq)
  statements=$(printf 'PREFIX cg: <https://w3id.org/crimegraph/ontology#> SELECT ?s ?speaker ?role WHERE { ?s cg:inReport <%s> ; cg:speaker ?speaker ; cg:role ?role }' "$report" | urlq)
  topics=$(urlq < queries/state-topics.rq)
  for q in "ASK {}:$ask" "one report's statements:$statements" "state-topics.rq:$topics"; do
    name=${q%%:*}; text=${q#*:}
    : > "$work/rounds.tsv"
    for _ in $(seq "$rounds"); do
      printf '%s\t%s\n' "$(one_wrk "http://127.0.0.1:$cg_port/sparql" "$text")" "$(one_wrk "http://127.0.0.1:$ox_port/query" "$text")" >> "$work/rounds.tsv"
    done
    python3 - "$work/rounds.tsv" "$n" "$name" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
cg = [float(r[0]) for r in rows]; ox = [float(r[1]) for r in rows]
ratios = sorted(c / o for c, o in zip(cg, ox))
print(f"| {sys.argv[3]} | {sys.argv[2]} | {statistics.median(cg):.0f} | {statistics.median(ox):.0f} | {statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f}) |")
PY
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=()
  rm -rf "$work/cg-$n" "$work/ox-$n" "$work/corpus-$n"
done
