#!/usr/bin/env bash
# Issue 22: ingest into a triple store over HTTP against that store's own load of the
# same data, in one run on one machine. For each store (`oxigraph serve
# --union-default-graph` from PyPI; Debian's Virtuoso 7 through scripts/virtuoso.sh):
#   `crimegraph ingest` of N generated reports into a fresh store (Graph Store PUTs and
#   the topic summary), timed; then crimegraph's N-Quads export of what it wrote,
#   loaded into a second fresh store of the same kind the way that store loads a dump
#   (for Virtuoso the export comes from an embedded store of the same files)
#   (Oxigraph: one POST of the N-Quads to /store; Virtuoso: its bulk loader, ld_dir +
#   rdf_loader_run + checkpoint), timed. Target: the ingest within 1.5x of the load.
# Usage: bench/remote.sh [N] [oxigraph|virtuoso|both]   (default 10000 both). Prints
# markdown rows.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
which=${2:-both}
bin=target/release/crimegraph
[ -x "$bin" ] || cargo build --release
python3 -m pip install --quiet --disable-pip-version-check oxigraph==0.5.13
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for d in "$work"/virt-*; do [ -d "$d" ] && bash scripts/virtuoso.sh stop "$d" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
source bench/lib.sh
secs() { python3 -c "import time; print(time.time())"; }
since() { python3 -c "print(f'{$(secs)-$1:.1f}')"; }

"$bin" --memory gen-corpus --reports "$n" --seed 1 --out "$work/corpus" >/dev/null
echo "| store, $n reports | crimegraph ingest over HTTP (s) | the store's load of the N-Quads export (s) | ratio | quads |"
echo "|---|---:|---:|---:|---:|"

oxigraph_row() {
  local p1 p2 t ingest load quads
  p1=$(free_port)
  oxigraph serve --location "$work/ox1" --bind "127.0.0.1:$p1" --union-default-graph >/dev/null 2>&1 & pids+=($!)
  wait_up "http://127.0.0.1:$p1/query"
  t=$(secs)
  "$bin" --remote-query "http://127.0.0.1:$p1/query" --remote-update "http://127.0.0.1:$p1/update" \
    --remote-store "http://127.0.0.1:$p1/store" ingest "$work/corpus/reports" >/dev/null 2>"$work/ox-ingest.log"
  ingest=$(since "$t")
  "$bin" --remote-query "http://127.0.0.1:$p1/query" --remote-store "http://127.0.0.1:$p1/store" \
    export --format nq >"$work/ox.nq"
  quads=$(wc -l <"$work/ox.nq")
  p2=$(free_port)
  oxigraph serve --location "$work/ox2" --bind "127.0.0.1:$p2" --union-default-graph >/dev/null 2>&1 & pids+=($!)
  wait_up "http://127.0.0.1:$p2/query"
  t=$(secs)
  curl -fs -X POST -H 'Content-Type: application/n-quads' -T "$work/ox.nq" "http://127.0.0.1:$p2/store"
  load=$(since "$t")
  echo "| oxigraph serve 0.5.13 | $ingest | $load (POST /store) | $(python3 -c "print(f'{$ingest/$load:.2f}x')") | $quads |"
  rm -f "$work/ox.nq"
}

virtuoso_row() {
  local p1 p2 t ingest load quads
  p1=$(free_port)
  bash scripts/virtuoso.sh start "$work/virt-1" "$p1" "$(free_port)" >/dev/null
  t=$(secs)
  "$bin" --remote-query "http://127.0.0.1:$p1/sparql" --remote-update "http://127.0.0.1:$p1/sparql" \
    --remote-store "http://127.0.0.1:$p1/sparql-graph-crud" ingest "$work/corpus/reports" >/dev/null 2>"$work/virt-ingest.log"
  ingest=$(since "$t")
  mkdir -p "$work/virt-2"
  # The same quads from an embedded store of the same files (tests/it/remote.rs and
  # scripts/remote-check.sh check that the two stores hold the same summary): Virtuoso's
  # Graph Store answers no graph of more than a million triples (FRVEC), and the
  # summary graph at 10,000 reports holds more.
  "$bin" --data "$work/cg" ingest "$work/corpus/reports" >/dev/null 2>&1
  "$bin" --data "$work/cg" export --format nq >"$work/virt-2/all.nq"
  quads=$(wc -l <"$work/virt-2/all.nq")
  bash scripts/virtuoso.sh stop "$work/virt-1" >/dev/null
  p2=$(free_port); local sql2; sql2=$(free_port)
  bash scripts/virtuoso.sh start "$work/virt-2" "$p2" "$sql2" >/dev/null
  t=$(secs)
  isql-vt "$sql2" dba dba exec="ld_dir('$work/virt-2', 'all.nq', 'http://example.org/unused'); rdf_loader_run(); checkpoint;" >"$work/virt-load.log" 2>&1
  load=$(since "$t")
  echo "| Virtuoso 7.2.5 (Debian) | $ingest | $load (ld_dir + rdf_loader_run + checkpoint) | $(python3 -c "print(f'{$ingest/$load:.2f}x')") | $quads |"
}

case "$which" in
  oxigraph) oxigraph_row ;;
  virtuoso) virtuoso_row ;;
  both) oxigraph_row; virtuoso_row ;;
esac
