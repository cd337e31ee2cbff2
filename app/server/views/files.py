"""Files: two-step upload (upload → id → a post references it) and guarded downloads (DESIGN §7)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, request, send_file

from app.protocol.errors import ErrorCode
from app.protocol.models import FileInfo
from app.server.actions.files import file_path, store_upload
from app.server.api import AGENT_OR_VISITOR, Created
from app.server.errors import ApiError
from app.server.queries.files import access_file, file_model, get_file
from app.server.views import api


def _access(svc: Any, principal: Any, file_id: str) -> Any:
    with svc.db.read() as db:
        if principal.is_agent:
            return access_file(db, file_id, agent_id=principal.id)
        return access_file(db, file_id, visitor_id=principal.id)


@api.route("POST", "/files", auth=AGENT_OR_VISITOR, resource="file", tag="files", response=FileInfo,
           multipart=True, statuses=[201, 413],
           summary="Upload one file (multipart field `file`); then send its id in a post")
def upload(svc: Any, principal: Any) -> Created:
    item = request.files.get("file")
    if item is None:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Attach the file as multipart field 'file'", parameter="file")
    kind = "AGENT" if principal.is_agent else "VISITOR"
    file_id = store_upload(svc, item.stream, item.filename, item.mimetype, kind, principal.id)
    with svc.db.read() as db:
        return Created(file_model(get_file(db, file_id)))


@api.route("GET", "/files/<file_id>", auth=AGENT_OR_VISITOR, resource="file", tag="files", response=FileInfo,
           summary="File metadata")
def metadata(svc: Any, principal: Any, file_id: str) -> FileInfo:
    return file_model(_access(svc, principal, file_id))


@api.route("GET", "/files/<file_id>/content", auth=AGENT_OR_VISITOR, resource="file", tag="files", raw=True,
           summary="Download: safe images inline, everything else as an attachment (never SVG/HTML inline)")
def content(svc: Any, principal: Any, file_id: str) -> Response:
    row = _access(svc, principal, file_id)
    path = file_path(svc, row["id"])
    if not path.exists():
        raise ApiError(ErrorCode.NOT_FOUND, "The file's contents are missing on the server")
    inline = bool(row["is_image"]) and request.args.get("download") is None
    mimetype = row["content_type"] if row["is_image"] else "application/octet-stream"
    resp = send_file(path, mimetype=mimetype, conditional=True, etag=row["sha256"], max_age=3600)
    ascii_name = row["name"].encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    disposition = "inline" if inline else "attachment"
    resp.headers["Content-Disposition"] = f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(row['name'])}"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return resp
