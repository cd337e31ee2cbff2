"""Every realtime command and event name, defined once.

Commands (client → server) are imperative; events (server → client) past tense. The web clients get
these through the generated web/shared/protocol.js and never spell a name as a literal.
"""

from enum import StrEnum


class Command(StrEnum):
    HELLO = "hello"  # authenticate the socket and resume after `last_seq`
    PING = "ping"  # client heartbeat; answered by an ack
    MESSAGE_SEND = "message.send"
    TYPING_START = "typing.start"
    TYPING_STOP = "typing.stop"
    MESSAGES_MARK = "messages.mark"  # delivered / seen up to a post
    CHAT_VIEWING = "chat.viewing"  # an agent has a chat open on screen (or no longer); repeated while it is


class Event(StrEnum):
    ACK = "ack"
    ERROR = "error"
    HEARTBEAT = "heartbeat"
    RESYNC_REQUIRED = "resync_required"
    AGENT_STATUS_CHANGED = "agent.status_changed"
    VISITOR_UPDATED = "visitor.updated"
    VISITOR_LEFT = "visitor.left"
    CONVERSATION_CREATED = "conversation.created"
    CONVERSATION_UPDATED = "conversation.updated"  # staff view of a conversation
    CHAT_UPDATED = "chat.updated"  # the visitor's view of the same conversation
    MESSAGE_CREATED = "message.created"
    MESSAGES_STATUS_CHANGED = "messages.status_changed"
    TYPING_CHANGED = "typing.changed"
    QUEUE_POSITION_CHANGED = "queue.position_changed"
    OFFER_CREATED = "offer.created"
    OFFER_ENDED = "offer.ended"
    INVITATION_CREATED = "invitation.created"
    INVITATION_UPDATED = "invitation.updated"
    MACROS_CHANGED = "macros.changed"
    VIEWERS_CHANGED = "viewers.changed"  # staff only: a colleague opened or left a chat on screen
    TEAMS_CHANGED = "teams.changed"  # staff only: departments or their members changed: read GET /teams again
    SKILLS_CHANGED = "skills.changed"  # staff only: skills or who has them changed: read GET /skills again
    BAN_CREATED = "ban.created"  # staff only: a visitor address or network may no longer chat
    STAFF_MESSAGE_CREATED = "staff.message_created"  # to its sender and its recipient only
    STAFF_MESSAGES_READ = "staff.messages_read"  # the recipient read them: to both
    VISITOR_ALERT = "visitor.alert"  # staff only: a visitor matched a rule that alerts the agents online
    NOTE_CREATED = "note.created"  # staff only: a colleague wrote a note on a visitor
    NOTE_DELETED = "note.deleted"  # staff only
    BAN_LIFTED = "ban.lifted"  # staff only: lifted by an administrator (or expired: no event, see Ban.is_active)


class BridgeEvent(StrEnum):
    """Frames the desktop bridge adds on its one socket to the agent UI (besides relayed server events)."""

    READY = "bridge.ready"  # first frame: the bridge's current seq
    RESYNC = "bridge.resync"  # the UI's last seq is too old: refetch the snapshot
    INSTANCE_ADDED = "instance.added"
    INSTANCE_UPDATED = "instance.updated"  # status (connecting / online / offline / auth_failed), name, order
    INSTANCE_REMOVED = "instance.removed"


# Events that are delivered live only and never written to the event log: they describe a moment
# (someone is typing, the link is alive) and replaying them after a reconnect would be wrong.
EPHEMERAL_EVENTS = frozenset({Event.ACK, Event.ERROR, Event.HEARTBEAT, Event.RESYNC_REQUIRED, Event.TYPING_CHANGED,
                              Event.VIEWERS_CHANGED})
