"""Several real server nodes: gunicorn + gevent processes sharing one data directory, carrying events and
presence over a real `redis-server` this session starts on a free port (and stops)."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

from tests.support import Postgres, free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse"


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.folder)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert self.proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def flush(self) -> None:
        client = redis.Redis(port=self.port)
        client.flushall()
        client.close()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is missing: scripts/setup.sh --test installs it")
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


class Node:
    """One `gunicorn -k gevent -w 1 kayako_desktop.server.wsgi:app` process, as an operator runs it."""

    def __init__(self, name: str, data_dir: Path, redis_url: str, log_dir: Path, **env: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.redis_url = redis_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api = self.url + "/api/v1"
        self.ws_url = f"ws://127.0.0.1:{self.port}/api/v1/realtime"
        self.log = log_dir / f"{name}.log"
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Node:
        env = {**os.environ, "CHAT_DATA_DIR": str(self.data_dir), "CHAT_REDIS_URL": self.redis_url,
               "CHAT_PRESENCE_TTL_SECONDS": "3", "CHAT_MIGRATE_ON_START": "1", **self.env}
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1", "-b",
                                          f"127.0.0.1:{self.port}", "--keep-alive", "75", "--no-control-socket",
                                          "kayako_desktop.server.wsgi:app"],
                                         cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            assert self.proc.poll() is None, f"node {self.name} exited: {self.log.read_text()[-2000:]}"
            try:
                if requests.get(self.url + "/api/v1/messenger/status", timeout=2).status_code < 500:
                    return self
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, f"node {self.name} did not answer: {self.log.read_text()[-2000:]}"
            time.sleep(0.1)

    def kill(self) -> None:
        """`kill -9`: no clean-up of any kind runs."""
        assert self.proc is not None
        workers = _children(self.proc.pid)
        self.proc.send_signal(signal.SIGKILL)
        for child in workers:
            os.kill(child, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            for child in _children(self.proc.pid):
                os.kill(child, signal.SIGKILL)
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


class Cluster:
    """Nodes on one Redis and one database: a shared SQLite file (one machine), or a real PostgreSQL where
    each node has a data directory of its own and only the uploads folder is shared (CHAT_FILES_DIR, the
    shared volume of nodes on several machines)."""

    def __init__(self, folder: Path, redis_server: RedisServer, database_url: str | None = None) -> None:
        self.folder = folder
        self.data_dir = folder / "data"
        self.redis = redis_server
        self.database_url = database_url
        self.nodes: list[Node] = []

    @property
    def database(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    def _env(self) -> dict[str, str]:
        if not self.database_url:
            return {}
        return {"CHAT_DATABASE_URL": self.database_url, "CHAT_FILES_DIR": str(self.folder / "shared-files")}

    def create_agent(self, email: str, name: str, admin: bool = False) -> None:
        subprocess.run([sys.executable, "-m", "kayako_desktop", "server", "create-agent", "--data-dir",
                        str(self.data_dir), "--email", email, "--name", name, "--password-stdin",
                        *(["--admin"] if admin else [])],
                       input=PASSWORD, text=True, check=True, cwd=ROOT, capture_output=True, timeout=60,
                       env={**os.environ, **self._env()})

    def node(self, name: str, **env: str) -> Node:
        data_dir = self.folder / f"data-{name}" if self.database_url else self.data_dir
        node = Node(name, data_dir, self.redis.url, self.folder, **{**self._env(), **env}).start()
        self.nodes.append(node)
        return node

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = Postgres().start()
    yield server
    server.stop()


_databases = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def cluster(request: pytest.FixtureRequest, tmp_path: Path, redis_server: RedisServer) -> Iterator[Cluster]:
    """Each test runs on both: nodes sharing a SQLite file, and nodes sharing a PostgreSQL."""
    redis_server.flush()
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").migrated(f"cluster_{next(_databases)}")
    made = Cluster(tmp_path, redis_server, url)
    yield made
    made.stop()


class Balancer:
    """HAProxy from apt, running installer/server/haproxy.cfg with only its ports changed."""

    def __init__(self, folder: Path, nodes: list[Node]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api = self.url + "/api/v1"
        self.ws_url = f"ws://127.0.0.1:{self.port}/api/v1/realtime"
        config = (ROOT / "installer" / "server" / "haproxy.cfg").read_text()
        config = config.replace("127.0.0.1:8080", f"127.0.0.1:{self.port}")
        for i, node in enumerate(nodes, start=1):
            config = config.replace(f"127.0.0.1:{8080 + i}", f"127.0.0.1:{node.port}")
        self.config = folder / "haproxy.cfg"
        self.config.write_text(config)
        self.log = folder / "haproxy.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Balancer:
        if shutil.which("haproxy") is None:
            pytest.fail("haproxy is missing: scripts/setup.sh --test installs it")
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(["haproxy", "-db", "-f", str(self.config)], stdout=out,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while True:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                if requests.get(self.api + "/messenger/status", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
