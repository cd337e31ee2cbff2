#!/usr/bin/env bash
# Set up, then run every check: the protocol's generated JS is fresh, the JSDoc types over web/ (tsc), lint,
# and the whole pytest suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k routing -x` (one pytest run, as given).
# With no arguments but output options (-q, -v, -s, -ra, --tb=...), the tiers run in three lanes at once, to
# keep both cores busy to the end: in the foreground the unit and server tiers, then the browser tier; in one
# background lane the packaging tier (PyInstaller and wheel builds: CPU-bound), the cluster tier (server
# processes, Redis, HAProxy, PostgreSQL), then the server tier again on a real PostgreSQL (--database=postgresql,
# three parts side by side), output in test-results/background.log; in the other the desktop-window tier (a real
# window on its own Xvfb, D-Bus and dunst, driven with real input), output in test-results/desktop.log. The
# desktop tier used to wait for the others and run alone; it passes with the machine fully loaded (measured: 27
# passed in 6:17 beside the PostgreSQL pass), and alone it left one core idle for ~4.5 minutes. Every tier runs
# even when one fails; the exit status says if any did.
set -euo pipefail
cd "$(dirname "$0")/.."
# Bytecode is kept (in .cache/pycache, out of the tree) even where the environment says not to write it
# (PYTHONDONTWRITEBYTECODE, set on the CI machines): the suite starts Python processes by the hundred (three
# server nodes per cluster test, the CLI, the desktop app, installed wheels) and each one compiled every module
# it imports from source again — a server node's imports took 4.5 s that way, 1.4 s from bytecode (measured).
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="$PWD/.cache/pycache"
scripts/setup.sh --test
.venv/bin/python -m kayako_desktop.protocol.codegen --check
node_modules/.bin/tsc -p jsconfig.json
.venv/bin/ruff check app tests bench
.venv/bin/mypy --strict --follow-imports=silent app/kayako_desktop/flask_app.py app/kayako_desktop/protocol app/kayako_desktop/server app/kayako_desktop/bridge app/kayako_desktop/desktop

whole=1
for arg in "$@"; do
  case "$arg" in -q|-qq|-v|-vv|-s|-ra|-rA|--tb=*|--durations=*) ;; *) whole=0 ;; esac
done
if [ "$whole" = 0 ]; then
  exec .venv/bin/python -m pytest "$@"
fi

mkdir -p test-results
status=0
# The server tier again on a real PostgreSQL (--database=postgresql: every module but the SQLite-only ones
# tests/conftest.py names), in the background lane after the cluster tier, as three pytest runs side by side
# (--part=K/3, balanced by the seconds(n) marks): a test on PostgreSQL mostly waits for round trips.
PG_RUNS=3
echo "== three lanes: unit, server, then e2e here; packaging, cluster, then the server tier on PostgreSQL (test-results/background.log); the desktop tier (test-results/desktop.log)"
( failed=0
  .venv/bin/python -m pytest "$@" -m packaging -p no:cacheprovider || failed=1
  .venv/bin/python -m pytest "$@" -m cluster -p no:cacheprovider || failed=1
  parts=()
  for i in $(seq 1 "$PG_RUNS"); do
    .venv/bin/python -m pytest "$@" --database=postgresql --part="$i/$PG_RUNS" -p no:cacheprovider tests/server \
      tests/kayako_client > "test-results/postgresql-$i.log" 2>&1 &
    parts+=($!)
  done
  for pid in "${parts[@]}"; do wait "$pid" || failed=1; done
  for i in $(seq 1 "$PG_RUNS"); do
    echo "== the server tier on a real PostgreSQL, part $i of $PG_RUNS"
    cat "test-results/postgresql-$i.log"
  done
  exit "$failed" ) > test-results/background.log 2>&1 &
background=$!
.venv/bin/python -m pytest "$@" -m "desktop and not unit" -p no:cacheprovider > test-results/desktop.log 2>&1 &
desktop=$!
.venv/bin/python -m pytest "$@" -m "unit or server" || status=1
.venv/bin/python -m pytest "$@" -m "e2e and not unit" -p no:cacheprovider || status=1
wait "$desktop" || status=1
echo "== desktop tier:"
cat test-results/desktop.log
wait "$background" || status=1
echo "== packaging, cluster and PostgreSQL runs:"
cat test-results/background.log
exit "$status"
