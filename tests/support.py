"""Test drivers that talk to a real server over HTTP and WebSocket, as the bridge and widget will."""

from __future__ import annotations

import itertools
import json
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
import websocket

_ids = itertools.count(1)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for servers the tests start as processes)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The real Flask app on a free port (threaded Werkzeug), with a fake clock tests can move."""

    def __init__(self, app: Any, server: Any):
        self.app = app
        self.server = server
        self.svc = app.extensions["chat"]
        self.clock = self.svc.clock
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.ws_url = f"ws://127.0.0.1:{server.server_port}/api/v1/realtime"
        self.api = self.url + "/api/v1"

    def advance(self, seconds: float) -> None:
        """Move time and run the timer once (ring timeouts, presence), without sleeping."""
        from kayako_desktop.server.actions.maintenance import tick

        self.clock.advance(seconds)
        tick(self.svc)

    def create_agent(self, email: str, name: str, password: str = "correct-horse", *, admin: bool = False,
                     max_chats: int | None = None, role: str | None = None) -> int:
        from kayako_desktop.server.actions.agents import do_create_agent

        with self.svc.db.write() as tx:
            return do_create_agent(self.svc, tx, email, name, password, role or ("ADMIN" if admin else "AGENT"),
                                   max_chats)


class Socket:
    """A realtime socket that records every frame; waits are bounded (no sleeps in assertions)."""

    def __init__(self, url: str, headers: dict[str, str] | None = None):
        self.ws = websocket.create_connection(url, timeout=10, header=headers or {})
        self.frames: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.last_seq: int | None = None
        self.closed = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                raw = self.ws.recv()
                if not raw:
                    break
                self.frames.put(json.loads(raw))
        except Exception:
            pass
        finally:
            self.closed.set()

    def command(self, type_: str, data: dict[str, Any] | None = None) -> str:
        cid = f"c{next(_ids)}"
        self.ws.send(json.dumps({"v": 1, "type": type_, "id": cid, "data": data or {}}))
        return cid

    def send_raw(self, raw: str) -> None:
        self.ws.send(raw)

    def _next(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no frame in time")
        frame = self.frames.get(timeout=remaining)
        self.seen.append(frame)
        if frame.get("seq"):
            assert self.last_seq is None or frame["seq"] > self.last_seq, "events out of order"
            self.last_seq = frame["seq"]
        return frame

    def wait(self, type_: str, pred: Any = None, timeout: float = 5.0) -> dict[str, Any]:
        """The next frame of this type matching pred; frames before it are kept in `seen`."""
        for frame in self.seen:
            if frame.get("_taken") is None and frame["type"] == type_ and (pred is None or pred(frame["data"])):
                frame["_taken"] = True
                return frame
        deadline = time.monotonic() + timeout
        while True:
            frame = self._next(deadline)
            if frame["type"] == type_ and (pred is None or pred(frame["data"])):
                frame["_taken"] = True
                return frame

    def reply(self, ref: str, timeout: float = 5.0) -> dict[str, Any]:
        """The ack or error answering command `ref`."""
        deadline = time.monotonic() + timeout
        for frame in self.seen:
            if frame.get("ref") == ref:
                return frame
        while True:
            frame = self._next(deadline)
            if frame.get("ref") == ref:
                return frame

    def call(self, type_: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        frame = self.reply(self.command(type_, data))
        assert frame["type"] == "ack", frame
        return frame["data"]

    def drain(self, quiet: float = 0.3) -> list[dict[str, Any]]:
        """Collect frames until none arrives for `quiet` seconds."""
        out = []
        while True:
            try:
                frame = self.frames.get(timeout=quiet)
            except queue.Empty:
                return out
            self.seen.append(frame)
            if frame.get("seq"):
                self.last_seq = frame["seq"]
            out.append(frame)

    def events(self, type_: str) -> list[dict[str, Any]]:
        return [f for f in self.seen if f["type"] == type_]

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass


class Agent:
    """An agent as the bridge drives one: REST session with CSRF, plus a realtime socket."""

    def __init__(self, live: LiveServer, email: str, password: str = "correct-horse"):
        self.live = live
        self.http = requests.Session()
        self.http.params = {"include": "*"}  # nested resources whole, as the app asks for them
        r = self.http.get(live.api + "/session", auth=(email, password), timeout=10)
        assert r.status_code == 200, r.text
        self.session_id = r.json()["data"]["id"]
        self.csrf = r.headers["X-CSRF-Token"]
        self.id = r.json()["data"]["agent"]["id"]
        self.name = r.json()["data"]["agent"]["full_name"]
        self.http.headers.update({"X-Session-ID": self.session_id, "X-CSRF-Token": self.csrf})
        self.sock: Socket | None = None

    def connect(self, last_seq: int | None = None) -> Socket:
        self.sock = Socket(self.live.ws_url)
        data = {"session_id": self.session_id}
        if last_seq is not None:
            data["last_seq"] = last_seq
        self.sock.call("hello", data)
        return self.sock

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(self.live.api + path, params=params, timeout=10)

    def post(self, path: str, json_body: Any = None, **kw: Any) -> requests.Response:
        return self.http.post(self.live.api + path, json=json_body, timeout=30, **kw)

    def put(self, path: str, json_body: Any = None) -> requests.Response:
        return self.http.put(self.live.api + path, json=json_body, timeout=10)

    def delete(self, path: str) -> requests.Response:
        return self.http.delete(self.live.api + path, timeout=10)

    def accept(self, cid: int) -> requests.Response:
        return self.post(f"/cases/{cid}/accept")

    def decline(self, cid: int) -> requests.Response:
        return self.post(f"/cases/{cid}/decline")

    def reply(self, cid: int, contents: str, **extra: Any) -> requests.Response:
        body = {"client_id": extra.pop("client_id", str(uuid.uuid4())), "contents": contents, **extra}
        return self.post(f"/cases/{cid}/reply", body)


class Visitor:
    """A website visitor as the widget drives one: a token, page views, a chat, a socket."""

    def __init__(self, live: LiveServer, name: str = "Victor", *, address: str | None = None):
        self.live = live
        self.name = name
        self.http = requests.Session()
        self.http.headers["User-Agent"] = (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36")
        if address is not None:  # the client address a trusted proxy reports (servers with CHAT_TRUST_PROXY)
            self.http.headers["X-Forwarded-For"] = address
        self.http.params = {"include": "*"}  # nested resources whole, as the widget asks for them
        r = self.http.post(live.api + "/messenger/visitors", json={"name": name}, timeout=10)
        assert r.status_code == 201, r.text
        self.token = r.json()["data"]["token"]
        self.id = r.json()["data"]["visitor"]["id"]
        self.http.headers["X-Visitor-Token"] = self.token
        self.sock: Socket | None = None

    def connect(self, last_seq: int | None = None) -> Socket:
        forwarded = self.http.headers.get("X-Forwarded-For")
        self.sock = Socket(self.live.ws_url, {"X-Forwarded-For": str(forwarded)} if forwarded else None)
        data: dict[str, Any] = {"visitor_token": self.token}
        if last_seq is not None:
            data["last_seq"] = last_seq
        self.sock.call("hello", data)
        return self.sock

    def view(self, url: str, title: str = "", referrer: str | None = None) -> requests.Response:
        return self.post("/messenger/pageviews", {"url": url, "title": title, "referrer": referrer})

    def start_chat(self, subject: str = "Where is my order?", **extra: Any) -> dict[str, Any]:
        r = self.post("/conversations", {"name": self.name, "subject": subject, **extra})
        assert r.status_code == 201, r.text
        return r.json()["data"]

    def say(self, cid: int, contents: str, client_id: str | None = None) -> requests.Response:
        return self.post(f"/conversations/{cid}/messages",
                         {"client_id": client_id or str(uuid.uuid4()), "contents": contents})

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(self.live.api + path, params=params, timeout=10)

    def post(self, path: str, json_body: Any = None, **kw: Any) -> requests.Response:
        return self.http.post(self.live.api + path, json=json_body, timeout=30, **kw)

    def put(self, path: str, json_body: Any = None) -> requests.Response:
        return self.http.put(self.live.api + path, json=json_body, timeout=10)


class Postgres:
    """A throwaway PostgreSQL cluster from Debian's packages: initdb in a fresh folder, its own port, run as
    the `postgres` user when we are root (PostgreSQL refuses to run as root), stopped and deleted after."""

    def __init__(self) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
        if not found:
            pytest.fail("PostgreSQL is missing: scripts/setup.sh --test installs it (apt postgresql)")
        self.bin = found[-1].parent
        self.folder = Path(tempfile.mkdtemp(prefix="kayako-pg-"))  # in /tmp: the postgres user can reach it
        self.port = free_port()
        self.url = f"postgresql://chat@127.0.0.1:{self.port}/chat"
        self._template = False  # the migrated database `migrated` copies, made on first use
        self._admin: Any = None  # a psycopg connection `migrated` creates databases on (a psql each: +25 ms)

    def _as_owner(self, *args: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)

    def run(self, *args: str) -> str:
        done = subprocess.run(self._as_owner(*args), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{args[0]}: {done.stdout}{done.stderr}"
        return done.stdout

    def start(self) -> Postgres:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        data = str(self.folder / "data")
        self.run(str(self.bin / "initdb"), "-D", data, "-U", "chat", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.resume()
        self.run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "chat", "chat")
        return self

    def resume(self) -> None:
        """Start the server (again, after `halt`) on the same port and data."""
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off")
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-o", options, "-l",
                 str(self.folder / "log"), "-w", "start")

    def halt(self) -> None:
        """Stop the server as a crash would (immediate: every connection is cut, nothing shuts down cleanly)."""
        if self._admin is not None:  # the session's own connection: `migrated` opens a new one when needed
            self._admin.close()
            self._admin = None
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")

    def sql(self, statement: str, database: str = "chat") -> str:
        return self.run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "chat", "-d",
                        database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", statement)

    def fresh(self, name: str) -> str:
        """A new empty database in this cluster; its URL."""
        self.run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "chat", name)
        return f"postgresql://chat@127.0.0.1:{self.port}/{name}"

    def migrated(self, name: str) -> str:
        """A new database holding the chat schema (a copy of one made once by the migrations); its URL."""
        if not self._template:
            from kayako_desktop.server import schema

            schema.migrate_url(self.fresh("chat_template"))
            self._template = True
        if self._admin is None:
            import psycopg

            self._admin = psycopg.connect(f"postgresql://chat@127.0.0.1:{self.port}/chat", autocommit=True)
        self._admin.execute(f"CREATE DATABASE {name} TEMPLATE chat_template")
        return f"postgresql://chat@127.0.0.1:{self.port}/{name}"

    def drop(self, name: str) -> None:
        """Drop a database `migrated` made, cutting any connection still on it."""
        self._admin.execute(f"DROP DATABASE {name} WITH (FORCE)")

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
        subprocess.run(self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                                      "stop"), capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


class Mailbox:
    """A real SMTP server (aiosmtpd) on a free port, keeping every message it accepted, parsed; `fail` makes it
    refuse the next ones with 554."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Any] = []
        self.envelopes: list[Any] = []
        self.fail = False
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import email
        import email.policy

        if self.fail:
            return "554 5.7.1 Message rejected as spam"
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def wait(self, count: int, timeout: float = 10) -> list[Any]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} e-mails arrived"
        return self.messages


def answered_chat(svc: Any, subject: str) -> tuple[int, int, int]:
    """Straight through the actions, in one transaction: Alice (alice@example.com, password correct-horse) has
    accepted the chat Victor started about `subject`. Returns (alice, victor, conversation id)."""
    from kayako_desktop.protocol.commands import ChatStart
    from kayako_desktop.server.actions.agents import do_create_agent
    from kayako_desktop.server.actions.conversations import do_start_chat
    from kayako_desktop.server.actions.visitors import do_create_visitor
    from kayako_desktop.server.routing.engine import do_accept

    with svc.db.write() as tx:
        alice = do_create_agent(svc, tx, "alice@example.com", "Alice", "correct-horse")
        _, victor = do_create_visitor(svc, tx, "192.0.2.1", None, "Victor", None)
        cid, _ = do_start_chat(svc, tx, victor, ChatStart(name="Victor", subject=subject))
        do_accept(svc, tx, cid, alice)
    return alice, victor, cid
