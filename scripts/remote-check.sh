#!/usr/bin/env bash
# Issue 22: crimegraph on a triple store it reaches over HTTP. Starts a throw-away
# store (`oxigraph` = `oxigraph serve --union-default-graph` from PyPI; `virtuoso` =
# Debian's Virtuoso 7 through scripts/virtuoso.sh), ingests the seed corpus into it,
# scores it with ../shared/tools/score.py pointed at the store's own SPARQL endpoint
# (the embedded store's floors: statements 1.0, mentions 0.98, metadata 1.0), then
# serves crimegraph's pages over it and checks that they answer. Then it kills the store
# (SIGKILL) in the middle of an ingest of generated reports, starts it again, and checks
# that a re-run finishes the job: the topic summary equal to the embedded store's from
# the same files. On Virtuoso it also goes through the account endpoints
# (/sparql-auth, /sparql-graph-crud-auth), which ask for HTTP Digest.
# Usage: scripts/remote-check.sh oxigraph|virtuoso [path/to/crimegraph]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/remote-check.sh oxigraph|virtuoso [crimegraph]}
bin=${2:-target/release/crimegraph}
work=$(mktemp -d)
store_pid=""
server=""
proxy=""
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$proxy" ]; then kill "$proxy" 2>/dev/null || true; fi
  if [ "$kind" = virtuoso ] && [ -f "$work/virtuoso/virtuoso.pid" ]; then
    bash scripts/virtuoso.sh stop "$work/virtuoso" >/dev/null 2>&1 || true
  elif [ -n "$store_pid" ]; then
    kill "$store_pid" 2>/dev/null || true; wait "$store_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
port=$(free_port)
sql_port=$(free_port)
case "$kind" in
  oxigraph)
    query="http://127.0.0.1:$port/query"
    update="http://127.0.0.1:$port/update"
    graphs="http://127.0.0.1:$port/store"
    ;;
  virtuoso)
    if ! command -v virtuoso-t >/dev/null 2>&1; then
      sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        virtuoso-opensource-7 >/dev/null
    fi
    query="http://127.0.0.1:$port/sparql"
    update="http://127.0.0.1:$port/sparql"
    graphs="http://127.0.0.1:$port/sparql-graph-crud"
    ;;
  *) echo "unknown store $kind" >&2; exit 2 ;;
esac
# Starts the store on its folder (again after a kill: same folder, same ports).
start_store() {
  if [ "$kind" = oxigraph ]; then
    oxigraph serve --location "$work/ox" --bind "127.0.0.1:$port" --union-default-graph \
      >>"$work/store.log" 2>&1 &
    store_pid=$!
  else
    bash scripts/virtuoso.sh start "$work/virtuoso" "$port" "$sql_port" >/dev/null
  fi
  for _ in $(seq 300); do
    curl -fs "$query?query=ASK%7B%7D" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$kind did not start" >&2; exit 1
}
# Kills the store at once, as a crash would.
kill_store() {
  if [ "$kind" = oxigraph ]; then
    kill -9 "$store_pid"; wait "$store_pid" 2>/dev/null || true
  else
    kill -9 "$(cat "$work/virtuoso/virtuoso.pid")"
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; sleep 0.1; done
    # Gone, or a zombie no one reaps (a container's first process may not): either way
    # not running, so its pid file and lock go.
    rm -f "$work/virtuoso/virtuoso.pid" "$work/virtuoso/virtuoso.lck"
  fi
}
# Whether the store answers (a crashed Virtuoso may linger as a zombie no one reaps, so
# its process is not asked).
store_answers() {
  curl -fs --max-time 10 "$query?query=ASK%7B%7D" >/dev/null 2>&1
}
store_log() {
  if [ "$kind" = oxigraph ]; then tail -n 40 "$work/store.log"; else tail -n 60 "$work/virtuoso/virtuoso.log"; fi
}
# The re-run after the cut. If the store itself goes down under it (CI once saw the
# restarted Virtuoso stop answering midway: every later report "connection refused"),
# that is one more cut of the same kind: its log is shown, it is started again, and
# the next run must finish the job. A re-run that fails while the store is up fails
# the check, and so do three crashes in a row.
rerun_until_done() {
  local attempt
  for attempt in 1 2 3; do
    if "$bin" "${remote[@]}" ingest "$work/gen/reports" >/dev/null 2>"$work/rerun.log"; then
      return 0
    fi
    if store_answers; then
      echo "$kind: the re-run after the cut failed with the store up:" >&2
      tail -n 40 "$work/rerun.log" >&2; exit 1
    fi
    echo "$kind: the store went down during re-run $attempt; the end of its log:" >&2
    store_log >&2 || true
    tail -n 5 "$work/rerun.log" >&2
    kill_store 2>/dev/null || true
    start_store
  done
  echo "$kind: the store went down under three re-runs in a row" >&2; exit 1
}
start_store
remote=(--remote-query "$query" --remote-update "$update" --remote-store "$graphs")
"$bin" "${remote[@]}" ingest ../shared/corpus
# Unchanged reports are skipped on a second run.
"$bin" "${remote[@]}" ingest ../shared/corpus | grep -q "5 unchanged"
python3 ../shared/tools/score.py --endpoint "$query" --min-statements 1.0 \
  --min-mentions 0.98 --min-metadata 1.0
# The pages, answers and /sparql of a crimegraph server over the store.
"$bin" "${remote[@]}" serve --bind 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.log" &
server=$!
base=""
for _ in $(seq 150); do
  base=$(sed -n 's/^listening on //p' "$work/serve.out")
  [ -n "$base" ] && break
  sleep 0.2
done
[ -n "$base" ] || { cat "$work/serve.log" >&2; exit 1; }
for path in / /matrix /id/state/EGY /id/crime/terrorism /id/instrument/untoc \
  /api/states/EGY /api/crime-types/terrorism/states /reports /.well-known/void /health; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: text/html,*/*;q=0.1' "$base$path")
  if [ "$code" != 200 ]; then
    echo "$kind: $path answered $code" >&2; cat "$work/serve.log" >&2; exit 1
  fi
done
curl -fs -H 'Accept: text/csv' --data-urlencode \
  'query=SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/crimegraph/ontology#Report> }' \
  "$base/sparql" | tail -1 | grep -q '^5' || { echo "$kind: /sparql does not count 5 reports" >&2; exit 1; }
kill "$server"; wait "$server" 2>/dev/null || true; server=""

summary_of() {
  "$bin" "$@" export --format nt --graph https://w3id.org/crimegraph/id/graph/summary | sort
}
if [ "$kind" = virtuoso ]; then
  # The account endpoints ask for HTTP Digest: a report removed and written back
  # through them, and a wrong password told apart.
  auth=(--remote-query "http://127.0.0.1:$port/sparql-auth" --remote-update "http://127.0.0.1:$port/sparql-auth"
    --remote-store "http://127.0.0.1:$port/sparql-graph-crud-auth" --remote-user dba)
  CRIMEGRAPH_REMOTE_PASSWORD=dba "$bin" "${auth[@]}" remove 004_5617a40fafd884cf
  CRIMEGRAPH_REMOTE_PASSWORD=dba "$bin" "${auth[@]}" ingest ../shared/corpus | grep -q "4 unchanged"
  if CRIMEGRAPH_REMOTE_PASSWORD=wrong "$bin" "${auth[@]}" query 'ASK {}' 2>"$work/wrong.log"; then
    echo "$kind: a wrong password was let in" >&2; exit 1
  fi
  grep -q 401 "$work/wrong.log" || { cat "$work/wrong.log" >&2; exit 1; }
fi

# The store killed in the middle of an ingest; the re-run finishes the job.
"$bin" --memory gen-corpus --reports 300 --seed 5 --out "$work/gen" >/dev/null
"$bin" "${remote[@]}" ingest "$work/gen/reports" >"$work/cut.out" 2>"$work/cut.log" &
ingest=$!
ask='query=ASK { GRAPH ?g { ?r a <https://w3id.org/crimegraph/ontology#Report> ; <https://w3id.org/crimegraph/ontology#sourceFile> ?f } FILTER(STRSTARTS(?f, "gen_")) }'
for _ in $(seq 600); do
  curl -fs -H 'Accept: application/sparql-results+json' --data-urlencode "$ask" "$query" 2>/dev/null \
    | grep -q true && break
  sleep 0.1
done
kill_store
if wait "$ingest"; then echo "$kind: the ingest finished before the store was killed" >&2; exit 1; fi
start_store
rerun_until_done
"$bin" --data "$work/local" ingest ../shared/corpus "$work/gen/reports" >/dev/null
diff <(summary_of "${remote[@]}") <(summary_of --data "$work/local") >"$work/summary.diff" \
  || { echo "$kind: the summary after a cut ingest differs from the embedded store's" >&2; head -20 "$work/summary.diff" >&2; exit 1; }
# A store that gives no graph as large as the summary in one answer (Virtuoso stops at
# a million triples, which the summary of 10,000 reports passes), imitated by a proxy
# that refuses the summary graph: the export reads it count by count, and it is the same.
proxy_port=$(free_port)
base_url=${query%/*}
python3 scripts/refusing-proxy.py "$proxy_port" "$base_url" https://w3id.org/crimegraph/id/graph/summary &
proxy=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$proxy_port") 2>/dev/null && break; sleep 0.1; done
proxied=(--remote-query "http://127.0.0.1:$proxy_port/${query##*/}" --remote-store "http://127.0.0.1:$proxy_port/${graphs##*/}")
diff <(summary_of "${proxied[@]}" 2>"$work/by-keys.log") <(summary_of --data "$work/local") >"$work/summary.diff" \
  || { echo "$kind: the summary read count by count differs" >&2; head -20 "$work/summary.diff" "$work/by-keys.log" >&2; exit 1; }
grep -q "count by count" "$work/by-keys.log" \
  || { echo "$kind: the summary was not read count by count" >&2; cat "$work/by-keys.log" >&2; exit 1; }
kill "$proxy"; wait "$proxy" 2>/dev/null || true; proxy=""
echo "remote store $kind: ingest, score, pages, account, a cut ingest and an export finished ok"
