#!/usr/bin/env bash
# Checks the Dockerfile's build stage the way `docker build` would see it, without a
# Docker engine (issue 22): the files its COPY lines bring in, put in an empty folder,
# must make a manifest cargo accepts (every declared target present) and hold every
# file an `include_str!` / `include_bytes!` names. Fails naming what is missing.
# Usage: scripts/check-docker-context.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
# The COPY lines of the first stage (up to the second FROM), sources only.
awk '/^FROM/ { n++ } n == 1 && /^COPY/ && !/--from/' Dockerfile | while read -r _ args; do
  set -- $args
  dest=${*: -1}
  srcs=("${@:1:$#-1}")
  for s in "${srcs[@]}"; do
    if [ "$dest" = "./" ] || [ "$dest" = "." ]; then
      cp -r "$s" "$ctx/"
    else
      mkdir -p "$ctx/$(dirname "$dest")"; cp -r "$s" "$ctx/$dest"
    fi
  done
done
# cargo reads the manifest and finds every target it declares (`cargo metadata` does
# not look for them; `fetch` parses the manifest as `build` does, before any download:
# offline, a crate missing from the cache is no manifest error).
out=$(cd "$ctx" && CARGO_TARGET_DIR="$ctx/target" cargo fetch --locked --offline 2>&1) || true
if echo "$out" | grep -q "failed to parse manifest"; then
  echo "the Docker build context's manifest is refused:" >&2; echo "$out" >&2; exit 1
fi
# Every file the sources include at compile time is in the context.
missing=0
while IFS=: read -r file rel; do
  target="$(dirname "$ctx/$file")/$rel"
  if [ ! -f "$target" ]; then
    echo "missing from the Docker build context: $rel (included by $file)" >&2; missing=1
  fi
done < <(cd "$ctx" && grep -rhoP --include='*.rs' -H 'include_(?:str|bytes)!\("\K[^"]+' src benches 2>/dev/null | sed 's/:/:/')
[ "$missing" = 0 ] || exit 1
echo "the Docker build context holds what cargo needs"
