"""The PyInstaller bundle, built once per source tree: it runs its own --smoke check, knows its version,
carries the web assets, and (Linux, Qt) every Qt library its files link against."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from kayako_desktop import __version__

from tests.packaging import load_script

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
EXE = DIST / "kayako-desktop" / ("kayako-desktop.exe" if sys.platform == "win32" else "kayako-desktop")


def load_build_script() -> ModuleType:
    return load_script(ROOT / "build" / "build.py", "kayako_build")


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    """The stamp of a bundle built from exactly this tree: reused when dist/ already has one, else built
    (about a minute with the Qt backend on Linux)."""
    builder = load_build_script()
    backend = builder.default_backend()
    stamp = builder.read_stamp(DIST)
    if (not stamp or stamp.get("source") != builder.source_hash() or stamp.get("backend") != backend
            or not EXE.is_file()):
        stamp = builder.build(backend, distpath=DIST)
    return stamp


@pytest.fixture(scope="module")
def system_bundle() -> Path:
    """The bundle without Qt (the shape of the Windows and macOS builds, which use the OS webview), built into
    .cache/dist-system the same way (reused while the sources are unchanged)."""
    builder = load_build_script()
    distpath = ROOT / ".cache" / "dist-system"
    stamp = builder.read_stamp(distpath)
    folder = distpath / "kayako-desktop"
    if not stamp or stamp.get("source") != builder.source_hash() or not (folder / EXE.name).is_file():
        builder.build("system", distpath=distpath)
    return folder


def smoke_from_elsewhere(folder: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Move the whole bundle folder somewhere else (as a user unpacking it anywhere would), run --smoke there
    from an unrelated working folder, and move it back."""
    moved = ROOT / ".cache" / "moved-bundle" / "somewhere else" / folder.name
    shutil.rmtree(moved.parent.parent, ignore_errors=True)
    moved.parent.mkdir(parents=True)
    folder.rename(moved)
    try:
        work = tmp_path / "work"
        work.mkdir()
        return subprocess.run([str(moved / EXE.name), "--smoke"], capture_output=True, text=True, timeout=120,
                              cwd=work, env=clean_env())
    finally:
        moved.rename(folder)
        shutil.rmtree(moved.parent.parent, ignore_errors=True)


def clean_env(**extra: str) -> dict[str, str]:
    """This environment minus PYTHON* variables: the bundle must not need (or see) the dev Python."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}, **extra}


def run_bundle(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=clean_env())


def test_bundle_checks_itself_with_smoke(bundle: dict[str, Any], tmp_path: Path) -> None:
    done = run_bundle("--smoke", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke: OK: chat server, bridge and web assets work" in done.stdout
    assert list(tmp_path.iterdir()) == []  # nothing left behind in the working folder


def test_bundle_runs_from_a_copy_moved_to_another_folder(bundle: dict[str, Any], tmp_path: Path) -> None:
    done = smoke_from_elsewhere(EXE.parent, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke: OK: chat server, bridge and web assets work" in done.stdout
    assert str(ROOT) not in done.stdout + done.stderr  # nothing from the build machine's checkout


def test_the_bundle_without_qt_is_at_most_60_mb_and_runs_from_anywhere(system_bundle: Path, tmp_path: Path) -> None:
    builder = load_build_script()
    size_mb = builder.folder_size(system_bundle) / 2**20
    assert size_mb <= 60, f"{size_mb:.1f} MB (bench/bundle.py lists what is inside by size)"
    assert not (system_bundle / "_internal" / "PyQt6").exists()
    done = smoke_from_elsewhere(system_bundle, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke: OK" in done.stdout


def test_bundle_prints_its_version(bundle: dict[str, Any]) -> None:
    done = run_bundle("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"kayako-desktop {__version__}"


def test_bundle_carries_the_web_assets_and_the_files_beside_the_code(bundle: dict[str, Any]) -> None:
    internal = EXE.parent / "_internal"
    web = internal / "kayako_desktop" / "web"
    assert (web / "agent" / "index.html").is_file()
    assert (web / "messenger" / "loader.js").is_file()
    assert (web / "shared" / "protocol.js").is_file()
    beside_code = [p.relative_to(ROOT / "app") for p in (ROOT / "app" / "kayako_desktop").rglob("*") if p.is_file()
                   and p.suffix not in (".py", ".pyc") and p.name != "README.md" and "__pycache__" not in p.parts]
    assert Path("kayako_desktop/server/migrations/versions/0001_v1.sql") in beside_code
    assert [p for p in beside_code if not (internal / p).is_file()] == []


def test_bundle_leaves_out_test_and_server_only_packages(bundle: dict[str, Any]) -> None:
    internal = EXE.parent / "_internal"
    for name in ("pytest", "hypothesis", "schemathesis", "playwright", "mypy", "gevent", "tkinter", "numpy",
                 "gunicorn", "build", "twine"):
        assert not (internal / name).exists(), name


if sys.platform.startswith("linux"):

    def test_every_qt_library_the_bundle_links_is_inside_it(bundle: dict[str, Any]) -> None:
        """The spec drops QML-only Qt libraries; ldd proves nothing that stays needs one of them."""
        qt = EXE.parent / "_internal" / "PyQt6"
        assert bundle["backend"] == "qt" and (qt / "Qt6" / "libexec" / "QtWebEngineProcess").is_file()
        files = [p for p in qt.rglob("*") if p.is_file() and (".so" in p.name or p.name == "QtWebEngineProcess")]
        missing = set()
        for path in files:
            out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
            missing |= {f"{path.name} -> {m}" for m in re.findall(r"(libQt6\S+) => not found", out)}
        assert len(files) > 50
        assert not missing

    def test_linux_install_script_installs_and_removes_the_app(bundle: dict[str, Any], tmp_path: Path) -> None:
        env = clean_env(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "share"))
        script = str(ROOT / "installer" / "linux" / "install.sh")
        done = subprocess.run([script], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        command = tmp_path / ".local" / "bin" / "kayako-desktop"
        version = subprocess.run([str(command), "--version"], capture_output=True, text=True, env=env, timeout=60)
        assert version.stdout.strip() == f"kayako-desktop {__version__}"
        entry = (tmp_path / "share" / "applications" / "kayako-desktop.desktop").read_text(encoding="utf-8")
        assert f"Exec={tmp_path}/.local/opt/kayako-desktop/kayako-desktop\n" in entry
        assert (tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "kayako-desktop.svg").is_file()
        done = subprocess.run([script, "--uninstall"], capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert not command.exists() and not (tmp_path / ".local" / "opt" / "kayako-desktop").exists()
