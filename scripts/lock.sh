#!/usr/bin/env bash
# Re-lock every Python dependency (the app, the server, the desktop, the tests, the bundle) after editing
# pyproject.toml: `scripts/lock.sh`, or `scripts/lock.sh --upgrade` / `--upgrade-package NAME` to move
# versions on. Writes requirements/lock.txt: one hashed, pinned set for every platform (Linux, Windows,
# macOS) and Python >= 3.11, which scripts/setup.sh installs exactly and tests/packaging/test_lock.py
# checks against pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-uv.sh
.cache/tools/bin/uv pip compile pyproject.toml --all-extras --universal --generate-hashes \
  --python-version 3.11 --custom-compile-command "scripts/lock.sh" --quiet "$@" -o requirements/lock.txt
python3 scripts/lockhash.py >> requirements/lock.txt
echo "requirements/lock.txt: $(grep -c '==' requirements/lock.txt) pinned packages"
