"""Files: two-step upload (upload → id → a post references it) and guarded downloads (DESIGN §7)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from flask import Response, request, send_file

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import FileInfo, FileLinks
from kayako_desktop.server.actions.files import file_path, store_upload
from kayako_desktop.server.api import AGENT_OR_VISITOR, PUBLIC, VISITOR, Created
from kayako_desktop.server.auth import authenticate
from kayako_desktop.server.clock import iso
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.file_links import check_link, make_link
from kayako_desktop.server.queries import access_by_id
from kayako_desktop.server.queries.files import access_file, file_model
from kayako_desktop.server.rows import FileRow
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


def _access(svc: Services, principal: Principal, file_id: str) -> FileRow:
    with svc.db.read() as db:
        if principal.is_agent:
            return access_file(db, file_id, agent_id=principal.id)
        return access_file(db, file_id, visitor_id=principal.id)


@api.route("POST", "/files", auth=AGENT_OR_VISITOR, resource="file", tag="files", response=FileInfo,
           multipart=True, statuses=[201, 413],
           summary="Upload one file (multipart field `file` or `content`, as Kayako's agent app sends it, with an "
                   "optional `name`); then send its id in a post")
def upload(svc: Services, principal: Principal) -> Created:
    item = request.files.get("file") or request.files.get("content")
    if item is None:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "Attach the file as multipart field 'file'", parameter="file")
    name = (request.form.get("name") or "").strip() or item.filename
    kind = "AGENT" if principal.is_agent else "VISITOR"
    file_id = store_upload(svc, item.stream, name, item.mimetype, kind, principal.id)
    with svc.db.read() as db:
        return Created(file_model(access_by_id(db, "files", file_id, FileRow, "File")))


@api.route("GET", "/files/<file_id>", auth=AGENT_OR_VISITOR, resource="file", tag="files", response=FileInfo,
           summary="File metadata")
def metadata(svc: Services, principal: Principal, file_id: str) -> FileInfo:
    return file_model(_access(svc, principal, file_id))


@api.route("GET", "/files/<file_id>/links", auth=VISITOR, resource="file_links", tag="files", response=FileLinks,
           summary="Signed links to a file's content for this visitor (an <img> or a download cannot send the "
                   "visitor token, and a token never goes in a URL); they expire after an hour")
def links(svc: Services, principal: Principal, file_id: str) -> FileLinks:
    with svc.db.read() as db:
        row = access_file(db, file_id, visitor_id=principal.id)
    now = svc.clock.now()
    view, expires = make_link(svc, file_id, principal.id, now) if row["is_image"] else (None, 0)
    download, expires = make_link(svc, file_id, principal.id, now, download=True)
    return FileLinks(view=view, download=download, expires_at=iso(expires))


@api.route("GET", "/files/<file_id>/content", auth=PUBLIC, resource="file", tag="files", raw=True, statuses=[401, 403],
           summary="Download: safe images inline, everything else as an attachment (never SVG/HTML inline). "
                   "Agents send their session; visitors a signed link from /files/{id}/links, or X-Visitor-Token")
def content(svc: Services, principal: Principal, file_id: str) -> Response:
    if "sig" in request.args:
        visitor_id = check_link(svc, file_id, request.args, svc.clock.now())
        if visitor_id is None:
            raise ApiError(ErrorCode.PERMISSION_DENIED, "This link has expired or is not valid; open the file "
                                                        "again from the chat")
        with svc.db.read() as db:
            row = access_file(db, file_id, visitor_id=visitor_id)
    else:
        row = _access(svc, authenticate(AGENT_OR_VISITOR, is_write=False), file_id)
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
