"""Agent accounts, sessions (login with a rate limit, logout), and presence from sockets."""

from __future__ import annotations

import secrets
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from app.protocol.errors import ErrorCode
from app.server.errors import ApiError
from app.server.routing.engine import do_dispatch, end_offer, publish_agent

# Verified when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def do_create_agent(svc: Any, tx: Any, email: str, full_name: str, password: str, role: str = "AGENT",
                    max_chats: int | None = None) -> int:
    email = email.strip()  # check the address that is stored, or a near-duplicate hits the UNIQUE index
    if tx.one("SELECT 1 FROM agents WHERE email = ?", (email,)):
        raise ApiError(ErrorCode.DUPLICATE, f"An agent with email {email} already exists", parameter="email")
    cur = tx.execute(
        "INSERT INTO agents (email, full_name, password_hash, role, max_chats, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (email, full_name.strip(), generate_password_hash(password, svc.config["CHAT_PASSWORD_METHOD"]), role,
         max_chats or int(svc.config["CHAT_MAX_CHATS"]), tx.now),
    )
    publish_agent(svc, tx, int(cur.lastrowid))
    return int(cur.lastrowid)


def do_rename_agent(svc: Any, tx: Any, agent_id: int, full_name: str) -> None:
    """The name visitors and colleagues see, on past messages too (posts show their author's current name)."""
    tx.execute("UPDATE agents SET full_name = ? WHERE id = ?", (full_name.strip(), agent_id))
    publish_agent(svc, tx, agent_id)


def do_update_agent(svc: Any, tx: Any, agent_id: int, changes: dict[str, Any]) -> None:
    """An administrator's change to an agent (name, chat limit, role). A lower limit applies to new chats."""
    if tx.one("SELECT 1 FROM agents WHERE id = ?", (agent_id,)) is None:
        raise ApiError(ErrorCode.NOT_FOUND, "Agent not found")
    for column in ("full_name", "max_chats", "role"):  # a fixed list: column names never come from input
        if changes.get(column) is not None:
            tx.execute(f"UPDATE agents SET {column} = ? WHERE id = ?", (changes[column], agent_id))  # noqa: S608
    publish_agent(svc, tx, agent_id)
    do_dispatch(svc, tx)  # a higher limit may let a waiting chat ring


def _limited(svc: Any, tx: Any, keys: list[str]) -> int | None:
    """Seconds until another attempt is allowed, or None when under the limit."""
    window = float(svc.config["CHAT_LOGIN_WINDOW"])
    limit = int(svc.config["CHAT_LOGIN_ATTEMPTS"])
    tx.execute("DELETE FROM login_attempts WHERE at < ?", (tx.now - window,))
    for key in keys:
        rows = tx.all("SELECT at FROM login_attempts WHERE key = ? ORDER BY at", (key,))
        if len(rows) >= limit:
            return max(1, int(rows[0]["at"] + window - tx.now) + 1)
    return None


def login(svc: Any, email: str, password: str, ip: str | None) -> tuple[str, str, int]:
    """Check credentials; returns (session id, CSRF token, agent id) or raises ApiError."""
    keys = [f"ip:{ip}", f"email:{email.lower()}"]
    with svc.db.write() as tx:
        wait = _limited(svc, tx, keys)
    if wait is not None:
        raise ApiError(ErrorCode.RATE_LIMIT_REACHED, f"Too many failed logins; try again in {wait} seconds",
                       headers={"Retry-After": str(wait)})
    with svc.db.read() as db:
        row = db.execute("SELECT id, password_hash FROM agents WHERE email = ?", (email,)).fetchone()
    # Hashing is deliberately slow, so it runs outside the write lock.
    ok = check_password_hash(row["password_hash"] if row else _DUMMY_HASH, password) and row is not None
    with svc.db.write() as tx:
        if not ok:
            for key in keys:
                tx.execute("INSERT INTO login_attempts (key, at) VALUES (?, ?)", (key, tx.now))
        else:
            tx.execute("DELETE FROM login_attempts WHERE key = ?", (keys[1],))
            session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            tx.execute(
                "INSERT INTO sessions (id, agent_id, csrf_token, created_at, last_active_at) VALUES (?, ?, ?, ?, ?)",
                (session_id, row["id"], csrf, tx.now, tx.now),
            )
    if not ok:
        raise ApiError(ErrorCode.AUTHENTICATION_FAILED, "The email or password is incorrect")
    return session_id, csrf, row["id"]


def do_logout(tx: Any, session_id: str) -> None:
    tx.execute("DELETE FROM sessions WHERE id = ?", (session_id,))


def do_agent_connected(svc: Any, tx: Any, agent_id: int) -> None:
    """First socket of an agent: they are online, and waiting chats may be offered to them."""
    publish_agent(svc, tx, agent_id)
    do_dispatch(svc, tx)


def do_agent_disconnected(svc: Any, tx: Any, agent_id: int) -> None:
    """Last socket gone: OFFLINE; chats ringing for them move on at once instead of ringing out."""
    for offer in tx.all("SELECT * FROM offers WHERE agent_id = ? AND state = 'OFFERED'", (agent_id,)):
        end_offer(tx, offer, "CANCELLED")
    publish_agent(svc, tx, agent_id)
    do_dispatch(svc, tx)
