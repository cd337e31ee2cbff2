#!/usr/bin/env bash
# Quick start: set up, then run the chat server with a demo agent and print the URL and login.
# Options pass through, e.g. `scripts/run.sh --port 9000 --host 0.0.0.0`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/kayako-desktop server --demo --data-dir "${KAYAKO_DATA_DIR:-./data}" "$@"
