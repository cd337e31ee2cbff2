"""The installer definitions: the workflow parses and has its jobs, the shell scripts parse, the icon and
.desktop entry are sound, and the Inno Setup script really compiles: the Inno Setup compiler pinned in
package-lock.json, run under Wine (installer/windows/compile.sh), with the Linux bundle as its payload.
Installing on Windows and macOS happens only on hosted runners (.github/workflows/installers.yml)."""

from __future__ import annotations

import configparser
import mmap
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from kayako_desktop import __version__

from tests.packaging import load_script
from tests.packaging.test_bundle import bundle, system_bundle  # noqa: F401  (fixtures: bundles of this tree)

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installer" / "windows" / "kayako-desktop.iss"
COMPILE = ROOT / "installer" / "windows" / "compile.sh"
APP_ID = "{{A053D1F2-FA1F-4AC5-8BC5-DF3B15BF8538}"  # never changes: upgrades and the uninstaller key on it
Compiled = tuple[subprocess.CompletedProcess[str], Path]


def test_workflow_builds_and_smoke_tests_on_every_platform() -> None:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8"))
    jobs = flow["jobs"]
    assert {job["runs-on"] for job in jobs.values()} == {"windows-latest", "macos-latest", "ubuntu-latest"}
    for name, job in jobs.items():
        scripts = " ".join(str(step.get("run", "")) for step in job["steps"])
        assert "build/build.py" in scripts and "--smoke" in scripts, name


def test_workflow_compiles_with_the_pinned_iscc_and_the_apps_version() -> None:
    """The Windows job's version command, run here, prints kayako_desktop.__version__; its ISCC is npm's."""
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8"))
    run = next(str(s["run"]) for s in flow["jobs"]["windows"]["steps"] if "ISCC.exe" in str(s.get("run", "")))
    command = re.search(r'\$version = python -c "([^"]+)"', run)
    assert command, run
    done = subprocess.run([sys.executable, "-c", command.group(1)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == __version__
    assert "npm ci" in run and r'$iscc = "node_modules\innosetup\bin\ISCC.exe"' in run
    assert r'& $iscc "/DAppVersion=$version" installer\windows\kayako-desktop.iss' in run


def test_shell_scripts_parse() -> None:
    for script in (ROOT / "installer").rglob("*.sh"):
        done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, f"{script}: {done.stderr}"


def test_inno_setup_script_keeps_its_app_id_and_takes_its_version_from_outside() -> None:
    iss = ISS.read_text(encoding="utf-8")
    assert f"AppId={APP_ID}\n" in iss
    assert "PrivilegesRequired=lowest" in iss
    assert re.search(r"#ifndef AppVersion\s+#error", iss), "no default version: never a 0.0.0 installer"
    assert not re.search(r"\b\d+\.\d+\.\d+\b", iss), "a version typed into the script"
    assert 'Source: "{#BundleDir}\\*"' in iss


def test_linux_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(ROOT / "installer" / "linux" / "kayako-desktop.desktop", encoding="utf-8")
    desk = entry["Desktop Entry"]
    assert desk["Type"] == "Application" and desk["Name"] == "Kayako Desktop"
    assert desk["Exec"].split()[0] == "kayako-desktop" and desk["Icon"] == "kayako-desktop"


def test_linux_icon_is_the_generated_one() -> None:
    icons = load_script(ROOT / "build" / "icons.py", "kayako_icons")
    svg = (ROOT / "installer" / "linux" / "kayako-desktop.svg").read_text(encoding="utf-8")
    assert svg == icons.svg_text(), "regenerate: python build/icons.py --svg installer/linux/kayako-desktop.svg"
    assert icons.png(16).startswith(b"\x89PNG") and icons.ico((16, 256))[:4] == b"\0\0\1\0"


# --- The Inno Setup script compiled for real: ISCC.exe from npm's innosetup under Wine (apt: wine, wine32:i386,
# which scripts/setup.sh --test installs; no skip when they are missing: compile.sh fails and says what to do).


def compile_iss(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """installer/windows/compile.sh: stdout carries ISCC's messages, stderr compile.sh's own."""
    return subprocess.run([str(COMPILE), *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=900)


def explain(done: subprocess.CompletedProcess[str]) -> str:
    return f"{shlex.join(map(str, done.args))} exited {done.returncode}\n{done.stdout}\n{done.stderr}"


def wine_path(path: Path) -> str:
    """How ISCC names a Linux path: drive Z: is / in a Wine prefix."""
    return "Z:" + str(path).replace("/", "\\")


@pytest.fixture(scope="module")
def payload(system_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:  # noqa: F811
    """The bundle without Qt — the Windows bundle's shape (a real one is built only on Windows) — as a
    hard-linked snapshot: made in an instant, taking no space, and unchanged if it is rebuilt while ISCC reads
    it. Removed afterwards (kept, it would hold on to a replaced bundle's files)."""
    snapshot = tmp_path_factory.mktemp("payload") / "kayako-desktop"
    try:
        shutil.copytree(system_bundle, snapshot, symlinks=True, copy_function=os.link)
    except (OSError, shutil.Error):  # another file system: read the bundle itself
        yield system_bundle
    else:
        yield snapshot
    shutil.rmtree(snapshot, ignore_errors=True)


@pytest.fixture(scope="module")
def compiled(payload: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Compiled]:
    """The real script compiled with the bundle as payload, stored uncompressed (`none`: a few seconds, plus
    ~10 s the first time for Wine's prefix; the script's own lzma2/max is what a release uses). The .exe is
    deleted afterwards (pytest keeps recent temporary folders)."""
    out = tmp_path_factory.mktemp("installer")
    yield compile_iss("--bundle", payload, "--output", out, "--compression", "none"), out
    shutil.rmtree(out, ignore_errors=True)


def version_resource(exe: mmap.mmap) -> tuple[tuple[int, ...], dict[str, str]]:
    """The setup loader's VS_VERSIONINFO: its fixed file version and three of its strings. The loader comes
    first in the file, so the first VS_FIXEDFILEINFO is its own, not one in the payload."""
    fixed = exe.find(struct.pack("<I", 0xFEEF04BD))
    assert 0 < fixed < 16 * 2**20, "no version resource in the setup loader"
    ms, ls = struct.unpack_from("<II", exe, fixed + 8)
    strings = {}
    for key in ("ProductName", "ProductVersion", "FileVersion"):
        name = key.encode("utf-16-le") + b"\0\0"
        at = exe.find(name, fixed)
        assert at > 0, key
        (chars,) = struct.unpack_from("<H", exe, at - 4)  # String: wLength, wValueLength (chars), wType, key
        start = (at + len(name) + 3) & ~3
        # Inno pads the loader's strings with spaces to the room it reserved.
        strings[key] = exe[start:start + 2 * chars].decode("utf-16-le").rstrip("\0").strip()
    return (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF), strings


def test_iscc_compiles_the_installer_with_the_bundle_as_payload(compiled: Compiled, payload: Path) -> None:
    done, out = compiled
    assert done.returncode == 0, explain(done)
    setup = out / f"kayako-desktop-{__version__}-setup.exe"
    assert "Successful compile" in done.stdout and done.stdout.splitlines()[-1] == f"setup: {setup}", explain(done)
    assert [p.name for p in out.iterdir()] == [setup.name]
    files = [p for p in payload.rglob("*") if p.is_file()]  # symbolic links followed, as ISCC does
    assert len(files) > 50
    with setup.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as exe:
        assert exe[:2] == b"MZ"
        (pe,) = struct.unpack_from("<I", exe, 0x3C)
        assert exe[pe:pe + 6] == b"PE\0\0\x4c\x01"  # a PE image for i386: Inno's setup loader
        # Stored, not compressed: all of the payload plus a loader of a few MB, the app's files verbatim.
        payload_size = sum(p.stat().st_size for p in files)
        assert payload_size <= len(exe) <= payload_size + 32 * 2**20, (len(exe), payload_size)
        for name in ("kayako_desktop/web/agent/index.html", "kayako_desktop/server/migrations/versions/0001_v1.sql"):
            assert exe.find((payload / "_internal" / name).read_bytes()) > 0, name


def test_installer_carries_the_apps_version(compiled: Compiled) -> None:
    done, out = compiled
    assert done.returncode == 0, explain(done)
    with (out / f"kayako-desktop-{__version__}-setup.exe").open("rb") as f, \
            mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as exe:
        fixed, strings = version_resource(exe)
    numbers = tuple(int(n) for n in __version__.split("."))
    assert fixed == numbers + (0,) * (4 - len(numbers))
    assert strings == {"ProductName": "Kayako Desktop", "ProductVersion": __version__, "FileVersion": __version__}


def test_script_finds_the_bundle_by_its_own_defaults(bundle: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    """As the Windows job calls it, with only /DAppVersion, the script's default payload (dist\\kayako-desktop
    of its checkout) resolves and every source file is found (ISCC /O-: parsed through, nothing written);
    the same script copied out of the checkout looks for the payload relative to itself, and fails."""
    done = compile_iss("--check")
    assert done.returncode == 0, explain(done)
    assert "Output was disabled" in done.stdout and done.stdout.splitlines()[-1] == "check: OK"
    elsewhere = tmp_path / "a" / "b" / "kayako-desktop.iss"
    elsewhere.parent.mkdir(parents=True)
    shutil.copy(ISS, elsewhere)
    done = compile_iss("--check", "--iss", elsewhere)
    assert done.returncode == 2, explain(done)
    missing = wine_path(elsewhere.parent) + r"\..\..\dist\kayako-desktop\*"
    assert f'No files found matching "{missing}"' in done.stdout, explain(done)


@pytest.fixture
def stand_in(tmp_path: Path) -> Path:
    """A tiny payload for the failing compiles: they must fail on the script, not for want of a bundle."""
    folder = tmp_path / "stand-in"
    folder.mkdir()
    (folder / "kayako-desktop.exe").write_bytes(b"MZ stand-in")
    return folder


# name: (a line of the script, what replaces it, ISCC's message; {bundle} is the payload's Windows path)
BREAKAGES = {
    "unknown directive": ("SolidCompression=yes\n", "SolidCompresion=yes\n",
                          'Unrecognized [Setup] section directive "SolidCompresion"'),
    "missing source file": ('Source: "{#BundleDir}\\*"', 'Source: "{#BundleDir}\\kayako-desktop.dll"',
                            'Source file "{bundle}\\kayako-desktop.dll" does not exist'),
    "unclosed #ifndef": ("#ifndef IconFile\n", "#ifndef IconFile\n#ifndef Nothing\n", "'endif' expected"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_broken_script_fails_the_compile_with_isccs_message(breakage: str, stand_in: Path, tmp_path: Path) -> None:
    """Proof that the compile can fail: a copy of the script broken one way, and ISCC's error surfaced."""
    find, replace, message = BREAKAGES[breakage]
    text = ISS.read_text(encoding="utf-8")
    assert text.count(find) == 1, find
    broken = tmp_path / "broken.iss"
    broken.write_text(text.replace(find, replace), encoding="utf-8")
    out = tmp_path / "out"
    done = compile_iss("--iss", broken, "--bundle", stand_in, "--output", out)
    assert done.returncode == 2, explain(done)  # ISCC's "compile failed"
    error = f"in {wine_path(broken)}: {message.format(bundle=wine_path(stand_in))}"
    assert re.search(r"^Error on line \d+ " + re.escape(error) + r"\.?$", done.stdout, re.M), explain(done)
    assert f"compile.sh: ISCC failed (exit code 2) compiling {broken}" in done.stderr
    assert list(out.iterdir()) == []


def test_a_missing_payload_fails_the_compile(tmp_path: Path) -> None:
    done = compile_iss("--bundle", tmp_path / "no-bundle", "--output", tmp_path / "out")
    assert done.returncode == 2, explain(done)
    error = f'in {wine_path(ISS)}: No files found matching "{wine_path(tmp_path / "no-bundle")}\\*"'
    assert re.search(r"^Error on line \d+ " + re.escape(error) + r"\.?$", done.stdout, re.M), explain(done)
