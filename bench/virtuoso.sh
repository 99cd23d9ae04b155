#!/usr/bin/env bash
# crimegraph against Virtuoso (Debian's virtuoso-opensource-7, the server most public
# SPARQL endpoints run) on the same generated reports, in one run on one machine:
#   load time: `crimegraph ingest` of the reports vs Virtuoso's bulk loader
#   (ld_dir + rdf_loader_run + checkpoint) of the N-Quads crimegraph exported;
#   saved questions' median / p95 over HTTP (bench/latency.py);
#   /sparql requests/s and p99 under 16 clients (wrk), state-topics.rq.
# Usage: bench/virtuoso.sh [N]   (default 1000). Installs virtuoso-opensource-7 if
# missing. Prints markdown rows like bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
repeats=${BENCH_REPEATS:-10}; duration=${BENCH_DURATION:-10s}
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
command -v virtuoso-t >/dev/null || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends virtuoso-opensource-7 >/dev/null
command -v wrk >/dev/null || $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
bin=target/release/crimegraph
[ -x "$bin" ] || cargo build --release
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
source bench/lib.sh
secs() { python3 -c "import time; print(time.time())"; }

"$bin" --memory gen-corpus --reports "$n" --seed 1 --out "$work/corpus" >/dev/null
t0=$(secs); "$bin" --data "$work/cg" ingest "$work/corpus/reports" >/dev/null; t1=$(secs)
cg_s=$(python3 -c "print(f'{$t1-$t0:.2f}')")
mkdir "$work/nq"
"$bin" --data "$work/cg" export --format nq > "$work/nq/all.nq"
quads=$(wc -l < "$work/nq/all.nq")

# A Virtuoso database of its own, on free ports, allowed to read only the dump's folder.
isql_port=$(free_port); http_port=$(free_port)
mkdir "$work/virt"
cat > "$work/virt/virtuoso.ini" <<INI
[Database]
DatabaseFile = $work/virt/virtuoso.db
ErrorLogFile = $work/virt/virtuoso.log
TransactionFile = $work/virt/virtuoso.trx
xa_persistent_file = $work/virt/virtuoso.pxa
[TempDatabase]
DatabaseFile = $work/virt/virtuoso-temp.db
TransactionFile = $work/virt/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:$isql_port
DirsAllowed = ., $work/nq, /usr/share/virtuoso-opensource-7/vad
NumberOfBuffers = 340000
MaxDirtyBuffers = 250000
ServerThreads = 20
[HTTPServer]
ServerPort = 127.0.0.1:$http_port
ServerThreads = 20
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
INI
(cd "$work/virt" && virtuoso-t +foreground +configfile virtuoso.ini >/dev/null 2>&1) & pids+=($!)
for _ in $(seq 300); do isql-vt "$isql_port" dba dba exec="status();" >/dev/null 2>&1 && break; sleep 0.2; done
t0=$(secs)
isql-vt "$isql_port" dba dba exec="ld_dir('$work/nq', 'all.nq', 'http://example.org/unused'); rdf_loader_run(); checkpoint;" >"$work/load.log" 2>&1
t1=$(secs)
v_s=$(python3 -c "print(f'{$t1-$t0:.2f}')")
loaded=$(isql-vt "$isql_port" dba dba exec="SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/crimegraph/')) };" 2>/dev/null | awk '/^[0-9]+ *$/ {print $1; exit}')
echo "| load time, s (\`crimegraph ingest\` of the reports vs Virtuoso's bulk loader of its export; $quads quads, Virtuoso holds ${loaded:-?}) | $n | $cg_s | $v_s | $(python3 -c "print(f'{$cg_s/$v_s:.2f}x')") |"

cg_port=$(free_port)
"$bin" --data "$work/cg" serve --bind "127.0.0.1:$cg_port" --query-timeout 600 >"$work/cg-serve.log" 2>&1 & pids+=($!)
wait_up "http://127.0.0.1:$cg_port/sparql"; wait_up "http://127.0.0.1:$http_port/sparql"
sed 's|id/report/[^>]*>|id/report/gen_1_0000000>|' queries/report-paragraphs.rq > "$work/report-paragraphs.rq"
python3 bench/latency.py "$repeats" "crimegraph=http://127.0.0.1:$cg_port/sparql" "virtuoso=http://127.0.0.1:$http_port/sparql" -- \
  "$work/report-paragraphs.rq" queries/state-topics.rq queries/states-on-crime-type.rq queries/instrument-crime-cooccurrence.rq > "$work/lat.tsv"
python3 - "$work/lat.tsv" "$n" "http://127.0.0.1:$cg_port/sparql" "http://127.0.0.1:$http_port/sparql" "$work" <<'PY'
import json, sys, urllib.parse, urllib.request
def rows(url, path):
    query = open(path, encoding="utf-8").read()
    req = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    return len(json.load(urllib.request.urlopen(req, timeout=600))["results"]["bindings"])
by = {}
for q, name, med, p95 in (l.rstrip("\n").split("\t") for l in open(sys.argv[1])):
    by.setdefault(q, {})[name] = (float(med), float(p95))
for q, v in by.items():
    path = f"{sys.argv[5]}/{q}" if q == "report-paragraphs.rq" else f"queries/{q}"
    # The same answer from both, or the comparison says nothing.
    answers = f"{rows(sys.argv[3], path)} / {rows(sys.argv[4], path)} rows"
    c, o = v["crimegraph"], v["virtuoso"]
    print(f"| query {q} median / p95, ms, vs Virtuoso (bench/latency.py; {answers}) | {sys.argv[2]} | {c[0]:.1f} / {c[1]:.1f} | {o[0]:.1f} / {o[1]:.1f} | {c[0]/o[0]:.2f}x |")
PY
cg_wrk=$(wrk_state_topics "http://127.0.0.1:$cg_port/sparql"); v_wrk=$(wrk_state_topics "http://127.0.0.1:$http_port/sparql")
non2xx() { echo "$1" | awk '/Non-2xx/ {print $NF}'; }
echo "| /sparql state-topics, requests/s vs Virtuoso, 16 clients (wrk -c16 -d$duration) | $n | $(rps "$cg_wrk") | $(rps "$v_wrk") | $(python3 -c "print(f'{$(rps "$cg_wrk")/$(rps "$v_wrk"):.2f}x')") |"
echo "| /sparql state-topics, p99 latency vs Virtuoso (non-2xx answers: $(non2xx "$cg_wrk" || true) / $(non2xx "$v_wrk" || true)) | $n | $(p99 "$cg_wrk") | $(p99 "$v_wrk") | |"
