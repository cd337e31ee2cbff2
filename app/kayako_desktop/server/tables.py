"""The chat server's tables, defined once (SQLAlchemy Core). Times are UNIX seconds (REAL); the wire shows
ISO 8601 UTC. Migrations (server/migrations) create and change the real database; a test checks that the
newest migration gives exactly these tables. SQLite-only parts (the FTS5 search index) live in the
migrations, not here."""

from __future__ import annotations

from sqlalchemy import (
    REAL,
    BigInteger,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    TextClause,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeEngine

metadata = MetaData()

# A moment, as UNIX seconds with fractions: REAL in SQLite (8 bytes there), DOUBLE PRECISION elsewhere.
Float: TypeEngine[float] = Double().with_variant(REAL(), "sqlite")
# 64-bit integers: SQLite's INTEGER already is one (and an INTEGER PRIMARY KEY is the rowid).
BigInt: TypeEngine[int] = BigInteger().with_variant(Integer(), "sqlite")
# Emails match case-insensitively (SQLite's NOCASE collation).
EmailText = Text().with_variant(Text(collation="NOCASE"), "sqlite")


def _default(value: str | int) -> TextClause:
    return text(f"'{value}'") if isinstance(value, str) else text(str(value))


agents = Table(
    "agents", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", EmailText, nullable=False, unique=True),
    Column("full_name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("role", Text, nullable=False, server_default=_default("AGENT")),
    Column("status", Text, nullable=False, server_default=_default("ONLINE")),
    Column("max_chats", Integer, nullable=False, server_default=_default(4)),
    Column("missed_offers", Integer, nullable=False, server_default=_default(0)),
    Column("last_offered_at", Float),
    Column("avatar_url", Text),
    Column("created_at", Float, nullable=False),
    # 0: the account is disabled (someone who left the team): no login, kept for the chats that name them
    Column("is_enabled", Integer, nullable=False, server_default=_default(1)),
)

sessions = Table(
    "sessions", metadata,
    Column("id", Text, primary_key=True),
    Column("agent_id", Integer, ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("last_active_at", Float, nullable=False),
)

visitors = Table(
    "visitors", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("name", Text),
    Column("email", Text),
    Column("ip", Text),
    Column("user_agent", Text),
    Column("country", Text),
    Column("country_code", Text),
    Column("city", Text),
    Column("current_url", Text),
    Column("current_title", Text),
    Column("referrer", Text),
    Column("page_views", Integer, nullable=False, server_default=_default(0)),
    Column("first_seen", Float, nullable=False),
    Column("session_started_at", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("online", Integer, nullable=False, server_default=_default(0)),
    Index("visitors_online", "online", "last_seen"),
    Column("visits", Integer, nullable=False, server_default=_default(1)),  # sessions, this one included
)

page_views = Table(
    "page_views", metadata,
    Column("id", Integer, primary_key=True),
    Column("visitor_id", Integer, ForeignKey("visitors.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("title", Text),
    Column("referrer", Text),
    Column("created_at", Float, nullable=False),
    Index("page_views_visitor", "visitor_id", "id"),
)

conversations = Table(
    "conversations", metadata,
    Column("id", Integer, primary_key=True),
    Column("subject", Text, nullable=False),
    Column("status", Text, nullable=False, server_default=_default("NEW")),
    Column("visitor_id", Integer, ForeignKey("visitors.id"), nullable=False),
    Column("owner_id", Integer, ForeignKey("agents.id")),
    Column("is_offline", Integer, nullable=False, server_default=_default(0)),
    Column("rating", Text),
    Column("rating_comment", Text),
    Column("client_id", Text),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("completed_at", Float),
    UniqueConstraint("visitor_id", "client_id"),
    Index("conversations_status", "status", "created_at"),
    Index("conversations_owner", "owner_id", "status"),
    # the department it was asked of or transferred to (no constraint: deleting a department clears it)
    Column("department_id", Integer),
    # when an agent first took it, and first answered the visitor (reports read these, not the posts)
    Column("taken_at", Float),
    Column("answered_at", Float),
    Column("transfers", Integer, nullable=False, server_default=_default(0)),  # transfer rings accepted
    Column("declines", Integer, nullable=False, server_default=_default(0)),  # rings declined
    # the skill it asks for (a visitor rule's, or a transfer's; no constraint: deleting a skill clears it)
    Column("skill_id", Integer),
    # Reports read a range of chats from this index alone (bench/dashboard.py).
    Index("conversations_report", "created_at", "is_offline", "taken_at", "answered_at", "completed_at", "rating",
          "transfers", "declines", "department_id", "owner_id"),
)

participants = Table(
    "participants", metadata,
    Column("conversation_id", Integer, ForeignKey("conversations.id"), nullable=False),
    Column("agent_id", Integer, ForeignKey("agents.id"), nullable=False),
    Column("role", Text, nullable=False),
    Column("joined_at", Float, nullable=False),
    Column("left_at", Float),
    PrimaryKeyConstraint("conversation_id", "agent_id"),
    Index("participants_agent", "agent_id", "left_at"),
)

files = Table(
    "files", metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("is_image", Integer, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("uploader_kind", Text, nullable=False),
    Column("uploader_id", Integer, nullable=False),
    Column("created_at", Float, nullable=False),
)

posts = Table(
    "posts", metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", Text, nullable=False, unique=True),
    Column("conversation_id", Integer, ForeignKey("conversations.id"), nullable=False),
    Column("client_id", Text),
    Column("author_kind", Text, nullable=False),
    Column("author_id", Integer),
    Column("kind", Text, nullable=False),
    Column("visibility", Text, nullable=False),
    Column("contents", Text, nullable=False),
    Column("content_html", Text),
    Column("language", Text),
    Column("url", Text),
    Column("file_id", Text, ForeignKey("files.id")),
    Column("status", Text, nullable=False, server_default=_default("SENT")),
    Column("created_at", Float, nullable=False),
    UniqueConstraint("author_kind", "author_id", "client_id"),
    Index("posts_conversation", "conversation_id", "id"),
    # Only posts with a file (migration 0003): text messages write no page of it.
    Index("posts_file", "file_id", sqlite_where=text("file_id IS NOT NULL"), postgresql_where=text("file_id IS NOT NULL")),
)

offers = Table(
    "offers", metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, ForeignKey("conversations.id"), nullable=False),
    Column("agent_id", Integer, ForeignKey("agents.id"), nullable=False),
    Column("state", Text, nullable=False),
    Column("transfer_from", Integer, ForeignKey("agents.id")),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("ended_at", Float),
    Column("department_id", Integer),  # a transfer to this department (its next agent rings if this one does not take it)
    Column("auto_transfer", Integer, nullable=False, server_default=_default(0)),  # rung by the unanswered-chat timer
    Column("skill_id", Integer),  # a transfer to this skill (its next agent rings if this one does not take it)
    Index("offers_state", "state", "expires_at"),
    Index("offers_conversation", "conversation_id", "agent_id"),
)

invitations = Table(
    "invitations", metadata,
    Column("id", Integer, primary_key=True),
    Column("visitor_id", Integer, ForeignKey("visitors.id"), nullable=False),
    Column("agent_id", Integer, ForeignKey("agents.id"), nullable=False),
    Column("message", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("conversation_id", Integer, ForeignKey("conversations.id")),
    Column("created_at", Float, nullable=False),
)

macros = Table(
    "macros", metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("contents", Text, nullable=False),
    Column("created_by", Integer, ForeignKey("agents.id")),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

# Departments (Kayako: teams), optionally inside another; agents take the chats of theirs (and of those below).
departments = Table(
    "departments", metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("parent_id", Integer, ForeignKey("departments.id")),
    Column("is_public", Integer, nullable=False, server_default=_default(1)),
    Column("auto_transfer_seconds", Integer),  # NULL: the server's CHAT_AUTO_TRANSFER_SECONDS; 0: never
    Column("created_at", Float, nullable=False),
)

agent_departments = Table(
    "agent_departments", metadata,
    Column("agent_id", Integer, ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
    Column("department_id", Integer, ForeignKey("departments.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("agent_id", "department_id"),
    Index("agent_departments_department", "department_id"),
)

# Skills (Kayako Classic's chat skills): a chat asking for one rings the agents who have it first.
skills = Table(
    "skills", metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("created_at", Float, nullable=False),
)

agent_skills = Table(
    "agent_skills", metadata,
    Column("agent_id", Integer, ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
    Column("skill_id", Integer, ForeignKey("skills.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("agent_id", "skill_id"),
    Index("agent_skills_skill", "skill_id"),
)

# Visitors from `network` (canonical CIDR text) may not chat while not lifted and not past expires_at. Kept
# after lifting, for the record. Few rows: every visitor request reads the active ones.
bans = Table(
    "bans", metadata,
    Column("id", Integer, primary_key=True),
    Column("network", Text, nullable=False),
    Column("prefix", Integer, nullable=False),
    Column("reason", Text, nullable=False, server_default=_default("")),
    Column("visitor_id", Integer),
    Column("created_by", Integer, ForeignKey("agents.id"), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float),
    Column("lifted_at", Float),
    Column("lifted_by", Integer, ForeignKey("agents.id")),
    Index("bans_active", "lifted_at", "expires_at"),
)

# Visitor rules: conditions (JSON list of {field, op, value}) and actions, checked at page views and heartbeats.
visitor_rules = Table(
    "visitor_rules", metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("enabled", Integer, nullable=False, server_default=_default(1)),
    Column("match", Text, nullable=False, server_default=_default("ALL")),
    Column("conditions", Text, nullable=False),
    Column("colour", Text),
    Column("alert", Integer, nullable=False, server_default=_default(0)),
    Column("invite_message", Text),
    Column("skill_id", Integer),  # a matching visitor's chat asks for this skill
    Column("created_by", Integer, ForeignKey("agents.id")),
    Column("created_at", Float, nullable=False),
)

# A rule's alert and invitation act once per visit: the visits they acted in.
visitor_rule_hits = Table(
    "visitor_rule_hits", metadata,
    Column("visitor_id", Integer, ForeignKey("visitors.id", ondelete="CASCADE"), nullable=False),
    Column("rule_id", Integer, ForeignKey("visitor_rules.id", ondelete="CASCADE"), nullable=False),
    Column("session_started_at", Float, nullable=False),
    PrimaryKeyConstraint("visitor_id", "rule_id", "session_started_at"),
)

# Agents' messages to each other (staff chat); `conversation_id`: a request to help in that chat.
staff_messages = Table(
    "staff_messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", Integer, ForeignKey("agents.id"), nullable=False),
    Column("recipient_id", Integer, ForeignKey("agents.id"), nullable=False),
    Column("contents", Text, nullable=False),
    Column("conversation_id", Integer, ForeignKey("conversations.id", ondelete="SET NULL")),
    Column("client_id", Text),
    Column("created_at", Float, nullable=False),
    Column("read_at", Float),
    Index("staff_messages_pair", "sender_id", "recipient_id", "id"),
    Index("staff_messages_unread", "recipient_id", "read_at"),
    UniqueConstraint("sender_id", "client_id"),
)

# Notes agents keep on a visitor (optionally written in one of their chats): staff only, never the visitor's.
visitor_notes = Table(
    "visitor_notes", metadata,
    Column("id", Integer, primary_key=True),
    Column("visitor_id", Integer, ForeignKey("visitors.id", ondelete="CASCADE"), nullable=False),
    Column("conversation_id", Integer, ForeignKey("conversations.id", ondelete="SET NULL")),
    Column("agent_id", Integer, ForeignKey("agents.id"), nullable=False),
    Column("body_text", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Index("visitor_notes_visitor", "visitor_id", "id"),
)

# The event log is the outbox: `seq` is never reused, even after rows are pruned (AUTOINCREMENT).
events = Table(
    "events", metadata,
    Column("seq", BigInt, primary_key=True),
    Column("type", Text, nullable=False),
    Column("audience_kind", Text, nullable=False),
    Column("audience_id", Integer),
    Column("data", Text, nullable=False),
    Column("ts", BigInt, nullable=False),  # milliseconds
    Index("events_audience", "audience_kind", "audience_id", "seq"),
    sqlite_autoincrement=True,
)

login_attempts = Table(
    "login_attempts", metadata,
    Column("key", Text, nullable=False),
    Column("at", Float, nullable=False),
    Index("login_attempts_key", "key", "at"),
)

meta = Table(
    "meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)
