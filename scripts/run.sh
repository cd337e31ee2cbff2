#!/usr/bin/env bash
# Quick start: set up, then run the desktop app on its embedded local chat server (first run: an account
# for you, the "This computer" tab, and "Open demo website" in the window's menu to chat with yourself).
# Options pass through to kayako-desktop, e.g. `scripts/run.sh --profile /tmp/try-kayako`.
# Without a graphical session (Linux with no DISPLAY / WAYLAND_DISPLAY, e.g. over SSH) it says so and runs
# the chat server with a demo agent instead, as before; options then pass to `kayako-desktop server`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" = "Linux" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  scripts/setup.sh
  echo "No graphical session here (DISPLAY / WAYLAND_DISPLAY is not set), so the desktop window cannot open."
  echo "Running the chat server with a demo agent instead; use the agent app in a browser with"
  echo "  .venv/bin/kayako-desktop --browser      (on a machine with a browser)"
  exec .venv/bin/kayako-desktop server --demo --data-dir "${KAYAKO_DATA_DIR:-./data}" "$@"
fi

scripts/setup.sh --desktop
exec .venv/bin/kayako-desktop "$@"
