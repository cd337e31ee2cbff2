"""Build the one-folder desktop bundle: `python build/build.py [--clean] [--backend qt|system]`.

PyInstaller's work files go to .cache/pyinstaller/<backend> (never ./build, which holds this script),
the bundle to dist/kayako-desktop/ (plus dist/Kayako Desktop.app on macOS). Prints the bundle's path,
size and build time, and leaves dist/kayako-desktop.build.json saying which sources it was built from."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build" / "kayako-desktop.spec"
CACHE = ROOT / ".cache"
SOURCES = ("app", "web", "build")
STAMP = "kayako-desktop.build.json"
NAME = "kayako-desktop"


def default_backend() -> str:
    """Qt (PyQt6 + QtWebEngine inside) on Linux; the OS webview elsewhere (WebView2, WKWebView)."""
    return "qt" if sys.platform.startswith("linux") else "system"


def source_hash() -> str:
    """A digest of everything that goes into the bundle: app/, web/, build/, Python and PyInstaller."""
    import PyInstaller

    digest = hashlib.sha256(f"{sys.version}|{PyInstaller.__version__}".encode())
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def folder_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def read_stamp(distpath: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((distpath / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def build(backend: str, *, clean: bool = False, distpath: Path = ROOT / "dist", quiet: bool = True) -> dict[str, Any]:
    """Run PyInstaller on the spec and return the stamp it leaves beside the bundle."""
    sys.path.insert(0, str(ROOT / "build"))
    import icons  # build/icons.py: the .ico/.icns/.png the spec points at

    source = source_hash()
    (distpath / STAMP).unlink(missing_ok=True)  # a failed build must not look like a finished one
    started = time.monotonic()
    icons.write_all(CACHE / "icons")
    workpath = CACHE / "pyinstaller" / backend
    if clean:
        shutil.rmtree(workpath, ignore_errors=True)
    cmd = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--workpath", str(workpath),
           "--distpath", str(distpath), "--log-level", "WARN" if quiet else "INFO"]
    if clean:
        cmd.append("--clean")
    env = dict(os.environ, KAYAKO_BACKEND=backend, KAYAKO_ICONS=str(CACHE / "icons"))
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)
    bundle = distpath / NAME
    stamp = {"source": source, "backend": backend, "platform": sys.platform, "bundle": str(bundle),
             "seconds": round(time.monotonic() - started, 1), "size_mb": round(folder_size(bundle) / 2**20, 1)}
    (distpath / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    return stamp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="start from an empty PyInstaller cache")
    parser.add_argument("--backend", choices=("qt", "system"), default=default_backend(),
                        help="qt: bundle PyQt6 + QtWebEngine; system: no Qt, the OS webview (default here: "
                             f"{default_backend()})")
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist", help="where the bundle goes (default dist/)")
    parser.add_argument("--verbose", action="store_true", help="PyInstaller's INFO log instead of warnings only")
    args = parser.parse_args(argv)
    try:
        stamp = build(args.backend, clean=args.clean, distpath=args.distpath.resolve(), quiet=not args.verbose)
    except subprocess.CalledProcessError as exc:
        sys.stderr.write(f"build failed: PyInstaller exited with code {exc.returncode}\n")
        return 1
    lines = [f"bundle: {stamp['bundle']}",
             f"size:   {stamp['size_mb']} MB ({stamp['backend']} backend, {sys.platform})",
             f"time:   {stamp['seconds']} s"]
    app = args.distpath.resolve() / "Kayako Desktop.app"
    if sys.platform == "darwin" and app.exists():
        lines.append(f"app:    {app}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
