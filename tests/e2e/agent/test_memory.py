"""What kept the desktop app growing by half a megabyte per message (bench/desktop_soak.py): every message
rebuilt the chat list, the rail, the tabs, the chat header and, as the agent read them, the visitor's rows —
~130 new DOM nodes per message that QtWebEngine never collected. Here: the nodes a message creates stay
few, and the quiet-time collector (state/memory.js) collects when changes stop and while they never do."""

from __future__ import annotations

import re

from playwright.sync_api import expect

# Counts nodes created (not moved) under each custom element while messages arrive.
COUNT_NEW_NODES = """() => {
  const seen = new WeakSet(document.querySelectorAll('*'));
  window.__created = 0;
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (seen.has(n)) continue;
      seen.add(n);
      window.__created += 1 + (n.querySelectorAll ? n.querySelectorAll('*').length : 0);
      if (n.querySelectorAll) for (const d of n.querySelectorAll('*')) seen.add(d);
    }
  }).observe(document, { childList: true, subtree: true });
}"""


def test_a_message_creates_few_nodes(live, agent_app, make_visitor):
    live.create_agent("alice@example.com", "Alice", max_chats=4)
    alice = agent_app("alice@example.com", live)
    visitors = [make_visitor(name) for name in ("Victor", "Ann", "Bea")]
    chats = [v.start_chat(f"Question from {v.name}")["id"] for v in visitors]
    for cid in chats:
        assert alice.client.post(f"/api/i/{alice.instances[0]['id']}/rest/cases/{cid}/accept").status_code == 200
    alice.go("Chats")
    alice.chat_list().get_by_role("button", name=re.compile("^Victor")).click()
    expect(alice.chat.get_by_role("heading", name=re.compile("Victor"))).to_be_visible()
    alice.page.evaluate(COUNT_NEW_NODES)
    messages = 60
    for n in range(messages):
        visitors[n % 3].say(chats[n % 3], f"Message {n}: the lamp flickers below 30 % on the dimmer")
    expect(alice.post("Message 57:")).to_be_visible()
    expect(alice.chat_list().get_by_role("button", name=re.compile(r"^Bea.*20 unread"))).to_be_visible()
    alice.page.wait_for_timeout(500)
    created = alice.page.evaluate("window.__created")
    # A new row in the open chat (~10 nodes) and one changed list item for a background chat; before the fix
    # a message created about 130.
    assert created / messages <= 30, f"{created / messages:.0f} new nodes per message"


def test_the_collector_runs_when_quiet_and_while_busy(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    page = agent_app("alice@example.com", live).page
    result = page.evaluate("""async () => {
      const { QuietCollector } = await import('/agent/state/memory.js');
      let t = 0, calls = 0;
      const c = new QuietCollector({ gc: () => { calls += 1; }, quietMs: 50, busyMs: 1000, now: () => t });
      c.touch(); c.touch();
      await new Promise((r) => setTimeout(r, 120));
      const afterQuiet = calls;                  // one collection once changes stopped
      for (let i = 0; i <= 25; i += 1) { t += 50; c.touch(); }   // changes that never stop for 1.25 s
      const whileBusy = calls;                   // collected at most busyMs apart
      c.stop();
      const off = new QuietCollector({ gc: null });
      off.touch();
      return { afterQuiet, whileBusy, total: c.collections, offEnabled: off.enabled };
    }""")
    assert result == {"afterQuiet": 1, "whileBusy": 2, "total": 2, "offEnabled": False}
    # In a browser tab nothing is exposed: the browser collects by itself.
    assert page.evaluate("() => window.kayakoDesktop.memory") == {"collecting": False, "collections": 0}
