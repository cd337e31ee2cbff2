"""Elements leave nothing running when they leave the page: their store subscriptions and intervals stop
(disconnectedCallback), and start again when they are put back."""

from __future__ import annotations

import re

from playwright.sync_api import expect

# Counts the intervals the page has running (installed before the app's own scripts).
COUNT_INTERVALS = """
(() => {
  const live = new Set();
  const set = window.setInterval.bind(window);
  const clear = window.clearInterval.bind(window);
  window.setInterval = (...args) => { const id = set(...args); live.add(id); return id; };
  window.clearInterval = (id) => { live.delete(id); return clear(id); };
  window.__liveIntervals = () => live.size;
})();
"""

# Every element that subscribes to the store, and how many intervals it runs.
SUBSCRIBED = {"instance-tabs": 0, "status-menu": 0, "app-nav": 0, "connection-banner": 0, "visitors-page": 1,
              "chat-list": 0, "queue-panel": 0, "chat-window": 1, "history-page": 0, "request-popup": 1,
              "push-menu": 0}

# The store is reached through an element that holds it (main.js exports nothing).
COUNTS = "() => ({listeners: window.__store.listenerCount, intervals: window.__liveIntervals()})"


def test_removed_elements_stop_their_subscriptions_and_intervals_and_restart_when_back(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    page = alice.page
    page.add_init_script(COUNT_INTERVALS)
    page.reload()
    expect(page.get_by_role("tab", name=re.compile(": Connected"))).to_have_count(1)
    page.wait_for_function("() => window.kayakoDesktop?.ready === true")
    page.evaluate("() => { window.__store = document.querySelector('app-nav').store; }")
    start = page.evaluate(COUNTS)
    assert start["intervals"] >= sum(SUBSCRIBED.values())

    page.evaluate("""() => { window.__parked = new Map(); }""")
    expected = dict(start)
    for tag, intervals in SUBSCRIBED.items():
        page.evaluate("""(tag) => {
          const node = document.querySelector(tag);
          window.__parked.set(tag, {node, parent: node.parentNode, next: node.nextSibling});
          node.remove();
        }""", tag)
        expected = {"listeners": expected["listeners"] - 1, "intervals": expected["intervals"] - intervals}
        assert page.evaluate(COUNTS) == expected, f"<{tag}> left something running"
    # Only main.js's own subscriptions are left (the page title and first loads of a chat).
    assert expected["listeners"] == start["listeners"] - len(SUBSCRIBED)

    page.evaluate("""() => { for (const {node, parent, next} of window.__parked.values()) parent.insertBefore(node, next); }""")
    assert page.evaluate(COUNTS) == start
    # Back in the page, they follow the store again.
    alice.go("Chats")
    alice.go("Visitors")
    expect(page.get_by_role("heading", name="Visitors", exact=True)).to_be_visible()


def test_unsubscribe_is_idempotent(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    counts = alice.page.evaluate("""() => {
      const store = document.querySelector('app-nav').store;
      const before = store.listenerCount;
      const off = store.subscribe(() => {});
      const during = store.listenerCount;
      off();
      off();
      return [before, during, store.listenerCount];
    }""")
    assert counts[1] == counts[0] + 1 and counts[2] == counts[0]
