#!/usr/bin/env bash
# Installs what building and testing crimegraph needs beyond the Rust toolchain:
# libclang (oxigraph's RocksDB runs bindgen), a C++ compiler, python3 and curl (the
# scorer and HTTP tests), Debian's Chromium and Node's playwright-core (browser tests),
# wrk (the load test and benchmarks in .ci/run), Oxigraph's server from PyPI (the
# remote-store tests).
# Idempotent: does nothing when they are there. Needs root (or sudo) on Debian/Ubuntu.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
dpkg -s libclang-dev >/dev/null 2>&1 || need+=(libclang-dev)
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v curl >/dev/null 2>&1 || need+=(curl)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The remote-store tests run against Oxigraph's own server (PyPI `oxigraph`).
if ! oxigraph --version 2>/dev/null | grep -q '0\.5\.13'; then
  python3 -m pip install --quiet --disable-pip-version-check oxigraph==0.5.13
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi
