# Helpers shared by bench/run.sh and bench/virtuoso.sh (sourced; expects $duration).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 600); do curl -fs "$1?query=ASK%7B%7D" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "server at $1 did not start" >&2; exit 1; }
# wrk output of 16 clients asking state-topics.rq of the endpoint $1 for $duration.
wrk_state_topics() {
  local q
  q=$(python3 -c "import urllib.parse; print(urllib.parse.quote(open('queries/state-topics.rq').read()))")
  wrk -t2 -c16 -d"$duration" --latency -H 'Accept: application/sparql-results+json' "$1?query=$q" 2>/dev/null
}
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p99() { echo "$1" | awk '$1=="99%" {print $2}'; }
# The scripts' arguments: --quick (smoke mode) and sizes (default 1000 10000 100000;
# with --quick, 50 200). Sets $quick and $sizes.
parse_sizes() {
  quick=0
  sizes=()
  for a in "$@"; do
    case "$a" in --quick) quick=1 ;; *) sizes+=("$a") ;; esac
  done
  if [ ${#sizes[@]} -eq 0 ]; then
    if [ "$quick" = 1 ]; then sizes=(50 200); else sizes=(1000 10000 100000); fi
  fi
}
