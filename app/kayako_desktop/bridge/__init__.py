"""The bridge: the agent UI's local server (127.0.0.1, per-launch token), one upstream per chat server."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Flask, send_from_directory
from werkzeug.serving import make_server

from kayako_desktop.bridge import events, security
from kayako_desktop.bridge.registry import ServerRegistry
from kayako_desktop.bridge.relay import Relay
from kayako_desktop.bridge.store import InstanceStore
from kayako_desktop.flask_app import App
from kayako_desktop.redaction import redact
from kayako_desktop.webroot import web_root


class LocalFiles(Protocol):
    """Files the desktop shell let the user pick or drop: a capability for each, redeemed once."""

    def redeem(self, ref: str) -> str | None: ...


def create_app(store: InstanceStore, token: str, files_key: str, local_files: LocalFiles | None = None) -> Flask:
    app = App(__name__, static_folder=None)
    app.config["SOCK_SERVER_OPTIONS"] = {"subprotocols": [security.SUBPROTOCOL]}
    relay = Relay()
    app.extensions["bridge"] = {"relay": relay, "registry": ServerRegistry(store, relay), "token": token,
                                "files_key": files_key, "local_files": local_files}
    security.install(app, token, files_key)
    from kayako_desktop.bridge.views import bp

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
    files_key: str

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    @property
    def url(self) -> str:
        """The UI, with its credentials in the fragment (never sent in a request; see security.py)."""
        return f"http://127.0.0.1:{self.port}/#token={self.token}&files={self.files_key}"

    def stop(self) -> None:
        self.server.shutdown()
        self.app.extensions["bridge"]["registry"].stop()


def start_bridge(store: InstanceStore, port: int = 0, local_files: LocalFiles | None = None) -> RunningBridge:
    token, files_key = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    redact("werkzeug")  # the files key rides in image URLs
    app = create_app(store, token, files_key, local_files)
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="bridge", daemon=True).start()
    return RunningBridge(app, server, token, files_key)
