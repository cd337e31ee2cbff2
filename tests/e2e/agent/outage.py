"""A chat server that becomes unreachable for the agent app: new realtime sockets and uploads are refused
while it is on, and the agents' open sockets can be cut."""

from __future__ import annotations

import threading

GATED = ("/api/v1/realtime", "/api/v1/files")


class Outage:
    """While on, the chat server refuses new realtime sockets and uploads (as an unreachable network would);
    `cut_agents` closes the server side of every agent socket."""

    def __init__(self, live):
        self.live = live
        self.on = threading.Event()
        self._app = live.app.wsgi_app
        live.app.wsgi_app = self._gate

    def _gate(self, environ, start_response):
        if self.on.is_set() and environ.get("PATH_INFO") in GATED:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"network down"]
        return self._app(environ, start_response)

    def cut_agents(self) -> None:
        hub = self.live.svc.hub
        with hub._lock:
            conns = [c for (role, _), cs in hub._by_key.items() if role == "agent" for c in cs]
        assert conns, "no agent socket to cut"
        for conn in conns:
            conn.ws.close()

    def restore(self) -> None:
        self.live.app.wsgi_app = self._app
