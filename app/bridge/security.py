"""Every request and websocket upgrade needs the per-launch token, a loopback Host and, when sent, a
matching Origin: other tabs in the agent's browser and DNS-rebinding pages get 403."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Flask, abort, redirect, request

COOKIE = "kd_token"


def install(app: Flask, token: str) -> None:
    @app.before_request
    def guard() -> Any:
        port = request.environ.get("SERVER_PORT", "")
        allowed_hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        if request.host not in allowed_hosts:
            abort(403)
        origin = request.headers.get("Origin")
        if origin is not None and origin not in {f"http://{h}" for h in allowed_hosts}:
            abort(403)
        offered = request.cookies.get(COOKIE) or request.headers.get("X-Bridge-Token") or ""
        if hmac.compare_digest(offered, token):
            return None
        if request.path == "/" and hmac.compare_digest(request.args.get("token", ""), token):
            resp = redirect("/", code=302)  # drop the token from the address bar and history
            resp.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
            return resp
        abort(403)
