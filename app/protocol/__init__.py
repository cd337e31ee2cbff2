"""The wire contract shared by the server, the bridge and the web clients (pure: no I/O).

Import names from here; `python -m app.protocol.codegen` writes the JS copy to web/shared/protocol.js.
"""

from app.protocol.envelope import MAX_FRAME_BYTES, PROTOCOL_VERSION, Envelope, FrameError, decode, encode
from app.protocol.errors import ErrorCode, http_status
from app.protocol.names import Command, Event

__all__ = [
    "MAX_FRAME_BYTES",
    "PROTOCOL_VERSION",
    "Command",
    "Envelope",
    "ErrorCode",
    "Event",
    "FrameError",
    "decode",
    "encode",
    "http_status",
]
