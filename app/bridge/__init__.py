"""The bridge: the agent UI's local server (127.0.0.1, per-launch token), one upstream per chat server."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask, send_from_directory
from werkzeug.serving import make_server

from app.bridge import events, security
from app.bridge.registry import ServerRegistry
from app.bridge.relay import Relay
from app.bridge.store import InstanceStore
from app.webroot import web_root


def create_app(store: InstanceStore, token: str) -> Flask:
    app = Flask(__name__, static_folder=None)
    relay = Relay()
    app.extensions["bridge"] = {"relay": relay, "registry": ServerRegistry(store, relay), "token": token}
    security.install(app, token)
    from app.bridge.views import bp

    app.register_blueprint(bp)
    events.install(app)
    web = web_root()

    @app.get("/")
    def index() -> Any:
        resp = send_from_directory(web / "agent", "index.html", max_age=0)
        resp.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data: blob: https: http:; connect-src 'self'; style-src 'self'; "
            "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
        return resp

    @app.get("/agent/<path:name>")
    def agent_assets(name: str) -> Any:
        return send_from_directory(web / "agent", name, max_age=0)

    @app.get("/shared/<path:name>")
    def shared_assets(name: str) -> Any:
        return send_from_directory(web / "shared", name, max_age=0)

    return app


@dataclass
class RunningBridge:
    app: Flask
    server: Any
    token: str

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    @property
    def url(self) -> str:
        """Open this once: it trades the token for a cookie and lands on the UI."""
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def stop(self) -> None:
        self.server.shutdown()
        self.app.extensions["bridge"]["registry"].stop()


def start_bridge(store: InstanceStore, port: int = 0) -> RunningBridge:
    token = secrets.token_urlsafe(32)
    app = create_app(store, token)
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="bridge", daemon=True).start()
    return RunningBridge(app, server, token)
