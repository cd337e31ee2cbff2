"""The OpenAPI 3.1 document, built from the route table and the protocol's pydantic models."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter

from app import __version__
from app.protocol.errors import ErrorCode

_SECURITY = {
    "agent": [{"sessionId": [], "csrfToken": []}],
    "visitor": [{"visitorToken": []}],
    "agent_or_visitor": [{"sessionId": [], "csrfToken": []}, {"visitorToken": []}],
    "basic": [{"basic": []}],
    "public": [],
}
_ERROR = {
    "type": "object",
    "required": ["status", "errors"],
    "properties": {
        "status": {"type": "integer"},
        "errors": {"type": "array", "items": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string", "enum": [c.value for c in ErrorCode]},
            "message": {"type": "string"},
            "parameter": {"type": "string"},
        }}},
    },
}


def _schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    schema = TypeAdapter(tp).json_schema(ref_template="#/components/schemas/{model}")
    defs.update(schema.pop("$defs", {}))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        defs[tp.__name__] = schema
        return {"$ref": f"#/components/schemas/{tp.__name__}"}
    return schema


def _path(flask_path: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", flask_path):
        kind = {"type": "integer", "minimum": 0} if conv == "int" else {"type": "string", "pattern": "^[0-9a-f]{32}$"}
        params.append({"name": name, "in": "path", "required": True, "schema": kind})
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", flask_path), params


def _query(model: type[BaseModel]) -> list[dict[str, Any]]:
    out = []
    for name, prop in model.model_json_schema()["properties"].items():
        if "anyOf" in prop:  # optional: a query string has no null, only absence
            subs = [s for s in prop["anyOf"] if s.get("type") != "null"]
            prop = subs[0] if len(subs) == 1 else {"anyOf": subs}
        prop = {k: v for k, v in prop.items() if k not in ("title", "default")}
        out.append({"name": name, "in": "query", "required": False, "schema": prop})
    return out


def build_openapi(api: Any) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for r in api.routes:
        path, params = _path(r.path)
        op: dict[str, Any] = {"summary": r.summary, "tags": [r.tag], "operationId": r.handler.__name__,
                              "security": _SECURITY[r.auth]}
        if r.query is not None:
            params += _query(r.query)
        if params:
            op["parameters"] = params
        if r.body is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _schema(r.body, defs)}}}
        if r.multipart:
            op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}}}}}}
        ok = 201 if 201 in r.statuses else 200
        if r.raw:
            body = {"description": "The resource", "content": {"*/*": {}}}
        else:
            data = _schema(r.response, defs) if r.response is not None else {"type": "null"}
            env: dict[str, Any] = {"type": "object", "required": ["status", "data", "resource"], "properties": {
                "status": {"type": "integer"}, "data": data, "resource": {"type": "string", "const": r.resource}}}
            if r.collection:
                env["properties"].update(offset={"type": "integer"}, limit={"type": "integer"},
                                         total_count={"type": "integer"},
                                         next_url={"anyOf": [{"type": "string"}, {"type": "null"}]})
            body = {"description": "Kayako envelope", "content": {"application/json": {"schema": env}}}
        responses: dict[str, Any] = {str(ok): body}
        if ok == 201:
            responses["200"] = body  # idempotent retries answer 200 with the original
        error = {"description": "Kayako error envelope", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}}}}
        codes = {400, 404, *[s for s in r.statuses if s >= 400]}
        if r.auth != "public":
            codes |= {401, 403, 454}
        for code in sorted(codes):
            responses[str(code)] = error
        op["responses"] = responses
        paths.setdefault(api.prefix + path, {})[r.method.lower()] = op
    defs["Error"] = _ERROR
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kayako Desktop chat server", "version": __version__,
                 "description": "REST API in Kayako v1 conventions. Realtime: WebSocket /api/v1/realtime."},
        "paths": paths,
        "components": {"schemas": defs, "securitySchemes": {
            "basic": {"type": "http", "scheme": "basic"},
            "sessionId": {"type": "apiKey", "in": "header", "name": "X-Session-ID"},
            "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
            "visitorToken": {"type": "apiKey", "in": "header", "name": "X-Visitor-Token"},
        }},
    }
