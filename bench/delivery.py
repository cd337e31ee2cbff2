"""Message delivery latency under load: our server (gunicorn + gevent, one worker) vs a minimal asyncio relay.

    .venv/bin/python bench/delivery.py --sockets 1000 [--rate 1] [--duration 30] [--nodes 1,3]

`--nodes 1,3` runs our server as one node (no Redis), then as three gunicorn nodes on one database with a
Redis event bus (redis-server) behind HAProxy (installer/server/haproxy.cfg), and prints them side by side
with the reference. `--database sqlite,postgresql` runs each node count on one SQLite file and on a
PostgreSQL started for the run.

N sockets = N/2 agents + N/2 visitors, paired one to one (visitor k's chat is accepted by agent k). Every
visitor sends `message.send` at a fixed rate; latency is the time from the visitor's send to its paired agent
receiving `message.created` for that client_id (both ends in this one asyncio process, time.perf_counter).
The same load shape then runs against a minimal `websockets` relay server (a visitor's frame is forwarded
verbatim to its paired agent's socket), started as its own process. The bench prints numbers; it never
passes or fails. All traffic goes to 127.0.0.1 only, and every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only address this bench ever talks to
PASSWORD = "bench-password-1"
CONNECT_CONCURRENCY = 64
HELLO_TIMEOUT = 30.0
AGENT_PING_SECONDS = 20.0  # app-level ping, as a real client does (the server drops sockets silent 75 s)


# ---- small helpers ---------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def raise_nofile(want: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, want)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def wait_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"server did not listen on {HOST}:{port} within {timeout:.0f} s")


def stop(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry))
    return out


def memory(pid: int) -> dict[str, int | None]:
    """RSS (and PSS when smaps_rollup is readable) in KiB."""
    rss = pss = None
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    return {"rss": rss, "pss": pss}


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def host_busy() -> float:
    """CPU seconds all processes on the host have used (every core), from /proc/stat."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    return (sum(parts[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def fmt_kib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.1f} MiB"


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(pct / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


# ---- the reference relay (runs as its own process: `delivery.py --serve-reference PORT`) -----------------
def serve_reference(port: int, deflate: bool) -> None:
    from websockets.asyncio.server import serve

    agents: dict[int, Any] = {}

    async def handler(ws: Any) -> None:
        hello = json.loads(await ws.recv())
        role, pair = hello["data"]["role"], int(hello["data"]["pair"])
        if role == "agent":
            agents[pair] = ws
        await ws.send(json.dumps({"v": 1, "type": "ack", "ref": hello.get("id"), "data": {}}))
        try:
            async for frame in ws:
                if role == "visitor" and pair in agents:
                    with contextlib.suppress(Exception):
                        await agents[pair].send(frame)  # relayed verbatim
        finally:
            if role == "agent" and agents.get(pair) is ws:
                del agents[pair]

    async def main() -> None:
        stop_event = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop_event.set)
        # With deflate, websockets' defaults (memory-conscious window and memLevel) are what it negotiates.
        async with serve(handler, HOST, port, max_size=1 << 20, compression="deflate" if deflate else None,
                         ping_interval=None):
            await stop_event.wait()

    asyncio.run(main())


# ---- load client --------------------------------------------------------------------------------------------
@dataclass
class Target:
    name: str
    url: str
    agent_hellos: list[dict[str, Any]]
    visitor_hellos: list[dict[str, Any]]
    conversations: list[int]  # conversation id of pair k (0 for the reference)


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (sent at, latency)
    ack_latencies: list[float] = field(default_factory=list)
    errors: collections.Counter = field(default_factory=collections.Counter)
    error_samples: list[str] = field(default_factory=list)
    sent: int = 0
    measured_sent: int = 0
    frames: int = 0
    frames_connect: int = 0
    connect_seconds: float = 0.0
    settle_seconds: float = 0.0
    load_seconds: float = 0.0
    memory: dict[str, dict[str, int | None]] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # % of one core during load, by process
    loadavg: tuple[str, str] = ("", "")  # /proc/loadavg before and after the load

    def error(self, kind: str, detail: str = "", n: int = 1) -> None:
        self.errors[kind] += n
        if detail and len(self.error_samples) < 5:
            self.error_samples.append(f"{kind}: {detail[:200]}")


class Client:
    def __init__(self, target: Target, args: argparse.Namespace, processes: Any):
        self.t = target
        self.args = args
        self.processes = processes  # () -> {name: pid} of the server's processes
        self.r = Result()
        self.pending: dict[str, tuple[float, bool]] = {}  # client_id -> (sent at, measured)
        self.acks: dict[str, float] = {}  # command id (unique per run) -> sent at
        self.stopping = False

    async def _open(self, hello: dict[str, Any]) -> Any:
        from websockets.asyncio.client import connect

        ws = await connect(self.t.url, open_timeout=HELLO_TIMEOUT, close_timeout=2, max_size=1 << 22,
                           max_queue=None, compression="deflate" if self.args.deflate else None,
                           ping_interval=20, ping_timeout=20)
        await ws.send(json.dumps({"v": 1, "type": "hello", "id": "h1", "data": hello}))
        async with asyncio.timeout(HELLO_TIMEOUT):
            while True:
                frame = json.loads(await ws.recv())
                if frame.get("ref") == "h1":
                    if frame["type"] != "ack":
                        await ws.close()
                        raise RuntimeError(f"hello refused: {frame}")
                    return ws

    async def _reader(self, ws: Any, agent: bool) -> None:
        from websockets.exceptions import ConnectionClosed

        r, now = self.r, time.perf_counter
        try:
            async for raw in ws:
                r.frames += 1
                frame = json.loads(raw)
                kind = frame.get("type")
                if agent and kind in ("message.created", "message.send"):
                    data = frame["data"]
                    client_id = data["post"].get("client_id") if kind == "message.created" else data["client_id"]
                    sent = self.pending.pop(client_id, None)
                    if sent is not None:
                        latency = now() - sent[0]
                        if latency > self.args.timeout:
                            r.error("late", f"{client_id} after {latency:.1f} s")
                        elif sent[1]:
                            r.latencies.append(latency)
                            r.timeline.append((sent[0], latency))
                elif kind == "ack" and not agent:
                    sent_at = self.acks.pop(frame.get("ref"), None)
                    if sent_at is not None:
                        r.ack_latencies.append(now() - sent_at)
                elif kind == "error":
                    r.error("error frame " + str(frame["data"].get("code")), json.dumps(frame["data"]))
        except ConnectionClosed as exc:
            if not self.stopping:
                r.error("disconnect", f"{'agent' if agent else 'visitor'} socket closed: {exc}")
        except Exception as exc:  # a bench must keep counting, never crash mid-run
            r.error("client exception", repr(exc))

    async def _agent_pinger(self, ws: Any, deadline: float, phase: float) -> None:
        n = 0
        await asyncio.sleep(phase * AGENT_PING_SECONDS)  # spread the agents' pings, as real clients are
        while time.monotonic() + AGENT_PING_SECONDS < deadline:
            await asyncio.sleep(AGENT_PING_SECONDS)
            n += 1
            with contextlib.suppress(Exception):
                await ws.send(json.dumps({"v": 1, "type": "ping", "id": f"p{n}", "data": {}}))

    async def _visitor_load(self, k: int, ws: Any, t0: float) -> None:
        from websockets.exceptions import ConnectionClosed

        a, r, loop = self.args, self.r, asyncio.get_running_loop()
        interval = 1.0 / a.rate
        start = t0 + (k / len(self.t.visitor_hellos)) * interval  # spread the visitors across one interval
        total = round(a.rate * (a.warmup + a.duration))
        conv = self.t.conversations[k]
        for i in range(total):
            delay = start + i * interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            client_id, ref = f"b{k}-{i}", f"m{k}-{i}"
            frame = json.dumps({"v": 1, "type": "message.send", "id": ref,
                                "data": {"conversation_id": conv, "client_id": client_id,
                                         "contents": f"benchmark message {i} from visitor {k}"}})
            measured = i * interval >= a.warmup
            sent_at = time.perf_counter()
            self.pending[client_id] = (sent_at, measured)
            self.acks[ref] = sent_at
            try:
                await ws.send(frame)
            except ConnectionClosed as exc:
                self.pending.pop(client_id, None)
                r.error("send failed", str(exc))
                return
            r.sent += 1
            r.measured_sent += measured

    async def run(self) -> Result:
        a, r = self.args, self.r
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        readers: list[asyncio.Task] = []

        async def open_one(hello: dict[str, Any], agent: bool) -> Any:
            async with gate:
                try:
                    ws = await self._open(hello)
                except Exception as exc:
                    r.error("connect/hello failed", repr(exc))
                    return None
                readers.append(asyncio.create_task(self._reader(ws, agent)))
                return ws

        t = time.monotonic()
        agents = await asyncio.gather(*(open_one(h, True) for h in self.t.agent_hellos))
        visitors = await asyncio.gather(*(open_one(h, False) for h in self.t.visitor_hellos))
        r.connect_seconds = time.monotonic() - t

        # Let connect-time traffic (presence events to every agent) drain before measuring.
        t = time.monotonic()
        last, quiet_since = -1, time.monotonic()
        while time.monotonic() - t < a.settle_max:
            await asyncio.sleep(0.25)
            if r.frames != last:
                last, quiet_since = r.frames, time.monotonic()
            elif time.monotonic() - quiet_since >= 1.0:
                break
        r.settle_seconds = time.monotonic() - t
        connect_frames, r.frames = r.frames, 0

        end_by = time.monotonic() + a.warmup + a.duration + a.timeout + 5
        pingers = [asyncio.create_task(self._agent_pinger(ws, end_by, k / len(agents)))
                   for k, ws in enumerate(agents) if ws is not None]
        loop = asyncio.get_running_loop()
        t0 = loop.time() + 0.5
        t = time.monotonic()
        pids = {"bench client": os.getpid(), **self.processes()}
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        host_before = host_busy()
        r.loadavg = (loadavg(), "")
        await asyncio.gather(*(self._visitor_load(k, ws, t0) for k, ws in enumerate(visitors) if ws is not None))
        # Bounded wait for the last deliveries; whatever is still pending was never received.
        deadline = time.monotonic() + a.timeout
        while self.pending and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        r.load_seconds = time.monotonic() - t
        host_used = host_busy() - host_before
        ours_used = 0.0
        for name, pid in pids.items():
            used = cpu_seconds(pid) - cpu_before[name]
            ours_used += used
            r.cpu[name] = 100 * used / r.load_seconds
        r.cpu["other processes on this host"] = 100 * max(0.0, host_used - ours_used) / r.load_seconds
        r.loadavg = (r.loadavg[0], loadavg())
        lost = len(self.pending)
        if lost:
            r.error("never received", f"{lost} messages, e.g. {next(iter(self.pending))}", n=lost)
        if self.acks and self.t.name.startswith("ours"):
            r.error("no ack", f"{len(self.acks)} commands unanswered", n=len(self.acks))
        r.memory = {name: memory(pid) for name, pid in self.processes().items()}

        self.stopping = True
        for task in pingers:
            task.cancel()
        open_sockets = [ws for ws in (*agents, *visitors) if ws is not None]

        async def close(ws: Any) -> None:
            async with gate:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(ws.close(), 5)

        await asyncio.gather(*(close(ws) for ws in open_sockets))
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        r.frames_connect = connect_frames
        return r


# ---- our server: seed, start gunicorn, set up pairs over REST -------------------------------------------
def seed_agents(data_dir: str, n: int, database_url: str | None = None) -> None:
    """Agents straight into the database with a cheap hash (the API would hash 500 passwords with scrypt)."""
    sys.path.insert(0, str(ROOT))
    from kayako_desktop.server import create_app
    from werkzeug.security import generate_password_hash

    config = {"CHAT_DATA_DIR": data_dir, "CHAT_TICK_SECONDS": 0, "CHAT_DATABASE_URL": database_url}
    svc = create_app(config).extensions["chat"]
    pw_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    try:
        with svc.db.write() as tx:
            for k in range(n):
                tx.execute(
                    "INSERT INTO agents (email, full_name, password_hash, role, max_chats, created_at) "
                    "VALUES (?, ?, ?, 'AGENT', 100, ?)",
                    (f"agent{k}@bench.example", f"Bench Agent {k}", pw_hash, tx.now),
                )
    finally:
        svc.close()


def set_up_pairs(api: str, n_pairs: int) -> tuple[list[dict], list[dict], list[int]]:
    import requests

    def login(k: int) -> dict[str, Any]:
        with requests.Session() as http:
            res = http.get(f"{api}/session", auth=(f"agent{k}@bench.example", PASSWORD), timeout=30)
            res.raise_for_status()
            return {"session_id": res.json()["data"]["id"], "csrf": res.headers["X-CSRF-Token"]}

    def pair(k: int, agent: dict[str, Any]) -> tuple[str, int]:
        with requests.Session() as http:
            res = http.post(f"{api}/messenger/visitors", json={"name": f"Bench Visitor {k}"}, timeout=30)
            res.raise_for_status()
            token = res.json()["data"]["token"]
            res = http.post(f"{api}/conversations", headers={"X-Visitor-Token": token},
                            json={"name": f"Bench Visitor {k}", "subject": f"Benchmark chat {k}"}, timeout=30)
            res.raise_for_status()
            cid = int(res.json()["data"]["id"])
            res = http.post(f"{api}/cases/{cid}/accept", timeout=30,
                            headers={"X-Session-ID": agent["session_id"], "X-CSRF-Token": agent["csrf"]})
            if res.status_code != 200:
                raise RuntimeError(f"accept {cid} by agent {k}: {res.status_code} {res.text[:200]}")
            return token, cid

    with ThreadPoolExecutor(8) as pool:
        logins = list(pool.map(login, range(n_pairs)))
        pairs = list(pool.map(pair, range(n_pairs), logins))
    agent_hellos = [{"session_id": a["session_id"]} for a in logins]
    visitor_hellos = [{"visitor_token": token} for token, _ in pairs]
    return agent_hellos, visitor_hellos, [cid for _, cid in pairs]


def gunicorn_command(port: int, app: str = "kayako_desktop.server.wsgi:app") -> list[str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return [str(gunicorn), "-k", "gevent", "-w", "1", "--worker-connections", "5000", "--no-control-socket",
            "-b", f"{HOST}:{port}", app]


def start_redis() -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, proc, 15)
    return proc, f"redis://{HOST}:{port}/0"


def start_balancer(folder: Path, node_ports: list[int]) -> tuple[subprocess.Popen, int]:
    """HAProxy with the config we ship, only its ports changed."""
    port = free_port()
    config = (ROOT / "installer" / "server" / "haproxy.cfg").read_text().replace(f"{HOST}:8080", f"{HOST}:{port}")
    for i, node_port in enumerate(node_ports, start=1):
        config = config.replace(f"{HOST}:{8080 + i}", f"{HOST}:{node_port}")
    path = folder / "haproxy.cfg"
    path.write_text(config)
    with open(folder / "haproxy.log", "w") as log:
        proc = subprocess.Popen(["haproxy", "-db", "-f", str(path)], stdout=log, stderr=subprocess.STDOUT)
    wait_port(port, proc, 15)
    import requests

    deadline = time.monotonic() + 15
    ok = 0
    while ok < 10:  # every node answers through it
        if time.monotonic() > deadline:
            raise RuntimeError("HAProxy did not reach the nodes: " + (folder / "haproxy.log").read_text()[-2000:])
        try:
            ok = ok + 1 if requests.get(f"http://{HOST}:{port}/api/v1/messenger/status", timeout=2).ok else 0
        except requests.RequestException:
            ok = 0
        time.sleep(0.1)
    return proc, port


def run_ours(args: argparse.Namespace, n_pairs: int, nodes: int = 1,
             database: str = "sqlite") -> tuple[Result, dict[str, float], list[str]]:
    timings: dict[str, float] = {}
    result: Result | None = None
    log_lines: list[str] = []
    postgres = None
    with tempfile.TemporaryDirectory(prefix="kayako-bench-") as data_dir:
        t = time.monotonic()
        database_url = None
        if database == "postgresql":  # a throwaway cluster (tests/support.py), fsync off as in the tests
            sys.path.insert(0, str(ROOT))
            from tests.support import Postgres

            postgres = Postgres().start()
            database_url = postgres.migrated("bench")
            timings["PostgreSQL start + schema"] = time.monotonic() - t
            t = time.monotonic()
        seed_agents(data_dir, n_pairs, database_url)
        timings["seed agents"] = time.monotonic() - t
        env = {**os.environ, "CHAT_DATA_DIR": data_dir, **({"CHAT_DATABASE_URL": database_url} if database_url else {}),
               # every benchmark visitor is created from this one address: lift the per-address limit
               "CHAT_VISITOR_CREATE_LIMIT": str(max(30, 2 * n_pairs)),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        helpers: dict[str, subprocess.Popen] = {}
        if nodes > 1:
            helpers["redis-server"], env["CHAT_REDIS_URL"] = start_redis()
        procs: list[subprocess.Popen] = []
        ports: list[int] = []
        log_paths: list[Path] = []
        try:
            for i in range(nodes):
                port = free_port()
                cmd = gunicorn_command(port, args.app)
                log_path = Path(data_dir) / f"gunicorn-{i}.log"
                print(f"server: CHAT_DATA_DIR={data_dir} {' '.join(cmd)}  (cwd {ROOT})", flush=True)
                with open(log_path, "w") as log:
                    procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
                ports.append(port)
                log_paths.append(log_path)
            t = time.monotonic()
            for port, proc in zip(ports, procs, strict=True):
                wait_port(port, proc, 60)
            timings["gunicorn start"] = time.monotonic() - t
            front = ports[0]
            if nodes > 1:
                helpers["haproxy"], front = start_balancer(Path(data_dir), ports)
            api = f"http://{HOST}:{front}/api/v1"
            t = time.monotonic()
            agent_hellos, visitor_hellos, convs = set_up_pairs(api, n_pairs)
            timings["REST setup (logins, chats, accepts)"] = time.monotonic() - t

            def processes() -> dict[str, int]:
                out: dict[str, int] = {}
                for n, proc in enumerate(procs):
                    prefix = f"node {n + 1} " if nodes > 1 else ""
                    out[f"{prefix}gunicorn master"] = proc.pid
                    for i, pid in enumerate(children(proc.pid)):
                        out[f"{prefix}gunicorn worker" + (f" {i}" if i else "")] = pid
                out.update({name: helper.pid for name, helper in helpers.items()})
                return out

            name = ("ours" if nodes == 1 else f"ours {nodes} nodes") + (" PostgreSQL" if database_url else "")
            target = Target(name, f"ws://{HOST}:{front}/api/v1/realtime", agent_hellos, visitor_hellos, convs)
            result = asyncio.run(Client(target, args, processes).run())
            db = Path(data_dir) / "chat.sqlite3"
            wal = db.with_name(db.name + "-wal")
            if db.exists():
                print(f"write-ahead log after the run: {(wal.stat().st_size if wal.exists() else 0) / 2**20:.1f} MB "
                      f"(database {db.stat().st_size / 2**20:.1f} MB)", flush=True)
        finally:
            for proc in procs:
                stop(proc)
            for helper in helpers.values():
                stop(helper)
            if postgres is not None:
                postgres.stop()
            for i, log_path in enumerate(log_paths):
                log_text = log_path.read_text(errors="replace")
                if args.server_log:
                    Path(args.server_log + (f".{i + 1}" if nodes > 1 else "")).write_text(log_text)
                log_lines += log_text.splitlines()
                if result is None:  # setup failed: show why before the traceback
                    print("gunicorn output (last 30 lines):\n" + "\n".join(log_text.splitlines()[-30:]),
                          file=sys.stderr)
    problems = [ln for ln in log_lines if any(w in ln for w in ("ERROR", "Traceback", "CRITICAL", "WARNING"))]
    return result, timings, problems


def run_reference(args: argparse.Namespace, n_pairs: int) -> Result:
    port = free_port()
    cmd = [sys.executable, __file__, "--serve-reference", str(port), *(["--deflate"] if args.deflate else [])]
    print(f"reference: {' '.join(cmd)}", flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT)
    try:
        wait_port(port, proc, 30)
        target = Target("reference", f"ws://{HOST}:{port}/", [{"role": "agent", "pair": k} for k in range(n_pairs)],
                        [{"role": "visitor", "pair": k} for k in range(n_pairs)], [1] * n_pairs)
        return asyncio.run(Client(target, args, lambda: {"reference relay": proc.pid}).run())
    finally:
        stop(proc)


# ---- report ---------------------------------------------------------------------------------------------------
def summary(r: Result) -> dict[str, Any]:
    lat = sorted(r.latencies)
    ack = sorted(r.ack_latencies)
    return {
        "measured": len(lat), "sent": r.sent,
        "p50": percentile(lat, 50) * 1000, "p90": percentile(lat, 90) * 1000, "p99": percentile(lat, 99) * 1000,
        "max": (lat[-1] * 1000) if lat else float("nan"),
        "ack p50": percentile(ack, 50) * 1000, "ack p99": percentile(ack, 99) * 1000,
        "errors": sum(r.errors.values()),
    }


def cpu_ms_per_message(r: Result) -> float:
    """CPU the server's processes (nodes, Redis, HAProxy; not the bench client) spent per delivered message."""
    server = sum(v for k, v in r.cpu.items() if k not in ("bench client", "other processes on this host"))
    return server / 100 * r.load_seconds * 1000 / max(1, len(r.latencies)) if r.latencies else float("nan")


def report(args: argparse.Namespace, ours: list[tuple[str, Result]], ref: Result | None, timings: dict[str, float],
           problems: list[str]) -> None:
    n = args.sockets
    print()
    print(f"== delivery benchmark: {n} sockets ({n // 2} agents + {n // 2} visitors), {args.rate:g} msg/s per "
          f"visitor, {args.duration:g} s measured after {args.warmup:g} s warm-up, "
          f"compression {'deflate' if args.deflate else 'off'} ==")
    for name, seconds in timings.items():
        print(f"  {name}: {seconds:.1f} s")
    cols = [(name, r) for name, r in (*ours, ("reference (asyncio relay)", ref)) if r]
    sums = {name: summary(r) for name, r in cols}
    print(f"  {'':28}" + "".join(f"{name:>28}" for name, _ in cols))
    rows = [("messages sent", "sent", "{:.0f}"), ("latencies measured", "measured", "{:.0f}"),
            ("delivery p50 ms", "p50", "{:.2f}"), ("delivery p90 ms", "p90", "{:.2f}"),
            ("delivery p99 ms", "p99", "{:.2f}"), ("delivery max ms", "max", "{:.2f}"),
            ("ack p50 ms (visitor)", "ack p50", "{:.2f}"), ("ack p99 ms (visitor)", "ack p99", "{:.2f}"),
            ("errors", "errors", "{:.0f}")]
    for label, key, f in rows:
        print(f"  {label:28}" + "".join(f"{f.format(sums[name][key]):>28}" for name, _ in cols))
    for label, attr in (("connect + hello s", "connect_seconds"), ("settle s", "settle_seconds"),
                        ("load + drain s", "load_seconds")):
        print(f"  {label:28}" + "".join(f"{getattr(r, attr):>28.1f}" for _, r in cols))
    print(f"  {'frames at connect':28}" + "".join(f"{r.frames_connect:>28}" for _, r in cols))
    server_ms = {name: cpu_ms_per_message(r) for name, r in cols}
    print(f"  {'server CPU ms per message':28}" + "".join(f"{server_ms[name]:>28.3f}" for name, _ in cols))
    if ref:
        for name, _ in cols[:-1]:
            ratio = sums[name]["p99"] / sums[cols[-1][0]]["p99"]
            ratio50 = sums[name]["p50"] / sums[cols[-1][0]]["p50"]
            print(f"  ratio p99 {name}/reference: {ratio:.2f}   (p50 ratio {ratio50:.2f})")
    if len(ours) > 1:
        base = sums[ours[0][0]]["p99"]
        for name, _ in ours[1:]:
            print(f"  p99 {name} / {ours[0][0]}: {sums[name]['p99'] / base:.2f}  "
                  f"(added p50 of the extra hop: {sums[name]['p50'] - sums[ours[0][0]]['p50']:+.2f} ms)")
    for name, r in cols:
        if r.errors:
            print(f"  errors, {name}: " + ", ".join(f"{k}={v}" for k, v in r.errors.items()))
            for sample in r.error_samples:
                print(f"    e.g. {sample}")
        for proc_name, mem in r.memory.items():
            print(f"  memory {proc_name}: RSS {fmt_kib(mem['rss'])}, PSS {fmt_kib(mem['pss'])}")
        print(f"  CPU during load, {name} (% of one core; host has {os.cpu_count()}): "
              + ", ".join(f"{k} {v:.0f}%" for k, v in r.cpu.items()))
        print(f"  loadavg before/after load, {name}: {r.loadavg[0]}  /  {r.loadavg[1]}")
    if args.timeline:
        for name, r in cols:
            if not r.timeline:
                continue
            start = min(t for t, _ in r.timeline)
            buckets: dict[int, list[float]] = collections.defaultdict(list)
            for t, lat in r.timeline:
                buckets[int(t - start)].append(lat * 1000)
            print(f"  timeline, {name}: second: n / p50 / max ms")
            for sec in sorted(buckets):
                vals = sorted(buckets[sec])
                print(f"    {sec:4d}: {len(vals):5d} / {percentile(vals, 50):7.2f} / {vals[-1]:8.2f}")
    if problems:
        print(f"  gunicorn log: {len(problems)} warning/error lines, first: {problems[0][:200]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=100, help="total sockets N (N/2 agents + N/2 visitors)")
    parser.add_argument("--rate", type=float, default=1.0, help="messages per second per visitor")
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds of load")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument("--timeout", type=float, default=10.0, help="a message not delivered in this is an error")
    parser.add_argument("--settle-max", type=float, default=60.0, help="max seconds to let connect traffic drain")
    parser.add_argument("--deflate", action="store_true", help="offer permessage-deflate (browsers do)")
    parser.add_argument("--timeline", action="store_true", help="print p50/max latency per second of load")
    parser.add_argument("--app", default="kayako_desktop.server.wsgi:app", help="WSGI app for gunicorn (to compare variants)")
    parser.add_argument("--server-log", metavar="PATH", help="keep a copy of gunicorn's output here")
    parser.add_argument("--only", choices=("both", "ours", "reference"), default="both")
    parser.add_argument("--database", "--backend", dest="database", default="sqlite",
                        help="where our server keeps chats: sqlite (a temp data dir), postgresql (a throwaway "
                             "cluster started for the run, Debian's postgresql package), or sqlite,postgresql: "
                             "every --nodes count on each, side by side")
    parser.add_argument("--nodes", default="1", help="our server as N nodes behind HAProxy with Redis; "
                        "a list (1,3) runs each, side by side")
    parser.add_argument("--serve-reference", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_reference:
        serve_reference(args.serve_reference, args.deflate)
        return 0
    if args.sockets < 2 or args.sockets % 2 or not (0 < args.rate <= 100) or not (0 < args.duration <= 600):
        parser.error("--sockets must be even and ≥ 2, --rate in (0, 100], --duration in (0, 600]")
    try:
        node_counts = [int(n) for n in args.nodes.split(",")]
    except ValueError:
        parser.error("--nodes takes counts like 1 or 1,3")
    if not node_counts or any(not (1 <= n <= 8) for n in node_counts):
        parser.error("--nodes: each count from 1 to 8")
    databases = [{"postgres": "postgresql"}.get(d, d) for d in args.database.split(",")]
    if not databases or any(d not in ("sqlite", "postgresql") for d in databases):
        parser.error("--database takes sqlite, postgresql or both (sqlite,postgresql)")
    runs = [(database, nodes) for database in databases for nodes in node_counts]
    limit = raise_nofile(args.sockets * 2 + 256)
    if limit < args.sockets * 2 + 64:
        print(f"warning: RLIMIT_NOFILE is {limit}; {args.sockets} sockets may run out of descriptors")
    started = time.monotonic()
    n_pairs = args.sockets // 2
    ours: list[tuple[str, Result]] = []
    ref = None
    timings: dict[str, float] = {}
    problems: list[str] = []
    if args.only in ("both", "ours"):
        for database, nodes in runs:
            result, more, found = run_ours(args, n_pairs, nodes, database)
            label = "ours (gunicorn gevent)" if nodes == 1 else f"ours, {nodes} nodes + Redis"
            label += ", PostgreSQL" if database == "postgresql" else ""
            ours.append((label, result))
            timings.update({f"{k} ({label})": v for k, v in more.items()})
            problems += found
    if args.only in ("both", "reference"):
        ref = run_reference(args, n_pairs)
    timings["total wall time"] = time.monotonic() - started
    report(args, ours, ref, timings, problems)
    return 0


if __name__ == "__main__":
    sys.exit(main())
