"""What can be checked here of the installer definitions that only run on Windows and macOS runners:
the workflow parses and has its jobs, the shell scripts parse, the icon and .desktop entry are sound."""

from __future__ import annotations

import configparser
import importlib.util
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_workflow_builds_and_smoke_tests_on_every_platform() -> None:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8"))
    jobs = flow["jobs"]
    assert {job["runs-on"] for job in jobs.values()} == {"windows-latest", "macos-latest", "ubuntu-latest"}
    for name, job in jobs.items():
        scripts = " ".join(str(step.get("run", "")) for step in job["steps"])
        assert "build/build.py" in scripts and "--smoke" in scripts, name


def test_shell_scripts_parse() -> None:
    for script in (ROOT / "installer").rglob("*.sh"):
        done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, f"{script}: {done.stderr}"


def test_inno_setup_script_names_the_bundle_and_the_version_define() -> None:
    iss = (ROOT / "installer" / "windows" / "kayako-desktop.iss").read_text(encoding="utf-8")
    assert '#ifndef AppVersion' in iss and "{#AppVersion}" in iss
    assert "PrivilegesRequired=lowest" in iss
    assert r"dist\kayako-desktop\*" in iss


def test_linux_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(ROOT / "installer" / "linux" / "kayako-desktop.desktop", encoding="utf-8")
    desk = entry["Desktop Entry"]
    assert desk["Type"] == "Application" and desk["Name"] == "Kayako Desktop"
    assert desk["Exec"].split()[0] == "kayako-desktop" and desk["Icon"] == "kayako-desktop"


def test_linux_icon_is_the_generated_one() -> None:
    spec = importlib.util.spec_from_file_location("kayako_icons", ROOT / "build" / "icons.py")
    assert spec and spec.loader
    icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(icons)
    svg = (ROOT / "installer" / "linux" / "kayako-desktop.svg").read_text(encoding="utf-8")
    assert svg == icons.svg_text(), "regenerate: python build/icons.py --svg installer/linux/kayako-desktop.svg"
    assert icons.png(16).startswith(b"\x89PNG") and icons.ico((16, 256))[:4] == b"\0\0\1\0"
