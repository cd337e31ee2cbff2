"""The one frame shape: {v, type, id, ref, seq, ts, data}, its size limit and its codec."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kayako_desktop.protocol.errors import ErrorCode

PROTOCOL_VERSION = 1
# Commands are small (a chat message is capped at 10,000 characters); anything larger is refused with
# FRAME_TOO_LARGE. Files never travel over the socket: they use the two-step REST upload.
MAX_FRAME_BYTES = 64 * 1024
# No command or request body nests deeper than a few levels; Python's json recursion fails near 1,000 (a
# RecursionError: a 500), so depth is measured on the raw text first and anything past this is refused.
MAX_JSON_DEPTH = 32


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    v: int = PROTOCOL_VERSION
    type: str = Field(min_length=1, max_length=64)
    id: str | None = Field(default=None, max_length=64)
    ref: str | None = Field(default=None, max_length=64)
    seq: int | None = None
    ts: int | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class FrameError(Exception):
    """A frame that cannot be accepted; `ref` is the command id when it could be read."""

    def __init__(self, code: ErrorCode, message: str, ref: str | None = None, parameter: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref
        self.parameter = parameter


_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays/objects deeper than `limit`, judged on the raw text (brackets outside
    strings) before any parser recurses into it. Linear, in C: regexes strip strings and everything but
    brackets, then a running sum of +1/-1 gives the depth at every point."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if brackets.count("[") + brackets.count("{") <= limit:
        return False
    return max(accumulate(map(_STEP.__getitem__, brackets))) > limit


_ID = re.compile(r'"id"\s*:\s*"([^"\\]{1,64})"')


def _guess_ref(head: str) -> str | None:
    """The command id of a frame too large to parse, read from its first bytes when it is there."""
    match = _ID.search(head)
    return match.group(1) if match else None


def decode(raw: str | bytes) -> Envelope:
    """Parse one client frame or raise FrameError with the most specific code."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FrameError(ErrorCode.INVALID_JSON, "Frames must be UTF-8 JSON text") from exc
    if len(raw.encode("utf-8")) > MAX_FRAME_BYTES:
        raise FrameError(
            ErrorCode.FRAME_TOO_LARGE, f"Frame exceeds {MAX_FRAME_BYTES} bytes", ref=_guess_ref(raw[:4096])
        )
    if too_deep(raw):
        raise FrameError(ErrorCode.INVALID_JSON, f"Frame nests deeper than {MAX_JSON_DEPTH} levels",
                         ref=_guess_ref(raw[:4096]))
    try:
        obj = json.loads(raw)
    except ValueError as exc:
        raise FrameError(ErrorCode.INVALID_JSON, "Frame is not valid JSON") from exc
    if not isinstance(obj, dict):
        raise FrameError(ErrorCode.INVALID_JSON, "Frame must be a JSON object")
    ref = obj.get("id") if isinstance(obj.get("id"), str) else None
    try:
        env = Envelope.model_validate(obj)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        code = ErrorCode.FIELD_UNEXPECTED if err["type"] == "extra_forbidden" else ErrorCode.FIELD_INVALID
        if err["type"] == "missing":
            code = ErrorCode.FIELD_REQUIRED
        raise FrameError(code, f"{field}: {err['msg']}", ref=ref, parameter=field) from exc
    if env.v != PROTOCOL_VERSION:
        raise FrameError(ErrorCode.FIELD_INVALID, f"Unsupported protocol version {env.v}", ref=ref, parameter="v")
    if not env.id:
        raise FrameError(ErrorCode.FIELD_REQUIRED, "Commands need an id", parameter="id")
    return env


def encode(
    type_: str,
    data: dict[str, Any] | None = None,
    *,
    id: str | None = None,
    ref: str | None = None,
    seq: int | None = None,
    ts: int | None = None,
) -> str:
    """Serialise one frame (the server side never validates its own output: it builds it from models)."""
    frame = {"v": PROTOCOL_VERSION, "type": str(type_), "id": id, "ref": ref, "seq": seq, "ts": ts, "data": data or {}}
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
