"""Who is calling: agent sessions (X-Session-ID + CSRF on writes), visitor tokens, Basic login."""

from __future__ import annotations

import hmac
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app, g, request

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.actions.agents import do_touch_session, login
from kayako_desktop.server.actions.visitors import do_fingerprint_visitor, token_hash
from kayako_desktop.server.api import api_response_header
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.bans import NOT_AVAILABLE, ban_matching
from kayako_desktop.server.queries.sessions import session_agent, session_csrf, visitor_by_token_hash
from kayako_desktop.server.services import services_of

if TYPE_CHECKING:
    from kayako_desktop.server.services import Services

log = logging.getLogger(__name__)


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

    @property
    def can_supervise(self) -> bool:
        """Administrators and supervisors: the dashboard and reports, ending or transferring any chat."""
        return self.kind == "agent" and self.role in ("ADMIN", "SUPERVISOR")


ANONYMOUS = Principal("anonymous")


_proxy_warned = False


def client_ip() -> str | None:
    """The caller's address. Behind the one reverse proxy CHAT_TRUST_PROXY describes, the last
    X-Forwarded-For entry: the one that proxy added. Earlier entries come from the client and could be
    anything (a fresh address per request would dodge every per-address limit)."""
    global _proxy_warned
    forwarded = request.headers.get("X-Forwarded-For", "")
    if current_app.config["CHAT_TRUST_PROXY"]:
        if forwarded:
            return forwarded.split(",")[-1].strip()[:64]
    elif forwarded and not _proxy_warned:
        _proxy_warned = True
        log.warning("requests carry X-Forwarded-For but CHAT_TRUST_PROXY is off: every visitor seems to come "
                    "from the proxy (%s), and per-address limits count them together", request.remote_addr)
    return request.remote_addr


def agent_from_session(svc: Services, session_id: str | None) -> Principal:
    """Look up a session (also used by sockets); raises AUTHENTICATION_REQUIRED / SESSION_NOT_FOUND."""
    if not session_id:
        raise ApiError(ErrorCode.AUTHENTICATION_REQUIRED, "Log in first: send X-Session-ID")
    now = svc.clock.now()
    with svc.db.read() as db:
        row = session_agent(db, session_id)
    if row is None or now - row["last_active_at"] > float(svc.config["CHAT_SESSION_IDLE_SECONDS"]):
        raise ApiError(ErrorCode.SESSION_NOT_FOUND, "Your session has expired; log in again")
    if now - row["last_active_at"] > 60:  # refresh at most once a minute, not on every request
        try:
            with svc.db.write() as tx:
                do_touch_session(tx, session_id)
        except ApiError as exc:  # a full disk must not stop agents reading: the refresh waits for space
            if exc.code != ErrorCode.STORAGE_FULL:
                raise
    return Principal("agent", row["id"], row["full_name"], row["sid"], row["role"])


def visitor_from_token(svc: Services, token: str | None) -> Principal:
    if not token:
        raise ApiError(ErrorCode.AUTHENTICATION_REQUIRED, "Send the visitor token (X-Visitor-Token)")
    with svc.db.read() as db:
        row = visitor_by_token_hash(db, token_hash(token))
    if row is None:
        raise ApiError(ErrorCode.AUTHENTICATION_FAILED, "Unknown visitor token; start a new visitor session")
    return Principal("visitor", row["id"], row["name"] or f"Visitor {row['id']}")


def _csrf(svc: Services, principal: Principal) -> None:
    sent = request.headers.get("X-CSRF-Token", "")
    with svc.db.read() as db:
        expected = session_csrf(db, principal.session_id)
    if expected == "":
        return  # the client turned CSRF off for this session at login (X-CSRF: false), as Kayako allows
    if expected is None or not sent or not hmac.compare_digest(sent, expected):
        raise ApiError(ErrorCode.CSRF_FAILED, "Missing or wrong X-CSRF-Token for this session")


def _visitor_token() -> str | None:
    # Only ever a header: a token in a URL would land in access logs and browser history (file links are
    # signed instead, see file_links.py). A Kayako Messenger client sends its own X-Fingerprint-ID instead.
    return request.headers.get("X-Visitor-Token") or request.headers.get("X-Fingerprint-ID")


# A fingerprint is the visitor's only credential: a UUID (36 characters) or anything as long and as random.
FINGERPRINT = re.compile(r"[A-Za-z0-9_-]{32,128}")


def visitor_from_fingerprint(svc: Services, fingerprint: str) -> Principal:
    """Kayako Messenger: the client makes up a fingerprint (a UUID) and sends it as X-Fingerprint-ID on every
    call; the first call from a new one starts a visitor identity for it (limited per client address, like
    POST /messenger/visitors). The fingerprint then works exactly like a visitor token."""
    if not FINGERPRINT.fullmatch(fingerprint):
        raise ApiError(ErrorCode.FIELD_INVALID, "X-Fingerprint-ID must be a UUID (or 32 to 128 letters, digits, "
                       "- and _)", parameter="X-Fingerprint-ID")
    with svc.db.read() as db:
        row = visitor_by_token_hash(db, token_hash(fingerprint))
    if row is None:
        limit_per_address(svc, "VISITOR_CREATE", "new visitors")
        with svc.db.write() as tx:
            row = do_fingerprint_visitor(svc, tx, fingerprint, client_ip(), request.headers.get("User-Agent"))
    return Principal("visitor", row["id"], row["name"] or f"Visitor {row['id']}")


def limit(svc: Services, kind: str, who: str | None, what: str) -> None:
    """Per `who` (an address, a visitor): CHAT_<KIND>_LIMIT events per CHAT_<KIND>_WINDOW seconds (then 429)."""
    cfg = svc.config
    svc.limits.hit(f"{kind}:{who}", int(cfg[f"CHAT_{kind}_LIMIT"]), float(cfg[f"CHAT_{kind}_WINDOW"]), what)


def limit_per_address(svc: Services, kind: str, what: str) -> None:
    """Per client address (see `limit`)."""
    limit(svc, kind, client_ip(), what)


def refuse_banned(svc: Services) -> None:
    """A visitor request from a banned address or network gets a neutral "not available" (the word ban is
    never shown to the visitor): no chat, message, upload or page view from there."""
    with svc.db.read() as db:
        banned = ban_matching(db, svc.clock.now(), client_ip())
    if banned is not None:
        raise ApiError(ErrorCode.CHAT_NOT_AVAILABLE, NOT_AVAILABLE)


def _visitor() -> Principal:
    svc = services_of(current_app)
    refuse_banned(svc)
    if not request.headers.get("X-Visitor-Token") and request.headers.get("X-Fingerprint-ID"):
        return visitor_from_fingerprint(svc, request.headers["X-Fingerprint-ID"])
    return visitor_from_token(svc, _visitor_token())


def public_scheme() -> str:
    """The scheme the client used: behind the trusted proxy (CHAT_TRUST_PROXY) the one it reports, since TLS
    ends there."""
    if current_app.config["CHAT_TRUST_PROXY"]:
        forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[-1].strip().lower()
        if forwarded in ("http", "https"):
            return forwarded
    return request.scheme


def public_base_url() -> str:
    """The server's public address with a final /: CHAT_PUBLIC_URL when set, else as this client reaches it
    (scheme as reported by a trusted proxy; the host from the request, which the client chose)."""
    configured = current_app.config.get("CHAT_PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/") + "/"
    return f"{public_scheme()}://{request.host}/"


def realtime_url() -> str:
    """The realtime socket's address as this client reaches the server."""
    return f"{'wss' if public_scheme() == 'https' else 'ws'}://{request.host}/api/v1/realtime"


def wants_csrf() -> bool:
    """Kayako: `X-CSRF: false` on the authenticating request opens a session whose writes need no token."""
    return request.headers.get("X-CSRF", "true").strip().lower() != "false"


def basic_login(svc: Services) -> tuple[str, str, int] | None:
    """HTTP Basic credentials on this request, if any, checked (throttled like every login) into a new session:
    its id goes at the top of the answer (`session_id`) and its CSRF token in X-CSRF-Token."""
    auth = request.authorization
    if auth is None or auth.type != "basic" or not auth.username:
        return None
    session_id, csrf, agent_id = login(svc, auth.username, auth.password or "", client_ip(), csrf=wants_csrf())
    g.new_session_id = session_id
    if csrf:
        api_response_header("X-CSRF-Token", csrf)
    return session_id, csrf, agent_id


def _cross_site() -> bool:
    """A browser sent this from another site's page: Basic credentials it remembered must not act for it."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin.rstrip("/").lower() != f"{public_scheme()}://{request.host}".lower()


def authenticate(mode: str, is_write: bool) -> Principal:
    svc = services_of(current_app)
    if mode in ("public", "basic"):
        return ANONYMOUS
    if mode == "agent_or_visitor" and not request.headers.get("X-Session-ID") and _visitor_token():
        return _visitor()
    if mode == "visitor":
        return _visitor()
    if not request.headers.get("X-Session-ID") and request.authorization is not None:
        # Kayako: Basic on any request logs in; the answer carries the new session for the next calls.
        if is_write and _cross_site():
            raise ApiError(ErrorCode.CSRF_FAILED, "Log in with Basic from this server's own pages or a client, "
                           "not from another site")
        opened = basic_login(svc)
        if opened is not None:
            return agent_from_session(svc, opened[0])
    principal = agent_from_session(svc, request.headers.get("X-Session-ID"))
    if is_write:
        _csrf(svc, principal)
    return principal
