"""Reference data and the API description: code languages, the OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from app.protocol.models import Language
from app.server.api import AGENT, PUBLIC, Page
from app.server.highlight import languages
from app.server.openapi import build_openapi
from app.server.views import api


@api.route("GET", "/code/languages", auth=AGENT, resource="language", tag="code", response=list[Language],
           collection=True, summary="Pygments lexers for the Push code language drop-down")
def code_languages(svc: Any, principal: Any) -> Page:
    items = languages()
    return Page(items, len(items), 0, len(items))


@api.route("GET", "/openapi.json", auth=PUBLIC, resource="openapi", tag="meta", raw=True,
           summary="This document")
def openapi(svc: Any, principal: Any) -> Any:
    return jsonify(build_openapi(api))
