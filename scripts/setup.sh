#!/usr/bin/env bash
# Prepare a fresh Debian machine: system packages when missing, then .venv with the project installed.
# Safe to run again: it only does what is missing. Used by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# Usage: setup.sh [--desktop | --test]   (--desktop: the window's system libraries; --test: everything the
# tests drive, the window's libraries included).
mode="${1:-}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
need_apt=()
want() { for pkg in "$@"; do installed "$pkg" || need_apt+=("$pkg"); done; }
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if command -v dpkg-query >/dev/null && { [ "$mode" = "--desktop" ] || [ "$mode" = "--test" ]; }; then
  # The Qt window's X11 runtime libraries (a desktop Debian has most; libxcb-cursor0 often not).
  want libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 \
       libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libnss3 libxcomposite1 libxdamage1 \
       libxrandr2 libxtst6 libasound2
fi
if [ "$mode" = "--test" ]; then
  # Browser tests drive Debian's Chromium headless shell (Playwright's own browser download is not used);
  # bench/ui_idle.py measures the agent UI on the full browser. Desktop-window
  # tests: a virtual screen, a notification daemon and a keyring on a private D-Bus session, xdotool for
  # native drag-drop, imagemagick for screenshots.
  # Both together when either is missing: they share chromium-common, which must be the same version.
  { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromium-headless-shell ]; } || need_apt+=(chromium chromium-headless-shell)
  want xvfb xdotool xclip imagemagick dbus dbus-x11 dunst gnome-keyring gcr
  # Multi-node tests: the event bus and presence on a real Redis, nodes behind a real HAProxy, schemas in a
  # real PostgreSQL (each test session starts its own, on free ports).
  want redis-server haproxy postgresql
  # tsc checks the JSDoc types over web/ (the TypeScript package comes from npm, pinned in package-lock.json).
  command -v npm >/dev/null || need_apt+=(nodejs npm)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing system packages: ${need_apt[*]}"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

# The Windows installer script is compiled for real under Wine (installer/windows/compile.sh, tested in
# tests/packaging/test_installers.py). ISCC.exe is a 32-bit program: Wine's i386 loader, hence the i386
# architecture; no recommends (fonts, GStreamer, Mesa: ~100 MB more that a console compiler does not use).
if [ "$mode" = "--test" ] && command -v dpkg-query >/dev/null; then
  need_wine=()
  for pkg in wine wine32:i386; do installed "$pkg" || need_wine+=("$pkg"); done
  if [ ${#need_wine[@]} -gt 0 ]; then
    echo "Installing Wine for the Windows installer's compile: ${need_wine[*]}"
    dpkg --print-foreign-architectures | grep -qx i386 || $SUDO dpkg --add-architecture i386
    # A mirror caught mid-sync can fail one of the new i386 lists; go on with the lists it did get.
    $SUDO apt-get update -qq || echo "apt-get update reported errors; trying with the package lists it got"
    apt_install() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; }
    # Without the security suite's i386 list, the 32-bit libraries must come from the release itself, and the
    # 64-bit ones move to the same version (they must match across architectures).
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
    apt_install "${need_wine[@]}" || { [ -n "$codename" ] && apt_install -t "$codename" "${need_wine[@]}"; }
  fi
fi

python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "Python 3.11 or newer is required (found $(python3 --version))" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv"
  python3 -m venv .venv
fi
# Python packages: exactly the locked, hashed set in requirements/lock.txt (the same for the app, the server,
# the bundle and the tests), installed by uv from its cache in .cache/uv, then this checkout on top
# (editable, no dependencies of its own). Re-lock after editing pyproject.toml: scripts/lock.sh.
stamp=.venv/.installed-$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "Installing Python packages into .venv from requirements/lock.txt"
  scripts/setup-uv.sh
  export UV_CACHE_DIR="$PWD/.cache/uv"
  # install resolves (so uv's cache also holds every package's metadata: tests/packaging installs the built
  # wheel offline from it), sync then removes anything the lock no longer has.
  .cache/tools/bin/uv pip install --quiet --require-hashes --python .venv/bin/python -r requirements/lock.txt
  .cache/tools/bin/uv pip sync --quiet --require-hashes --python .venv/bin/python requirements/lock.txt
  .cache/tools/bin/uv pip install --quiet --no-deps --python .venv/bin/python -e .
  rm -f .venv/.installed-*
  touch "$stamp"
fi

if [ "$mode" = "--test" ]; then
  npm_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
  if [ ! -f "$npm_stamp" ]; then
    echo "Installing the web type checker into node_modules (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    touch "$npm_stamp"
  fi
fi
