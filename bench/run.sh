#!/usr/bin/env bash
# Whole-process benchmarks, each against a named baseline in the same run:
#   ingest of N generated reports (crimegraph ingest) vs Oxigraph's bulk loader
#   (`oxigraph load`) on the N-Quads crimegraph exported for the same reports;
#   saved questions' median / p95 latency over HTTP, crimegraph vs `oxigraph serve`;
#   /sparql throughput and p99 under 16 concurrent clients (wrk, interleaved rounds), same two servers;
#   peak memory (RSS) of each ingest.
# Usage: [CRIMEGRAPH_BIN=...] bench/run.sh [--quick] [SIZES...]   (default sizes 1000 10000 100000;
#        --quick: 50 200, short runs: the smoke mode CI uses so the script cannot rot)
# Prints a markdown table; the command that reproduces each row is its first column.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
parse_sizes "$@"
repeats=${BENCH_REPEATS:-20}; duration=${BENCH_DURATION:-10s}; rounds=${BENCH_ROUNDS:-3}
# BENCH_QUESTIONS: which saved questions to time (default the four below).
questions=${BENCH_QUESTIONS:-report-paragraphs state-topics states-on-crime-type instrument-crime-cooccurrence}
[ "$quick" = 1 ] && { repeats=3; duration=2s; rounds=1; }

python3 -m pip install --quiet --disable-pip-version-check oxigraph==0.5.13
if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
# CRIMEGRAPH_BIN: a copy of the binary to measure, so that a rebuild during the run
# does not swap it mid-way.
bin=${CRIMEGRAPH_BIN:-target/release/crimegraph}
[ -x "$bin" ] || cargo build --release
work=$(mktemp -d)
pids=()
cleanup() {
  local status=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # The tools' stderr goes to a file in $work: show its end before it goes.
  if [ "$status" -ne 0 ] && [ -s "$work/stderr.log" ]; then
    echo "bench/run.sh failed ($status); the last lines the tools wrote:" >&2
    tail -n 20 "$work/stderr.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# crimegraph / baseline, for a table cell (a baseline under 10 ms counts as 10 ms).
ratio() { python3 -c "print(f'{$1/max($2, 0.01):.2f}x')"; }
timed() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>>"$work/stderr.log"; cat "$work/time"; }

echo "| what (command) | N reports | crimegraph | baseline | ratio (crimegraph / baseline) |"
echo "|---|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  "$bin" --memory gen-corpus --reports "$n" --seed 1 --out "$work/corpus-$n" >/dev/null
  read -r cg_s cg_kb < <(timed "$bin" --data "$work/cg-$n" ingest "$work/corpus-$n/reports")
  "$bin" --data "$work/cg-$n" export --format nq > "$work/all-$n.nq"
  triples=$(wc -l < "$work/all-$n.nq")
  read -r ox_s ox_kb < <(timed oxigraph load --location "$work/ox-$n" --file "$work/all-$n.nq")
  rm -f "$work/all-$n.nq" # 12 GB at 100k; the disk holds both stores as well
  echo "| ingest time, s (\`crimegraph ingest\` vs \`oxigraph load\` of its export; $triples quads) | $n | $cg_s | $ox_s | $(ratio "$cg_s" "$ox_s") |"
  echo "| ingest peak RSS, MB | $n | $((cg_kb / 1024)) | $((ox_kb / 1024)) | $(ratio "$cg_kb" "$ox_kb") |"

  # Both stores compacted before they serve: a bulk load leaves its files for
  # background compaction, which would otherwise run (for minutes at 100k) while the
  # servers are timed, each stealing cores from the other's measurement.
  read -r cg_opt _ < <(timed "$bin" --data "$work/cg-$n" optimize)
  read -r ox_opt _ < <(timed oxigraph optimize --location "$work/ox-$n")
  # Not a comparison: crimegraph's store had the export's minutes to compact in.
  echo "| compaction before serving, s (\`crimegraph optimize\` vs \`oxigraph optimize\`; not comparable, see BENCHMARKS.md) | $n | $cg_opt | $ox_opt | |"

  cg_port=$(free_port); ox_port=$(free_port)
  "$bin" --data "$work/cg-$n" serve --bind "127.0.0.1:$cg_port" --query-timeout 600 >"$work/cg-serve.log" 2>&1 & pids+=($!)
  oxigraph serve --location "$work/ox-$n" --bind "127.0.0.1:$ox_port" --union-default-graph >"$work/ox-serve.log" 2>&1 & pids+=($!)
  wait_up "http://127.0.0.1:$cg_port/sparql"; wait_up "http://127.0.0.1:$ox_port/query"
  # A per-report question: its answer is the same size at every scale (the first
  # generated report is the same whatever N), so its growth shows index use alone.
  sed 's|id/report/[^>]*>|id/report/gen_1_0000000>|' queries/report-paragraphs.rq > "$work/report-paragraphs.rq"
  files=()
  for q in $questions; do
    if [ "$q" = report-paragraphs ]; then files+=("$work/report-paragraphs.rq"); else files+=("queries/$q.rq"); fi
  done
  python3 bench/latency.py "$repeats" "crimegraph=http://127.0.0.1:$cg_port/sparql" "oxigraph=http://127.0.0.1:$ox_port/query" -- \
    "${files[@]}" > "$work/lat.tsv"
  python3 - "$work/lat.tsv" "$n" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
by = {}
for q, name, med, p95 in rows:
    by.setdefault(q, {})[name] = (float(med), float(p95))
for q, v in by.items():
    c, o = v["crimegraph"], v["oxigraph"]
    print(f"| query {q} median / p95, ms (bench/latency.py) | {sys.argv[2]} | {c[0]:.1f} / {c[1]:.1f} | {o[0]:.1f} / {o[1]:.1f} | {c[0]/o[0]:.2f}x |")
PY
  # Throughput in interleaved rounds (crimegraph, then Oxigraph, $rounds times): the
  # machine drifts between two runs by more than the difference sought, so the ratio
  # is the median of the per-round ratios.
  : > "$work/wrk.tsv"
  for _ in $(seq "$rounds"); do
    cg_wrk=$(wrk_state_topics "http://127.0.0.1:$cg_port/sparql"); ox_wrk=$(wrk_state_topics "http://127.0.0.1:$ox_port/query")
    printf '%s\t%s\t%s\t%s\n' "$(rps "$cg_wrk")" "$(rps "$ox_wrk")" "$(p99 "$cg_wrk")" "$(p99 "$ox_wrk")" >> "$work/wrk.tsv"
  done
  python3 - "$work/wrk.tsv" "$n" "$duration" "$rounds" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
cg = [float(r[0]) for r in rows]; ox = [float(r[1]) for r in rows]
ratios = sorted(c / o for c, o in zip(cg, ox))
n, duration, rounds = sys.argv[2], sys.argv[3], sys.argv[4]
print(f"| /sparql state-topics, requests/s, 16 clients (wrk -c16 -d{duration}, median of {rounds} interleaved rounds; ratio: median of the rounds' ratios, {ratios[0]:.2f}x-{ratios[-1]:.2f}x) | {n} | {statistics.median(cg):.2f} | {statistics.median(ox):.2f} | {statistics.median(ratios):.2f}x |")
print(f"| /sparql state-topics, p99 latency per round | {n} | {' '.join(r[2] for r in rows)} | {' '.join(r[3] for r in rows)} | |")
PY
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=()
  rm -rf "$work/cg-$n" "$work/ox-$n" "$work/all-$n.nq" "$work/corpus-$n"
done
