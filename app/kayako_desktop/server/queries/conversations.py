"""Conversation reads: staff and visitor views, queue positions, access checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import (
    AgentRef,
    CaseStatus,
    Chat,
    Conversation,
    Participant,
    RatingStatus,
    SkillRef,
    TeamRef,
    VisitorRef,
)
from kayako_desktop.server.clock import iso
from kayako_desktop.server.errors import ApiError, not_found
from kayako_desktop.server.queries.agents import agent_ref
from kayako_desktop.server.rows import ConversationRow, as_row, as_rows

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader

QUEUED = "status = 'NEW' AND is_offline = 0"

# Kayako's case statuses; a chat goes through New, Open and Completed (Pending and Closed are never used).
CASE_STATUSES = [
    CaseStatus(id=1, label="New", type="NEW", sort_order=1, used_by_chats=True,
               description="Waiting for an agent: in the queue, ringing, or not yet accepted"),
    CaseStatus(id=2, label="Open", type="OPEN", sort_order=2, used_by_chats=True,
               description="An agent accepted the chat (or started it by invitation) and it has not ended"),
    CaseStatus(id=3, label="Pending", type="PENDING", sort_order=3, used_by_chats=False,
               description="Waiting on the customer: a live chat never is (it is open or it ended)"),
    CaseStatus(id=4, label="Completed", type="COMPLETED", sort_order=4, used_by_chats=True,
               description="The chat ended (by the agent, the visitor or a timeout), or an offline message"),
    CaseStatus(id=5, label="Closed", type="CLOSED", sort_order=5, used_by_chats=False,
               description="Archived after completion: chats stay Completed here"),
]
STATUS_OF = {s.type: s for s in CASE_STATUSES}
PREVIEW_CHARS = 100  # a case's last_post_preview
# A chat's subject as its visitor knows it (SQL over a `conversations` row): a chat an agent started by invitation
# has no question from the visitor, and its subject is the agents' label, so the visitor's is empty.
VISIBLE_SUBJECT = ("CASE WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.conversation_id = conversations.id) "
                   "THEN '' ELSE conversations.subject END")


def _queued(alias: str) -> str:
    return f"{alias}.status = 'NEW' AND {alias}.is_offline = 0"


def visible_subject(db: Reader, conversation_id: int) -> str:
    """The chat's subject as its visitor knows it (VISIBLE_SUBJECT)."""
    row = db.execute(f"SELECT {VISIBLE_SUBJECT} FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
    return str(row[0]) if row else ""


def get_conversation(db: Reader, conversation_id: int) -> ConversationRow | None:
    return as_row(db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone(), ConversationRow)


def access_conversation(db: Reader, conversation_id: int, visitor_id: int | None = None) -> ConversationRow:
    """The row, or NOT_FOUND; a visitor only ever finds their own conversations."""
    row = get_conversation(db, conversation_id)
    if row is None or (visitor_id is not None and row["visitor_id"] != visitor_id):
        raise not_found("Conversation")
    return row


def require_open(row: ConversationRow) -> None:
    if row["status"] == "COMPLETED":
        raise ApiError(ErrorCode.CONVERSATION_CLOSED, "This chat has ended")


def queued_conversations(db: Reader) -> list[ConversationRow]:
    """The rows of the chats waiting for an agent, first come first served."""
    return as_rows(db.execute(f"SELECT * FROM conversations WHERE {QUEUED} ORDER BY created_at, id").fetchall(),
                   ConversationRow)


def queued_ids(db: Reader) -> list[int]:
    rows = db.execute(f"SELECT id FROM conversations WHERE {QUEUED} ORDER BY created_at, id").fetchall()
    return [r[0] for r in rows]


def participant_role(db: Reader, conversation_id: int, agent_id: int) -> str | None:
    row = db.execute(
        "SELECT role FROM participants WHERE conversation_id = ? AND agent_id = ? AND left_at IS NULL",
        (conversation_id, agent_id),
    ).fetchone()
    return row[0] if row else None


def _visitor_ref(visitor_id: int, name: str | None, email: str | None) -> VisitorRef:
    return VisitorRef(id=visitor_id, name=name or f"Visitor {visitor_id}", email=email)


def conversation_model(db: Reader, row: ConversationRow) -> Conversation:
    return conversation_models(db, [row])[0]


def conversation_models(db: Reader, rows: Sequence[ConversationRow]) -> list[Conversation]:
    """Staff views of many conversations in two queries, whatever their number: post counts, visitors, the
    last post (system lines aside) and queue places, then people (participants and owners)."""
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    facts = {f["id"]: f for f in db.execute(
        "SELECT c.id, v.id AS visitor_id, v.name AS visitor_name, v.email AS visitor_email, "
        "(SELECT COUNT(*) FROM posts p WHERE p.conversation_id = c.id) AS post_count, "
        "lp.created_at AS last_post_at, lp.status AS last_post_status, lp.visibility AS last_post_visibility, "
        "lp.contents AS last_post_contents, d.id AS team_id, d.title AS team_title, "
        "s.id AS skill_id, s.title AS skill_title, "
        f"CASE WHEN {_queued('c')} THEN (SELECT COUNT(*) FROM conversations q WHERE {_queued('q')} "
        "AND (q.created_at < c.created_at OR "
        "(q.created_at = c.created_at AND q.id <= c.id))) END AS queue_position "
        "FROM conversations c JOIN visitors v ON v.id = c.visitor_id "
        "LEFT JOIN departments d ON d.id = c.department_id LEFT JOIN skills s ON s.id = c.skill_id "
        "LEFT JOIN posts lp ON lp.id = (SELECT MAX(id) FROM posts p WHERE p.conversation_id = c.id "
        f"AND p.kind <> 'SYSTEM') WHERE c.id IN ({marks})", ids).fetchall()}
    people: dict[int, list[Participant]] = {cid: [] for cid in ids}
    owners: dict[int, AgentRef] = {}
    for r in db.execute(  # role NULL: the conversation's owner (who may have left it)
        "SELECT p.conversation_id AS cid, p.role, p.joined_at, a.* FROM participants p "
        f"JOIN agents a ON a.id = p.agent_id WHERE p.conversation_id IN ({marks}) AND p.left_at IS NULL "
        "UNION ALL SELECT c.id AS cid, NULL, NULL, a.* FROM conversations c JOIN agents a ON a.id = c.owner_id "
        f"WHERE c.id IN ({marks}) ORDER BY 1, 3, id", [*ids, *ids]).fetchall():
        if r["role"] is None:
            owners[r["cid"]] = agent_ref(r)
        else:
            people[r["cid"]].append(Participant(agent=agent_ref(r), role=r["role"], joined_at=iso(r["joined_at"])))
    out = []
    for row in rows:
        f = facts[row["id"]]
        requester = _visitor_ref(f["visitor_id"], f["visitor_name"], f["visitor_email"])
        preview = f["last_post_contents"]
        out.append(Conversation(
            id=row["id"],
            subject=row["subject"],
            requester=requester,
            creator=requester,
            assigned_agent=owners.get(row["id"]),
            assigned_team=TeamRef(id=f["team_id"], title=f["team_title"]) if f["team_id"] is not None else None,
            skill=SkillRef(id=f["skill_id"], title=f["skill_title"]) if f["skill_id"] is not None else None,
            status=STATUS_OF[row["status"]],
            participants=people[row["id"]],
            is_offline_message=bool(row["is_offline"]),
            queue_position=f["queue_position"],
            rating=row["rating"],
            rating_status=rating_status(row),
            rating_comment=row["rating_comment"],
            post_count=f["post_count"],
            last_post_status=f["last_post_status"],
            last_post_preview=None if preview is None else " ".join(preview.split())[:PREVIEW_CHARS],
            last_post_type=None if preview is None else "NOTE" if f["last_post_visibility"] == "STAFF" else "PUBLIC",
            last_replied_at=iso(f["last_post_at"]),
            created_at=iso(row["created_at"]),
            updated_at=iso(row["updated_at"]),
            last_completed_at=iso(row["completed_at"]),
        ))
    return out


def rating_status(row: ConversationRow) -> RatingStatus:
    """Kayako's rating_status: RECEIVED once rated; OFFERED when a live chat ended (the widget then asks)."""
    if row["rating"] is not None:
        return "RECEIVED"
    return "OFFERED" if row["status"] == "COMPLETED" and not row["is_offline"] else "UNOFFERED"


def chat_model(db: Reader, row: ConversationRow) -> Chat:
    return chat_models(db, [row])[0]


def chat_models(db: Reader, rows: Sequence[ConversationRow]) -> list[Chat]:
    """What the visitor may know: agents who are visibly in the chat (never observers). A chat an agent
    started by invitation has no question from the visitor: its subject is the agents' label, and the
    visitor gets an empty one (the widget then shows no question). Three queries, whatever the number."""
    facts = _visitor_facts(db, [r["id"] for r in rows])
    out = []
    for row, conv in zip(rows, conversation_models(db, rows), strict=True):
        f = facts[row["id"]]
        message = f if f["last_id"] is not None else None
        out.append(Chat(
            id=row["id"],
            subject=f["shown_subject"],
            status=STATUS_OF[row["status"]],
            is_completed=row["status"] == "COMPLETED",
            assigned_agent=conv.assigned_agent,  # an owner is never an observer: the visitor knows them
            agents=[p.agent for p in conv.participants if p.role != "OBSERVER"],
            queue_position=conv.queue_position,
            rating=row["rating"],
            rating_comment=row["rating_comment"],
            is_offline_message=bool(row["is_offline"]),
            last_message_status=message["status"] if message else None,
            last_message_preview=" ".join(message["contents"].split())[:PREVIEW_CHARS] if message else None,
            last_replied_at=iso(message["created_at"]) if message else None,
            created_at=iso(row["created_at"]),
            updated_at=iso(row["updated_at"]),
            last_completed_at=iso(row["completed_at"]),
        ))
    return out


def _visitor_facts(db: Reader, ids: list[int]) -> dict[int, Any]:
    """Per chat: its subject as the visitor knows it (VISIBLE_SUBJECT), and the last message the visitor could see
    (PUBLIC, not a system line: never a staff note). One query."""
    if not ids:
        return {}
    rows = db.execute(
        f"SELECT conversations.id, {VISIBLE_SUBJECT} AS shown_subject, "
        "m.id AS last_id, m.status, m.contents, m.created_at FROM conversations "
        "LEFT JOIN posts m ON m.id = (SELECT MAX(id) FROM posts p WHERE p.conversation_id = conversations.id "
        f"AND p.visibility = 'PUBLIC' AND p.kind <> 'SYSTEM') WHERE conversations.id IN ({','.join('?' * len(ids))})",
        ids).fetchall()
    return {r["id"]: r for r in rows}


def visitor_chats(db: Reader, visitor_id: int, limit: int = 50, offset: int = 0) -> list[Chat]:
    """The visitor's own chats, newest first."""
    rows = db.execute("SELECT * FROM conversations WHERE visitor_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                      (visitor_id, limit, offset)).fetchall()
    return chat_models(db, rows)


def visitor_chat_count(db: Reader, visitor_id: int) -> int:
    return int(db.execute("SELECT COUNT(*) FROM conversations WHERE visitor_id = ?", (visitor_id,)).fetchone()[0])


def average_reply_time(db: Reader, since: float) -> float | None:
    """Seconds from a chat's start to an agent's first message, averaged over the chats started since `since`
    that an agent answered (Kayako's `average_reply_time`); None when there is none yet."""
    row = db.execute(
        "SELECT AVG(first_reply - created_at) FROM (SELECT c.created_at AS created_at, MIN(p.created_at) AS "
        "first_reply FROM conversations c JOIN posts p ON p.conversation_id = c.id AND p.author_kind = 'AGENT' "
        "AND p.visibility = 'PUBLIC' "
        "WHERE c.created_at >= ? AND c.is_offline = 0 GROUP BY c.id, c.created_at) AS answered", (since,)).fetchone()
    return None if row is None or row[0] is None else round(float(row[0]), 1)
