#!/usr/bin/env bash
# Compile installer/windows/kayako-desktop.iss here on Linux: the real Inno Setup compiler (ISCC.exe from the
# npm package `innosetup`, pinned in package-lock.json) under Debian's Wine, so a syntax or path error in the
# script fails tests/packaging/test_installers.py instead of the Windows release job.
#
# Usage: installer/windows/compile.sh [--bundle DIR] [--output DIR] [--iss FILE] [--compression VALUE] [--check]
#   --bundle       the payload (default dist/kayako-desktop: the Linux bundle here, the Windows one there)
#   --output       where the setup .exe goes (default dist/installer)
#   --iss          the script to compile (default installer/windows/kayako-desktop.iss)
#   --compression  Inno's Compression value (default the script's lzma2/max, minutes for the Linux bundle;
#                  the test passes `none`)
#   --check        write nothing (ISCC /O-) but parse everything and find every source file; without
#                  --bundle, the script's own default paths, as the Windows job calls it (only /DAppVersion)
# The version is kayako_desktop.__version__, read through $PYTHON (default .venv/bin/python).
# Needs: wine with wine32:i386 (ISCC.exe is a 32-bit program; scripts/setup.sh --test installs them) and
# node_modules (npm ci). Wine's prefix is $WINEPREFIX (default .cache/wine, made on first use in ~10 s).
# Prints ISCC's messages (less the per-file lines) and, on success, `setup: <path of the .exe>` last
# (with --check: `check: OK`).
# Exit status: ISCC's (0 compiled, 1 bad command line, 2 compile failed), or 1 when something is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bundle=""
output="$root/dist/installer"
iss="$root/installer/windows/kayako-desktop.iss"
defines=()
check=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) bundle="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --iss) iss="$2"; shift 2 ;;
    --compression) defines+=("/DCompression=$2"); shift 2 ;;
    --check) check=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compile.sh: unknown argument: $1 (see --help)" >&2; exit 1 ;;
  esac
done

python="${PYTHON:-$root/.venv/bin/python}"
iscc="${ISCC:-$root/node_modules/innosetup/bin/ISCC.exe}"
[ -f "$iscc" ] || { echo "compile.sh: no $iscc: run npm ci" >&2; exit 1; }
command -v wine >/dev/null || {
  echo "compile.sh: no wine: apt-get install wine wine32:i386 (after dpkg --add-architecture i386)," \
       "or scripts/setup.sh --test" >&2; exit 1; }
[ -f "$iss" ] || { echo "compile.sh: no $iss" >&2; exit 1; }
version="$("$python" -c 'import kayako_desktop; print(kayako_desktop.__version__)')"
icon="$root/.cache/icons/kayako-desktop.ico"  # build/build.py writes it; made here when the bundle was not
[ -f "$icon" ] || "$python" "$root/build/icons.py" "$root/.cache/icons"
log="$(mktemp)"
scratch=""
trap 'rm -rf "$log" ${scratch:+"$scratch"}' EXIT
if [ -n "$check" ]; then  # ISCC /O- still makes the output folder: a temporary one
  scratch="$(mktemp -d)"
  output="$scratch"
fi
mkdir -p "$output"

# Headless and quiet: no screen (ISCC is a console program), no debug chatter, and no offer to download
# Wine's Mono or Gecko into a new prefix.
unset DISPLAY WAYLAND_DISPLAY
export WINEPREFIX="${WINEPREFIX:-$root/.cache/wine}" WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
mkdir -p "$WINEPREFIX"

# Windows paths for ISCC (Z:\ is the Linux root in a Wine prefix), all absolute, so a copy of the script
# elsewhere (the test's deliberately broken one) compiles against the same payload.
if [ -z "$check" ] || [ -n "$bundle" ]; then
  mapfile -t win < <(winepath -w "$(realpath -m "${bundle:-$root/dist/kayako-desktop}")" "$icon")
  [ ${#win[@]} -eq 2 ] || { echo "compile.sh: winepath failed (WINEPREFIX=$WINEPREFIX)" >&2; exit 1; }
  defines+=("/DBundleDir=${win[0]}" "/DIconFile=${win[1]}")
fi
mapfile -t win < <(winepath -w "$(realpath "$output")" "$(realpath "$iss")")
[ ${#win[@]} -eq 2 ] || { echo "compile.sh: winepath failed (WINEPREFIX=$WINEPREFIX)" >&2; exit 1; }
defines+=("/O${win[0]}")  # with --check, /O- after it: nothing written
[ -z "$check" ] || defines+=("/O-")

status=0
wine "$iscc" "/DAppVersion=$version" "${defines[@]}" "${win[1]}" 2>&1 | tr -d '\r' | tee "$log" \
  | grep -v -e '^   Compressing: ' -e '^Parsing \[' || status=$?  # pipefail: wine's status, ISCC's exit code
if [ "$status" -ne 0 ]; then
  echo "compile.sh: ISCC failed (exit code $status) compiling $iss" >&2
  [ "$status" -le 2 ] || echo "compile.sh: (not an ISCC exit code: did Wine start it? ISCC.exe is 32-bit," \
    "it needs wine32:i386)" >&2
  exit "$status"
fi
if [ -n "$check" ]; then
  grep -q '^Successful compile .*Output was disabled' "$log" || { echo "compile.sh: no check done" >&2; exit 1; }
  echo "check: OK"
  exit 0
fi
# ISCC's last words: "Successful compile (N sec). Resulting Setup program filename is:" and the path.
exe="$(grep -A1 '^Successful compile' "$log" | sed -n 2p)"
[ -n "$exe" ] || { echo "compile.sh: ISCC exited 0 but named no setup program" >&2; exit 1; }
echo "setup: $(winepath -u "$exe")"
