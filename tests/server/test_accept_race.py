"""Accept is one conditional update: of N agents accepting the same chat at once, exactly one wins and
every other one gets 409 ALREADY_ASSIGNED. Each agent has its own HTTP session (its own connection), and
a barrier releases all requests together; the trial is repeated with a new chat every round."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.support import Agent

N_AGENTS = 20
ROUNDS = 25


def _team(make_agent: Any, n: int, prefix: str) -> list[Agent]:
    # Logins hash passwords; doing them side by side keeps setup short.
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda i: make_agent(f"{prefix}{i:02d}", connect=False), range(n)))


def _race(pool: ThreadPoolExecutor, agents: list[Agent], cid: int) -> list[tuple[Agent, int, Any]]:
    """Every agent POSTs accept at the same moment; returns (agent, HTTP status, body) per agent."""
    barrier = threading.Barrier(len(agents), timeout=10)

    def attempt(agent: Agent) -> tuple[Agent, int, Any]:
        barrier.wait()
        r = agent.accept(cid)
        return agent, r.status_code, r.json()

    return list(pool.map(attempt, agents))


def _check_one_winner(results: list[tuple[Agent, int, Any]], observer: Agent, cid: int) -> Agent:
    statuses = Counter(status for _, status, _ in results)
    assert statuses == {200: 1, 409: len(results) - 1}, statuses
    winner, _, body = next(r for r in results if r[1] == 200)
    assert body["data"]["status"]["type"] == "OPEN" and body["data"]["assigned_agent"]["id"] == winner.id
    for agent, status, body in results:
        if status == 409:
            assert [e["code"] for e in body["errors"]] == ["ALREADY_ASSIGNED"], (agent.name, body)

    case = observer.get(f"/cases/{cid}").json()["data"]
    assert case["status"]["type"] == "OPEN" and case["assigned_agent"]["id"] == winner.id
    assert [(p["agent"]["id"], p["role"]) for p in case["participants"]] == [(winner.id, "OWNER")]
    posts = observer.get(f"/cases/{cid}/posts").json()["data"]
    joined = [p["contents"] for p in posts if p["kind"] == "SYSTEM" and p["contents"].endswith("joined the chat")]
    assert joined == [f"{winner.name} joined the chat"], "the losers left no trace in the chat"
    return winner


def test_twenty_agents_accepting_the_same_queued_chat_one_wins(live, make_agent, make_visitor):
    agents = _team(make_agent, N_AGENTS, "agent")
    winners: Counter[str] = Counter()
    with ThreadPoolExecutor(max_workers=N_AGENTS) as pool:
        for round_no in range(ROUNDS):
            visitor = make_visitor(f"Visitor {round_no}", connect=False)
            chat = visitor.start_chat(f"race {round_no}")
            assert chat["status"]["type"] == "NEW"  # nobody is connected: it waits in the queue, unoffered

            winner = _check_one_winner(_race(pool, agents, chat["id"]), agents[0], chat["id"])
            winners[winner.name] += 1
            mine = visitor.get(f"/conversations/{chat['id']}").json()["data"]
            assert [a["id"] for a in mine["agents"]] == [winner.id]
            # The winner ends the chat so every round starts from the same load.
            assert winner.post(f"/cases/{chat['id']}/end").json()["data"]["status"]["type"] == "COMPLETED"
    assert sum(winners.values()) == ROUNDS


def test_the_ringing_agent_races_agents_taking_from_the_queue(live, make_agent, make_visitor):
    ringer = make_agent("ringer")  # connected: every chat rings for this agent
    others = _team(make_agent, N_AGENTS - 1, "taker")
    agents = [ringer, *others]
    with ThreadPoolExecutor(max_workers=N_AGENTS) as pool:
        for round_no in range(8):
            visitor = make_visitor(f"Visitor {round_no}", connect=False)
            cid = visitor.start_chat(f"ring race {round_no}")["id"]
            ringer.sock.wait("offer.created", lambda d, c=cid: d["offer"]["conversation"]["id"] == c)

            winner = _check_one_winner(_race(pool, agents, cid), ringer, cid)
            ended = ringer.sock.wait("offer.ended", lambda d, c=cid: d["conversation_id"] == c)["data"]
            assert ended["state"] == ("ACCEPTED" if winner is ringer else "CANCELLED")
            assert ringer.get("/offers").json()["data"] == []
            assert winner.post(f"/cases/{cid}/end").status_code == 200
