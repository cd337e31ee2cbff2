"""Offers: OFFERED → ACCEPTED | DECLINED | TIMED_OUT | CANCELLED.

A queued chat is offered to one eligible agent at a time (status ONLINE, connected, under capacity, never
declined or missed this chat), least recently offered first. Accept is one conditional UPDATE, so of many
agents accepting at once exactly one wins. Everything here runs inside a write transaction.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal, cast

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.events import AgentStatusChanged, OfferCreated
from kayako_desktop.protocol.names import Event
from kayako_desktop.server.actions.offers import end_offer
from kayako_desktop.server.actions.posts import do_system_post
from kayako_desktop.server.actions.publish import publish_conversation, publish_queue_positions
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.agents import access_agent, agent_model, agent_name, get_agent
from kayako_desktop.server.queries.conversations import access_conversation, queued_ids
from kayako_desktop.server.queries.offers import offer_model, ringing_offer_rows
from kayako_desktop.server.queries.skills import access_skill, skill_agents
from kayako_desktop.server.queries.teams import access_team, department_agents
from kayako_desktop.server.realtime.audience import Audience
from kayako_desktop.server.rows import AgentRow, ConversationRow, OfferRow, as_row, as_rows

if TYPE_CHECKING:
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.services import Services

log = logging.getLogger(__name__)


def _load(tx: Tx, agent_id: int) -> int:
    return int(tx.value(
        "SELECT (SELECT COUNT(*) FROM conversations WHERE owner_id = ? AND status = 'OPEN') + "
        "(SELECT COUNT(*) FROM offers WHERE agent_id = ? AND state = 'OFFERED')",
        (agent_id, agent_id),
    ))


SkillMode = Literal["queue", "prefer", "strict"]


def eligible_agents(svc: Services, tx: Tx, conversation_id: int, online: set[int] | None = None,
                    skill: SkillMode = "prefer") -> list[AgentRow]:
    """Who may be offered this chat now, least recently offered first: ONLINE, connected, under capacity,
    never declined or missed it — and, when the chat is a department's, an agent of that department (or of
    one above it). `online`: the connected agents, when the caller already asked presence (one Redis round trip
    per dispatch, not per waiting chat).

    A chat asking for a skill goes to the agents who have it whenever one of them is free. When none is:
    `strict` (a transfer to the skill) offers nobody; `queue` (a waiting chat) keeps waiting for them while one
    is online (busy) and the chat has waited less than CHAT_SKILL_MAX_WAIT, then anyone may take it (Zendesk's
    skill_routing.max_wait_time; 0 waits for the skill for ever); `prefer` (colleagues asked to take over a chat
    in progress) falls back to anyone at once."""
    if online is None:
        online = svc.presence.online_agent_ids()
    rows = as_rows(tx.all(
        "SELECT * FROM agents WHERE status = 'ONLINE' AND is_enabled = 1 AND id NOT IN (SELECT agent_id FROM offers WHERE "
        "conversation_id = ? AND state IN ('OFFERED', 'DECLINED', 'TIMED_OUT')) "
        "ORDER BY COALESCE(last_offered_at, 0), id",
        (conversation_id,),
    ), AgentRow)
    conv = tx.row("SELECT department_id, skill_id, created_at FROM conversations WHERE id = ?", (conversation_id,))
    takers = department_agents(tx, int(conv["department_id"])) if conv["department_id"] is not None else None
    free = [r for r in rows if r["id"] in online and (takers is None or r["id"] in takers)
            and _load(tx, r["id"]) < r["max_chats"]]
    if conv["skill_id"] is None:
        return free
    skilled = skill_agents(tx, int(conv["skill_id"]))
    preferred = [r for r in free if r["id"] in skilled]
    if preferred or skill == "strict":
        return preferred
    if skill == "queue":
        wait = float(svc.config["CHAT_SKILL_MAX_WAIT"])
        # ONLINE and connected, of the department, and not a decliner of this chat: busy now, free later
        skilled_online = [r for r in rows if r["id"] in skilled and r["id"] in online and (takers is None or r["id"] in takers)]
        if skilled_online and (wait <= 0 or tx.now - float(conv["created_at"]) < wait):
            return []  # someone with the skill will be free soon: the chat waits for them (the tick re-checks)
    return free


def eligible_agents_now(svc: Services, tx: Tx) -> list[AgentRow]:
    """Agents who could take a new chat now (ONLINE, connected, under capacity), the least busy first: who a
    visitor rule's invitation comes from."""
    online = svc.presence.online_agent_ids()
    rows = [r for r in as_rows(tx.all("SELECT * FROM agents WHERE status = 'ONLINE' AND is_enabled = 1 ORDER BY id"),
                               AgentRow) if r["id"] in online]
    loads = {r["id"]: _load(tx, r["id"]) for r in rows}
    return sorted((r for r in rows if loads[r["id"]] < r["max_chats"]), key=lambda r: (loads[r["id"]], r["id"]))


def pending_offer(tx: Tx, conversation_id: int, agent_id: int | None = None) -> OfferRow | None:
    if agent_id is None:
        return as_row(tx.one("SELECT * FROM offers WHERE conversation_id = ? AND state = 'OFFERED'",
                             (conversation_id,)), OfferRow)
    return as_row(tx.one("SELECT * FROM offers WHERE conversation_id = ? AND agent_id = ? AND state = 'OFFERED'",
                         (conversation_id, agent_id)), OfferRow)


def do_offer(svc: Services, tx: Tx, conversation_id: int, agent_id: int, transfer_from: int | None = None,
             department_id: int | None = None, auto: bool = False, skill_id: int | None = None) -> OfferRow:
    timeout = float(svc.config["CHAT_RING_TIMEOUT"])
    new_id = tx.insert(
        "INSERT INTO offers (conversation_id, agent_id, state, transfer_from, created_at, expires_at, department_id, "
        "auto_transfer, skill_id) VALUES (?, ?, 'OFFERED', ?, ?, ?, ?, ?, ?)",
        (conversation_id, agent_id, transfer_from, tx.now, tx.now + timeout, department_id, int(auto), skill_id),
    )
    tx.execute("UPDATE agents SET last_offered_at = ? WHERE id = ?", (tx.now, agent_id))
    row = cast(OfferRow, tx.row("SELECT * FROM offers WHERE id = ?", (new_id,)))
    tx.emit(Event.OFFER_CREATED, OfferCreated(offer=offer_model(tx, row)), Audience.agent(agent_id))
    return row


def cancel_offers(tx: Tx, conversation_id: int, except_id: int | None = None) -> None:
    for offer in ringing_offer_rows(tx, conversation_id=conversation_id):
        if offer["id"] != except_id:
            end_offer(tx, offer, "CANCELLED")


def do_dispatch(svc: Services, tx: Tx) -> None:
    """Offer each waiting chat without a ringing offer to its next eligible agent, oldest chat first."""
    online: set[int] | None = None
    for cid in queued_ids(tx):
        if pending_offer(tx, cid) is not None:
            continue
        if online is None:
            online = svc.presence.online_agent_ids()
            if not online:
                return  # nobody connected: every waiting chat keeps waiting
        agents = eligible_agents(svc, tx, cid, online, skill="queue")
        if agents:
            do_offer(svc, tx, cid, agents[0]["id"])


def do_set_status(svc: Services, tx: Tx, agent_id: int, status: str) -> None:
    tx.execute(
        "UPDATE agents SET status = ?, missed_offers = CASE WHEN ? = 'ONLINE' THEN 0 ELSE missed_offers END "
        "WHERE id = ?",
        (status, status, agent_id),
    )
    if status != "ONLINE":
        # An agent who steps away stops ringing; the chats go to the next agent (and may come back later).
        for offer in ringing_offer_rows(tx, agent_id=agent_id):
            end_offer(tx, offer, "CANCELLED")
    publish_agent(svc, tx, agent_id)
    do_dispatch(svc, tx)


def publish_agent(svc: Services, tx: Tx, agent_id: int) -> None:
    agent = agent_model(tx, access_agent(tx, agent_id), svc.presence)
    tx.emit(Event.AGENT_STATUS_CHANGED, AgentStatusChanged(agent=agent), Audience.agents())


def _add_owner(tx: Tx, conversation_id: int, agent_id: int) -> None:
    tx.execute(
        "INSERT INTO participants (conversation_id, agent_id, role, joined_at) VALUES (?, ?, 'OWNER', ?) "
        "ON CONFLICT (conversation_id, agent_id) DO UPDATE SET role = 'OWNER', left_at = NULL, joined_at = ?",
        (conversation_id, agent_id, tx.now, tx.now),
    )
    tx.execute("UPDATE conversations SET taken_at = COALESCE(taken_at, ?) WHERE id = ?", (tx.now, conversation_id))


def open_chats(tx: Tx, agent_id: int) -> int:
    return int(tx.value("SELECT COUNT(*) FROM conversations WHERE owner_id = ? AND status = 'OPEN'", (agent_id,)))


def check_capacity(tx: Tx, agent_id: int, override: bool = False) -> None:
    """Taking one more chat must not go over the agent's limit; an administrator may, and it is logged."""
    agent = access_agent(tx, agent_id)
    load = open_chats(tx, agent_id)
    if load < agent["max_chats"]:
        return
    if override and agent["role"] == "ADMIN":
        log.warning("routing: %s took a chat over their limit (%d open, limit %d)", agent["email"], load,
                    agent["max_chats"])
        return
    raise ApiError(ErrorCode.CAPACITY_REACHED,
                   f"You already have {load} chats open, your limit of {agent['max_chats']}: end one first"
                   + ("" if agent["role"] != "ADMIN" else " (or take it anyway with override_capacity)"))


def do_accept(svc: Services, tx: Tx, conversation_id: int, agent_id: int, override_capacity: bool = False) -> None:
    conv = access_conversation(tx, conversation_id)
    if conv["status"] == "COMPLETED":
        raise ApiError(ErrorCode.CONVERSATION_CLOSED, "This chat has already ended")
    if conv["owner_id"] != agent_id:
        check_capacity(tx, agent_id, override_capacity)
    offer = pending_offer(tx, conversation_id, agent_id)
    previous = offer["transfer_from"] if offer is not None else None
    # RETURNING, not rowcount: on PostgreSQL a write transaction runs in pipeline mode, where a statement's
    # rowcount is known only once something waits for its answer (reading a row does).
    if previous is not None:
        taken = tx.one(
            "UPDATE conversations SET owner_id = ?, status = 'OPEN', updated_at = ? "
            "WHERE id = ? AND status != 'COMPLETED' AND owner_id = ? RETURNING id",
            (agent_id, tx.now, conversation_id, previous),
        )
    else:
        taken = tx.one(
            "UPDATE conversations SET owner_id = ?, status = 'OPEN', updated_at = ? "
            "WHERE id = ? AND status = 'NEW' AND owner_id IS NULL RETURNING id",
            (agent_id, tx.now, conversation_id),
        )
    if taken is None:  # whoever took it already cancelled every ringing offer
        raise ApiError(ErrorCode.ALREADY_ASSIGNED, "This chat has already been taken by another agent")
    if offer is not None:
        end_offer(tx, offer, "ACCEPTED")
    if previous is not None:  # counted on the chat for reports
        tx.execute("UPDATE conversations SET transfers = transfers + 1 WHERE id = ?", (conversation_id,))
    cancel_offers(tx, conversation_id)
    tx.execute("UPDATE agents SET missed_offers = 0 WHERE id = ?", (agent_id,))
    name = agent_name(tx, agent_id)
    if previous is not None:
        tx.execute(
            "UPDATE participants SET left_at = ? WHERE conversation_id = ? AND agent_id = ?",
            (tx.now, conversation_id, previous),
        )
    _add_owner(tx, conversation_id, agent_id)
    conv = access_conversation(tx, conversation_id)
    text = f"The chat was transferred to {name}" if previous is not None else f"{name} joined the chat"
    do_system_post(tx, conv, text)
    publish_conversation(tx, conversation_id)
    publish_queue_positions(tx)
    do_dispatch(svc, tx)


def do_decline(svc: Services, tx: Tx, conversation_id: int, agent_id: int) -> None:
    offer = pending_offer(tx, conversation_id, agent_id)
    if offer is None:
        raise ApiError(ErrorCode.INVALID_STATE, "There is no ringing chat request for you in this chat")
    end_offer(tx, offer, "DECLINED")
    tx.execute("UPDATE conversations SET declines = declines + 1 WHERE id = ?", (conversation_id,))  # for reports
    tx.execute("UPDATE agents SET missed_offers = 0 WHERE id = ?", (agent_id,))
    _after_unanswered(svc, tx, offer, "declined")


def _after_unanswered(svc: Services, tx: Tx, offer: OfferRow, verb: str) -> None:
    if offer["transfer_from"] is not None:
        conv = access_conversation(tx, offer["conversation_id"])
        name = agent_name(tx, offer["agent_id"])
        do_system_post(tx, conv, f"{name} {verb} the transfer", staff_only=True)
        if offer["department_id"] is not None or offer["skill_id"] is not None:
            _ring_next(svc, tx, conv, offer)
    do_dispatch(svc, tx)


def _ring_next(svc: Services, tx: Tx, conv: ConversationRow, offer: OfferRow) -> bool:
    """A transfer to a department or a skill rings its next eligible agent (never the owner); when nobody is
    left the chat stays with its owner, who is told. Returns whether someone rings."""
    owner = offer["transfer_from"]
    if owner is None or conv["status"] != "OPEN" or conv["owner_id"] != owner:
        return False  # taken meanwhile, or ended
    by_skill = offer["skill_id"] is not None
    agents = [a for a in eligible_agents(svc, tx, conv["id"], skill="strict" if by_skill else "prefer")
              if a["id"] != owner]
    if not agents:
        if by_skill:
            title = tx.value("SELECT title FROM skills WHERE id = ?", (offer["skill_id"],))
            where = f"with the skill {title}" if title else "with the skill"
        else:
            where = "in " + str(tx.value("SELECT title FROM departments WHERE id = ?", (offer["department_id"],))
                                or "the department")
        do_system_post(tx, conv, f"Nobody else {where} can take the chat now: it stays with "
                                 f"{agent_name(tx, owner)}", staff_only=True)
        return False
    do_offer(svc, tx, conv["id"], agents[0]["id"], transfer_from=owner, department_id=offer["department_id"],
             skill_id=offer["skill_id"])
    return True


def do_expire_offers(svc: Services, tx: Tx) -> None:
    """Ring timeouts: the offer moves on; N misses in a row set the agent AWAY."""
    limit = int(svc.config["CHAT_MISSED_OFFERS_AWAY"])
    for due in tx.all("SELECT id FROM offers WHERE state = 'OFFERED' AND expires_at <= ? ORDER BY id", (tx.now,)):
        # An earlier iteration may have ended this offer already (its agent went AWAY): skip it then.
        offer = as_row(tx.one("SELECT * FROM offers WHERE id = ? AND state = 'OFFERED'", (due["id"],)), OfferRow)
        if offer is None:
            continue
        end_offer(tx, offer, "TIMED_OUT")
        tx.execute("UPDATE agents SET missed_offers = missed_offers + 1 WHERE id = ?", (offer["agent_id"],))
        agent = access_agent(tx, offer["agent_id"])
        if agent["missed_offers"] >= limit and agent["status"] == "ONLINE":
            do_set_status(svc, tx, agent["id"], "AWAY")
        _after_unanswered(svc, tx, offer, "missed")


def do_transfer(svc: Services, tx: Tx, conversation_id: int, by_agent: int, to_agent: int) -> None:
    conv = access_conversation(tx, conversation_id)
    if conv["status"] == "COMPLETED":
        raise ApiError(ErrorCode.CONVERSATION_CLOSED, "This chat has already ended")
    if to_agent == by_agent or to_agent == conv["owner_id"]:
        raise ApiError(ErrorCode.FIELD_INVALID, "Choose another agent to transfer to", parameter="agent_id")
    target = get_agent(tx, to_agent)
    if target is None:
        raise ApiError(ErrorCode.NOT_FOUND, "Agent not found", parameter="agent_id")
    if not svc.presence.count("agent", to_agent):
        raise ApiError(ErrorCode.AGENT_UNAVAILABLE, f"{target['full_name']} is offline", parameter="agent_id")
    cancel_offers(tx, conversation_id)
    do_offer(svc, tx, conversation_id, to_agent, transfer_from=conv["owner_id"])
    by_name = agent_name(tx, by_agent)
    do_system_post(tx, conv, f"{by_name} is transferring the chat to {target['full_name']}", staff_only=True)


def do_transfer_to_department(svc: Services, tx: Tx, conversation_id: int, by_agent: int, department_id: int) -> None:
    """Classic's transfer type="department": the chat now belongs to the department, and its agents are
    offered it one at a time (the owner keeps it until one accepts). Nobody there free → 409, nothing changed."""
    title = access_team(tx, department_id)["title"]
    _transfer_to_group(svc, tx, conversation_id, by_agent, "department_id", department_id, "prefer",
                       f"Nobody in {title} can take a chat now", title)


def do_transfer_to_skill(svc: Services, tx: Tx, conversation_id: int, by_agent: int, skill_id: int) -> None:
    """Classic's transfer type="skill": the chat now asks for the skill, and the agents who have it are offered
    it one at a time (the owner keeps it until one accepts; a chat still in the queue waits for them). Nobody
    with the skill free → 409, nothing changed."""
    title = access_skill(tx, skill_id)["title"]
    _transfer_to_group(svc, tx, conversation_id, by_agent, "skill_id", skill_id, "strict",
                       f"Nobody with the skill {title} can take a chat now", f"someone with the skill {title}")


def _transfer_to_group(svc: Services, tx: Tx, conversation_id: int, by_agent: int,
                       column: Literal["department_id", "skill_id"], group_id: int, mode: SkillMode,
                       nobody: str, target: str) -> None:
    """A transfer to a department or a skill: the chat's `column` becomes `group_id`, the next eligible agent
    (never the owner) rings — as a transfer remembering the group, so a decline rings the one after; a chat
    still queued simply waits for the group. Nobody free → 409 naming the field; the write transaction rolls
    back, so the chat and the cancelled rings stay as they were."""
    conv = access_conversation(tx, conversation_id)
    if conv["status"] == "COMPLETED":
        raise ApiError(ErrorCode.CONVERSATION_CLOSED, "This chat has already ended")
    cancel_offers(tx, conversation_id)
    tx.execute(f"UPDATE conversations SET {column} = ?, updated_at = ? WHERE id = ?",  # noqa: S608 (fixed names)
               (group_id, tx.now, conversation_id))
    agents = [a for a in eligible_agents(svc, tx, conversation_id, skill=mode) if a["id"] != conv["owner_id"]]
    if not agents:
        raise ApiError(ErrorCode.AGENT_UNAVAILABLE, nobody, parameter=column)
    if conv["owner_id"] is None:
        do_offer(svc, tx, conversation_id, agents[0]["id"])
    else:
        do_offer(svc, tx, conversation_id, agents[0]["id"], transfer_from=conv["owner_id"],
                 department_id=group_id if column == "department_id" else None,
                 skill_id=group_id if column == "skill_id" else None)
    do_system_post(tx, access_conversation(tx, conversation_id),
                   f"{agent_name(tx, by_agent)} is transferring the chat to {target}", staff_only=True)
    publish_conversation(tx, conversation_id, to_visitor=False)


def do_auto_transfer(svc: Services, tx: Tx) -> None:
    """A visitor waiting on an answer: when the owner has not replied to the visitor's last message within
    CHAT_AUTO_TRANSFER_SECONDS (counted from the message, or from when they took the chat if later), the chat
    rings the next eligible colleague as a transfer (the owner keeps it until someone accepts) and the owner is
    told why in a staff-only line. One colleague at a time, each once: a decline or a missed ring moves on at
    the next tick, and when nobody is left the chat stays with its owner. 0 turns it off. A department may set
    its own time (auto_transfer_seconds; 0: never). The owner answering the visitor withdraws the ring
    (actions/offers.withdraw_auto_transfer)."""
    default = float(svc.config["CHAT_AUTO_TRANSFER_SECONDS"])
    own = {int(r["id"]): float(r["auto_transfer_seconds"]) for r in
           tx.all("SELECT id, auto_transfer_seconds FROM departments WHERE auto_transfer_seconds IS NOT NULL")}
    limits = [s for s in (default, *own.values()) if s > 0]
    if not limits:
        return
    due = tx.now - min(limits)  # the earliest any chat can be due; each chat's own limit is checked below
    rows = tx.all(
        "SELECT c.id, c.owner_id, c.department_id, p.created_at AS asked_at, o.joined_at FROM conversations c "
        "JOIN posts p ON p.id = (SELECT MAX(id) FROM posts q WHERE q.conversation_id = c.id "
        "AND q.visibility = 'PUBLIC' AND q.kind <> 'SYSTEM') "
        "JOIN participants o ON o.conversation_id = c.id AND o.agent_id = c.owner_id AND o.left_at IS NULL "
        "WHERE c.status = 'OPEN' AND p.author_kind = 'VISITOR' AND p.created_at <= ? AND o.joined_at <= ? "
        "AND NOT EXISTS (SELECT 1 FROM offers f WHERE f.conversation_id = c.id AND f.state = 'OFFERED') "
        "ORDER BY c.id",
        (due, due),
    )
    for row in rows:
        limit = own.get(row["department_id"], default) if row["department_id"] is not None else default
        if limit <= 0 or max(row["asked_at"], row["joined_at"]) > tx.now - limit:
            continue
        agents = [a for a in eligible_agents(svc, tx, row["id"]) if a["id"] != row["owner_id"]]
        if not agents:
            continue
        conv = access_conversation(tx, row["id"])
        do_offer(svc, tx, row["id"], agents[0]["id"], transfer_from=row["owner_id"], auto=True)
        minutes = round(limit / 60, 1)
        wait = f"{int(minutes)} minute{'s' if minutes != 1 else ''}" if minutes == int(minutes) else f"{int(limit)} seconds"
        owner = agent_name(tx, row["owner_id"])
        do_system_post(tx, conv, f"The visitor has waited {wait} for an answer from {owner}: the chat is offered to "
                                 f"{agents[0]['full_name']}", staff_only=True)
