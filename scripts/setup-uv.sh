#!/usr/bin/env bash
# The installer itself: uv, pinned with hashes in requirements/uv.txt, in .cache/tools (outside .venv, so
# syncing .venv to the lock never removes it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .cache/tools/bin/uv ] || ! cmp -s requirements/uv.txt .cache/tools/.uv.txt; then
  python3 -m venv --clear .cache/tools
  .cache/tools/bin/python -m pip install -q --no-deps --require-hashes -r requirements/uv.txt
  cp requirements/uv.txt .cache/tools/.uv.txt
fi
