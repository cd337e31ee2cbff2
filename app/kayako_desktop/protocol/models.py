"""Resource models as they cross the wire (REST `data` and event payloads)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

AgentStatus = Literal["ONLINE", "AWAY", "BUSY", "INVISIBLE", "OFFLINE"]
SettableStatus = Literal["ONLINE", "AWAY", "BUSY", "INVISIBLE"]
Role = Literal["AGENT", "ADMIN"]  # Kayako's role types as this server has them
AgentRole = Literal["AGENT", "SUPERVISOR", "ADMIN"]  # what an administrator gives an agent (a supervisor: Kayako type AGENT)
PostKind = Literal["TEXT", "IMAGE", "FILE", "CODE", "URL", "SYSTEM"]
Visibility = Literal["PUBLIC", "STAFF"]
DeliveryStatus = Literal["SENT", "DELIVERED", "SEEN"]
ConversationStatus = Literal["NEW", "OPEN", "COMPLETED"]
ParticipantRole = Literal["OWNER", "PARTICIPANT", "OBSERVER"]
OfferState = Literal["OFFERED", "ACCEPTED", "DECLINED", "TIMED_OUT", "CANCELLED"]
InvitationState = Literal["PENDING", "ACCEPTED", "DECLINED", "CANCELLED"]
RatingScore = Literal["GOOD", "BAD"]
AuthorKind = Literal["VISITOR", "AGENT", "SYSTEM"]
CaseStatusType = Literal["NEW", "OPEN", "PENDING", "COMPLETED", "CLOSED"]
RatingStatus = Literal["UNOFFERED", "OFFERED", "RECEIVED"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Kayako: every resource names its `resource_type` and, where it can be read at an address of its own, its
    # `resource_url` (api/v1/ + this path with the id). The REST envelope adds both; socket events do not.
    RESOURCE: ClassVar[tuple[str, str | None] | None] = None


class AgentRef(Model):
    RESOURCE = ("user", "agents/{id}")
    id: int
    full_name: str
    avatar_url: str | None = None


class EmailIdentity(Model):
    """Kayako's email identity of a user (agents here have exactly one)."""

    RESOURCE = ("identity_email", None)
    email: str
    is_primary: bool = True
    is_validated: bool = True


class UserRole(Model):
    """Kayako's role of a user (`GET /roles`): Administrator (type ADMIN), Agent and Supervisor (both of Kayako's
    type AGENT, as a custom role is in Kayako). `can_supervise` (ours): sees the dashboard and reports and may
    end or transfer any chat — administrators and supervisors."""

    RESOURCE = ("role", "roles/{id}")
    id: int
    title: str
    type: Role
    can_supervise: bool = False


class TeamRef(Model):
    """A department (Kayako: a team), as a chat or an agent names it."""

    RESOURCE = ("team", "teams/{id}")
    id: int
    title: str


class Team(TeamRef):
    """A department: chats asked of it ring only its agents (and those of the departments above it). A
    public one is offered in the widget's pre-chat form. `parent_id`: the department it is part of."""

    parent_id: int | None = None
    is_public: bool
    auto_transfer_seconds: int | None = None  # its own time before an unanswered chat is re-offered (null: the server's)
    agents: list[AgentRef]
    online_agents: int  # members (or members of a department above) who can take a chat now
    created_at: str


class SkillRef(Model):
    """A skill (Kayako Classic's chat skill), as a chat or an agent names it."""

    RESOURCE = ("skill", "skills/{id}")
    id: int
    title: str


class Skill(SkillRef):
    """A skill: a chat asking for it rings the agents who have it first (see CHAT_SKILL_MAX_WAIT)."""

    agents: list[AgentRef]
    online_agents: int  # agents with the skill who can take a chat now
    created_at: str


class Agent(AgentRef):
    email: str
    role: UserRole
    status: AgentStatus
    max_chats: int
    active_chats: int
    created_at: str
    # Kayako's user fields for the same facts
    emails: list[EmailIdentity]
    avatar: str | None = None
    is_enabled: bool = True
    teams: list[TeamRef] = []  # the departments they take chats for
    skills: list[SkillRef] = []


class Session(Model):
    RESOURCE = ("session", "session")
    id: str
    agent: Agent
    csrf_token: str


class Location(Model):
    country: str | None = None
    country_code: str | None = None
    city: str | None = None


class VisitorRef(Model):
    RESOURCE = ("visitor", "visitors/{id}")
    id: int
    name: str
    email: str | None = None


class Visitor(VisitorRef):
    online: bool
    ip: str | None = None
    user_agent: str | None = None
    browser: str | None = None
    os: str | None = None
    location: Location | None = None
    current_url: str | None = None
    current_title: str | None = None
    referrer: str | None = None
    page_views: int
    first_seen: str
    session_started_at: str
    last_seen: str
    conversation_id: int | None = None
    chat_status: ConversationStatus | None = None
    chat_agent: AgentRef | None = None
    chat_team: TeamRef | None = None  # the department of that chat
    visits: int = 1  # sessions on the website so far, this one included
    highlight: str | None = None  # the colour of the first visitor rule this visitor matches now (#rrggbb)
    rules: list[str] = []  # the titles of the visitor rules they match now


class VisitorToken(Model):
    token: str
    visitor: Visitor


class PageView(Model):
    RESOURCE = ("page_view", None)
    id: int
    url: str
    title: str | None = None
    referrer: str | None = None
    created_at: str


class FileInfo(Model):
    RESOURCE = ("file", "files/{id}")
    id: str
    name: str
    size: int
    content_type: str
    is_image: bool
    sha256: str
    url: str
    created_at: str
    content_url: str  # Kayako's names for `url` and `sha256`
    hash: str


class FileLinks(Model):
    """Signed, expiring links to one file for one visitor (`view`: images only, shown inline)."""

    view: str | None
    download: str
    expires_at: str


class Author(Model):
    """Who wrote a post (Kayako's `creator`): an agent (a user), the visitor (the case's requester) or the
    system. `id` is the agent's or visitor's id; the system has none."""

    kind: AuthorKind
    id: int | None = None
    full_name: str
    avatar_url: str | None = None


class PostOriginal(Model):
    """What a post is underneath, in Kayako's terms: a chat message everyone in the chat sees, or a note
    (staff only). Its id is the post's."""

    id: int
    resource_type: Literal["chat_message", "note"]


class Post(Model):
    """One line of a chat's timeline (Kayako's post). `kind`, `visibility`, `content_html`, `language` and
    `url` are this server's: what to draw (Kayako's chats are text and attachments only)."""

    RESOURCE = ("post", "cases/posts/{id}")
    id: int
    uuid: str
    conversation_id: int
    client_id: str | None = None
    subject: str
    contents: str
    creator: Author
    is_requester: bool
    original: PostOriginal
    post_status: DeliveryStatus
    kind: PostKind
    visibility: Visibility
    content_html: str | None = None
    language: str | None = None
    url: str | None = None
    attachments: list[FileInfo] = []
    created_at: str


class Message(Model):
    """A post as the visitor's messenger sees it (Kayako's case_message; only PUBLIC posts ever are one).
    `conversation_id`, `kind`, `language` and `url` are this server's: what to draw."""

    RESOURCE = ("case_message", None)
    id: int
    uuid: str
    client_id: str | None = None
    conversation_id: int
    subject: str
    channel: Literal["MESSENGER"] = "MESSENGER"
    content_text: str
    content_html: str | None = None
    creator: Author
    attachments: list[FileInfo] = []
    message_status: DeliveryStatus
    kind: PostKind
    language: str | None = None
    url: str | None = None
    created_at: str


class Participant(Model):
    RESOURCE = ("participant", None)
    agent: AgentRef
    role: ParticipantRole
    joined_at: str


class CaseStatus(Model):
    """One of Kayako's case statuses, and what it is for a chat here (a case's `status`)."""

    RESOURCE = ("case_status", "cases/statuses/{id}")
    id: int
    label: str
    type: CaseStatusType
    sort_order: int
    is_sla_active: bool = False
    is_deleted: bool = False
    description: str
    used_by_chats: bool


class Conversation(Model):
    """The staff view of a chat: Kayako's case on the MESSENGER channel. The requester (and creator) is the
    visitor; `status` is one of the case statuses (New while it waits, Open once accepted, Completed when it
    ends). `participants`, `is_offline_message`, `queue_position` and `rating_comment` are this server's."""

    RESOURCE = ("case", "cases/{id}")
    id: int
    subject: str
    source_channel: Literal["MESSENGER"] = "MESSENGER"
    requester: VisitorRef
    creator: VisitorRef
    assigned_agent: AgentRef | None = None
    assigned_team: TeamRef | None = None  # the department the chat was asked of (or transferred to)
    skill: SkillRef | None = None  # the skill it asks for (a visitor rule's, or a transfer's)
    status: CaseStatus
    state: Literal["ACTIVE"] = "ACTIVE"
    participants: list[Participant]
    is_offline_message: bool
    queue_position: int | None = None
    rating: RatingScore | None = None
    rating_status: RatingStatus
    rating_comment: str | None = None
    post_count: int
    last_post_status: DeliveryStatus | None = None
    last_post_preview: str | None = None
    last_post_type: Literal["PUBLIC", "NOTE"] | None = None
    last_replied_at: str | None = None
    created_at: str
    updated_at: str
    last_completed_at: str | None = None


class Chat(Model):
    """The visitor's view of the same conversation (Kayako Messenger's conversation): no observers, no
    staff-only details — its last message is the last one the visitor could see. `agents` (everyone visibly
    in the chat), `queue_position`, `is_offline_message`, `rating_comment` are this server's."""

    RESOURCE = ("conversation", "conversations/{id}")
    id: int
    subject: str
    channel: Literal["MESSENGER"] = "MESSENGER"
    status: CaseStatus
    is_completed: bool
    assigned_agent: AgentRef | None = None
    agents: list[AgentRef]
    queue_position: int | None = None
    rating: RatingScore | None = None
    rating_comment: str | None = None
    is_offline_message: bool
    last_message_status: DeliveryStatus | None = None
    last_message_preview: str | None = None
    last_replied_at: str | None = None
    created_at: str
    updated_at: str
    last_completed_at: str | None = None


class Offer(Model):
    RESOURCE = ("offer", None)
    id: int
    conversation: Conversation
    state: OfferState
    expires_at: str
    transfer_from: AgentRef | None = None
    created_at: str


class Invitation(Model):
    RESOURCE = ("invitation", None)
    id: int
    visitor_id: int
    agent: AgentRef
    message: str
    state: InvitationState
    conversation_id: int | None = None
    created_at: str


class VisitorNote(Model):
    """A note agents keep on a visitor (Kayako: a user's notes), optionally written in one of their chats.
    Staff only: no visitor ever reads one."""

    RESOURCE = ("note", "visitors/notes/{id}")
    id: int
    visitor_id: int
    conversation_id: int | None = None
    body_text: str
    creator: AgentRef
    created_at: str


RuleField = Literal["current_url", "page_title", "referrer", "country", "visits", "time_on_site", "pages_viewed"]
RuleOp = Literal["contains", "not_contains", "equals", "starts_with", "at_least", "at_most"]
NUMERIC_RULE_FIELDS = ("visits", "time_on_site", "pages_viewed")  # compared with at_least / at_most only


class RuleCondition(Model):
    """One test on a visitor: text fields (current_url, page_title, referrer, country — its name or code) with
    contains / not_contains / equals / starts_with, any case; numbers (visits, time_on_site in seconds,
    pages_viewed this visit) with at_least / at_most."""

    field: RuleField
    op: RuleOp
    value: str = Field(max_length=500)


class VisitorRule(Model):
    """Kayako Classic's visitor rule: conditions on what a visitor does, checked at every page view and
    heartbeat; actions: colour their row, alert the agents online (once a visit), invite them to chat, route
    the chat they start to a skill."""

    RESOURCE = ("visitor_rule", "visitors/rules/{id}")
    id: int
    title: str
    enabled: bool
    match: Literal["ALL", "ANY"]
    conditions: list[RuleCondition]
    colour: str | None = None
    alert: bool
    invite_message: str | None = None
    skill: SkillRef | None = None  # a matching visitor's chat asks for this skill
    created_by: AgentRef | None = None
    created_at: str


class ReportDay(Model):
    """One day's chat figures (or the range's, with day "total"); times in seconds, null without data."""

    day: str
    chats: int
    offline_messages: int
    missed: int
    wait_avg: float | None = None
    wait_p90: float | None = None
    first_response_avg: float | None = None
    duration_avg: float | None = None
    rated_good: int
    rated_bad: int
    csat: float | None = None  # the share of good ratings, in percent
    transfers: int
    declines: int


class ChatReport(Model):
    RESOURCE = ("chat_report", None)
    start: str  # the first day (UTC)
    end: str  # the last day, included
    team_id: int | None = None
    agent_id: int | None = None
    days: list[ReportDay]
    total: ReportDay


class StaffMessage(Model):
    """One agent's message to another (staff chat; no visitor ever reads one). With `conversation_id`, it
    asks the recipient to help in that chat: they join it as a whisper-only helper (an observer)."""

    RESOURCE = ("staff_message", None)
    id: int
    sender: AgentRef
    recipient: AgentRef
    contents: str
    conversation_id: int | None = None
    client_id: str | None = None
    created_at: str
    read_at: str | None = None


class StaffRead(Model):
    RESOURCE = ("staff_read", None)
    marked: int  # how many of the colleague's messages became read


class StaffThread(Model):
    """A colleague in the staff chat list: the newest message with them and how many of theirs are unread."""

    RESOURCE = ("staff_thread", None)
    agent: AgentRef
    last_message: StaffMessage | None = None
    unread: int


class Ban(Model):
    """Visitors from `network` may not chat: an address (/32, /128) or a network (/24, /16, /8; /64, /48)."""

    RESOURCE = ("ban", "bans/{id}")
    id: int
    network: str  # CIDR, e.g. 203.0.113.0/24 or 2001:db8:1:2::/64
    prefix: int
    reason: str
    visitor_id: int | None = None  # the visitor it was made from, if any
    created_by: AgentRef
    created_at: str
    expires_at: str | None = None  # never, when null
    lifted_at: str | None = None
    lifted_by: AgentRef | None = None
    is_active: bool  # not lifted and not expired


class Macro(Model):
    RESOURCE = ("macro", "cases/macros/{id}")
    id: int
    title: str
    contents: str
    created_by: AgentRef | None = None
    created_at: str
    updated_at: str


class Language(Model):
    alias: str
    name: str


class CodePreview(Model):
    """A code snippet as it will be posted: the lexer used (the one asked for, or a guess) and the HTML."""

    language: str
    name: str
    guessed: bool
    content_html: str


class Limits(Model):
    """What the server accepts, so a client can refuse early and name the limit."""

    max_upload_bytes: int
    max_text_chars: int
    max_code_chars: int


class TranscriptSent(Model):
    """A transcript handed to the mail server: to whom, how many messages it holds, when."""

    RESOURCE = ("transcript", None)
    conversation_id: int
    recipients: list[str]
    messages: int
    sent_at: str


class ErrorInfo(Model):
    """What an error code means (every error's `more_info` points here)."""

    code: str
    status: int
    description: str


class SearchHit(Model):
    RESOURCE = ("search_hit", None)
    conversation: Conversation
    snippet: str


class ConversationStarter(Model):
    """Kayako's GET /conversations/starter: what the messenger shows before the visitor starts a chat."""

    RESOURCE = ("conversation_starter", None)
    last_active_agents: list[AgentRef]  # agents online and taking chats now
    average_reply_time: float | None = None  # seconds to an agent's first reply, over the last 7 days' chats
    active_conversations: list[Chat]  # this visitor's chats still going on
    realtime_url: str  # the realtime socket to connect to


class Department(Model):
    """A public department as the widget offers it; `available`: someone in it can take a chat now."""

    id: int
    title: str
    available: bool


class MessengerStatus(Model):
    agents_available: bool
    departments: list[Department] = []  # the public ones, by title
    email_transcripts: bool = False  # the server sends e-mail: the visitor may ask for a chat's transcript
    ring_timeout_seconds: int
    max_upload_bytes: int
