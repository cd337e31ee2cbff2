#!/usr/bin/env bash
# Per-user install of the Linux bundle: dist/kayako-desktop/ -> ~/.local/opt/kayako-desktop, the command
# ~/.local/bin/kayako-desktop, the menu entry and its icon. `install.sh --uninstall` removes them again.
# Honours XDG_DATA_HOME; needs no root. Build the bundle first: python build/build.py
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUNDLE="$ROOT/dist/kayako-desktop"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
OPT="$HOME/.local/opt/kayako-desktop"
BIN="$HOME/.local/bin/kayako-desktop"
DESKTOP="$DATA/applications/kayako-desktop.desktop"
ICON="$DATA/icons/hicolor/scalable/apps/kayako-desktop.svg"

if [[ "${1:-}" == "--uninstall" ]]; then
    rm -rf "$OPT"
    rm -f "$BIN" "$DESKTOP" "$ICON"
    echo "Kayako Desktop removed (your settings and chat data are kept)."
    exit 0
fi

if [[ ! -x "$BUNDLE/kayako-desktop" ]]; then
    echo "error: no bundle at $BUNDLE; build it first: python build/build.py" >&2
    exit 1
fi
mkdir -p "$(dirname "$OPT")" "$(dirname "$BIN")" "$(dirname "$DESKTOP")" "$(dirname "$ICON")"
rm -rf "$OPT.new"
cp -a "$BUNDLE" "$OPT.new"
rm -rf "$OPT"
mv "$OPT.new" "$OPT"
ln -sfn "$OPT/kayako-desktop" "$BIN"
# Exec= names the command on PATH; write the absolute path so the menu works without ~/.local/bin on it.
sed "s|^Exec=kayako-desktop|Exec=$OPT/kayako-desktop|" "$ROOT/installer/linux/kayako-desktop.desktop" > "$DESKTOP"
cp "$ROOT/installer/linux/kayako-desktop.svg" "$ICON"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
echo "Kayako Desktop installed: $BIN (menu entry: $DESKTOP)"
