"""Agent accounts, sessions (login with a rate limit, logout), and presence from sockets."""

from __future__ import annotations

import logging
import math
import secrets
from typing import TYPE_CHECKING, Any

from werkzeug.security import check_password_hash, generate_password_hash

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.actions.conversations import do_leave
from kayako_desktop.server.actions.offers import end_offer
from kayako_desktop.server.actions.posts import do_system_post
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.conversations import access_conversation
from kayako_desktop.server.queries.offers import ringing_offer_rows
from kayako_desktop.server.routing.engine import do_dispatch, publish_agent

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.services import Services

log = logging.getLogger(__name__)
# Verified when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def do_create_agent(svc: Services, tx: Tx, email: str, full_name: str, password: str, role: str = "AGENT",
                    max_chats: int | None = None) -> int:
    email = email.strip()  # check the address that is stored, or a near-duplicate hits the UNIQUE index
    if tx.one("SELECT 1 FROM agents WHERE lower(email) = lower(?)", (email,)):
        raise ApiError(ErrorCode.DUPLICATE, f"An agent with email {email} already exists", parameter="email")
    new_id = tx.insert(
        "INSERT INTO agents (email, full_name, password_hash, role, max_chats, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (email, full_name.strip(), generate_password_hash(password, svc.config["CHAT_PASSWORD_METHOD"]), role,
         max_chats or int(svc.config["CHAT_MAX_CHATS"]), tx.now),
    )
    publish_agent(svc, tx, new_id)
    return new_id


def do_rename_agent(svc: Services, tx: Tx, agent_id: int, full_name: str) -> None:
    """The name visitors and colleagues see, on past messages too (posts show their author's current name)."""
    tx.execute("UPDATE agents SET full_name = ? WHERE id = ?", (full_name.strip(), agent_id))
    publish_agent(svc, tx, agent_id)


def do_update_agent(svc: Services, tx: Tx, agent_id: int, changes: dict[str, Any]) -> None:
    """An administrator's change to an agent (name, chat limit, role). A lower limit applies to new chats."""
    row = tx.one("SELECT role, is_enabled FROM agents WHERE id = ?", (agent_id,))
    if row is None:
        raise ApiError(ErrorCode.NOT_FOUND, "Agent not found")
    losing_admin = changes.get("role") not in (None, "ADMIN") or changes.get("is_enabled") is False
    if row["role"] == "ADMIN" and row["is_enabled"] and losing_admin and \
            int(tx.value("SELECT COUNT(*) FROM agents WHERE role = 'ADMIN' AND is_enabled = 1")) == 1:
        raise ApiError(ErrorCode.INVALID_STATE, "This is the only administrator: make someone else one first",
                       parameter="role" if changes.get("role") not in (None, "ADMIN") else "is_enabled")
    for column in ("full_name", "max_chats", "role"):  # a fixed list: column names never come from input
        if changes.get(column) is not None:
            tx.execute(f"UPDATE agents SET {column} = ? WHERE id = ?", (changes[column], agent_id))  # noqa: S608
    if changes.get("is_enabled") is not None and bool(changes["is_enabled"]) != bool(row["is_enabled"]):
        tx.execute("UPDATE agents SET is_enabled = ? WHERE id = ?", (int(changes["is_enabled"]), agent_id))
        if not changes["is_enabled"]:
            _disabled(svc, tx, agent_id)
    publish_agent(svc, tx, agent_id)
    do_dispatch(svc, tx)  # a higher limit may let a waiting chat ring


def _disabled(svc: Services, tx: Tx, agent_id: int) -> None:
    """An account just disabled (someone left the team): their sessions end (sockets close with 4401), what
    rings for them moves on, and every chat they are in is left at once — an owned one goes to a participant
    or back to the queue — with a staff line saying why."""
    do_revoke_sessions(tx, agent_id=agent_id)
    for offer in ringing_offer_rows(tx, agent_id=agent_id):
        end_offer(tx, offer, "CANCELLED")
    name = tx.value("SELECT full_name FROM agents WHERE id = ?", (agent_id,))
    for row in tx.all("SELECT p.conversation_id FROM participants p JOIN conversations c ON c.id = p.conversation_id "
                      "WHERE p.agent_id = ? AND p.left_at IS NULL AND c.status <> 'COMPLETED' ORDER BY 1", (agent_id,)):
        conv = access_conversation(tx, row[0])
        do_system_post(tx, conv, f"{name}'s account was disabled: they left the chat", staff_only=True)
        do_leave(svc, tx, row[0], agent_id)


def _keys(email: str, ip: str | None) -> tuple[str, str]:
    """Failed logins are counted per (client IP, account) and per account, never per IP alone: an office
    behind one NAT address must not be locked out by one person's typos."""
    account = email.strip().lower()
    return f"pair:{ip or '-'}|{account}", f"account:{account}"


def _backoff(svc: Services, failures: int) -> float:
    """Seconds to wait after the last failure: none for the first CHAT_LOGIN_ATTEMPTS, then doubling."""
    cfg, free = svc.config, int(svc.config["CHAT_LOGIN_ATTEMPTS"])
    if failures < free:
        return 0.0
    delay: float = float(cfg["CHAT_LOGIN_BACKOFF"]) * 2 ** (failures - free)
    return min(float(cfg["CHAT_LOGIN_MAX_DELAY"]), delay)


def _throttled(svc: Services, tx: Tx, email: str, ip: str | None) -> int | None:
    """Seconds until this address may try this account again, or None."""
    window = float(svc.config["CHAT_LOGIN_WINDOW"])
    tx.execute("DELETE FROM login_attempts WHERE at <= ?", (tx.now - window,))
    pair, account = _keys(email, ip)
    limit = int(svc.config["CHAT_LOGIN_ACCOUNT_ATTEMPTS"])
    failed = tx.all("SELECT at FROM login_attempts WHERE key = ? ORDER BY at", (account,))
    if len(failed) >= limit:  # under sustained attack: locked everywhere until failures age out
        until: float = float(failed[len(failed) - limit]["at"]) + window - tx.now
        return max(1, math.ceil(until))
    mine = tx.all("SELECT at FROM login_attempts WHERE key = ? ORDER BY at", (pair,))
    left: float = (float(mine[-1]["at"]) + _backoff(svc, len(mine)) - tx.now) if mine else 0.0
    return max(1, math.ceil(left)) if left > 0 else None


def _record_failure(svc: Services, tx: Tx, email: str, ip: str | None) -> None:
    pair, account = _keys(email, ip)
    for key in (pair, account):
        tx.execute("INSERT INTO login_attempts (key, at) VALUES (?, ?)", (key, tx.now))
    mine = tx.value("SELECT COUNT(*) FROM login_attempts WHERE key = ?", (pair,))
    if mine == int(svc.config["CHAT_LOGIN_ATTEMPTS"]):
        log.warning("login: %d failed logins for %s from %s; that address now waits before each try "
                    "(doubling up to %s s)", mine, account[len("account:"):], ip or "unknown",
                    svc.config["CHAT_LOGIN_MAX_DELAY"])
    total = tx.value("SELECT COUNT(*) FROM login_attempts WHERE key = ?", (account,))
    if total == int(svc.config["CHAT_LOGIN_ACCOUNT_ATTEMPTS"]):
        suffix = "|" + account[len("account:"):]
        sources = tx.value("SELECT COUNT(DISTINCT key) FROM login_attempts WHERE substr(key, 1, 5) = 'pair:' "
                           "AND substr(key, length(key) - length(?) + 1) = ?", (suffix, suffix))
        log.warning("login: account %s is LOCKED for every address: %d failed logins from %d addresses in "
                    "%s s (a password-guessing attack?); it unlocks as they age out", account[len("account:"):],
                    total, sources, svc.config["CHAT_LOGIN_WINDOW"])


def login(svc: Services, email: str, password: str, ip: str | None, *, csrf: bool = True) -> tuple[str, str, int]:
    """Check credentials; returns (session id, CSRF token, agent id) or raises ApiError. With csrf=False
    (Kayako's `X-CSRF: false` at login) the session's writes need no token: its token is ""."""
    with svc.db.write() as tx:
        wait = _throttled(svc, tx, email, ip)
    if wait is not None:
        raise ApiError(ErrorCode.RATE_LIMIT_REACHED, f"Too many failed logins; try again in {wait} seconds",
                       headers={"Retry-After": str(wait)})
    with svc.db.read() as db:
        row = db.execute("SELECT id, password_hash, is_enabled FROM agents WHERE lower(email) = lower(?)",
                         (email,)).fetchone()
    # Hashing is deliberately slow, so it runs outside the write lock.
    ok = check_password_hash(row["password_hash"] if row else _DUMMY_HASH, password) and row is not None
    disabled = ok and not row["is_enabled"]
    with svc.db.write() as tx:
        if not ok:
            _record_failure(svc, tx, email, ip)
        elif not disabled:
            tx.execute("DELETE FROM login_attempts WHERE key = ?", (_keys(email, ip)[0],))
            session_id, token = secrets.token_urlsafe(32), secrets.token_urlsafe(32) if csrf else ""
            tx.execute(
                "INSERT INTO sessions (id, agent_id, csrf_token, created_at, last_active_at) VALUES (?, ?, ?, ?, ?)",
                (session_id, row["id"], token, tx.now, tx.now),
            )
    if not ok:
        raise ApiError(ErrorCode.AUTHENTICATION_FAILED, "The email or password is incorrect")
    if disabled:  # said only to whoever knows the password; no session is made
        raise ApiError(ErrorCode.AUTHENTICATION_FAILED, "This account is disabled: ask an administrator")
    return session_id, token, row["id"]


def do_revoke_sessions(tx: Tx, *, session_id: str | None = None, agent_id: int | None = None) -> None:
    """End a session (logout) or all of an agent's (any future password change or disabling must call
    this): REST answers 454 from now on, and every socket of it closes with 4401 right after COMMIT."""
    if session_id is not None:
        rows = tx.all("DELETE FROM sessions WHERE id = ? RETURNING id", (session_id,))
    else:
        rows = tx.all("DELETE FROM sessions WHERE agent_id = ? RETURNING id", (agent_id,))
    for row in rows:
        tx.revoke_session(row[0])


IDLE_SESSIONS_PER_TICK = 1000
SESSION_TOUCH_SECONDS = 60.0  # how often a node marks the sessions of its open sockets as in use


def do_end_idle_sessions(svc: Services, tx: Tx) -> int:
    """Sessions unused for CHAT_SESSION_IDLE_SECONDS end like a logout (their sockets close with 4401). A
    client that sends Basic credentials on every request (Kayako allows it) opens a session each time: this
    keeps them from piling up. A session with a socket on this node is in use (every node's tick says so
    for its own sockets). At most IDLE_SESSIONS_PER_TICK a tick; returns how many ended."""
    idle = float(svc.config["CHAT_SESSION_IDLE_SECONDS"])
    every = min(SESSION_TOUCH_SECONDS, idle / 2)
    if tx.now - svc.sessions_touched_at >= every:  # not every tick: once a minute is plenty against days
        svc.sessions_touched_at = tx.now
        live = sorted(svc.hub.session_ids())
        if live:
            tx.execute(f"UPDATE sessions SET last_active_at = ? WHERE id IN ({','.join('?' * len(live))}) "
                       "AND last_active_at < ?", (tx.now, *live, tx.now - every))
    before = tx.now - idle
    rows = tx.all("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE last_active_at < ? LIMIT ?) "
                  "RETURNING id", (before, IDLE_SESSIONS_PER_TICK))
    for row in rows:
        tx.revoke_session(row[0])
    return len(rows)


def do_touch_session(tx: Tx, session_id: str) -> None:
    """The session was used now (idle expiry counts from here)."""
    tx.execute("UPDATE sessions SET last_active_at = ? WHERE id = ?", (tx.now, session_id))


def do_set_password(tx: Tx, email: str, password: str) -> None:
    """A new password for the agent with this email; their sessions end (sockets close with 4401)."""
    row = tx.one("SELECT id FROM agents WHERE lower(email) = lower(?)", (email,))
    if row is None:
        raise LookupError(email)
    tx.execute("UPDATE agents SET password_hash = ? WHERE id = ?", (generate_password_hash(password), row["id"]))
    do_revoke_sessions(tx, agent_id=row["id"])


def do_logout(tx: Tx, session_id: str) -> None:
    do_revoke_sessions(tx, session_id=session_id)


def do_agent_connected(svc: Services, tx: Tx, agent_id: int) -> None:
    """First socket of an agent: they are online, and waiting chats may be offered to them."""
    publish_agent(svc, tx, agent_id)
    do_dispatch(svc, tx)


def do_agent_disconnected(svc: Services, tx: Tx, agent_id: int) -> None:
    """Last socket gone: OFFLINE; chats ringing for them move on at once instead of ringing out."""
    for offer in ringing_offer_rows(tx, agent_id=agent_id):
        end_offer(tx, offer, "CANCELLED")
    publish_agent(svc, tx, agent_id)
    do_dispatch(svc, tx)
