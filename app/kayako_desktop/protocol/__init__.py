"""The wire contract shared by the server, the bridge and the web clients (pure: no I/O).

Import names from here; `python -m kayako_desktop.protocol.codegen` writes the JS copy to web/shared/protocol.js.
Attributes load on first use (PEP 562), so the desktop bridge, which needs only the names, does not pay
for pydantic and the payload models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kayako_desktop.protocol.envelope import (
        MAX_FRAME_BYTES,
        PROTOCOL_VERSION,
        Envelope,
        FrameError,
        decode,
        encode,
    )
    from kayako_desktop.protocol.errors import ErrorCode, http_status
    from kayako_desktop.protocol.names import Command, Event

_WHERE = {
    "MAX_FRAME_BYTES": "envelope", "PROTOCOL_VERSION": "envelope", "Envelope": "envelope", "FrameError": "envelope",
    "decode": "envelope", "encode": "envelope", "ErrorCode": "errors", "http_status": "errors",
    "Command": "names", "Event": "names",
}

__all__ = ["MAX_FRAME_BYTES", "PROTOCOL_VERSION", "Command", "Envelope", "ErrorCode", "Event", "FrameError", "decode",
           "encode", "http_status"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'kayako_desktop.protocol' has no attribute {name!r}")
    value = getattr(import_module(f"kayako_desktop.protocol.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
