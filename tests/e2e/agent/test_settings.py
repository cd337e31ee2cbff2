"""The app's settings in a browser tab: the request chime's repeat, kept across reloads; bad values refused."""

from __future__ import annotations

from playwright.sync_api import expect


def test_chime_repeat_setting_is_validated_and_kept(live, agent_app):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    alice.page.get_by_role("button", name="Settings").click()
    dialog = alice.page.get_by_role("dialog", name="Settings")
    expect(dialog.get_by_label("Repeat the chime until the request is answered")).to_be_checked()
    expect(dialog.get_by_role("group", name="Desktop")).to_be_hidden()  # no desktop shell in a browser tab
    seconds = dialog.get_by_label("Every")
    expect(seconds).to_have_value("10")
    seconds.fill("1")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_have_text("Choose a whole number of seconds from 3 to 600.")
    seconds.fill("20")
    dialog.get_by_label("Repeat the chime until the request is answered").uncheck()
    alice.shot("settings")
    dialog.get_by_role("button", name="Save").click()
    expect(alice.toast("Settings saved")).to_be_visible()
    expect(dialog).to_be_hidden()

    alice.page.reload()
    alice.page.get_by_role("button", name="Settings").click()
    expect(dialog.get_by_label("Repeat the chime until the request is answered")).not_to_be_checked()
    expect(dialog.get_by_label("Every")).to_have_value("20")
    assert alice.page.evaluate("() => document.querySelector('request-popup').repeat") == {"on": False, "ms": 20000}
