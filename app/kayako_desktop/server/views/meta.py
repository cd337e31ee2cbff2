"""Reference data and the API description: code languages, the OpenAPI document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import jsonify

from kayako_desktop.protocol.commands import MAX_CODE, MAX_TEXT, CodePreviewInput
from kayako_desktop.protocol.errors import DESCRIPTIONS, ErrorCode, http_status
from kayako_desktop.protocol.models import CodePreview, ErrorInfo, Language, Limits
from kayako_desktop.server.api import AGENT, AGENT_OR_VISITOR, PUBLIC, Page
from kayako_desktop.server.errors import not_found
from kayako_desktop.server.highlight import languages, preview_code
from kayako_desktop.server.openapi import build_openapi
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


@api.route("GET", "/code/languages", auth=AGENT, resource="language", tag="code", response=list[Language],
           collection=True, summary="Pygments lexers for the Push code language drop-down")
def code_languages(svc: Services, principal: Principal) -> Page:
    items = languages()
    return Page(items, len(items), 0, len(items))


@api.route("POST", "/code/preview", auth=AGENT, resource="code_preview", tag="code", body=CodePreviewInput,
           response=CodePreview, summary="Highlight a snippet as a code post would (guesses the language when none is given)")
def code_preview(svc: Services, principal: Principal, body: CodePreviewInput) -> CodePreview:
    return preview_code(body.contents, body.language)


@api.route("GET", "/meta/limits", auth=AGENT_OR_VISITOR, resource="limits", tag="meta", response=Limits,
           summary="Upload size and message length limits, so clients can refuse early and name them")
def limits(svc: Services, principal: Principal) -> Limits:
    return Limits(max_upload_bytes=int(svc.config["CHAT_MAX_UPLOAD_BYTES"]), max_text_chars=MAX_TEXT,
                  max_code_chars=MAX_CODE)


@api.route("GET", "/openapi.json", auth=PUBLIC, resource="openapi", tag="meta", raw=True,
           summary="This document")
def openapi(svc: Services, principal: Principal) -> Any:
    return jsonify(build_openapi(api))


@api.route("GET", "/errors", auth=PUBLIC, resource="error_code", tag="meta", response=list[ErrorInfo],
           collection=True, summary="Every error code the API answers with, its HTTP status and meaning")
def error_codes(svc: Services, principal: Principal) -> Page:
    items = [_info(code) for code in ErrorCode]
    return Page(items, len(items), 0, len(items))


@api.route("GET", "/errors/<code>", auth=PUBLIC, resource="error_code", tag="meta", response=ErrorInfo,
           summary="What one error code means (the `more_info` of every error)")
def error_code(svc: Services, principal: Principal, code: str) -> ErrorInfo:
    if code not in ErrorCode.__members__:
        raise not_found("Error code")
    return _info(ErrorCode(code))


def _info(code: ErrorCode) -> ErrorInfo:
    return ErrorInfo(code=str(code), status=http_status(code), description=DESCRIPTIONS[code])
