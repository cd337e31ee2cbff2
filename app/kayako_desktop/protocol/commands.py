"""Inputs: realtime command payloads and REST request bodies. Strict: unknown fields are refused."""

from __future__ import annotations

from functools import cache
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from kayako_desktop.protocol.models import (
    AgentRole,
    PostKind,
    RatingScore,
    RuleCondition,
    SettableStatus,
    Visibility,
)
from kayako_desktop.protocol.names import Command

MAX_TEXT = 10_000
MAX_CODE = 50_000
# SQLite integers are signed 64-bit: a larger id would crash the query instead of matching nothing.
MAX_ID = 2**63 - 1


@cache
def _int_fields(model: type[BaseModel]) -> frozenset[str]:
    def is_int(tp: Any) -> bool:
        if get_origin(tp) in (Union, UnionType):
            return any(is_int(t) for t in get_args(tp))
        return tp is int

    return frozenset(name for name, f in model.model_fields.items() if is_int(f.annotation))


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _whole_numbers(cls, data: Any) -> Any:
        """JSON has one number type: 5.0 is the integer 5 (JSON Schema says so too). Strict mode still
        refuses 5.5, "5" and true for an integer field."""
        if not isinstance(data, dict):
            return data
        ints = _int_fields(cls)
        return {k: int(v) if k in ints and type(v) is float and v.is_integer() else v for k, v in data.items()}


class Hello(Input):
    session_id: str | None = Field(default=None, max_length=128)
    visitor_token: str | None = Field(default=None, max_length=128)
    last_seq: int | None = Field(default=None, ge=0, le=MAX_ID)


class Ping(Input):
    pass


class PostInput(Input):
    client_id: str = Field(min_length=1, max_length=64)
    kind: PostKind = "TEXT"
    contents: str = Field(default="", max_length=MAX_CODE)
    visibility: Visibility = "PUBLIC"
    language: str | None = Field(default=None, max_length=64)
    url: str | None = Field(default=None, max_length=2048)
    file_id: str | None = Field(default=None, max_length=64)


MAX_ATTACHMENTS = 10


class ReplyInput(PostInput):
    """POST /cases/{id}/reply: our post, or Kayako's reply body — `contents` with `channel` (MESSENGER or CHAT:
    to the visitor; NOTE: a whisper for staff), `channel_id`, `attachment_file_ids` (each becomes a FILE post
    after the text) — with `client_id` optional (a retry with the same one returns the original)."""

    client_id: str | None = Field(default=None, min_length=1, max_length=64)  # type: ignore[assignment]
    channel: Literal["MESSENGER", "CHAT", "NOTE"] | None = None
    channel_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    attachment_file_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=MAX_ATTACHMENTS)

    @field_validator("channel", mode="before")
    @classmethod
    def _channel_any_case(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("attachment_file_ids", mode="before")
    @classmethod
    def _ids_as_list(cls, value: object) -> object:
        """Kayako clients send a list, or (in forms) one comma-separated string."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _channel_sets_visibility(self) -> ReplyInput:
        if self.channel == "NOTE":
            if "visibility" in self.model_fields_set and self.visibility != "STAFF":
                raise ValueError("channel NOTE is a staff-only note: visibility must be STAFF")
            self.visibility = "STAFF"
        return self


class MessageSend(PostInput):
    conversation_id: int = Field(ge=1, le=MAX_ID)


class Typing(Input):
    conversation_id: int = Field(ge=1, le=MAX_ID)


class Viewing(Input):
    """An agent has this chat open on screen (`viewing`), or no longer. Clients repeat it every
    VIEWING_REPEAT_SECONDS while it is open; colleagues forget a viewer not heard from for VIEWING_TTL_SECONDS."""

    conversation_id: int = Field(ge=1, le=MAX_ID)
    viewing: bool


VIEWING_REPEAT_SECONDS = 30
VIEWING_TTL_SECONDS = 75


class MessagesMark(Input):
    conversation_id: int = Field(ge=1, le=MAX_ID)
    up_to_post_id: int = Field(ge=1, le=MAX_ID)
    status: Literal["DELIVERED", "SEEN"]


COMMAND_MODELS: dict[Command, type[Input]] = {
    Command.HELLO: Hello,
    Command.PING: Ping,
    Command.MESSAGE_SEND: MessageSend,
    Command.TYPING_START: Typing,
    Command.TYPING_STOP: Typing,
    Command.MESSAGES_MARK: MessagesMark,
    Command.CHAT_VIEWING: Viewing,
}


# ---- REST bodies --------------------------------------------------------------------------------

# Names are stripped and may not contain control characters; emails have no spaces or controls.
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120,
                                              pattern=r"^[^\x00-\x1f\x7f]+$")]
# Spelled out rather than `\s`: Python's and JSON Schema's (ECMA) `\s` differ (U+0085, U+FEFF), and the
# OpenAPI document must accept exactly what the server does.
_EMAIL_CHAR = r"[^@\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
EMAIL_PATTERN = rf"^{_EMAIL_CHAR}+@{_EMAIL_CHAR}+\.{_EMAIL_CHAR}+$"
Email = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)


class StatusUpdate(Input):
    status: SettableStatus


class ProfileUpdate(Input):
    full_name: PersonName


class AgentUpdate(Input):
    """What an administrator may change about an agent; absent fields stay as they are."""

    full_name: PersonName | None = None
    max_chats: int | None = Field(default=None, ge=1, le=50)
    role: AgentRole | None = None
    is_enabled: bool | None = None  # false: the account is disabled (no login; their chats are handed on)


class AgentCreate(Input):
    email: str = Field(max_length=254, pattern=EMAIL_PATTERN)
    full_name: PersonName
    password: str = Field(min_length=8, max_length=256)
    role: AgentRole = "AGENT"
    max_chats: int = Field(default=4, ge=1, le=50)


class VisitorCreate(Input):
    name: str | None = Field(default=None, max_length=120)
    email: str | None = Email


class VisitorUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    email: str | None = Email


class PageViewInput(Input):
    url: str = Field(min_length=1, max_length=2048)
    title: str | None = Field(default=None, max_length=500)
    referrer: str | None = Field(default=None, max_length=2048)


class ChatStart(Input):
    """Kayako's POST /conversations: who asks, what about, and (optionally) the first message. `client_id`
    makes a retry return the chat the first try started; `source` is where the visitor asked from."""

    name: PersonName
    email: str | None = Email
    subject: str = Field(min_length=1, max_length=255)
    contents: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    source: Literal["MESSENGER", "HELPCENTER", "API"] = "MESSENGER"
    client_id: str | None = Field(default=None, min_length=1, max_length=64)
    department_id: int | None = Field(default=None, ge=1, le=MAX_ID)  # a public department (GET /messenger/status)


class OfflineMessage(Input):
    name: PersonName
    email: str = Field(max_length=254, pattern=EMAIL_PATTERN)
    subject: str = Field(min_length=1, max_length=255)
    message: str = Field(min_length=1, max_length=MAX_TEXT)
    department_id: int | None = Field(default=None, ge=1, le=MAX_ID)


MAX_TRANSCRIPT_RECIPIENTS = 10


class TranscriptRequest(Input):
    """E-mail a chat's transcript (its public messages): to the visitor's address on record and/or to the
    addresses given (the agent's own, a colleague's, or one the visitor typed)."""

    to_visitor: bool = True
    emails: list[Annotated[str, Field(max_length=254, pattern=EMAIL_PATTERN)]] = Field(
        default=[], max_length=MAX_TRANSCRIPT_RECIPIENTS)


class VisitorTranscriptRequest(Input):
    """The visitor asks for their chat's transcript: to their address on record, or to this one (which then
    becomes their address)."""

    email: str | None = Email


class VisitorMessage(Input):
    client_id: str = Field(min_length=1, max_length=64)
    contents: str = Field(min_length=1, max_length=MAX_TEXT)
    source: Literal["MESSENGER", "HELPCENTER", "API"] = "MESSENGER"  # Kayako's: where it was written


class MarkInput(Input):
    up_to_post_id: int = Field(ge=1, le=MAX_ID)
    status: Literal["DELIVERED", "SEEN"]


class MessageStatusInput(Input):
    """Kayako's PUT /conversations/{id}/messages/{message_id}: the visitor has received (DELIVERED) or read
    (SEEN) the agents' messages up to this one."""

    message_status: Literal["DELIVERED", "SEEN"]


class PostStatusInput(Input):
    """Kayako's PUT /cases/posts/{id}: the reader has received (DELIVERED) or read (SEEN) the post."""

    post_status: Literal["DELIVERED", "SEEN"]


class RatingInput(Input):
    score: RatingScore
    comment: str | None = Field(default=None, max_length=2000)


class AcceptInput(Input):
    # An administrator may take a chat over their own limit; it is logged. Nobody else can.
    override_capacity: bool = False


class JoinInput(Input):
    role: Literal["PARTICIPANT", "OBSERVER"] = "PARTICIPANT"


class TransferInput(Input):
    """Transfer to an agent, to a department or to a skill (Classic's transfer type staff|department|skill: a
    department's or skill's agents are offered the chat one at a time, as a queued chat is). Exactly one."""

    agent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    department_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    skill_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class TeamInput(Input):
    title: str = Field(min_length=1, max_length=100)
    parent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    is_public: bool = True
    agent_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=1000)
    # Re-offer a chat whose visitor waits this long for an answer; null: the server's setting; 0: never.
    auto_transfer_seconds: int | None = Field(default=None, ge=0, le=86400)


class TeamPatch(Input):
    title: str | None = Field(default=None, min_length=1, max_length=100)
    parent_id: int | None = Field(default=None, ge=0, le=MAX_ID)  # 0: no longer part of another
    is_public: bool | None = None
    agent_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(default=None, max_length=1000)  # all members
    auto_transfer_seconds: int | None = Field(default=None, ge=0, le=86400)  # given as null: back to the server's


class SkillInput(Input):
    title: str = Field(min_length=1, max_length=100)
    agent_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=1000)


class SkillPatch(Input):
    title: str | None = Field(default=None, min_length=1, max_length=100)
    agent_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(default=None, max_length=1000)  # all who have it


class CaseUpdate(Input):
    """Kayako's PUT /cases/{id}, for what a chat has: its subject, its status (by the id of a case status:
    setting Completed ends the chat) and its assigned agent (a transfer). At least one of them."""

    subject: str | None = Field(default=None, min_length=1, max_length=255)
    status_id: int | None = Field(default=None, ge=1, le=5)
    assigned_agent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    assigned_team_id: int | None = Field(default=None, ge=1, le=MAX_ID)  # a transfer to a department


class InvitationCreate(Input):
    message: str = Field(min_length=1, max_length=1000)


class ReportQuery(Input):
    """A date range (UTC days, both included, at most 366 days), optionally one department or one agent."""

    from_: str = Field(alias="from", pattern=r"^\d{4}-\d{2}-\d{2}$")
    to: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    agent_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class RuleInput(Input):
    title: str = Field(min_length=1, max_length=100)
    enabled: bool = True
    match: Literal["ALL", "ANY"] = "ALL"
    conditions: list[RuleCondition] = Field(min_length=1, max_length=10)
    colour: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    alert: bool = False
    invite_message: str | None = Field(default=None, min_length=1, max_length=1000)
    skill_id: int | None = Field(default=None, ge=1, le=MAX_ID)  # the chat a matching visitor starts asks for it


class StaffMessageInput(Input):
    to_agent_id: int = Field(ge=1, le=MAX_ID)
    contents: str = Field(min_length=1, max_length=5000)
    client_id: str = Field(min_length=1, max_length=64)  # a retry with the same one sends nothing twice


class StaffThreadQuery(Input):
    with_agent_id: int = Field(ge=1, le=MAX_ID)
    before_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    limit: int = Field(default=50, ge=1, le=200)


class StaffReadInput(Input):
    with_agent_id: int = Field(ge=1, le=MAX_ID)
    up_to_id: int = Field(ge=1, le=MAX_ID)


class HelpRequestInput(Input):
    """Ask a colleague into a chat as a whisper-only helper (Classic's "invite to conference")."""

    agent_id: int = Field(ge=1, le=MAX_ID)
    contents: str = Field(default="", max_length=1000)
    client_id: str = Field(min_length=1, max_length=64)


class NoteInput(Input):
    body_text: str = Field(min_length=1, max_length=2000)
    conversation_id: int | None = Field(default=None, ge=1, le=MAX_ID)  # written in this chat of the visitor's


# The widest network a ban may cover: an IPv4 /8 (Classic's "class A") and an IPv6 /32.
BAN_MIN_PREFIX = {4: 8, 6: 32}


class BanCreate(Input):
    """Ban a visitor's address (`visitor_id`) or an address / network given as text, widened to `prefix`."""

    visitor_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    address: str | None = Field(default=None, min_length=2, max_length=64)  # 203.0.113.7, 203.0.113.0/24, 2001:db8::1
    prefix: int | None = Field(default=None, ge=8, le=128)  # default: the address's own (/32, /128) or its CIDR's
    reason: str = Field(default="", max_length=500)
    expires_in: int | None = Field(default=None, ge=60, le=10 * 366 * 86400)  # seconds; null: until lifted


class MacroInput(Input):
    title: str = Field(min_length=1, max_length=120)
    contents: str = Field(min_length=1, max_length=MAX_TEXT)


class MacroPatch(Input):
    title: str | None = Field(default=None, min_length=1, max_length=120)
    contents: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)


# Kayako's page size when a client names none (developer.kayako.com/api/v1/reference/pagination).
DEFAULT_LIMIT = 10


class Pagination(Input):
    offset: int = Field(default=0, ge=0, le=1_000_000)
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=200)


class CaseQuery(Pagination):
    # Kayako's five status names, in any case (status=open); PENDING and CLOSED hold no chat here.
    status: Literal["NEW", "OPEN", "PENDING", "COMPLETED", "CLOSED"] | None = None
    agent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    visitor_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    rating: RatingScore | None = None
    created_after: str | None = Field(default=None, max_length=40)
    created_before: str | None = Field(default=None, max_length=40)
    q: str | None = Field(default=None, max_length=200)

    @field_validator("status", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class CodePreviewInput(Input):
    contents: str = Field(min_length=1, max_length=MAX_CODE)
    language: str | None = Field(default=None, max_length=64)


class PostQuery(Input):
    """Pages of a timeline: the `limit` posts just after `after_id`, or just before `before_id`, or (neither)
    the first `limit` past `offset` of them. A case's posts come newest first, as in Kayako (`offset` counts
    from the newest); the visitor's messages oldest first (from the oldest). With a cursor, `offset` is 0."""

    after_id: int | None = Field(default=None, ge=0, le=MAX_ID)
    before_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    offset: int = Field(default=0, ge=0, le=1_000_000)
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=500)


class BanQuery(Pagination):
    state: Literal["ACTIVE", "ENDED", "ALL"] = "ACTIVE"  # ENDED: lifted or expired; any case

    @field_validator("state", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class VisitorQuery(Pagination):
    online: bool | None = True
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=5000)
