"""requirements/lock.txt is the one set of Python packages the suite, the server, the bundle and the wheel's
users get: fresh against pyproject.toml (a dependency edited without `scripts/lock.sh` fails here), hashed,
and exactly what this test run has installed."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path
from types import ModuleType

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.packaging import load_script

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(?: ; (.+?))? \\$")


def load_lockhash() -> ModuleType:
    return load_script(ROOT / "scripts" / "lockhash.py", "lockhash")


def pins() -> list[tuple[str, Version, Marker | None, int]]:
    """(name, version, marker, number of hashes) for every package in the lock."""
    out: list[tuple[str, Version, Marker | None, int]] = []
    for line in LOCK.read_text().splitlines():
        if found := PIN.match(line):
            name, version, marker = found.groups()
            out.append((canonicalize_name(name), Version(version), Marker(marker) if marker else None, 0))
        elif line.strip().startswith("--hash=sha256:") and out:
            name, version, marker, hashes = out[-1]
            out[-1] = (name, version, marker, hashes + 1)
    return out


def test_the_lock_was_made_from_this_pyproject() -> None:
    lockhash = load_lockhash()
    assert lockhash.recorded(LOCK) == lockhash.fingerprint(ROOT / "pyproject.toml"), (
        "pyproject.toml's dependencies changed since requirements/lock.txt was made: run scripts/lock.sh")


def test_every_requirement_of_every_extra_is_pinned_with_hashes() -> None:
    locked = pins()
    assert len(locked) > 50
    assert [name for name, _, _, hashes in locked if hashes == 0] == []
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    unsatisfied = []
    for text in wanted:
        req = Requirement(text)
        versions = [v for name, v, _, _ in locked if name == canonicalize_name(req.name)]
        if not versions or not all(req.specifier.contains(v, prereleases=True) for v in versions):
            unsatisfied.append(f"{text} (locked: {[str(v) for v in versions]})")
    assert unsatisfied == [], "run scripts/lock.sh"


def test_this_environment_is_exactly_the_locked_set() -> None:
    """scripts/setup.sh syncs .venv to the lock: what the suite runs on is what users install."""
    here = {name: version for name, version, marker, _ in pins() if marker is None or marker.evaluate()}
    installed = {canonicalize_name(d.metadata["Name"]): Version(d.version) for d in importlib.metadata.distributions()}
    installed.pop("kayako-desktop")
    installed.pop("pip", None)  # venv's own installer, not a dependency (uv leaves it in place)
    assert {n: str(v) for n, v in installed.items() if here.get(n) != v} == {}
    assert sorted(set(here) - set(installed)) == []


def test_the_readmes_install_lines_name_extras_that_exist_and_carry_what_they_promise() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"^pip install (kayako-desktop|'kayako-desktop\[(\w+)\]')", readme, re.M)
    named = {extra for _, extra in lines if extra}
    assert ("kayako-desktop", "") in lines and named >= {"server", "desktop"}
    assert named <= set(extras), named - set(extras)
    runtime = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    assert {"flask", "requests", "pydantic", "websocket-client"} <= runtime  # the bridge and --browser need these
    server = [Requirement(r) for r in extras["server"]]
    assert any(r.name == "gunicorn" and "gevent" in r.extras for r in server)  # gunicorn's own [gevent] extra
    assert "pywebview" in {canonicalize_name(Requirement(r).name) for r in extras["desktop"]}
