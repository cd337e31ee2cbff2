"""Error codes with their HTTP status: one table for REST envelopes and socket `error` frames."""

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_JSON = "INVALID_JSON"
    FIELD_REQUIRED = "FIELD_REQUIRED"
    FIELD_INVALID = "FIELD_INVALID"
    FIELD_UNEXPECTED = "FIELD_UNEXPECTED"
    AUTHENTICATION_REQUIRED = "AUTHENTICATION_REQUIRED"
    AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED"
    SESSION_NOT_FOUND = "SESSION_NOT_FOUND"
    CSRF_FAILED = "CSRF_FAILED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    RATE_LIMIT_REACHED = "RATE_LIMIT_REACHED"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    TYPE_NOT_ALLOWED = "TYPE_NOT_ALLOWED"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    FRAME_TOO_LARGE = "FRAME_TOO_LARGE"
    UNKNOWN_COMMAND = "UNKNOWN_COMMAND"
    ALREADY_ASSIGNED = "ALREADY_ASSIGNED"
    CONVERSATION_CLOSED = "CONVERSATION_CLOSED"
    INVALID_STATE = "INVALID_STATE"
    AGENT_UNAVAILABLE = "AGENT_UNAVAILABLE"
    CAPACITY_REACHED = "CAPACITY_REACHED"
    DUPLICATE = "DUPLICATE"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    STORAGE_FULL = "STORAGE_FULL"  # the server's disk is full: nothing can be saved until space is freed
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"  # the request's Accept header allows no JSON
    PRECONDITION_FAILED = "PRECONDITION_FAILED"  # If-Match names another version than the current one
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"  # a team server cannot reach its PostgreSQL right now
    EMAIL_NOT_CONFIGURED = "EMAIL_NOT_CONFIGURED"  # the server has no SMTP server (CHAT_SMTP_URL)
    EMAIL_FAILED = "EMAIL_FAILED"  # the SMTP server did not take the message
    # A visitor may not chat from where they are (a ban): worded neutrally, it names no ban.
    CHAT_NOT_AVAILABLE = "CHAT_NOT_AVAILABLE"


_STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID_JSON: 400,
    ErrorCode.FIELD_REQUIRED: 400,
    ErrorCode.FIELD_INVALID: 400,
    ErrorCode.FIELD_UNEXPECTED: 400,
    ErrorCode.AUTHENTICATION_REQUIRED: 401,
    ErrorCode.AUTHENTICATION_FAILED: 401,
    ErrorCode.SESSION_NOT_FOUND: 454,  # Kayako's status for an unknown or expired session
    ErrorCode.CSRF_FAILED: 403,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.RATE_LIMIT_REACHED: 429,
    ErrorCode.FILE_TOO_LARGE: 413,
    ErrorCode.TYPE_NOT_ALLOWED: 415,
    ErrorCode.REQUEST_TOO_LARGE: 413,
    ErrorCode.FRAME_TOO_LARGE: 413,
    ErrorCode.UNKNOWN_COMMAND: 400,
    ErrorCode.ALREADY_ASSIGNED: 409,
    ErrorCode.CONVERSATION_CLOSED: 409,
    ErrorCode.INVALID_STATE: 409,
    ErrorCode.AGENT_UNAVAILABLE: 409,
    ErrorCode.CAPACITY_REACHED: 409,
    ErrorCode.DUPLICATE: 409,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.STORAGE_FULL: 507,  # Insufficient Storage
    ErrorCode.NOT_ACCEPTABLE: 406,
    ErrorCode.PRECONDITION_FAILED: 412,
    ErrorCode.DATABASE_UNAVAILABLE: 503,
    ErrorCode.EMAIL_NOT_CONFIGURED: 409,
    ErrorCode.EMAIL_FAILED: 502,  # Bad Gateway: the mail server failed
    ErrorCode.CHAT_NOT_AVAILABLE: 403,
}


def http_status(code: ErrorCode) -> int:
    return _STATUS[code]


# What each code means, for people: served at /api/v1/errors/<CODE>, which every error's `more_info` names.
DESCRIPTIONS: dict[ErrorCode, str] = {
    ErrorCode.INVALID_JSON: "The body is not a JSON object (or nests too deep).",
    ErrorCode.FIELD_REQUIRED: "A required field (named by `parameter`) is missing or empty.",
    ErrorCode.FIELD_INVALID: "A field (named by `parameter`) has a value of the wrong type, form or range.",
    ErrorCode.FIELD_UNEXPECTED: "The request names a field this endpoint does not take.",
    ErrorCode.AUTHENTICATION_REQUIRED: "Log in: send HTTP Basic credentials, an X-Session-ID or a visitor token.",
    ErrorCode.AUTHENTICATION_FAILED: "The email and password (or the visitor token) are not right.",
    ErrorCode.SESSION_NOT_FOUND: "The session is unknown, expired or logged out: log in again.",
    ErrorCode.CSRF_FAILED: "A write in a session needs the X-CSRF-Token its login returned.",
    ErrorCode.PERMISSION_DENIED: "You may not do this (the message says what would allow it).",
    ErrorCode.NOT_FOUND: "No such resource, or not one you can see.",
    ErrorCode.METHOD_NOT_ALLOWED: "This address does not take this HTTP method (see the Allow header).",
    ErrorCode.RATE_LIMIT_REACHED: "Too many requests of this kind: wait the seconds Retry-After names.",
    ErrorCode.FILE_TOO_LARGE: "The file is over the server's upload limit.",
    ErrorCode.TYPE_NOT_ALLOWED: "This kind of file or body is not accepted here.",
    ErrorCode.REQUEST_TOO_LARGE: "The request body is over the limit.",
    ErrorCode.FRAME_TOO_LARGE: "A realtime frame is over the limit.",
    ErrorCode.UNKNOWN_COMMAND: "The realtime socket does not know this command.",
    ErrorCode.ALREADY_ASSIGNED: "Another agent took this chat first.",
    ErrorCode.CONVERSATION_CLOSED: "The chat has ended.",
    ErrorCode.INVALID_STATE: "The resource is not in a state that allows this (the message says which).",
    ErrorCode.AGENT_UNAVAILABLE: "The agent cannot take chats now (offline, away or busy).",
    ErrorCode.CAPACITY_REACHED: "The agent already has as many chats as their limit allows.",
    ErrorCode.DUPLICATE: "This would duplicate an existing resource (an email already in use, …).",
    ErrorCode.INTERNAL_ERROR: "The server failed; it logged the details. Try again.",
    ErrorCode.STORAGE_FULL: "The server's disk is full: nothing can be saved until space is freed.",
    ErrorCode.NOT_ACCEPTABLE: "The Accept header allows no JSON: send Accept: application/json (or */*).",
    ErrorCode.PRECONDITION_FAILED: "If-Match names another version than the current one: read it again first.",
    ErrorCode.DATABASE_UNAVAILABLE: "The chat server cannot reach its database right now; nothing was changed. "
                                    "Try again in a moment.",
    ErrorCode.EMAIL_NOT_CONFIGURED: "This chat server sends no e-mail: its operator has not set CHAT_SMTP_URL. "
                                    "Nothing was sent or queued.",
    ErrorCode.EMAIL_FAILED: "The mail server did not take the message (the message says why); nothing was sent.",
    ErrorCode.CHAT_NOT_AVAILABLE: "Chat is not available from here.",
}
