"""Typed rows: what `SELECT *` of each table gives, column by column, for the type checker (the database
answers sqlite3.Row or pg.py's rows; both read by column name like these). Kept equal to tables.py — names,
types, and None where a column may be NULL — by tests/server/test_rows.py; status columns carry the protocol's
Literal types, so a typo in a state is a type error, not a silent miss.

Accessors in queries/ return these (`as_row`); a row from a query that selects other columns stays a `Row`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypedDict, TypeVar, cast

from kayako_desktop.protocol.models import (
    AgentRole,
    AuthorKind,
    ConversationStatus,
    DeliveryStatus,
    InvitationState,
    OfferState,
    ParticipantRole,
    PostKind,
    RatingScore,
    SettableStatus,
    Visibility,
)

if TYPE_CHECKING:
    from kayako_desktop.server.db import Row

T = TypeVar("T")


def as_row(row: Row | None, kind: type[T]) -> T | None:
    """A `SELECT *` row of a table, as that table's typed row (no copy: only the type checker sees a change)."""
    return cast("T | None", row)


def typed(row: Row, kind: type[T]) -> T:
    """A `SELECT *` (or RETURNING *) row known to exist, typed (no copy)."""
    return cast("T", row)


def as_rows(rows: list[Row], kind: type[T]) -> list[T]:
    """Many `SELECT *` rows of a table, typed (no copy)."""
    return cast("list[T]", rows)


class AgentRow(TypedDict):
    id: int
    email: str
    full_name: str
    password_hash: str
    role: AgentRole
    status: SettableStatus
    max_chats: int
    missed_offers: int
    last_offered_at: float | None
    avatar_url: str | None
    created_at: float
    is_enabled: int


class SessionRow(TypedDict):
    id: str
    agent_id: int
    csrf_token: str
    created_at: float
    last_active_at: float


class VisitorRow(TypedDict):
    id: int
    token_hash: str
    name: str | None
    email: str | None
    ip: str | None
    user_agent: str | None
    country: str | None
    country_code: str | None
    city: str | None
    current_url: str | None
    current_title: str | None
    referrer: str | None
    page_views: int
    first_seen: float
    session_started_at: float
    last_seen: float
    online: int
    visits: int


class PageViewRow(TypedDict):
    id: int
    visitor_id: int
    url: str
    title: str | None
    referrer: str | None
    created_at: float


class ConversationRow(TypedDict):
    id: int
    subject: str
    status: ConversationStatus
    visitor_id: int
    owner_id: int | None
    is_offline: int
    rating: RatingScore | None
    rating_comment: str | None
    client_id: str | None
    created_at: float
    updated_at: float
    completed_at: float | None
    department_id: int | None
    taken_at: float | None
    answered_at: float | None
    transfers: int
    declines: int
    skill_id: int | None


class ParticipantRow(TypedDict):
    conversation_id: int
    agent_id: int
    role: ParticipantRole
    joined_at: float
    left_at: float | None


class FileRow(TypedDict):
    id: str
    name: str
    size: int
    content_type: str
    is_image: int
    sha256: str
    uploader_kind: str
    uploader_id: int
    created_at: float


class PostRow(TypedDict):
    id: int
    uuid: str
    conversation_id: int
    client_id: str | None
    author_kind: AuthorKind
    author_id: int | None
    kind: PostKind
    visibility: Visibility
    contents: str
    content_html: str | None
    language: str | None
    url: str | None
    file_id: str | None
    status: DeliveryStatus
    created_at: float


class OfferRow(TypedDict):
    id: int
    conversation_id: int
    agent_id: int
    state: OfferState
    transfer_from: int | None
    created_at: float
    expires_at: float
    ended_at: float | None
    department_id: int | None
    auto_transfer: int
    skill_id: int | None


class InvitationRow(TypedDict):
    id: int
    visitor_id: int
    agent_id: int
    message: str
    state: InvitationState
    conversation_id: int | None
    created_at: float


class MacroRow(TypedDict):
    id: int
    title: str
    contents: str
    created_by: int | None
    created_at: float
    updated_at: float


class DepartmentRow(TypedDict):
    id: int
    title: str
    parent_id: int | None
    is_public: int
    auto_transfer_seconds: int | None
    created_at: float


class AgentDepartmentRow(TypedDict):
    agent_id: int
    department_id: int


class SkillRow(TypedDict):
    id: int
    title: str
    created_at: float


class AgentSkillRow(TypedDict):
    agent_id: int
    skill_id: int


class BanRow(TypedDict):
    id: int
    network: str
    prefix: int
    reason: str
    visitor_id: int | None
    created_by: int
    created_at: float
    expires_at: float | None
    lifted_at: float | None
    lifted_by: int | None


class VisitorRuleRow(TypedDict):
    id: int
    title: str
    enabled: int
    match: Literal["ALL", "ANY"]
    conditions: str
    colour: str | None
    alert: int
    invite_message: str | None
    skill_id: int | None
    created_by: int | None
    created_at: float


class VisitorRuleHitRow(TypedDict):
    visitor_id: int
    rule_id: int
    session_started_at: float


class StaffMessageRow(TypedDict):
    id: int
    sender_id: int
    recipient_id: int
    contents: str
    conversation_id: int | None
    client_id: str | None
    created_at: float
    read_at: float | None


class VisitorNoteRow(TypedDict):
    id: int
    visitor_id: int
    conversation_id: int | None
    agent_id: int
    body_text: str
    created_at: float


class EventRow(TypedDict):
    seq: int
    type: str
    audience_kind: str
    audience_id: int | None
    data: str
    ts: int


class LoginAttemptRow(TypedDict):
    key: str
    at: float


class MetaRow(TypedDict):
    key: str
    value: str
