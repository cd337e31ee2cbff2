"""What the desktop bundle weighs, and what it is made of.

    .venv/bin/python bench/bundle.py [--backend system|qt] [--top 25]

Builds (or reuses, while the sources are unchanged) the one-folder PyInstaller bundle — `system` is the shape
of the Windows and macOS builds (no Qt: the OS webview), `qt` the Linux one — and prints its size on disk and
gzipped (what a download costs), then everything inside by size: the files and folders of `_internal/` and,
inside the executable's archive, the pure-Python modules grouped by top-level package. The reference, built
in the same run with the same Python and PyInstaller options: a bundle of a script that only prints
"hello" (the floor any PyInstaller app pays). Prints numbers; never passes or fails.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
DISTS = {"system": ROOT / ".cache" / "dist-system", "qt": ROOT / "dist"}


def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kayako_build", ROOT / "build" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mb(n: float) -> str:
    return f"{n / 2**20:7.1f} MB"


def disk_size(path: Path) -> int:
    if path.is_file():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def gzipped_size(folder: Path) -> int:
    """The folder as a .tar.gz (level 6), the way a download or an installer's compression roughly costs."""
    class Counting(io.RawIOBase):
        n = 0

        def writable(self) -> bool:
            return True

        def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
            self.n += len(data)
            return len(data)

    sink = Counting()
    with gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=6) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        tar.add(folder, arcname=folder.name)
    return sink.n


def archive_packages(exe: Path) -> Counter[str]:
    """Compressed bytes of the pure-Python modules inside the executable's PYZ, by top-level package."""
    from PyInstaller.archive.readers import CArchiveReader

    pyz = CArchiveReader(str(exe)).open_embedded_archive("PYZ.pyz")
    sizes: Counter[str] = Counter()
    for name, entry in pyz.toc.items():
        sizes[name.split(".")[0]] += entry[-1]
    return sizes


def hello_bundle(work: Path) -> Path:
    script = work / "hello.py"
    script.write_text("print('hello')\n")
    subprocess.run([sys.executable, "-m", "PyInstaller", str(script), "--noconfirm", "--log-level", "ERROR",
                    "--strip", "--workpath", str(work / "w"), "--distpath", str(work / "d"), "--specpath",
                    str(work)], check=True, capture_output=True)
    return work / "d" / "hello"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("system", "qt"), default="system")
    parser.add_argument("--top", type=int, default=25, help="how many of the largest parts to list")
    args = parser.parse_args()

    build = builder()
    distpath = DISTS[args.backend]
    stamp = build.read_stamp(distpath)
    folder = distpath / "kayako-desktop"
    if not stamp or stamp.get("source") != build.source_hash() or stamp.get("backend") != args.backend:
        print(f"building the {args.backend} bundle into {distpath} ...", flush=True)
        build.build(args.backend, distpath=distpath)
    exe = folder / ("kayako-desktop.exe" if sys.platform == "win32" else "kayako-desktop")

    with tempfile.TemporaryDirectory() as tmp:
        print("building the reference (a bundle of print('hello')) ...", flush=True)
        hello = hello_bundle(Path(tmp))
        ref_disk, ref_gz = disk_size(hello), gzipped_size(hello)

    disk, gz = disk_size(folder), gzipped_size(folder)
    print(f"\n{'':34} {'kayako-desktop':>16} {'hello (reference)':>18}")
    print(f"{'on disk':34} {mb(disk):>16} {mb(ref_disk):>18}")
    print(f"{'gzipped (tar.gz -6)':34} {mb(gz):>16} {mb(ref_gz):>18}")
    print(f"{'goal (system backend, on disk)':34} {'<= 60 MB':>16}")

    parts: Counter[str] = Counter()
    internal = folder / "_internal"
    for child in internal.iterdir():
        parts[f"_internal/{child.name}"] = disk_size(child)
    parts[f"{exe.name} (executable + PYZ archive)"] = disk_size(exe)
    print(f"\nlargest parts on disk ({len(parts)} in all):")
    for name, size in parts.most_common(args.top):
        print(f"  {mb(size)}  {name}")
    rest = sum(size for _, size in parts.most_common()[args.top:])
    print(f"  {mb(rest)}  the other {max(0, len(parts) - args.top)}")

    packages = archive_packages(exe)
    print(f"\npure-Python modules in the executable's archive, compressed ({mb(sum(packages.values())).strip()}):")
    for name, size in packages.most_common(15):
        print(f"  {mb(size)}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
