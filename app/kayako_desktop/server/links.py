"""URL checks for pushed links and online images: http, https and mailto only; bare hosts get https."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.errors import ApiError

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def normalise_url(raw: str, *, allow_mailto: bool = True, parameter: str = "url") -> str:
    value = (raw or "").strip()
    if not value:
        raise ApiError(ErrorCode.FIELD_REQUIRED, "A URL is required", parameter=parameter)
    if _CONTROL.search(value):
        raise ApiError(ErrorCode.FIELD_INVALID, "URLs cannot contain spaces or control characters", parameter=parameter)
    if not _SCHEME.match(value) or re.match(r"^[^:/]+:\d+(/|$)", value):
        value = "https://" + value.lstrip("/")
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    allowed = {"http", "https", "mailto"} if allow_mailto else {"http", "https"}
    if scheme not in allowed:
        names = "http, https or mailto" if allow_mailto else "http or https"
        raise ApiError(ErrorCode.FIELD_INVALID, f"Only {names} links can be sent", parameter=parameter)
    if scheme == "mailto":
        if "@" not in parts.path:
            raise ApiError(ErrorCode.FIELD_INVALID, "mailto: needs an email address", parameter=parameter)
        return value
    host = parts.hostname or ""
    if not host or ("." not in host and host != "localhost" and not host.startswith("[")):
        raise ApiError(ErrorCode.FIELD_INVALID, f"'{raw}' is not a valid web address", parameter=parameter)
    return value
