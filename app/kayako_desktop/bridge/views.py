"""The UI's HTTP API: instances, the snapshot, a REST pass-through per instance, and file uploads."""

from __future__ import annotations

import mimetypes
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from kayako_desktop.bridge.registry import InstanceError, ServerRegistry
from kayako_desktop.bridge.upstream import ONLINE

bp = Blueprint("bridge_api", __name__, url_prefix="/api")
SNAPSHOT_PARTS = {"me": "me", "agents": "agents", "visitors": "visitors?limit=5000", "queue": "cases/queue", "offers": "offers",
                  "macros": "cases/macros", "open": "cases?status=OPEN&limit=200", "new": "cases?status=NEW&limit=200"}


def registry() -> ServerRegistry:
    reg: ServerRegistry = current_app.extensions["bridge"]["registry"]
    return reg


def _error(code: str, message: str, status: int) -> Response:
    resp = jsonify({"error": {"code": code, "message": message}})
    resp.status_code = status
    return resp


@bp.errorhandler(InstanceError)
def instance_error(err: InstanceError) -> Response:
    return _error(err.code, err.message, err.status)


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InstanceError("INVALID_JSON", "Send a JSON object")
    return data


@bp.get("/instances")
def list_instances() -> Response:
    return jsonify({"instances": [u.describe() for u in registry().ordered()]})


@bp.post("/instances")
def add_instance() -> Any:
    body = _body()
    up = registry().add(str(body.get("url", "")), str(body.get("email", "")), str(body.get("password", "")),
                        body.get("name"))
    return jsonify({"instance": up.describe()}), 201


@bp.patch("/instances/<iid>")
def update_instance(iid: str) -> Response:
    """Rename a tab and/or give a new password (after "auth failed"), which signs in again at once."""
    body = _body()
    up = registry().get(iid)
    if "password" in body:
        up = registry().set_password(iid, str(body["password"]))
    if "name" in body:
        up = registry().rename(iid, str(body["name"]))
    return jsonify({"instance": up.describe()})


@bp.delete("/instances/<iid>")
def remove_instance(iid: str) -> Any:
    registry().remove(iid)
    return "", 204


@bp.put("/instances/order")
def reorder_instances() -> Response:
    ids = _body().get("ids")
    if not isinstance(ids, list):
        raise InstanceError("FIELD_INVALID", "ids must be a list")
    registry().reorder([str(i) for i in ids])
    return list_instances()


def _state(up: Any) -> dict[str, Any] | None:
    if up.status != ONLINE:
        return None
    out: dict[str, Any] = {}
    try:
        for key, path in SNAPSHOT_PARTS.items():
            r = up.request("GET", path, params={"include": "*"}, timeout=5)  # nested resources whole
            out[key] = r.json().get("data") if r.ok else None
    except Exception:  # a hung or vanished server must not blank the whole UI: this instance has no state
        return None
    out["cases"] = (out.pop("open") or []) + (out.pop("new") or [])
    return out


@bp.get("/snapshot")
def snapshot() -> Response:
    """Everything a freshly loaded UI needs; events after `seq` then come over the socket."""
    seq = current_app.extensions["bridge"]["relay"].head
    ups = registry().ordered()
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(ups)))) as pool:
        states = list(pool.map(_state, ups))
    return jsonify({"seq": seq, "instances": [{**u.describe(), "state": s} for u, s in zip(ups, states, strict=True)]})


def _passthrough(r: Any) -> Response:
    return Response(r.content, status=r.status_code, content_type=r.headers.get("Content-Type", "application/json"))


@bp.route("/i/<iid>/rest/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def rest(iid: str, path: str) -> Response:
    up = registry().get(iid)
    body = request.get_data() or None
    headers = {"Content-Type": request.content_type} if body else {}
    try:
        r = up.request(request.method, path, params=request.args, data=body, headers=headers)
    except Exception as exc:  # the server is unreachable or refuses our login: say so, as a Kayako envelope
        return Response(f'{{"status":502,"errors":[{{"code":"UPSTREAM_UNAVAILABLE","message":{_q(str(exc))}}}]}}',
                        status=502, content_type="application/json")
    return _passthrough(r)


def _q(text: str) -> str:
    import json

    return json.dumps(text)


def _multipart(name: str, stream: Any, content_type: str, boundary: str) -> Any:
    """A multipart body generated chunk by chunk, so large files pass through without being held whole."""
    quoted = name.replace("\\", "_").replace('"', "%22").replace("\r", " ").replace("\n", " ")
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{quoted}\"\r\n"
           f"Content-Type: {content_type}\r\n\r\n").encode()
    while chunk := stream.read(64 * 1024):
        yield chunk
    yield f"\r\n--{boundary}--\r\n".encode()


def _upload(up: Any, name: str, stream: Any, content_type: str) -> Response:
    boundary = uuid.uuid4().hex
    try:
        up.ensure_session()  # a streamed body cannot be replayed after a 454, so log in first if needed
        r = up.request("POST", "files", data=_multipart(name, stream, content_type, boundary), timeout=600,
                       headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    except Exception as exc:  # the server went away mid-upload: a retryable error the UI can name
        return Response(f'{{"status":502,"errors":[{{"code":"UPSTREAM_UNAVAILABLE","message":'
                        f'{_q(f"Lost the connection to the chat server ({type(exc).__name__})")}}}]}}',
                        status=502, content_type="application/json")
    return _passthrough(r)


@bp.post("/i/<iid>/files")
def upload_stream(iid: str) -> Response:
    """Upload from the UI: the body is the file itself, streamed through (never held in memory whole)."""
    up = registry().get(iid)
    name = unquote(request.headers.get("X-Filename", "")) or "file"
    return _upload(up, name, request.stream, request.content_type or "application/octet-stream")


@bp.post("/i/<iid>/files/from-path")
def upload_path(iid: str) -> Response:
    """Upload a file the user picked in the desktop's native dialog or dropped from the file manager. The
    page sends the capability the shell minted for it (`ref`), never a path: a path named by a web page
    (or by anyone holding the token) is refused."""
    up = registry().get(iid)
    body = _body()
    local_files = current_app.extensions["bridge"].get("local_files")
    if "path" in body:
        raise InstanceError("PERMISSION_DENIED", "Files are sent by reference to what you picked or dropped, "
                                                 "never by path", 403)
    ref = body.get("ref")
    found = local_files.redeem(str(ref)) if (local_files is not None and isinstance(ref, str) and ref) else None
    if found is None:
        raise InstanceError("PERMISSION_DENIED", "This file was not picked or dropped in Kayako Desktop just now; "
                                                 "choose it again", 403)
    path = Path(found)
    if not path.is_file():
        raise InstanceError("FIELD_INVALID", f"{path.name} is no longer there")
    if not os.access(path, os.R_OK):
        raise InstanceError("PERMISSION_DENIED", f"Cannot read {path.name}", 403)
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    with open(path, "rb") as fh:
        return _upload(up, path.name, fh, kind)


@bp.get("/i/<iid>/files/<file_id>/content")
def download(iid: str, file_id: str) -> Response:
    up = registry().get(iid)
    r = up.request("GET", f"files/{file_id}/content", params=request.args, stream=True)
    headers = {k: v for k, v in r.headers.items()
               if k.lower() in ("content-type", "content-disposition", "content-length", "etag", "cache-control",
                                "x-content-type-options", "content-security-policy")}
    return Response(stream_with_context(r.iter_content(64 * 1024)), status=r.status_code, headers=headers)
