#!/usr/bin/env bash
# Quick start: set up, then run the desktop app on its embedded local chat server (first run: an account
# for you, the "This computer" tab, and "Open demo website" in the window's menu to chat with yourself).
# Options pass through to kayako-desktop, e.g. `scripts/run.sh --profile /tmp/try-kayako`.
# Without a graphical session (Linux with no DISPLAY / WAYLAND_DISPLAY, e.g. over SSH) it says so and runs
# the chat server with a demo agent instead, as before; options then pass to `kayako-desktop server`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

if [ "$(uname -s)" = "Linux" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No graphical session here (DISPLAY / WAYLAND_DISPLAY is not set), so the desktop window cannot open."
  echo "Running the chat server with a demo agent instead; use the agent app in a browser with"
  echo "  .venv/bin/kayako-desktop --browser      (on a machine with a browser)"
  exec .venv/bin/kayako-desktop server --demo --data-dir "${KAYAKO_DATA_DIR:-./data}" "$@"
fi

if [ "$(uname -s)" = "Linux" ] && command -v dpkg-query >/dev/null; then
  # The Qt window's X11/Wayland runtime libraries (a desktop Debian has most; libxcb-cursor0 often not).
  need_apt=()
  for pkg in libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 \
             libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libnss3 libxcomposite1 libxdamage1 \
             libxrandr2 libxtst6 libasound2; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
  done
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "Installing the desktop window's system libraries: ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  fi
fi

exec .venv/bin/kayako-desktop "$@"
