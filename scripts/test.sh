#!/usr/bin/env bash
# Set up, then run every check: the protocol's generated JS is fresh, the JSDoc types over web/ (tsc), lint,
# and the whole pytest suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k routing -x` (one pytest run, as given).
# With no arguments but output options (-q, -v, -s, -ra, --tb=...), the tiers run in three lanes at once, since
# most of them spend much of their time waiting (on browsers, windows, server processes, round trips to
# PostgreSQL) and the work adds up to ~25 core-minutes: lane 1 (foreground) the unit and server tiers, then the
# browser tier as two pytest runs side by side; lane 2 the packaging tier (PyInstaller and wheel builds), then
# the desktop-window tier; lane 3 the cluster tier (server processes, Redis, HAProxy, PostgreSQL), then the
# server tier again on a real PostgreSQL (--database=postgresql, three runs side by side). Each background run's
# output goes to test-results/*.log and is printed at the end. Every tier runs even when one fails; the exit
# status says if any did.
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
PYTEST=(.venv/bin/python -m pytest "$@" -p no:cacheprovider)
# `parts N NAME ARGS...`: one pytest run of ARGS as N runs side by side (--part=K/N: every Nth test from the
# Kth), output in test-results/NAME-K.log, printed in order; fails if any part failed.
parts() {
  local n=$1 name=$2 pids=() failed=0
  shift 2
  for i in $(seq 1 "$n"); do
    "${PYTEST[@]}" --part="$i/$n" "$@" > "test-results/$name-$i.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  for i in $(seq 1 "$n"); do
    echo "== $name, part $i of $n"
    cat "test-results/$name-$i.log"
  done
  return "$failed"
}
echo "== lanes: unit, server, then browser (here); packaging, then desktop (test-results/lane-2.log); cluster, then the server tier on PostgreSQL (test-results/lane-3.log)"
( failed=0
  "${PYTEST[@]}" -m packaging || failed=1
  "${PYTEST[@]}" -m "desktop and not unit" || failed=1
  exit "$failed" ) > test-results/lane-2.log 2>&1 &
lane2=$!
# PostgreSQL: every server module but the SQLite-only ones tests/conftest.py names, in three runs side by side
# (a test on PostgreSQL mostly waits for round trips: two halves side by side took 2:50 where one run took 5:17).
( failed=0
  "${PYTEST[@]}" -m cluster || failed=1
  parts 3 postgresql --database=postgresql tests/server tests/kayako_client || failed=1
  exit "$failed" ) > test-results/lane-3.log 2>&1 &
lane3=$!
"${PYTEST[@]}" -m "unit or server" || status=1
# The browser tier waits on Chromium and on the app's own timers far more than it computes (alone: 504 s of
# wall time for 308 s of CPU): two runs side by side.
parts 2 browser -m "e2e and not unit" || status=1
wait "$lane2" || status=1
echo "== lane 2: packaging, then desktop"
cat test-results/lane-2.log
wait "$lane3" || status=1
echo "== lane 3: cluster, then the server tier on PostgreSQL"
cat test-results/lane-3.log
exit "$status"
