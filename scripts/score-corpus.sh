#!/usr/bin/env bash
# Ingests a corpus (default ../shared/corpus) into a fresh store, serves it on a free
# loopback port and scores it against its gold (default ../shared/gold) with
# ../shared/tools/score.py. Fails below the floors: statements F1 (MIN_STATEMENTS,
# default 1.0), mentions F1 (MIN_MENTIONS, 0.98), metadata (MIN_METADATA, 1.0), any
# class's mention F1 (MIN_CLASS, 0.95).
# Usage: [CORPUS=dir GOLD=dir MIN_...=x] scripts/score-corpus.sh [path/to/crimegraph]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/crimegraph}
corpus=${CORPUS:-../shared/corpus}; gold=${GOLD:-../shared/gold}
min_statements=${MIN_STATEMENTS:-1.0}; min_mentions=${MIN_MENTIONS:-0.98}
min_metadata=${MIN_METADATA:-1.0}; min_class=${MIN_CLASS:-0.95}
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# A file the reader refuses is a miss for the score, not a failure here.
"$bin" --data "$work/store" ingest "$corpus" || true
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
python3 ../shared/tools/score.py --endpoint "$endpoint" --gold "$gold" --show-errors \
  --min-statements "$min_statements" --min-mentions "$min_mentions" --min-metadata "$min_metadata"
python3 ../shared/tools/score.py --endpoint "$endpoint" --gold "$gold" --json >"$work/score.json"
python3 - "$work/score.json" "$min_class" <<'PY'
import json, sys
# score.py prints its JSON, then a summary line.
text = open(sys.argv[1]).read()
floor = float(sys.argv[2])
r = json.loads(text[: text.rindex("}") + 1])
low = {k: v[2] for k, v in r.items() if k.startswith("mentions.") and v[2] < floor}
if low:
    sys.exit(f"per-class mention F1 below {floor}: {low}")
print("per-class mention F1:", {k: round(v[2], 3) for k, v in r.items() if k.startswith("mentions.")})
PY
