"""From the attacker's seat: another service on 127.0.0.1 (a second local listener) must never receive the
bridge's credentials, whatever the agent UI loads. The attack this replays: the UI loaded a pushed "online
image" from http://127.0.0.1:<other port>/x.png and the browser handed that listener the bridge's cookie
(cookies are not port-scoped); with it, `from-path` read any local file."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.e2e.agent.media import png_bytes
from tests.e2e.agent.test_push import open_chat


class Listener:
    """A local HTTP service on another port, recording every request it gets, head and all."""

    def __init__(self) -> None:
        self.seen: list[str] = []

        @Request.application
        def app(request: Request) -> Response:
            self.seen.append(f"{request.method} {request.full_path}\n" + "".join(f"{k}: {v}\n" for k, v in request.headers.items()))
            return Response(png_bytes(120, 80), content_type="image/png")

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.server.shutdown()


def test_another_local_service_never_sees_the_bridges_credentials(live, agent_app, widget, page, host_site,
                                                                  listener):
    alice = open_chat(live, agent_app, widget, page, host_site)
    bridge = alice.bridge
    # The agent pushes an online image served by the other local service (and its preview loads first).
    online = f"http://127.0.0.1:{listener.port}/x.png"
    alice.page.get_by_role("button", name="Push").click()
    alice.page.get_by_role("menuitem", name="Push image…").click()
    dialog = alice.page.get_by_role("dialog", name="Push image")
    dialog.get_by_label("Send an online image").check()
    dialog.get_by_role("textbox", name="Image address").fill(online)
    expect(dialog.get_by_role("img", name="Preview of the online image")).to_be_visible()
    dialog.get_by_role("button", name="OK").click()
    mine = alice.timeline.locator("li.post img.image").last
    expect(mine).to_have_attribute("src", online)
    alice.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=mine.element_handle())
    # And the agent's page keeps working against the bridge meanwhile (its own calls carry the token).
    alice.go("History")
    alice.go("Chats")

    assert listener.seen, "the UI never loaded the image"
    everything = "\n".join(listener.seen)
    assert bridge.token not in everything and bridge.files_key not in everything
    assert "kd_token" not in everything
    assert f":{bridge.port}" not in everything  # no Referer naming the bridge
    # The browser holds no bridge cookie at all, and the address bar no longer shows the credentials.
    assert [c for c in alice.page.context.cookies() if c["domain"] in ("127.0.0.1", "localhost")] == []
    assert "token=" not in alice.page.url

    # Replaying what the listener saw against the bridge opens nothing.
    for raw in listener.seen:
        headers = dict(line.split(": ", 1) for line in raw.splitlines()[1:] if ": " in line)
        headers.pop("Host", None)
        r = requests.get(f"http://127.0.0.1:{bridge.port}/api/instances", headers=headers, timeout=5)
        assert r.status_code == 403
