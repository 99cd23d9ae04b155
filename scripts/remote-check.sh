#!/usr/bin/env bash
# Issue 22: crimegraph on a triple store it reaches over HTTP. Starts a throw-away
# store (`oxigraph` = `oxigraph serve --union-default-graph` from PyPI; `virtuoso` =
# Debian's Virtuoso 7 through scripts/virtuoso.sh), ingests the seed corpus into it,
# scores it with ../shared/tools/score.py pointed at the store's own SPARQL endpoint
# (the embedded store's floors: statements 1.0, mentions 0.98, metadata 1.0), then
# serves crimegraph's pages over it and checks that they answer.
# Usage: scripts/remote-check.sh oxigraph|virtuoso [path/to/crimegraph]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/remote-check.sh oxigraph|virtuoso [crimegraph]}
bin=${2:-target/release/crimegraph}
work=$(mktemp -d)
store_pid=""
server=""
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "$kind" = virtuoso ] && [ -f "$work/virtuoso/virtuoso.pid" ]; then
    bash scripts/virtuoso.sh stop "$work/virtuoso" >/dev/null 2>&1 || true
  elif [ -n "$store_pid" ]; then
    kill "$store_pid" 2>/dev/null || true; wait "$store_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
port=$(free_port)
case "$kind" in
  oxigraph)
    oxigraph serve --location "$work/ox" --bind "127.0.0.1:$port" --union-default-graph \
      >"$work/store.log" 2>&1 &
    store_pid=$!
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
    bash scripts/virtuoso.sh start "$work/virtuoso" "$port" "$(free_port)" >/dev/null
    query="http://127.0.0.1:$port/sparql"
    update="http://127.0.0.1:$port/sparql"
    graphs="http://127.0.0.1:$port/sparql-graph-crud"
    ;;
  *) echo "unknown store $kind" >&2; exit 2 ;;
esac
for _ in $(seq 300); do
  curl -fs "$query?query=ASK%7B%7D" >/dev/null 2>&1 && break
  sleep 0.2
done
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
echo "remote store $kind: ingest, score and pages ok"
