"""Server settings: namespaced CHAT_* keys with defaults; overridable by create_app(config) or env."""

from __future__ import annotations

import os
from typing import Any

DEFAULTS: dict[str, Any] = {
    "CHAT_DATA_DIR": "./data",
    "CHAT_RING_TIMEOUT": 30,  # seconds an offer rings before moving on
    "CHAT_MAX_CHATS": 4,  # default capacity for new agents
    "CHAT_MISSED_OFFERS_AWAY": 3,  # consecutive missed offers before an agent is set AWAY
    # A visitor's message unanswered this long (seconds) by the chat's owner: the chat rings the next eligible
    # colleague as a transfer (routing/engine.do_auto_transfer). 0 turns it off.
    "CHAT_AUTO_TRANSFER_SECONDS": 180,
    # An owner with no socket and no request for this long (seconds): their open chats go to a participant or
    # back to the queue (actions/conversations.do_release_abandoned). 0 turns it off.
    "CHAT_OFFLINE_OWNER_GRACE": 120,
    # A waiting chat that asks for a skill waits this long (seconds) for an agent with it while one is online
    # but busy, then any agent may take it (routing/engine.eligible_agents). 0 waits for the skill for ever.
    "CHAT_SKILL_MAX_WAIT": 120,
    "CHAT_VISITOR_GRACE": 30,  # seconds without a heartbeat before a visitor is offline
    "CHAT_MAX_UPLOAD_BYTES": 25 * 1024 * 1024,
    "CHAT_EVENT_RETENTION_SECONDS": 7 * 24 * 3600,  # older events are pruned; resume past that → resync
    "CHAT_HEARTBEAT_SECONDS": 25,
    "CHAT_SOCKET_IDLE_SECONDS": 75,  # a socket silent this long is dropped
    "CHAT_SOCKET_QUEUE_LIMIT": 5000,  # a client this far behind is dropped and resumes by seq
    # Failed logins, throttled per (client IP, account): the first CHAT_LOGIN_ATTEMPTS are free, then each
    # further failure doubles the wait (CHAT_LOGIN_BACKOFF, 2x, 4x ... up to CHAT_LOGIN_MAX_DELAY seconds).
    # Failures older than CHAT_LOGIN_WINDOW are forgotten. An account failing CHAT_LOGIN_ACCOUNT_ATTEMPTS
    # times in the window, from any addresses, is under attack: it is locked for every address until the
    # failures age out. Other accounts behind the same IP (an office NAT) are never affected.
    "CHAT_LOGIN_ATTEMPTS": 5,
    "CHAT_LOGIN_BACKOFF": 2,
    "CHAT_LOGIN_MAX_DELAY": 300,
    "CHAT_LOGIN_WINDOW": 900,
    "CHAT_LOGIN_ACCOUNT_ATTEMPTS": 100,
    "CHAT_SESSION_IDLE_SECONDS": 30 * 24 * 3600,
    # Anonymous traffic, per client IP (behind a reverse proxy set CHAT_TRUST_PROXY, or every visitor
    # shares the proxy's address): new visitor identities and offline messages per window.
    "CHAT_VISITOR_CREATE_LIMIT": 30,
    "CHAT_VISITOR_CREATE_WINDOW": 60,
    "CHAT_OFFLINE_MESSAGE_LIMIT": 5,
    "CHAT_OFFLINE_MESSAGE_WINDOW": 600,
    "CHAT_VISITOR_SOCKETS": 10,  # live sockets per visitor token (one per open tab); more are refused
    "CHAT_WAL_CHECKPOINT_BYTES": 16 * 1024 * 1024,  # past this the write-ahead log is checkpointed and emptied
    "CHAT_MIGRATE_ON_START": False,  # upgrade an older database schema at start (else refuse it; `server migrate`)
    "CHAT_TICK_SECONDS": 1.0,  # routing/presence timer period; 0 disables it (tests tick by hand)
    # A PostgreSQL database (postgresql://user:password@host:port/db) for nodes on several machines; unset =
    # SQLite in CHAT_DATA_DIR. `kayako-desktop server migrate --database-url` creates and upgrades its schema
    # (the server refuses a database at another revision). Needs the `server` extra (psycopg).
    "CHAT_DATABASE_URL": None,
    # Reader connections each node keeps to PostgreSQL at most (plus one writer); a read finding them all busy
    # waits up to 10 s. PostgreSQL's max_connections must cover every node's pool + 1.
    "CHAT_DATABASE_POOL": 16,
    # Uploaded files (default: CHAT_DATA_DIR/files). Nodes on several machines mount one shared volume here:
    # a file uploaded through one node is downloaded through any other.
    "CHAT_FILES_DIR": None,
    # Several server nodes: the Redis that carries events between them and counts their sockets
    # (realtime/bus.py, realtime/presence.py); unset = one process, everything in memory.
    "CHAT_REDIS_URL": None,
    "CHAT_PRESENCE_TTL_SECONDS": 6,  # a node that stops renewing its sockets (killed) stops counting after this
    # Chat transcripts by e-mail: the SMTP server (smtp://, smtp+starttls:// or smtps://user:password@host:port,
    # see server/mail.py) and the sender; unset = no e-mail, and asking for a transcript says so.
    "CHAT_SMTP_URL": None,
    "CHAT_SMTP_FROM": None,
    # Transcript e-mails visitors may ask for, per visitor and per client address, per window (agents are not
    # limited). A visitor's transcripts only ever go to their own address on record.
    "CHAT_TRANSCRIPT_LIMIT": 3,
    "CHAT_TRANSCRIPT_WINDOW": 3600,
    "CHAT_TRANSCRIPT_ADDRESS_LIMIT": 20,
    "CHAT_TRANSCRIPT_ADDRESS_WINDOW": 3600,
    # The server's public address (https://chat.example.com) for links in e-mails; unset = the address each
    # request came to (its Host header, which a client can set: set this on a server that sends e-mail).
    "CHAT_PUBLIC_URL": None,
    "CHAT_GEOIP_DB": None,  # path to a MaxMind .mmdb; location is "unknown" without it
    "CHAT_TRUST_PROXY": False,  # take the client IP from X-Forwarded-For (behind a reverse proxy)
    # Serve the visitor widget's unbundled ES modules (web/messenger, web/shared) instead of its production
    # build (web/messenger/dist, written by `node scripts/build-widget.mjs`): for working on the widget.
    "CHAT_WIDGET_SOURCE": False,
    "CHAT_PASSWORD_METHOD": "scrypt",  # werkzeug hash method for new passwords (tests use a cheap one)
}

_INT_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, int) and not isinstance(v, bool)}


def from_env(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """CHAT_* variables from the environment, typed like their defaults."""
    environ = dict(os.environ if environ is None else environ)
    out: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        if key not in environ:
            continue
        raw = environ[key]
        if key in _INT_KEYS:
            out[key] = int(raw)
        elif isinstance(default, bool):
            out[key] = raw.lower() in {"1", "true", "yes"}
        elif isinstance(default, float):
            out[key] = float(raw)
        else:
            out[key] = raw
    return out
