#!/usr/bin/env bash
# Set up, then run every check: the protocol's generated JS is fresh, the JSDoc types over web/ (tsc), lint,
# and the whole pytest suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k routing -x` (one pytest run, as given).
# With no arguments but output options (-q, -v, -s, -ra, --tb=...), the tiers run in three lanes at once, to
# keep both cores busy to the end: in the foreground the unit and server tiers, then the browser tier; in a
# second lane the packaging tier (PyInstaller and wheel builds: CPU-bound), then the server tier again on a real
# PostgreSQL (--database=postgresql, three parts side by side), output in test-results/packaging-postgresql.log;
# in the third the desktop-window tier (a real window on its own Xvfb, D-Bus and dunst, driven with real input),
# then the cluster tier (server processes, Redis, HAProxy, PostgreSQL), output in
# test-results/desktop-cluster.log. The lanes are balanced by measured time: with the browser tier on Chromium's
# headless shell (3:43 alone instead of ~6:50), a lane holding packaging, cluster and PostgreSQL would have run
# ~5 minutes past the others. Every tier runs even when one fails; the exit status says if any did.
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
# tests/conftest.py names), after the packaging tier, as three pytest runs side by side (--part=K/3, balanced
# by the seconds(n) marks): a test on PostgreSQL mostly waits for round trips.
PG_RUNS=3
echo "== three lanes: unit, server, then e2e here; packaging, then the server tier on PostgreSQL (test-results/packaging-postgresql.log); desktop, then cluster (test-results/desktop-cluster.log)"
( failed=0
  .venv/bin/python -m pytest "$@" -m packaging -p no:cacheprovider || failed=1
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
  exit "$failed" ) > test-results/packaging-postgresql.log 2>&1 &
second=$!
( failed=0
  .venv/bin/python -m pytest "$@" -m "desktop and not unit" -p no:cacheprovider || failed=1
  .venv/bin/python -m pytest "$@" -m cluster -p no:cacheprovider || failed=1
  exit "$failed" ) > test-results/desktop-cluster.log 2>&1 &
third=$!
.venv/bin/python -m pytest "$@" -m "unit or server" || status=1
.venv/bin/python -m pytest "$@" -m "e2e and not unit" -p no:cacheprovider || status=1
wait "$third" || status=1
echo "== desktop and cluster tiers:"
cat test-results/desktop-cluster.log
wait "$second" || status=1
echo "== packaging tier and PostgreSQL runs:"
cat test-results/packaging-postgresql.log
exit "$status"
