#!/usr/bin/env bash
# Set up, then run every check: the protocol's generated JS is fresh, the JSDoc types over web/ (tsc), lint,
# and the whole pytest suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k routing -x` (one pytest run, as given).
# With no arguments but output options (-q, -v, -s, -ra, --tb=...), the tiers run in two phases to use both
# cores: the packaging tier (PyInstaller and wheel builds: CPU-bound) in the background beside the unit,
# server and cluster tiers, then the browser and desktop-window tiers with the machine to themselves (they
# wait on real windows and browsers). Every tier runs even when one fails; the exit status says if any did.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/python -m kayako_desktop.protocol.codegen --check
node_modules/.bin/tsc -p jsconfig.json
.venv/bin/ruff check app tests bench
.venv/bin/mypy --strict --follow-imports=silent app/kayako_desktop/protocol app/kayako_desktop/server app/kayako_desktop/bridge app/kayako_desktop/desktop

whole=1
for arg in "$@"; do
  case "$arg" in -q|-qq|-v|-vv|-s|-ra|-rA|--tb=*|--durations=*) ;; *) whole=0 ;; esac
done
if [ "$whole" = 0 ]; then
  exec .venv/bin/python -m pytest "$@"
fi

mkdir -p test-results
status=0
echo "== phase 1: packaging tier (in the background, output in test-results/packaging.log) beside unit, server, cluster"
.venv/bin/python -m pytest "$@" -m packaging -p no:cacheprovider > test-results/packaging.log 2>&1 &
packaging=$!
.venv/bin/python -m pytest "$@" -m "unit or server or cluster" || status=1
wait "$packaging" || status=1
echo "== packaging tier:"
cat test-results/packaging.log
echo "== phase 2: e2e and desktop tiers"
.venv/bin/python -m pytest "$@" -m "(e2e or desktop) and not unit" || status=1
exit "$status"
