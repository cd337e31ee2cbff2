"""The wheel and sdist as a user meets them: built from this checkout, checked with twine, installed
non-editable with the `[server]` extra into a fresh venv (offline, from uv's cache of the locked set), then run
from an empty folder that has its own `app.py` — the server, the README's production command, the agent UI in
browser mode and the smoke check."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import requests
from kayako_desktop import __version__

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".cache" / "tools" / "bin" / "uv"
# Everything under web/ that a browser can be served (its README.md notes and __init__.py are not).
WEB_FILES = sorted(p.relative_to(ROOT / "web").as_posix() for p in (ROOT / "web").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".py", ".md"))
SITE_APP_PY = "raise SystemExit('this is the site owner\\'s own app.py, not Kayako Desktop')\n"



def run(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw)
    assert done.returncode == 0, f"{shlex.join(args)}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`python -m build` makes the sdist, then the wheel from that sdist (so the sdist must be complete)."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)])
    wheel, = out.glob("kayako_desktop-*.whl")
    sdist, = out.glob("kayako_desktop-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def venv(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and its `[server]` extra, non-editable, offline: every package comes from
    uv's cache of requirements/lock.txt (filled by scripts/setup.sh), pinned to the locked versions."""
    where = tmp_path_factory.mktemp("venv") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(where)])
    env = {**os.environ, "UV_CACHE_DIR": str(ROOT / ".cache" / "uv"), "UV_OFFLINE": "1"}
    run([str(UV), "pip", "install", "--quiet", "--python", str(where / "bin" / "python"),
         "-c", str(ROOT / "requirements" / "lock.txt"), f"{dist['wheel']}[server]"], env=env)
    return where


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An empty folder of the user's, except for a web app of their own called app.py."""
    (tmp_path / "app.py").write_text(SITE_APP_PY)
    return tmp_path


def user_env(venv: Path, **extra: str) -> dict[str, str]:
    """The user's shell: the venv's bin first on PATH, no PYTHON* variables from this test run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return {**env, "PATH": f"{venv / 'bin'}:{env.get('PATH', '')}", **extra}


def wait_for(url: str, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"exited with {proc.returncode} before serving {url}\n{out}\n{err}")
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or its first answer is slow (a
            time.sleep(0.2)                                    # worker still importing on a busy machine)
    raise AssertionError(f"nothing answered at {url} within {timeout}s")


def stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out + err


def assert_serves_the_widget_and_the_api(base: str) -> None:
    """What a site owner's page and the agents' apps fetch first."""
    for path, kind in (("/demo", "text/html"), ("/messenger.js", "javascript"),
                       ("/shared/protocol.js", "javascript")):
        got = requests.get(base + path, timeout=10)
        assert got.status_code == 200 and kind in got.headers["Content-Type"], (path, got.status_code)
    loader = requests.get(base + "/messenger.js", timeout=10).text
    frame = re.search(r"""["'](/messenger/[\w./-]*frame[\w.-]*\.html)""", loader)
    assert frame, "the loader names the widget frame it opens"
    page = requests.get(base + frame.group(1), timeout=10)
    assert page.status_code == 200 and "<html" in page.text.lower()
    # The API answers in its envelope: a wrong login is a 401 with a code, not a missing route.
    login = requests.get(base + "/api/v1/session", auth=("nobody@example.com", "not-the-password"), timeout=10)
    assert login.status_code == 401 and login.json()["status"] == 401, login.text


def test_the_wheel_and_sdist_are_complete_and_pass_twine(dist: dict[str, Path]) -> None:
    run([sys.executable, "-m", "twine", "check", "--strict", str(dist["wheel"]), str(dist["sdist"])])
    names = zipfile.ZipFile(dist["wheel"]).namelist()
    shipped_web = sorted(n.removeprefix("kayako_desktop/web/") for n in names if n.startswith("kayako_desktop/web/")
                         and not n.endswith((".py", ".md")))
    assert len(WEB_FILES) > 80 and shipped_web == WEB_FILES
    assert "kayako_desktop/server/migrations/versions/0001_v1.sql" in names
    tops = {n.split("/")[0] for n in names}
    assert tops == {"kayako_desktop", f"kayako_desktop-{__version__}.dist-info"}, tops  # no top-level `app`
    with tarfile.open(dist["sdist"]) as sdist:
        members = sdist.getnames()
    prefix = f"kayako_desktop-{__version__}/"
    assert [f for f in WEB_FILES if prefix + "web/" + f not in members] == []
    assert prefix + "requirements/lock.txt" in members


def test_nothing_called_app_is_installed(venv: Path, tmp_path: Path) -> None:
    site_packages, = venv.glob("lib/python3*/site-packages")
    assert not (site_packages / "app").exists() and not (site_packages / "app.py").exists()
    done = subprocess.run([str(venv / "bin" / "python"), "-c", "import app"], capture_output=True, text=True,
                          cwd=tmp_path, env=user_env(venv))
    assert "No module named 'app'" in done.stderr
    version = run([str(venv / "bin" / "kayako-desktop"), "--version"], cwd=tmp_path, env=user_env(venv))
    assert version.stdout.strip() == f"kayako-desktop {__version__}"
    module = run([str(venv / "bin" / "python"), "-m", "kayako_desktop", "--version"], cwd=tmp_path,
                 env=user_env(venv))
    assert module.stdout.strip() == f"kayako-desktop {__version__}"


def test_the_installed_server_serves_widget_and_api_from_a_folder_with_its_own_app_py(venv: Path,
                                                                                     site: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(["kayako-desktop", "server", "--port", str(port), "--data-dir", "data"], cwd=site,
                            env=user_env(venv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/demo", proc)
        assert_serves_the_widget_and_the_api(f"http://127.0.0.1:{port}")
    finally:
        output = stop(proc)
    assert "site owner's own app.py" not in output
    assert (site / "data" / "chat.sqlite3").is_file()


def test_the_readmes_production_command_boots_from_the_installed_wheel(venv: Path, site: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\npip install 'kayako-desktop\[server\]'\n(.*?)\n```", readme, re.S)
    assert block, "the README's production block"
    command = block.group(1).replace("\\\n", " ")
    env_part, _, gunicorn = command.partition(" gunicorn ")
    env_name, _, env_value = env_part.partition("=")
    assert env_name == "CHAT_DATA_DIR" and "-b 127.0.0.1:8080" in gunicorn
    port = free_port()
    args = ["gunicorn", *shlex.split(gunicorn.replace("127.0.0.1:8080", f"127.0.0.1:{port}")), "--no-control-socket"]
    proc = subprocess.Popen(args, cwd=site, env=user_env(venv, CHAT_DATA_DIR=str(site / "var")),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/demo", proc)
        assert_serves_the_widget_and_the_api(f"http://127.0.0.1:{port}")
    finally:
        output = stop(proc)
    assert "Booting worker" in output and "Traceback" not in output, output
    assert (site / "var" / "chat.sqlite3").is_file()


def test_browser_mode_serves_the_agent_ui_with_its_token(venv: Path, site: Path) -> None:
    """BROWSER=true: Python's webbrowser runs `true` instead of a browser; the URL is printed for the user."""
    proc = subprocess.Popen(["kayako-desktop", "--browser", "--profile", str(site / "profile")], cwd=site,
                            env=user_env(venv, BROWSER="true"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"running at (http://127\.0\.0\.1:\d+/)\S*#token=([\w-]+)", line)
        assert found, line + (stop(proc) if proc.poll() is not None else "")
        base, token = found.groups()
        page = requests.get(base, timeout=10)
        assert page.status_code == 200 and "<html" in page.text.lower()
        script = re.search(r'src="(/agent/[\w./-]+\.js)"', page.text)
        assert script and requests.get(base.rstrip("/") + script.group(1), timeout=10).status_code == 200
        api = base + "api/instances"
        assert requests.get(api, timeout=10).status_code in (401, 403)
        listed = requests.get(api, headers={"X-Bridge-Token": token}, timeout=10)
        assert listed.status_code == 200, listed.text
    finally:
        output = stop(proc)
    assert "Traceback" not in output, output


def test_smoke_passes_from_the_installed_wheel(venv: Path, site: Path) -> None:
    done = run(["kayako-desktop", "--smoke"], cwd=site, env=user_env(venv), timeout=120)
    assert "smoke: OK: chat server, bridge and web assets work" in done.stdout
    assert sorted(p.name for p in site.iterdir()) == ["app.py"]
