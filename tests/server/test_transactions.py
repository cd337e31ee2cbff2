"""A write transaction is all or nothing on both databases, wherever it fails. On PostgreSQL a write
transaction runs in pipeline mode (server/pg.py): a statement whose answer is never read goes out without a
wait, so its error surfaces later — at the next read or at COMMIT — and must still undo everything before
it, log no event, and leave the next write working."""

from __future__ import annotations

import pytest

from tests.support import LiveServer, answered_chat


def subject(live: LiveServer, cid: int) -> str:
    with live.svc.db.read() as conn:
        return str(conn.execute("SELECT subject FROM conversations WHERE id = ?", (cid,)).fetchone()[0])


def duplicate_agent(tx, agent_id: int) -> None:
    """An INSERT that breaks the agents' primary key; nothing reads its answer."""
    tx.execute("INSERT INTO agents (id, email, full_name, password_hash, role, max_chats, created_at) "
               "SELECT id, email, full_name, password_hash, role, max_chats, created_at FROM agents WHERE id = ?",
               (agent_id,))


@pytest.mark.parametrize("then_read", [False, True], ids=["failing-at-commit", "failing-at-a-later-read"])
def test_a_write_that_fails_at_a_statement_nobody_read_stores_nothing(live: LiveServer, then_read: bool) -> None:
    alice, _, cid = answered_chat(live.svc, "Refund please")
    head = live.svc.db.committed_head()
    with pytest.raises(Exception) as failed:
        with live.svc.db.write() as tx:
            tx.execute("UPDATE conversations SET subject = ? WHERE id = ?", ("Changed", cid))
            tx.insert_event("message.created", "conversation_staff", cid, "{}", 0)
            duplicate_agent(tx, alice)
            tx.execute("UPDATE conversations SET transfers = transfers + 1 WHERE id = ?", (cid,))
            if then_read:
                tx.value("SELECT COUNT(*) FROM agents")
    assert type(failed.value).__name__ in ("IntegrityError", "UniqueViolation"), repr(failed.value)
    assert subject(live, cid) == "Refund please"  # the UPDATE before the failure was undone
    assert live.svc.db.committed_head() == head  # and the event with it
    with live.svc.db.write() as tx:  # the writer is usable again
        tx.execute("UPDATE conversations SET subject = ? WHERE id = ?", ("Later", cid))
    assert subject(live, cid) == "Later"


def test_a_failure_raised_by_our_code_after_unread_statements_stores_nothing(live: LiveServer) -> None:
    _, _, cid = answered_chat(live.svc, "Refund please")
    with pytest.raises(RuntimeError, match="changed my mind"):
        with live.svc.db.write() as tx:
            tx.execute("UPDATE conversations SET subject = ? WHERE id = ?", ("Changed", cid))
            raise RuntimeError("changed my mind")
    assert subject(live, cid) == "Refund please"
