#!/usr/bin/env bash
# Ingests ../shared/corpus into a fresh store, serves it on a free loopback port and
# scores it against ../shared/gold with ../shared/tools/score.py. Fails when statements
# F1 < 1.0, mentions F1 < 0.98, metadata < 1.0, or any class's mention F1 < 0.95.
# Usage: scripts/score-corpus.sh [path/to/crimegraph]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/crimegraph}
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$bin" --data "$work/store" ingest ../shared/corpus
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --data "$work/store" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 150); do
  curl -fs "http://127.0.0.1:$port/sparql?query=ASK%7B%7D" >/dev/null 2>&1 && break
  sleep 0.2
done
if ! kill -0 "$server" 2>/dev/null; then
  echo "the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1
fi
endpoint="http://127.0.0.1:$port/sparql"
python3 ../shared/tools/score.py --endpoint "$endpoint" --show-errors \
  --min-statements 1.0 --min-mentions 0.98 --min-metadata 1.0
python3 ../shared/tools/score.py --endpoint "$endpoint" --json >"$work/score.json"
python3 - "$work/score.json" <<'PY'
import json, sys
# score.py prints its JSON, then a summary line.
text = open(sys.argv[1]).read()
r = json.loads(text[: text.rindex("}") + 1])
low = {k: v[2] for k, v in r.items() if k.startswith("mentions.") and v[2] < 0.95}
if low:
    sys.exit(f"per-class mention F1 below 0.95: {low}")
print("per-class mention F1:", {k: round(v[2], 3) for k, v in r.items() if k.startswith("mentions.")})
PY
