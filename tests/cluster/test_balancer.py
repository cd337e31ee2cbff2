"""Three nodes behind HAProxy (installer/server/haproxy.cfg), as a site owner's visitors and an agent meet
them: every request may land on any node. The widget in Chromium chats with an agent; two of the three
nodes are killed with `kill -9` mid-chat and the widget reconnects through the balancer by itself, showing
every message once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from kayako_desktop.bridge import start_bridge
from kayako_desktop.bridge.store import FileStore
from playwright.sync_api import expect

from tests.bridge.conftest import BridgeClient
from tests.cluster.conftest import PASSWORD, Balancer, Cluster
from tests.e2e.agent.conftest import AgentApp
from tests.e2e.conftest import Widget
from tests.support import Agent, Visitor

# Behind a balancer the deployment is nodes on several machines: PostgreSQL (tests/cluster/test_nodes.py runs
# both databases).
pytestmark = pytest.mark.parametrize("cluster", ["postgresql"], indirect=True)


@pytest.fixture
def balanced(cluster: Cluster) -> Iterator[tuple[Cluster, Balancer]]:
    cluster.create_agent("alice@example.com", "Alice")
    nodes = [cluster.node(name) for name in ("one", "two", "three")]
    balancer = Balancer(cluster.folder, nodes).start()
    yield cluster, balancer
    balancer.stop()


@pytest.fixture
def visitor_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def test_the_widget_and_an_agent_chat_through_the_balancer_and_survive_two_killed_nodes(
        balanced: tuple[Cluster, Balancer], visitor_page: Any) -> None:
    cluster, balancer = balanced
    alice = Agent(balancer, "alice@example.com", PASSWORD)  # type: ignore[arg-type]
    alice.connect()
    visitor_page.goto(balancer.url + "/demo")
    widget = Widget(visitor_page)
    widget.open()
    widget.start_chat("Victor", "Do you ship to Norway?")
    assert alice.sock is not None
    offer = alice.sock.wait("offer.created", timeout=15)["data"]["offer"]
    cid = offer["conversation"]["id"]
    assert alice.accept(cid).status_code == 200
    assert alice.reply(cid, "Yes, we do!").status_code == 201
    expect(widget.post("Yes, we do!")).to_be_visible(timeout=15000)
    widget.send("How long does it take?")
    alice.sock.wait("message.created", lambda d: d["post"]["contents"] == "How long does it take?", timeout=15)

    # kill -9 two nodes: whatever sockets they held drop; the balancer sends everyone to the third.
    last_seq = max(f["seq"] for f in alice.sock.seen if f.get("seq"))
    cluster.nodes[0].kill()
    cluster.nodes[1].kill()
    sent = [f"Three to five days ({n})" for n in range(3)]
    for text in sent:  # the bridge retries a failed write with the same client_id: stored once
        assert sent_retrying(alice.reply, cid, text), text
    resumed = alice.connect(last_seq=last_seq)  # the bridge reconnects and resumes by seq
    for text in sent:
        expect(widget.post(text)).to_have_count(1, timeout=20000)
    widget.send("Thanks!")
    resumed.wait("message.created", lambda d: d["post"]["contents"] == "Thanks!", timeout=20)
    shown = widget.f.locator("li.post").all_inner_texts()
    assert sum("Yes, we do!" in t for t in shown) == 1 and sum("Thanks!" in t for t in shown) == 1
    widget.shot("cluster-widget-after-two-nodes-killed")


def test_the_agent_app_works_through_the_balancer_and_survives_two_killed_nodes(
        balanced: tuple[Cluster, Balancer], browser: Any, tmp_path: Path) -> None:
    """The agent UI in Chromium, through its bridge, signed in to the balancer's address."""
    cluster, balancer = balanced
    bridge = start_bridge(FileStore(tmp_path / "bridge"))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        client = BridgeClient(bridge)
        instance = client.wait_status(client.add(balancer, "alice@example.com", PASSWORD)["id"], "online")
        page.goto(bridge.url)
        app = AgentApp(page, bridge, client, [instance])
        expect(page.get_by_role("heading", name="Visitors", exact=True)).to_be_visible()
        victor = Visitor(balancer, "Victor")  # type: ignore[arg-type]
        victor.connect()
        cid = victor.start_chat("Is the lamp dimmable?")["id"]
        app.request("Victor").get_by_role("button", name="Accept").click()
        app.say("It is, with any trailing-edge dimmer.")
        assert victor.sock is not None
        victor.sock.wait("message.created", lambda d: d["post"]["content_text"].startswith("It is,"), timeout=15)

        cluster.nodes[0].kill()
        cluster.nodes[1].kill()
        for n in range(3):  # the widget retries a refused write with the same client_id: stored once
            assert sent_retrying(victor.say, cid, f"Great, thanks ({n})")
        for n in range(3):  # the bridge reconnects through the balancer and resumes by seq
            expect(app.post(f"Great, thanks ({n})")).to_have_count(1, timeout=20000)
        app.say("You're welcome!")
        expect(app.post("You're welcome!")).to_have_count(1, timeout=15000)
        app.shot("cluster-after-two-nodes-killed")
        assert errors == [], errors
    finally:
        context.close()
        bridge.stop()



def sent_retrying(send: Callable[..., requests.Response], cid: int, text: str) -> bool:
    """One message with a fixed client_id (as the bridge and the widget retry: stored once), retried while the
    balancer notices the dead nodes. `send` is Agent.reply or Visitor.say."""
    client_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{cid}/{text}"))
    for _ in range(20):
        try:
            if send(cid, text, client_id=client_id).status_code in (200, 201):
                return True
        except requests.RequestException:  # the connection died with its node
            pass
        time.sleep(0.3)
    return False
