"""Event payload models, keyed by event name: the server builds every event from one of these."""

from __future__ import annotations

from pydantic import BaseModel

from kayako_desktop.protocol.models import (
    Agent,
    AgentRef,
    Author,
    Ban,
    Chat,
    Conversation,
    DeliveryStatus,
    Invitation,
    Message,
    Model,
    Offer,
    OfferState,
    Post,
    StaffMessage,
    Visitor,
    VisitorNote,
)
from kayako_desktop.protocol.names import Event


class HelloAck(Model):
    role: str
    principal_id: int
    head_seq: int
    replayed: int


class ErrorPayload(Model):
    code: str
    message: str
    parameter: str | None = None


class ResyncRequired(Model):
    reason: str
    head_seq: int


class Heartbeat(Model):
    pass


class AgentStatusChanged(Model):
    agent: Agent


class VisitorUpdated(Model):
    visitor: Visitor


class VisitorLeft(Model):
    visitor_id: int


class ConversationChanged(Model):
    conversation: Conversation


class ChatUpdated(Model):
    conversation: Chat


class MessageCreated(Model):
    """A new post: the whole Post for staff, the visitor's Message for the visitor."""

    post: Post | Message


class MessagesStatusChanged(Model):
    conversation_id: int
    up_to_post_id: int
    status: DeliveryStatus
    post_ids: list[int]


class TypingChanged(Model):
    conversation_id: int
    author: Author
    typing: bool


class QueuePositionChanged(Model):
    conversation_id: int
    position: int | None


class OfferCreated(Model):
    offer: Offer


class OfferEnded(Model):
    offer_id: int
    conversation_id: int
    state: OfferState


class InvitationChanged(Model):
    invitation: Invitation


class MacrosChanged(Model):
    pass


class StaffMessageCreated(Model):
    message: StaffMessage


class StaffMessagesRead(Model):
    reader_id: int
    sender_id: int
    up_to_id: int
    read_at: str


class VisitorAlert(Model):
    visitor: Visitor
    rule: str


class TeamsChanged(Model):
    pass


class SkillsChanged(Model):
    pass


class NoteCreated(Model):
    note: VisitorNote


class NoteDeleted(Model):
    note_id: int
    visitor_id: int


class BanChanged(Model):
    ban: Ban


class ViewersChanged(Model):
    """A colleague opened a chat on screen or left it (staff only; never logged, never sent to the visitor)."""

    conversation_id: int
    agent: AgentRef
    viewing: bool


EVENT_MODELS: dict[Event, type[BaseModel]] = {
    Event.ERROR: ErrorPayload,
    Event.HEARTBEAT: Heartbeat,
    Event.RESYNC_REQUIRED: ResyncRequired,
    Event.AGENT_STATUS_CHANGED: AgentStatusChanged,
    Event.VISITOR_UPDATED: VisitorUpdated,
    Event.VISITOR_LEFT: VisitorLeft,
    Event.CONVERSATION_CREATED: ConversationChanged,
    Event.CONVERSATION_UPDATED: ConversationChanged,
    Event.CHAT_UPDATED: ChatUpdated,
    Event.MESSAGE_CREATED: MessageCreated,
    Event.MESSAGES_STATUS_CHANGED: MessagesStatusChanged,
    Event.TYPING_CHANGED: TypingChanged,
    Event.QUEUE_POSITION_CHANGED: QueuePositionChanged,
    Event.OFFER_CREATED: OfferCreated,
    Event.OFFER_ENDED: OfferEnded,
    Event.INVITATION_CREATED: InvitationChanged,
    Event.INVITATION_UPDATED: InvitationChanged,
    Event.MACROS_CHANGED: MacrosChanged,
    Event.TEAMS_CHANGED: TeamsChanged,
    Event.SKILLS_CHANGED: SkillsChanged,
    Event.VISITOR_ALERT: VisitorAlert,
    Event.STAFF_MESSAGE_CREATED: StaffMessageCreated,
    Event.STAFF_MESSAGES_READ: StaffMessagesRead,
    Event.NOTE_CREATED: NoteCreated,
    Event.NOTE_DELETED: NoteDeleted,
    Event.BAN_CREATED: BanChanged,
    Event.BAN_LIFTED: BanChanged,
    Event.VIEWERS_CHANGED: ViewersChanged,
}
