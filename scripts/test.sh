#!/usr/bin/env bash
# Set up, then run every check: the protocol's generated JS is fresh, the JSDoc types over web/ (tsc), lint,
# and the whole pytest suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k routing -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/python -m kayako_desktop.protocol.codegen --check
node_modules/.bin/tsc -p jsconfig.json
.venv/bin/ruff check app tests bench
.venv/bin/mypy --strict --follow-imports=silent app/kayako_desktop/protocol app/kayako_desktop/server app/kayako_desktop/bridge app/kayako_desktop/desktop
.venv/bin/python -m pytest "$@"
