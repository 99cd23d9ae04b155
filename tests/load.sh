#!/usr/bin/env bash
# Bounded load on loopback: 64 connections for 60 s of mixed saved questions against a
# served store of the seed corpus. Fails on any error or non-2xx answer, or when the
# server's memory still grows in the last two thirds of the run (RSS at the end more
# than 1.3x its value a third of the way in, once caches have filled); reports
# requests, p99 and the memory samples. Usage: tests/load.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"; $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
bin=target/release/crimegraph
work=$(mktemp -d)
server=""
cleanup() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
"$bin" --data "$work/store" ingest ../shared/corpus >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --data "$work/store" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 150); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
# Warm up, then measure memory before the load.
curl -fs "http://127.0.0.1:$port/api/states/EGY" >/dev/null
before=$(rss)
enc() { python3 -c "import urllib.parse,sys; print(urllib.parse.quote(open(sys.argv[1]).read()))" "$1"; }
wrk -t1 -c22 -d"${secs}s" --latency "http://127.0.0.1:$port/sparql?query=$(enc queries/state-topics.rq)" >"$work/a" &
a=$!
wrk -t1 -c21 -d"${secs}s" --latency "http://127.0.0.1:$port/sparql?query=$(enc queries/states-on-crime-type.rq)" >"$work/b" &
b=$!
wrk -t1 -c21 -d"${secs}s" --latency "http://127.0.0.1:$port/api/instruments/untoc" >"$work/c" &
c=$!
# Memory a third of the way in (caches warm) and at the end.
sleep $((secs / 3))
mid=$(rss)
wait $a $b $c
after=$(rss)
errors=0
total=0
for f in a b c; do
  n=$(awk '/requests in/ {print $1}' "$work/$f"); total=$((total + n))
  if grep -qE 'Non-2xx|Socket errors' "$work/$f"; then errors=1; cat "$work/$f"; fi
  echo "$(awk '$1=="99%" {print "p99 " $2}' "$work/$f"), $n requests"
done
echo "load: $total requests in ${secs}s over 64 connections; server RSS ${before} KB before, ${mid} KB at a third, ${after} KB at the end"
kill -0 "$server" || { echo "the server died"; exit 1; }
[ "$errors" = 0 ] || { echo "errors under load"; exit 1; }
[ "$after" -le $((mid * 13 / 10)) ] || { echo "memory grew under load: ${mid} KB -> ${after} KB"; exit 1; }
echo "1 passed, 0 failed"
