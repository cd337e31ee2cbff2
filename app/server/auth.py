"""Who is calling: agent sessions (X-Session-ID + CSRF on writes), visitor tokens, Basic login."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask import current_app, request

from app.protocol.errors import ErrorCode
from app.server.actions.visitors import token_hash
from app.server.errors import ApiError


@dataclass(frozen=True)
class Principal:
    kind: str  # "agent" | "visitor" | "anonymous"
    id: int = 0
    name: str = ""
    session_id: str | None = None
    role: str = "AGENT"

    @property
    def is_agent(self) -> bool:
        return self.kind == "agent"

    @property
    def is_admin(self) -> bool:
        return self.kind == "agent" and self.role == "ADMIN"


ANONYMOUS = Principal("anonymous")


def client_ip() -> str | None:
    if current_app.config["CHAT_TRUST_PROXY"]:
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.remote_addr


def agent_from_session(svc, session_id: str | None) -> Principal:
    """Look up a session (also used by sockets); raises AUTHENTICATION_REQUIRED / SESSION_NOT_FOUND."""
    if not session_id:
        raise ApiError(ErrorCode.AUTHENTICATION_REQUIRED, "Log in first: send X-Session-ID")
    now = svc.clock.now()
    with svc.db.read() as db:
        row = db.execute(
            "SELECT s.id AS sid, s.csrf_token, s.last_active_at, a.id, a.full_name, a.role FROM sessions s "
            "JOIN agents a ON a.id = s.agent_id WHERE s.id = ?",
            (session_id,),
        ).fetchone()
    if row is None or now - row["last_active_at"] > float(svc.config["CHAT_SESSION_IDLE_SECONDS"]):
        raise ApiError(ErrorCode.SESSION_NOT_FOUND, "Your session has expired; log in again")
    if now - row["last_active_at"] > 60:  # refresh at most once a minute, not on every request
        with svc.db.write() as tx:
            tx.execute("UPDATE sessions SET last_active_at = ? WHERE id = ?", (now, session_id))
    return Principal("agent", row["id"], row["full_name"], row["sid"], row["role"])


def visitor_from_token(svc, token: str | None) -> Principal:
    if not token:
        raise ApiError(ErrorCode.AUTHENTICATION_REQUIRED, "Send the visitor token (X-Visitor-Token)")
    with svc.db.read() as db:
        row = db.execute("SELECT id, name FROM visitors WHERE token_hash = ?", (token_hash(token),)).fetchone()
    if row is None:
        raise ApiError(ErrorCode.AUTHENTICATION_FAILED, "Unknown visitor token; start a new visitor session")
    return Principal("visitor", row["id"], row["name"] or f"Visitor {row['id']}")


def _csrf(svc, principal: Principal) -> None:
    sent = request.headers.get("X-CSRF-Token", "")
    with svc.db.read() as db:
        row = db.execute("SELECT csrf_token FROM sessions WHERE id = ?", (principal.session_id,)).fetchone()
    if row is None or not sent or not hmac.compare_digest(sent, row["csrf_token"]):
        raise ApiError(ErrorCode.CSRF_FAILED, "Missing or wrong X-CSRF-Token for this session")


def _visitor_token() -> str | None:
    token = request.headers.get("X-Visitor-Token")
    if not token and request.method == "GET":
        token = request.args.get("visitor_token")  # <img src> and download links cannot send headers
    return token


def authenticate(mode: str, is_write: bool) -> Principal:
    svc = current_app.extensions["chat"]
    if mode in ("public", "basic"):
        return ANONYMOUS
    if mode == "agent_or_visitor" and not request.headers.get("X-Session-ID") and _visitor_token():
        return visitor_from_token(svc, _visitor_token())
    if mode == "visitor":
        return visitor_from_token(svc, _visitor_token())
    principal = agent_from_session(svc, request.headers.get("X-Session-ID"))
    if is_write:
        _csrf(svc, principal)
    return principal


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise ApiError(ErrorCode.PERMISSION_DENIED, "Only administrators can do this")
