"""The chat server: `create_app(config)` builds the Flask app (REST /api/v1, realtime socket, files)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from flask_sock import Sock
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from kayako_desktop.flask_app import App
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.redaction import redact
from kayako_desktop.server.api import error_response, etag_of
from kayako_desktop.server.clock import Clock
from kayako_desktop.server.config import DEFAULTS, from_env
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.services import Services
from kayako_desktop.server.site import site

log = logging.getLogger(__name__)


def create_app(config: dict[str, Any] | None = None, clock: Clock | None = None) -> Flask:
    app = App(__name__, static_folder=None)
    app.config.update(DEFAULTS)
    app.config.update(from_env())
    app.config.update(config or {})
    # Multipart framing needs a little room above the file limit; the exact limit is enforced per file.
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["CHAT_MAX_UPLOAD_BYTES"]) + 1024 * 1024
    app.config["SOCK_SERVER_OPTIONS"] = {"max_message_size": 1024 * 1024}
    app.json.sort_keys = False  # type: ignore[attr-defined]  # DefaultJSONProvider's, the one Flask uses

    svc = Services(app.config, clock or Clock())
    app.extensions["chat"] = svc
    redact("werkzeug", "gunicorn.access", "gunicorn.error")  # request lines never log a credential

    from kayako_desktop.server.views import api

    app.register_blueprint(api.blueprint)
    app.register_blueprint(site)
    _register_socket(app, svc)
    _register_errors(app)

    @app.get("/")
    def index() -> Any:
        return jsonify({"name": "Kayako Desktop chat server", "api": "/api/v1", "openapi": "/api/v1/openapi.json",
                        "realtime": "/api/v1/realtime"})

    _register_kayako_conventions(app)
    svc.start_ticker()
    return app


class _JsonSuffix:
    """Kayako's `.json` suffix is optional on every API path: /api/v1/cases/1.json is /api/v1/cases/1."""

    def __init__(self, wsgi: Any) -> None:
        self.wsgi = wsgi

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/api/v1/") and path.endswith(".json") and path != "/api/v1/openapi.json":
            environ["PATH_INFO"] = path[: -len(".json")]
        return self.wsgi(environ, start_response)


def _register_kayako_conventions(app: Flask) -> None:
    app.wsgi_app = _JsonSuffix(app.wsgi_app)  # type: ignore[method-assign]

    @app.after_request
    def versions(resp: Response) -> Response:
        """X-API-Version on every API answer; an ETag on JSON reads, and 304 when If-None-Match has it."""
        if not request.path.startswith("/api/") or request.path == "/api/v1/realtime":
            return resp
        resp.headers["X-API-Version"] = "1"
        if (request.method == "GET" and resp.status_code == 200 and resp.mimetype == "application/json"
                and not resp.direct_passthrough and "ETag" not in resp.headers):
            tag = etag_of(resp.get_data())
            resp.set_etag(tag)
            resp.headers.setdefault("Cache-Control", "private, no-cache")  # ask again, with the ETag
            if request.if_none_match.contains(tag):
                resp.status_code = 304
                resp.set_data(b"")
        return resp


def _register_socket(app: Flask, svc: Services) -> None:
    from kayako_desktop.server.realtime.socket import Connection

    sock = Sock(app)

    @app.before_request
    def no_socket_compression() -> None:
        # Chat frames are small; per-socket zlib windows cost ~200 KB each (measured: 110 → 310 MiB at
        # 1,000 sockets). Declining permessage-deflate keeps memory flat.
        if request.path == "/api/v1/realtime":
            request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)

    @sock.route("/api/v1/realtime")  # type: ignore[untyped-decorator]
    def realtime(ws: Any) -> None:
        Connection(svc, ws).run()


def _register_errors(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(err: ApiError) -> Any:
        return error_response(err)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(err: Exception) -> Any:
        limit = int(app.config["CHAT_MAX_UPLOAD_BYTES"]) // (1024 * 1024)
        code = ErrorCode.FILE_TOO_LARGE if request.path.endswith("/files") else ErrorCode.REQUEST_TOO_LARGE
        return error_response(ApiError(code, f"Files are limited to {limit} MB", parameter="file"))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Any:
        code = {404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED}.get(err.code or 0, ErrorCode.FIELD_INVALID)
        allow = {k: v for k, v in err.get_headers() if k == "Allow"}  # a 405 must say what is allowed
        return error_response(ApiError(code, err.description or err.name, status=err.code, headers=allow))

    @app.errorhandler(Exception)
    def crash(err: Exception) -> Any:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(ApiError(ErrorCode.INTERNAL_ERROR, "Something went wrong on the server"))
