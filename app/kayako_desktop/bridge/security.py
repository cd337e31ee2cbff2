"""Who may talk to the bridge. Every request needs a loopback Host with the bridge's exact port and, when
a browser sends one, an Origin of exactly that port (other tabs, other local services and DNS-rebinding
pages get 403). The agent UI's files (/, /agent/, /shared/) are the same for everyone; everything under
/api needs the per-launch token, which never travels in a cookie (cookies are not port-scoped: every
other service on 127.0.0.1 would receive it):
- HTTP: the `X-Bridge-Token` header, set by the UI's own code from the token it holds in memory;
- the UI's websocket (browsers cannot set its headers): a `kd-token.<token>` subprotocol;
- file contents shown in <img> and downloads: a separate per-launch files key in `?k=`, good for
  `GET /api/i/<instance>/files/<file>/content` and nothing else.
The page learns both from the URL fragment the shell opens (`/#token=…&files=…`), which no request and
no Referer ever carries, and keeps them in sessionStorage (scoped to this exact origin, port included)."""

from __future__ import annotations

import hmac
import re
from typing import Any

from flask import Flask, abort, request

PUBLIC = re.compile(r"^/(?:$|agent/|shared/|favicon\.ico$)")
FILE_CONTENT = re.compile(r"^/api/i/[^/]+/files/[^/]+/content$")
SUBPROTOCOL = "kd.bridge"
TOKEN_PROTOCOL = "kd-token."


def offered_token(req: Any) -> str:
    """The token a request carries in the header, or in its websocket subprotocols."""
    header = req.headers.get("X-Bridge-Token")
    if header:
        return str(header)
    for proto in (req.headers.get("Sec-WebSocket-Protocol") or "").split(","):
        proto = proto.strip()
        if proto.startswith(TOKEN_PROTOCOL):
            return proto[len(TOKEN_PROTOCOL):]
    return ""


def install(app: Flask, token: str, files_key: str) -> None:
    @app.before_request
    def guard() -> Any:
        port = request.environ.get("SERVER_PORT", "")
        allowed_hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        if request.host not in allowed_hosts:
            abort(403)
        origin = request.headers.get("Origin")
        if origin is not None and origin not in {f"http://{h}" for h in allowed_hosts}:
            abort(403)
        if PUBLIC.match(request.path):
            return None
        if hmac.compare_digest(offered_token(request), token):
            return None
        if (request.method == "GET" and FILE_CONTENT.match(request.path)
                and hmac.compare_digest(request.args.get("k", ""), files_key)):
            return None
        abort(403)

    @app.after_request
    def no_referrer(resp: Any) -> Any:
        # Remote images an agent pushes must not learn the bridge's address (port) from a Referer.
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        return resp

