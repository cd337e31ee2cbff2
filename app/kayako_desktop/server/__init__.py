"""The chat server: `create_app(config)` builds the Flask app (REST /api/v1, realtime socket, files)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from flask_sock import Sock
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.redaction import redact
from kayako_desktop.server.api import error_response
from kayako_desktop.server.clock import Clock
from kayako_desktop.server.config import DEFAULTS, from_env
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.services import Services
from kayako_desktop.server.site import site

log = logging.getLogger(__name__)


def create_app(config: dict[str, Any] | None = None, clock: Clock | None = None) -> Flask:
    app = Flask(__name__, static_folder=None)
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

    svc.start_ticker()
    return app


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
