#!/usr/bin/env bash
# macOS: build "Kayako Desktop.app" (PyInstaller's BUNDLE step in build/kayako-desktop.spec), sign it ad hoc
# and wrap it in dist/kayako-desktop-<version>.dmg with an /Applications link for drag-and-drop install.
# Usage: installer/macos/build_app.sh [--skip-build]     (PYTHON=... to choose the interpreter)
# Ad hoc signing lets the app run on the machine that built it and on Apple silicon; distributing to other
# Macs without Gatekeeper warnings needs a Developer ID signature and notarisation (not done here).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
cd "$ROOT"

if [[ "${1:-}" != "--skip-build" ]]; then
    "$PYTHON" build/build.py --backend system
fi

APP="$ROOT/dist/Kayako Desktop.app"
if [[ ! -d "$APP" ]]; then
    echo "error: $APP not found; build/build.py makes it on macOS" >&2
    exit 1
fi
VERSION="$("$PYTHON" -c 'import kayako_desktop; print(app.__version__)')"

codesign --force --deep -s - "$APP"
codesign --verify --deep --strict --verbose=1 "$APP"

STAGE="$ROOT/.cache/dmg"
rm -rf "$STAGE"
mkdir -p "$STAGE"
ditto "$APP" "$STAGE/Kayako Desktop.app"
ln -s /Applications "$STAGE/Applications"

DMG="$ROOT/dist/kayako-desktop-$VERSION.dmg"
rm -f "$DMG"
# hdiutil now and then fails with "Resource busy" on CI runners; a retry is the usual cure.
for attempt in 1 2 3; do
    if hdiutil create -volname "Kayako Desktop" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"; then
        break
    fi
    if [[ $attempt == 3 ]]; then
        echo "error: hdiutil create failed three times" >&2
        exit 1
    fi
    sleep 5
done
rm -rf "$STAGE"
echo "dmg: $DMG ($(du -h "$DMG" | cut -f1))"
