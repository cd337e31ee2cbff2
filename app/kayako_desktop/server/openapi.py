"""The OpenAPI 3.1 document, built from the route table and the protocol's pydantic models."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter

from kayako_desktop import __version__
from kayako_desktop.protocol.errors import ErrorCode

_SESSION: dict[str, list[str]] = {"sessionId": []}
_CSRF: dict[str, list[str]] = {"sessionId": [], "csrfToken": []}
_VISITOR: dict[str, list[str]] = {"visitorToken": []}
# Reads need the session only; writes the session and its CSRF token (a GET never checks CSRF).
_SECURITY = {
    ("agent", "read"): [_SESSION, {"basic": []}],
    ("agent", "write"): [_CSRF, {"basic": []}],
    ("visitor", "read"): [_VISITOR],
    ("visitor", "write"): [_VISITOR],
    ("agent_or_visitor", "read"): [_SESSION, _VISITOR],
    ("agent_or_visitor", "write"): [_CSRF, _VISITOR],
    ("basic", "read"): [{"basic": []}],
    ("public", "read"): [],
    ("public", "write"): [],
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# What each error status means here (DESIGN §6); 454 is Kayako's, not a typo for 401.
_MEANING = {
    400: "Invalid input: INVALID_JSON, FIELD_REQUIRED, FIELD_INVALID, FIELD_UNEXPECTED",
    401: "No credentials (AUTHENTICATION_REQUIRED) or wrong ones (AUTHENTICATION_FAILED)",
    403: "PERMISSION_DENIED (see the permission table) or CSRF_FAILED",
    404: "NOT_FOUND",
    409: "The state forbids it: ALREADY_ASSIGNED, CONVERSATION_CLOSED, INVALID_STATE, AGENT_UNAVAILABLE, "
         "CAPACITY_REACHED, DUPLICATE",
    413: "REQUEST_TOO_LARGE or FILE_TOO_LARGE",
    429: "RATE_LIMIT_REACHED: wait the Retry-After seconds",
    406: "NOT_ACCEPTABLE: the Accept header allows no JSON",
    412: "PRECONDITION_FAILED: If-Match names another version (ETag) than the current one; nothing changed",
    454: "SESSION_NOT_FOUND: the session is unknown, expired or logged out (Kayako's status); log in again",
    507: "STORAGE_FULL: the server's disk is full; nothing was saved",
    502: "EMAIL_FAILED: the mail server did not take the message; nothing was sent",
    503: "DATABASE_UNAVAILABLE: a team server cannot reach its PostgreSQL; nothing changed, try again",
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
            "more_info": {"type": "string", "description": "This server's page for the code: GET /errors/{code}"},
        }}},
    },
}


# Where the id a path parameter wants comes from: (operationId, JSON pointer into its answer). Every operation
# taking that parameter gets an OpenAPI link from each of these answers, so clients (and schemathesis'
# stateful phase) can follow a created chat, macro, agent, visitor, invitation or file to what acts on it.
_ID_SOURCES: dict[str, list[tuple[str, str]]] = {
    "case_id": [("start", "/data/id"), ("offline_message", "/data/id")],
    "conversation_id": [("start", "/data/id"), ("offline_message", "/data/id")],
    "macro_id": [("create_macro", "/data/id")],
    "agent_id": [("create_agent", "/data/id"), ("me", "/data/id")],
    "visitor_id": [("create_visitor", "/data/visitor/id")],
    "invitation_id": [("invite", "/data/id")],
    "file_id": [("upload", "/data/id")],
    "team_id": [("create_team", "/data/id")],
    "ban_id": [("create_ban", "/data/id")],
    "note_id": [("add_visitor_note", "/data/id")],
}


def _add_links(paths: dict[str, dict[str, Any]]) -> None:
    ops = {op["operationId"]: op for item in paths.values() for op in item.values()}
    for target_id, target in ops.items():
        for param in (p["name"] for p in target.get("parameters", []) if p["in"] == "path"):
            for source_id, pointer in _ID_SOURCES.get(param, []):
                ok = next(code for code in ("201", "200") if code in ops[source_id]["responses"])
                answer = ops[source_id]["responses"][ok] = dict(ops[source_id]["responses"][ok])
                answer.setdefault("links", {})[f"{target_id}_{param}"] = {
                    "operationId": target_id, "parameters": {param: f"$response.body#{pointer}"}}


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


_REFERENCE = {
    "type": "object", "required": ["id", "resource_type"], "additionalProperties": False,
    "description": "A nested resource not asked for with `include` (Kayako's reference to it)",
    "properties": {"id": {"type": ["integer", "string"]}, "resource_type": {"type": "string"},
                   "resource_url": {"type": "string"}},
}


def _referable(defs: dict[str, Any]) -> set[str]:
    """The models that, nested in another, are references unless included: resources with an id."""
    from kayako_desktop.protocol import models

    return {name for name, schema in defs.items()
            if getattr(getattr(models, name, None), "RESOURCE", None) is not None
            and "id" in schema.get("properties", {})}


def _or_reference(prop: dict[str, Any], referable: set[str]) -> dict[str, Any]:
    ref = prop.get("$ref", "")
    if ref.rsplit("/", 1)[-1] in referable:
        return {"anyOf": [prop, {"$ref": "#/components/schemas/Reference"}]}
    if "anyOf" in prop:
        return {**prop, "anyOf": [_or_reference(p, referable) for p in prop["anyOf"]]}
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        return {**prop, "items": _or_reference(prop["items"], referable)}
    return prop


def _add_resource_fields(defs: dict[str, Any]) -> None:
    """The envelope adds `resource_type` (and `resource_url` where the resource has an address) to each model
    that names a RESOURCE (protocol/models.py), and a resource nested in another may be a reference to it
    (unless `include` names its type); the schemas say so."""
    from kayako_desktop.protocol import models

    referable = _referable(defs)
    for name, schema in defs.items():
        if "properties" in schema:
            schema["properties"] = {k: _or_reference(v, referable) for k, v in schema["properties"].items()}
        resource = getattr(getattr(models, name, None), "RESOURCE", None)
        if resource is None or "properties" not in schema:
            continue
        kind, path = resource
        schema["properties"]["resource_type"] = {"type": "string", "const": kind}
        schema["required"] = [*schema.get("required", []), "resource_type"]
        if path is not None:
            schema["properties"]["resource_url"] = {"type": "string", "description": f"/api/v1/{path}"}


def build_openapi(api: Any) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for r in api.routes:
        path, params = _path(r.path)
        writes = r.method in WRITES
        op: dict[str, Any] = {"summary": r.summary, "tags": [r.tag], "operationId": r.handler.__name__,
                              "security": _SECURITY[(r.auth, "write" if writes else "read")]}
        if r.query is not None:
            params += _query(r.query)
        if params:
            op["parameters"] = params
        if r.body is not None:
            schema = _schema(r.body, defs)  # Kayako takes a form wherever it takes JSON
            op["requestBody"] = {"required": not r.optional_body,
                                 "content": {"application/json": {"schema": schema},
                                             "application/x-www-form-urlencoded": {"schema": schema}}}
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
                "status": {"type": "integer"}, "data": data, "resource": {"type": "string", "const": r.resource},
                "resources": {"type": "object", "description": "Flat mode (_flat=true or X-Options: flat): the "
                              "nested resources, once each, by resource_type and id"}}}
            if r.collection:
                env["properties"].update(offset={"type": "integer"}, limit={"type": "integer"},
                                         total_count={"type": "integer"},
                                         next_url={"anyOf": [{"type": "string"}, {"type": "null"}]},
                                         previous_url={"anyOf": [{"type": "string"}, {"type": "null"}]})
            body = {"description": "Kayako envelope", "content": {"application/json": {"schema": env}}}
        responses: dict[str, Any] = {str(ok): body}
        if ok == 201:
            responses["200"] = body  # idempotent retries answer 200 with the original
        codes = {400, 404, 503, *[s for s in r.statuses if s >= 400]}
        if not r.raw:
            codes.add(406)
        if writes:
            codes.add(412)
        if r.auth != "public":
            codes |= {401, 403, 454}
        if r.body is not None:
            codes.add(413)
        if writes or r.auth == "basic":  # logging in writes too (sessions, failed attempts)
            codes.add(507)
        for code in sorted(codes):
            responses[str(code)] = {"description": _MEANING.get(code, "Kayako error envelope"),
                                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        op["responses"] = responses
        paths.setdefault(api.prefix + path, {})[r.method.lower()] = op
    _add_links(paths)
    _add_resource_fields(defs)
    defs["Error"] = _ERROR
    defs["Reference"] = _REFERENCE
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kayako Desktop chat server", "version": __version__,
                 "description": (
                     "REST API in Kayako v1 conventions. Realtime: WebSocket /api/v1/realtime. Every path also "
                     "answers with a `.json` suffix (/api/v1/cases/1.json). HTTP Basic credentials on any agent "
                     "request log in: the answer carries `session_id` at its top level and the session's "
                     "X-CSRF-Token header (none when the request sent `X-CSRF: false`); use X-Session-ID from "
                     "then on. Bodies may be JSON or application/x-www-form-urlencoded (or multipart/form-data). "
                     "Answers carry X-API-Version: 1; JSON reads carry an ETag: If-None-Match answers 304, and "
                     "a write with If-Match is refused with 412 unless the resource is still that version. "
                     "Errors name `more_info`, this server's page for the code (GET /api/v1/errors/{code}). "
                     "Output options on every answer: a resource nested in another is a reference {id, "
                     "resource_type, resource_url} unless `include=` names its type (user, visitor, case, "
                     "case_status, file…; `include=*` for all); `_flat=true` (or X-Options: flat) puts the nested "
                     "ones once each under `resources`; `fields=` keeps the named fields (`+name` adds, "
                     "`requester(name)` selects inside); `_empty=false` drops empty fields; `_case=camel|pascal`.")},
        "paths": paths,
        "components": {"schemas": defs, "securitySchemes": {
            "basic": {"type": "http", "scheme": "basic", "description": (
                "Email and password on GET /session or on any agent request: opens a session (`session_id` "
                "in the answer, X-CSRF-Token header); throttled like every login")},
            "sessionId": {"type": "apiKey", "in": "header", "name": "X-Session-ID", "description": (
                "The id from GET /session. Missing: 401 AUTHENTICATION_REQUIRED; unknown, expired or logged "
                "out: 454 SESSION_NOT_FOUND (Kayako's status, not 401): log in again")},
            "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token", "description": (
                "The X-CSRF-Token header of GET /session, on writes only (POST, PUT, DELETE); wrong or "
                "missing: 403 CSRF_FAILED")},
            "visitorToken": {"type": "apiKey", "in": "header", "name": "X-Visitor-Token", "description": (
                "The token from POST /messenger/visitors. Missing or unknown: 401")},
        }},
    }
