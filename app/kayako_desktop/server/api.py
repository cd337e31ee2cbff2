"""The REST layer's one mechanism: routes declare auth and input models; this validates, authenticates,
wraps results in Kayako envelopes, maps errors, and describes every route in the OpenAPI document."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, jsonify, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from kayako_desktop.protocol.commands import MAX_ID
from kayako_desktop.protocol.envelope import MAX_JSON_DEPTH, too_deep
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.services import services_of

PUBLIC, AGENT, VISITOR, AGENT_OR_VISITOR, BASIC = "public", "agent", "visitor", "agent_or_visitor", "basic"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The largest real body is a 50,000-character code post (a few hundred KB escaped); uploads are multipart.
MAX_JSON_BODY_BYTES = 1024 * 1024


@dataclass
class Page:
    items: list[Any]
    total: int
    offset: int
    limit: int
    # Cursor pages (a timeline): the query arguments of the pages before and after this one, None at the ends.
    # Offset pages (everything else) leave them unset: their links move `offset` by `limit`.
    cursors: tuple[dict[str, int] | None, dict[str, int] | None] | None = None


@dataclass
class Created:
    data: Any


@dataclass
class Route:
    method: str
    path: str
    handler: Callable[..., Any]
    auth: str
    resource: str
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    collection: bool = False
    multipart: bool = False
    raw: bool = False  # returns a Flask Response (file downloads)
    statuses: list[int] = field(default_factory=list)
    optional_body: bool = False  # every field has a default: no body at all means "the defaults"


def validation_error(exc: ValidationError) -> ApiError:
    err = exc.errors()[0]
    param = ".".join(str(p) for p in err["loc"]) or None
    kind = err["type"]
    if kind == "missing" or (kind == "string_too_short" and err.get("input") == ""):  # empty = not given
        return ApiError(ErrorCode.FIELD_REQUIRED, f"{param} is required", parameter=param)
    if kind == "extra_forbidden":
        return ApiError(ErrorCode.FIELD_UNEXPECTED, f"{param} is not a known field", parameter=param)
    return ApiError(ErrorCode.FIELD_INVALID, f"{param}: {err['msg']}", parameter=param)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _form() -> dict[str, Any]:
    """A form body as fields: a repeated name (or `name[]`) is a list, as Kayako clients send ids."""
    out: dict[str, Any] = {}
    for name in request.form:
        values = request.form.getlist(name)
        key = name[:-2] if name.endswith("[]") else name
        out[key] = values if name.endswith("[]") or len(values) > 1 else values[0]
    return out


def parse_body(model: type[BaseModel], optional: bool = False) -> BaseModel:
    if request.mimetype in FORM_TYPES:  # Kayako takes form bodies wherever it takes JSON: values are text
        try:
            return model.model_validate(_form(), strict=False)
        except ValidationError as exc:
            raise validation_error(exc) from exc
    raw = request.get_data(cache=True)
    if len(raw) > MAX_JSON_BODY_BYTES:
        raise ApiError(ErrorCode.REQUEST_TOO_LARGE, f"JSON bodies are limited to {MAX_JSON_BODY_BYTES // 1024} KB")
    if not raw.strip():
        if not optional:  # name the first missing field when there is one, else the body itself
            try:
                model.model_validate({})
            except ValidationError as exc:
                raise validation_error(exc) from exc
            raise ApiError(ErrorCode.FIELD_REQUIRED, "Send a JSON object as the request body")
        obj: Any = {}
    else:
        try:
            text = raw.decode("utf-8")
            if too_deep(text):  # before json.loads can recurse into it
                raise ApiError(ErrorCode.INVALID_JSON, f"The request body nests deeper than {MAX_JSON_DEPTH} levels")
            obj = json.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(ErrorCode.INVALID_JSON, "The request body is not valid JSON") from exc
    if not isinstance(obj, dict):
        raise ApiError(ErrorCode.INVALID_JSON, "The request body must be a JSON object")
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        raise validation_error(exc) from exc


# Kayako's output options, taken on every read and never part of a route's own arguments.
OUTPUT_OPTIONS = ("_empty", "_case", "fields", "include", "_flat")
MAX_FIELDS_LENGTH = 1000


def parse_query(model: type[BaseModel]) -> BaseModel:
    args = {k: v for k, v in request.args.items() if k != "visitor_token" and k not in OUTPUT_OPTIONS}
    try:
        return model.model_validate(args, strict=False)
    except ValidationError as exc:
        raise validation_error(exc) from exc


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _annotated(value, value.model_dump(mode="json"))
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


def _annotated(model: BaseModel, dumped: dict[str, Any]) -> dict[str, Any]:
    """Kayako's `resource_type` and `resource_url` on this resource and every one inside it."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel) and isinstance(dumped.get(name), dict):
            dumped[name] = _annotated(value, dumped[name])
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            dumped[name] = [_annotated(v, d) for v, d in zip(value, dumped[name], strict=True)]
    resource = getattr(type(model), "RESOURCE", None)
    if resource is not None:
        kind, path = resource
        dumped["resource_type"] = kind
        if path is not None and ("{id}" not in path or dumped.get("id") is not None):
            dumped["resource_url"] = f"{request.host_url}api/v1/{path.format(id=dumped.get('id'))}"
    return dumped


class Api:
    def __init__(self, prefix: str = "/api/v1"):
        self.prefix = prefix
        self.routes: list[Route] = []
        self.blueprint = Blueprint("api", __name__, url_prefix=prefix)

    def route(self, method: str, path: str, *, auth: str, resource: str, summary: str, tag: str,
              body: type[BaseModel] | None = None, query: type[BaseModel] | None = None, response: Any = None,
              collection: bool = False, multipart: bool = False, raw: bool = False,
              statuses: list[int] | None = None,
              optional_body: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            r = Route(method, path, fn, auth, resource, summary, tag, body, query, response, collection,
                      multipart, raw, statuses or [], optional_body)
            self.routes.append(r)
            endpoint = f"{fn.__module__.rsplit('.', 1)[-1]}_{fn.__name__}"
            self.blueprint.add_url_rule(path, endpoint, self._view(r), methods=[method])
            return fn

        return decorator

    def _view(self, r: Route) -> Callable[..., Any]:
        from kayako_desktop.server.auth import authenticate

        def view(**params: Any) -> Any:
            if not r.raw:
                _require_json_accepted()
            g.principal = authenticate(r.auth, request.method in WRITE_METHODS)
            for name, value in params.items():  # ids past SQLite's 64-bit range cannot exist
                if isinstance(value, int) and value > MAX_ID:
                    raise ApiError(ErrorCode.NOT_FOUND, f"No {name} {value}", parameter=name)
            kwargs = dict(params)
            if r.body is not None:
                kwargs["body"] = parse_body(r.body, r.optional_body)
            if r.query is not None:
                kwargs["query"] = parse_query(r.query)
            svc = services_of(current_app)
            if request.method in WRITE_METHODS and "If-Match" in request.headers:
                # Checked and written under this process's write lock: no other write of this node can land
                # between the version check and the change (nodes of a cluster are not covered: see README).
                with svc.db.lock:
                    _check_if_match()
                    result = r.handler(svc, g.principal, **kwargs)
            else:
                result = r.handler(svc, g.principal, **kwargs)
            if r.raw:
                return result
            return self.envelope(r, result)

        view.__name__ = r.handler.__name__
        return view

    def envelope(self, r: Route, result: Any) -> Response:
        status = 200
        if isinstance(result, Created):
            status, result = 201, result.data
        if r.collection and isinstance(result, list):  # a whole collection is one page of it
            result = Page(result, len(result), 0, max(len(result), 1))
        payload: dict[str, Any] = {"status": status, "resource": r.resource}
        if g.get("new_session_id"):  # Basic auth on this request opened a session (Kayako: use it from now on)
            payload["session_id"] = g.new_session_id
        if isinstance(result, Page):
            payload["data"] = _dump(result.items)
            payload.update(offset=result.offset, limit=result.limit, total_count=result.total)
            if result.cursors is not None:
                before, after = result.cursors
            else:
                nxt, prev = result.offset + result.limit, max(0, result.offset - result.limit)
                after = {"offset": nxt, "limit": result.limit} if nxt < result.total else None
                before = {"offset": prev, "limit": result.limit} if result.offset > 0 else None
            payload["previous_url"] = _page_url(before)
            payload["next_url"] = _page_url(after)
        else:
            payload["data"] = _dump(result)
        selection = _fields()
        include, flat = _nesting()
        side: dict[str, dict[str, Any]] | None = {} if flat else None
        payload["data"] = _nested(payload["data"], include, selection, side, top=True)
        if side is not None:
            payload["resources"] = side
        if selection is not None:
            payload["data"] = _select(payload["data"], selection)
        resp = jsonify(_shaped(payload))
        resp.status_code = status
        for name, value in g.get("extra_headers", {}).items():
            resp.headers[name] = value
        return resp


def _x_options() -> set[str]:
    """Kayako's `X-Options` header: comma-separated words (flat, no_empty), any case."""
    return {o.strip().lower() for o in request.headers.get("X-Options", "").split(",")}


def _output_options() -> tuple[bool, str]:
    """(keep empty fields, key case) from `_empty=false` / `X-Options: no_empty` and `_case=camel|pascal|snake`."""
    options = _x_options()
    keep_empty = request.args.get("_empty", "true").lower() != "false" and "no_empty" not in options
    case = request.args.get("_case", "snake").lower()
    if case not in ("snake", "camel", "pascal"):
        raise ApiError(ErrorCode.FIELD_INVALID, "_case is snake, camel or pascal", parameter="_case")
    return keep_empty, case


Selection = dict[str, "Selection | None"]  # field -> what to keep inside it (None: all of it)


def _fields() -> Selection | None:
    """Kayako's partial output: `fields=id,subject,visitor(name,email)` keeps those fields of each resource in
    `data` (and those inside the nested ones); `+name` is accepted (every field is shown by default here)."""
    text = request.args.get("fields")
    if text is None:
        return None
    if len(text) > MAX_FIELDS_LENGTH:
        raise ApiError(ErrorCode.FIELD_INVALID, f"fields is limited to {MAX_FIELDS_LENGTH} characters",
                       parameter="fields")
    selection, rest = _parse_fields(text.replace(" ", ""), 0)
    if rest != len(text.replace(" ", "")):
        raise ApiError(ErrorCode.FIELD_INVALID, "fields: unbalanced parentheses", parameter="fields")
    return selection


def _parse_fields(text: str, at: int, depth: int = 0) -> tuple[Selection, int]:
    selection: Selection = {}
    name = ""
    while at < len(text):
        char = text[at]
        if char == "(":
            if not name or depth >= 8:
                raise ApiError(ErrorCode.FIELD_INVALID, "fields: a ( must follow a field name (8 levels at most)",
                               parameter="fields")
            inner, at = _parse_fields(text, at + 1, depth + 1)
            selection[name] = inner
            name = ""
            continue
        if char == ")":
            if depth == 0:
                raise ApiError(ErrorCode.FIELD_INVALID, "fields: unbalanced parentheses", parameter="fields")
            if name:
                selection[name] = None
            return selection, at + 1
        if char == ",":
            if name:
                selection[name] = None
            name = ""
        else:
            name += char
        at += 1
    if depth:
        raise ApiError(ErrorCode.FIELD_INVALID, "fields: unbalanced parentheses", parameter="fields")
    if name:
        selection[name] = None
    return selection, at


def _select(value: Any, selection: Selection) -> Any:
    """The selected fields of a resource (or of each one in a list); its resource_type always stays. Names
    with `+` add to the defaults: a level holding only those keeps every field."""
    if isinstance(value, list):
        return [_select(v, selection) for v in value]
    if not isinstance(value, dict):
        return value
    wanted = {name.lstrip("+"): inner for name, inner in selection.items()}
    keep_all = all(name.startswith("+") for name in selection)
    return {k: (v if wanted.get(k) is None else _select(v, wanted[k] or {})) for k, v in value.items()
            if keep_all or k in wanted or k == "resource_type"}


MAX_INCLUDE_LENGTH = 500


def _nesting() -> tuple[set[str] | None, bool]:
    """(resource types to embed, None for all; flat mode) from Kayako's `include=user,case_status` (`*`: every
    one) and `_flat=true` / `X-Options: flat`. Flat mode side-loads what `include` names, everything when it
    names nothing."""
    options = _x_options()
    flat = request.args.get("_flat", "false").lower() == "true" or "flat" in options
    text = request.args.get("include")
    if text is None:
        return (None if flat else set()), flat
    if len(text) > MAX_INCLUDE_LENGTH:
        raise ApiError(ErrorCode.FIELD_INVALID, f"include is limited to {MAX_INCLUDE_LENGTH} characters",
                       parameter="include")
    names = {n.strip().lower() for n in text.split(",") if n.strip()}
    return (None if "*" in names else names), flat


_REFERENCE_KEYS = {"id", "resource_type", "resource_url"}  # already a reference: nothing more to include or side-load


def _reference(value: dict[str, Any]) -> dict[str, Any]:
    ref = {"id": value["id"], "resource_type": value["resource_type"]}
    if "resource_url" in value:
        ref["resource_url"] = value["resource_url"]
    return ref


def _nested(value: Any, include: set[str] | None, selection: Selection | None,
            side: dict[str, dict[str, Any]] | None, top: bool = False) -> Any:
    """Kayako's nested resources: one inside another (anything with an `id` and a `resource_type`) is a
    reference `{id, resource_type, resource_url}` unless `include` names its type (or `fields` selects inside
    it); in flat mode every one is a reference and the included ones are side-loaded, once each, under
    `resources[type][id]`. The answer's own resources (`data`) are always whole."""
    if top and include is None and side is None and selection is None:
        return value  # everything whole (our own clients' include=*): nothing to walk
    if isinstance(value, list):
        return [_nested(v, include, selection, side, top) for v in value]
    if not isinstance(value, dict):
        return value
    if not top and "id" in value and "resource_type" in value and not set(value) <= _REFERENCE_KEYS:
        wanted = include is None or value["resource_type"] in include or selection is not None
        if side is not None or not wanted:
            if side is not None and wanted:
                whole = {k: _nested(v, include, None, side) for k, v in value.items()}
                side.setdefault(value["resource_type"], {})[str(value["id"])] = whole
            return _reference(value)
    inner = {name.lstrip("+"): sub for name, sub in (selection or {}).items()}
    return {k: _nested(v, include, inner.get(k), side) for k, v in value.items()}


def _key(name: str, case: str) -> str:
    if case == "snake" or "_" not in name:
        return name.capitalize() if case == "pascal" else name
    head, *rest = name.split("_")
    joined = head + "".join(part.capitalize() for part in rest)
    return joined[:1].upper() + joined[1:] if case == "pascal" else joined


def _shaped(value: Any, options: tuple[bool, str] | None = None) -> Any:
    """Kayako's output options applied to an answer: empty fields left out, keys in another case."""
    keep_empty, case = options or _output_options()
    if keep_empty and case == "snake":
        return value
    if isinstance(value, dict):
        return {_key(k, case): _shaped(v, (keep_empty, case)) for k, v in value.items()
                if keep_empty or v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_shaped(v, (keep_empty, case)) for v in value]
    return value


def _page_url(args: dict[str, int] | None) -> str | None:
    """This address with the page's arguments in place of the paging ones (other filters kept)."""
    if args is None:
        return None
    kept = {k: v for k, v in request.args.to_dict().items() if k not in ("offset", "after_id", "before_id", "limit")}
    # (the output options stay: the next page comes back in the same shape)
    return request.base_url + "?" + urlencode({**kept, **{k: str(v) for k, v in args.items()}})


def error_response(err: ApiError) -> Response:
    resp = jsonify(err.body(request.host_url.rstrip("/")))
    resp.status_code = err.status
    for k, v in err.headers.items():
        resp.headers[k] = v
    return resp


def _require_json_accepted() -> None:
    """Kayako answers 406 when Accept allows no JSON (no Accept header at all means anything)."""
    if "Accept" in request.headers and request.accept_mimetypes.best_match(["application/json"]) is None:
        raise ApiError(ErrorCode.NOT_ACCEPTABLE, "This API answers in JSON: send Accept: application/json",
                       parameter="Accept")


def etag_of(body: bytes) -> str:
    """The version of a JSON answer (sent quoted as ETag; If-None-Match and If-Match compare it)."""
    return hashlib.sha256(body).hexdigest()[:32]


def _check_if_match() -> None:
    """If-Match on a write: the version the client read (the ETag of GET at this address) must still be
    the current one, else 412 and nothing changes. `*` asks only that the resource exists."""
    wanted = request.if_match
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, args = adapter.match(request.path, method="GET")
    except HTTPException:
        raise ApiError(ErrorCode.PRECONDITION_FAILED, "If-Match needs a resource that can be read at this "
                       "address", parameter="If-Match") from None
    principal = g.principal
    headers = {"Accept": "application/json"}
    if principal.session_id:
        headers["X-Session-ID"] = principal.session_id
    if request.headers.get("X-Visitor-Token"):
        headers["X-Visitor-Token"] = request.headers["X-Visitor-Token"]
    try:
        with current_app.test_request_context(request.path, method="GET", headers=headers, base_url=request.host_url):
            current = current_app.view_functions[endpoint](**args)
    finally:
        g.principal = principal  # the inner read shares this request's `g`
    if not isinstance(current, Response):
        raise TypeError(f"{endpoint} answered {type(current).__name__}, not a Response")
    if not wanted.star_tag and not wanted.contains(etag_of(current.get_data())):
        raise ApiError(ErrorCode.PRECONDITION_FAILED, "This resource changed since you read it (If-Match): read "
                       "it again and retry", parameter="If-Match")


def api_response_header(name: str, value: str) -> None:
    """Ask the envelope to carry an extra response header (e.g. X-CSRF-Token at login)."""
    g.setdefault("extra_headers", {})[name] = value
