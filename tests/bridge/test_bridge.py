"""The bridge over real sockets: its guard, instances, the relayed event stream with resume, commands,
the REST pass-through, uploads, and recovery when a chat server's sockets are cut."""

from __future__ import annotations

import io
import json

import pytest
import requests
import websocket
from kayako_desktop.bridge.store import FileStore

from tests.bridge.conftest import UiSocket


def test_requests_without_token_foreign_origin_or_host_are_refused(bridge, ui):
    base = ui.base
    assert requests.get(base + "/api/instances", timeout=5).status_code == 403
    assert requests.get(base + "/api/instances", headers={"X-Bridge-Token": "wrong"}, timeout=5).status_code == 403
    # The token in a cookie (any 127.0.0.1 service would receive one) or the query string opens nothing.
    assert requests.get(base + "/api/instances", cookies={"kd_token": bridge.token}, timeout=5).status_code == 403
    assert requests.get(base + f"/api/instances?token={bridge.token}", timeout=5).status_code == 403
    assert ui.get("/api/instances").status_code == 200
    assert ui.get("/api/instances", headers={"Origin": "http://evil.example"}).status_code == 403
    assert ui.get("/api/instances", headers={"Origin": "null"}).status_code == 403
    assert ui.get("/api/instances", headers={"Origin": "http://127.0.0.1:1"}).status_code == 403  # another port
    assert ui.get("/api/instances", headers={"Host": "attacker.example:80"}).status_code == 403
    assert ui.get("/api/instances", headers={"Host": "127.0.0.1:1"}).status_code == 403
    assert ui.post("/api/instances", {"url": "x"}, headers={"Origin": "http://localhost:1"}).status_code == 403
    # The UI's own files are the same for everyone (no secret in them), still only on this exact host.
    assert requests.get(base + "/", timeout=5).status_code == 200
    assert requests.get(base + "/", headers={"Host": "rebind.example"}, timeout=5).status_code == 403
    # The files key reads file contents and nothing else.
    assert requests.get(base + f"/api/instances?k={bridge.files_key}", timeout=5).status_code == 403
    url = f"ws://127.0.0.1:{bridge.port}/api/events"
    for kwargs in ({}, {"cookie": f"kd_token={bridge.token}"}, {"subprotocols": ["kd.bridge", "kd-token.wrong"]},
                   {"subprotocols": ["kd.bridge", f"kd-token.{bridge.token}"], "origin": "http://evil.example"},
                   {"subprotocols": ["kd.bridge", f"kd-token.{bridge.token}"], "host": "rebind.example"}):
        with pytest.raises(websocket.WebSocketBadStatusException) as exc:
            websocket.create_connection(url, timeout=5, **kwargs)
        assert exc.value.status_code == 403
    ok = websocket.create_connection(url, timeout=5, subprotocols=["kd.bridge", f"kd-token.{bridge.token}"])
    assert ok.getsubprotocol() == "kd.bridge"
    ok.close()


def test_add_rename_reorder_remove_instances_persist(live, ui, bridge, tmp_path):
    live.create_agent("alice@example.com", "Alice")
    inst = ui.add(live, "alice@example.com", name="Support")
    online = ui.wait_status(inst["id"], "online")
    assert online["agent"]["full_name"] == "Alice" and online["name"] == "Support"
    dup = ui.post("/api/instances", {"url": live.url, "email": "alice@example.com", "password": "x"})
    assert dup.status_code == 409
    bad = ui.post("/api/instances", {"url": "ftp://nope", "email": "a@b.c", "password": "x"})
    assert bad.status_code == 400 and "address" in bad.json()["error"]["message"]
    assert ui.http.patch(ui.base + f"/api/instances/{inst['id']}", json={"name": "Helpdesk"}, timeout=10).ok
    store = FileStore(tmp_path / "bridge")
    saved = store.load()
    assert [i["name"] for i in saved] == ["Helpdesk"] and "password" not in json.dumps(saved)
    assert store.get_password(inst["id"]) == "correct-horse"
    assert ui.http.delete(ui.base + f"/api/instances/{inst['id']}", timeout=10).status_code == 204
    assert store.load() == [] and store.get_password(inst["id"]) is None


def test_wrong_password_shows_auth_failed(live, ui):
    live.create_agent("alice@example.com", "Alice")
    inst = ui.add(live, "alice@example.com", password="not-it")
    failed = ui.wait_status(inst["id"], "auth_failed")
    assert failed["error"] == "The email or password is incorrect"


def test_two_servers_events_are_stamped_with_their_instance(live, live2, ui, bridge, make_visitor):
    live.create_agent("alice@example.com", "Alice")
    live2.create_agent("alice@example.com", "Alice Two")
    one, two = ui.add(live, "alice@example.com"), ui.add(live2, "alice@example.com")
    ui.wait_status(one["id"], "online")
    ui.wait_status(two["id"], "online")
    sock = UiSocket(bridge)
    sock.wait("bridge.ready")
    from tests.support import Visitor

    victor = Visitor(live2, "Victor")
    victor.start_chat("Second server question")
    offer = sock.wait("offer.created")
    assert offer["instance"] == two["id"] and offer["data"]["offer"]["conversation"]["subject"] == \
        "Second server question"
    snap = ui.get("/api/snapshot").json()
    states = {i["id"]: i["state"] for i in snap["instances"]}
    assert [o["conversation"]["subject"] for o in states[two["id"]]["offers"]] == ["Second server question"]
    assert states[one["id"]]["offers"] == [] and states[one["id"]]["me"]["full_name"] == "Alice"
    sock.close()


def test_commands_rest_and_uploads_through_the_bridge(live, ui, bridge, tmp_path):
    live.create_agent("alice@example.com", "Alice")
    inst = ui.add(live, "alice@example.com")
    ui.wait_status(inst["id"], "online")
    from tests.support import Visitor

    victor = Visitor(live, "Victor")
    victor.connect()
    cid = victor.start_chat("Need a manual")["id"]
    rest = f"/api/i/{inst['id']}/rest"
    assert ui.post(f"{rest}/cases/{cid}/accept?include=*").json()["data"]["status"]["type"] == "OPEN"
    sock = UiSocket(bridge)
    ack = sock.call(inst["id"], "message.send", {"conversation_id": cid, "client_id": "m1", "contents": "Hi Victor"})
    assert ack["type"] == "ack" and ack["data"]["post"]["contents"] == "Hi Victor"
    victor.sock.wait("message.created", lambda d: d["post"]["content_text"] == "Hi Victor")
    bad = sock.call(inst["id"], "message.send", {"conversation_id": cid, "client_id": "m2", "kind": "URL",
                                                 "url": "javascript:alert(1)"}, cid="u2")
    assert bad["type"] == "error" and bad["data"]["code"] == "FIELD_INVALID"

    streamed = ui.post(f"/api/i/{inst['id']}/files", data=io.BytesIO(b"%PDF-1.4 manual"),
                       headers={"X-Filename": "Manual%20v2.pdf", "Content-Type": "application/pdf"})
    assert streamed.status_code == 201 and streamed.json()["data"]["name"] == "Manual v2.pdf"
    fid = streamed.json()["data"]["id"]
    got = ui.get(f"/api/i/{inst['id']}/files/{fid}/content")
    assert got.status_code == 200 and got.content == b"%PDF-1.4 manual"
    # An <img> or a download link reads it with the files key alone (no token, no cookie).
    keyed = requests.get(f"{ui.base}/api/i/{inst['id']}/files/{fid}/content", params={"k": bridge.files_key}, timeout=10)
    assert keyed.status_code == 200 and keyed.content == b"%PDF-1.4 manual"
    sock.close()


def test_expired_session_logs_in_again(live, ui):
    live.create_agent("alice@example.com", "Alice")
    inst = ui.add(live, "alice@example.com")
    ui.wait_status(inst["id"], "online")
    with live.svc.db.write() as tx:
        tx.execute("DELETE FROM sessions")
    me = ui.get(f"/api/i/{inst['id']}/rest/me")
    assert me.status_code == 200 and me.json()["data"]["email"] == "alice@example.com"


def test_ui_resumes_from_its_last_seq(live, ui, bridge):
    live.create_agent("alice@example.com", "Alice")
    inst = ui.add(live, "alice@example.com")
    ui.wait_status(inst["id"], "online")
    sock = UiSocket(bridge)
    last = sock.wait("bridge.ready")["seq"]
    sock.close()
    from tests.support import Visitor

    names = [f"V{i}" for i in range(5)]
    for n in names:
        Visitor(live, n).view("https://shop.example/" + n, n)
    again = UiSocket(bridge, last=last)
    for n in names:
        got = again.wait("visitor.updated", lambda f, n=n: f["data"]["visitor"]["name"] == n)
        assert got["instance"] == inst["id"]
    seqs = [f["seq"] for f in again.seen if f.get("seq") and f["type"] == "visitor.updated"]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
    again.close()
    relay = bridge.app.extensions["bridge"]["relay"]
    for i in range(10_001):  # push the UI's last seq out of the bridge's ring buffer
        relay.publish(inst["id"], "visitor.left", {"visitor_id": i})
    stale = UiSocket(bridge, last=last)
    assert stale.wait("bridge.resync")["seq"] == relay.head
    stale.close()


def test_cut_upstream_sockets_reconnect_and_lose_nothing(live, ui, bridge):
    live.create_agent("alice@example.com", "Alice")
    inst = ui.add(live, "alice@example.com")
    ui.wait_status(inst["id"], "online")
    from tests.support import Visitor

    victor = Visitor(live, "Victor")
    cid = victor.start_chat("Flaky network")["id"]
    ui.post(f"/api/i/{inst['id']}/rest/cases/{cid}/accept")
    sock = UiSocket(bridge)
    sock.wait("bridge.ready")
    hub = live.svc.hub
    with hub._lock:
        conns = [c for (role, _), cs in hub._by_key.items() if role == "agent" for c in cs]
    sent = [f"while cut {i}" for i in range(6)]
    for conn in conns:
        conn.ws.close()
    for text in sent:
        victor.say(cid, text)
    sock.wait("instance.updated", lambda f: f["data"]["status"] in ("offline", "connecting"), timeout=15)
    sock.wait("instance.updated", lambda f: f["data"]["status"] == "online", timeout=20)
    sock.wait("message.created", lambda f: f["data"]["post"]["contents"] == sent[-1], timeout=15)
    sock.drain()
    # The visitor's messages, once each and in order ("Alice joined the chat" from the accept may or may not
    # reach the relay after this socket subscribed: it is not what this test is about).
    got = [f["data"]["post"]["contents"] for f in sock.seen
           if f["type"] == "message.created" and f["data"]["post"]["creator"]["kind"] == "VISITOR"]
    assert got == sent


@pytest.mark.parametrize("server_config", [{"CHAT_MAX_UPLOAD_BYTES": 8 * 1024 * 1024}])
def test_large_uploads_stream_through_and_the_limit_is_named(live, ui):
    import hashlib
    import os

    live.create_agent("alice@example.com", "Alice")
    inst = ui.add(live, "alice@example.com")
    ui.wait_status(inst["id"], "online")
    blob = os.urandom(7 * 1024 * 1024)
    r = ui.post(f"/api/i/{inst['id']}/files", data=io.BytesIO(blob),
                headers={"X-Filename": "dump.bin", "Content-Type": "application/octet-stream"})
    assert r.status_code == 201 and r.json()["data"]["sha256"] == hashlib.sha256(blob).hexdigest()
    too_big = ui.post(f"/api/i/{inst['id']}/files", data=io.BytesIO(os.urandom(9 * 1024 * 1024)),
                      headers={"X-Filename": "huge.bin", "Content-Type": "application/octet-stream"})
    assert too_big.status_code == 413
    error = too_big.json()["errors"][0]
    assert error == {"code": "FILE_TOO_LARGE", "message": "Files are limited to 8 MB", "parameter": "file",
                     "more_info": error["more_info"]} and error["more_info"].endswith("/api/v1/errors/FILE_TOO_LARGE")


def test_a_new_password_after_auth_failed_signs_in_again(live, ui):
    live.create_agent("alice@example.com", "Alice")
    inst = ui.add(live, "alice@example.com", password="typo")
    ui.wait_status(inst["id"], "auth_failed")
    r = ui.http.patch(ui.base + f"/api/instances/{inst['id']}", json={"password": "correct-horse"}, timeout=10)
    assert r.status_code == 200
    assert ui.wait_status(inst["id"], "online")["agent"]["full_name"] == "Alice"


def test_files_from_this_computer_only_by_what_the_shell_minted(live, tmp_path):
    """The attack: the bridge token (stolen any way) plus `from-path {"path": "/etc/hostname"}` read any
    local file. Now the page (or a thief) can only upload what the user picked or dropped in the desktop
    app, by a single-use reference the shell minted; a path is refused, whoever sends it."""
    from kayako_desktop.bridge import start_bridge
    from kayako_desktop.desktop.local_files import LocalFiles

    from tests.bridge.conftest import BridgeClient

    live.create_agent("alice@example.com", "Alice")
    local_files = LocalFiles()
    bridge = start_bridge(FileStore(tmp_path / "bridge"), local_files=local_files)
    try:
        ui = BridgeClient(bridge)
        inst = ui.add(live, "alice@example.com")
        ui.wait_status(inst["id"], "online")
        url = f"/api/i/{inst['id']}/files/from-path"
        secret = tmp_path / "id_ed25519"
        secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----")
        for body in ({"path": str(secret)}, {"path": "/etc/hostname"}, {"ref": "made-up"}, {"ref": ""}, {}):
            refused = ui.post(url, body)
            assert refused.status_code == 403, (body, refused.text)
        picked = tmp_path / "photo.png"
        picked.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
        ref = local_files.mint(str(picked))  # what NativeApi.pick_files / dropped_files hand the page
        sent = ui.post(url, {"ref": ref})
        assert sent.status_code == 201 and sent.json()["data"]["is_image"] is True
        again = ui.post(url, {"ref": ref})
        assert again.status_code == 403  # single use
        stale = LocalFiles(lifetime=0.0)
        assert stale.redeem(stale.mint(str(picked))) is None  # expired references open nothing
    finally:
        bridge.stop()

    browser_mode = start_bridge(FileStore(tmp_path / "bridge2"))  # no desktop shell: nothing local at all
    try:
        ui = BridgeClient(browser_mode)
        inst = ui.add(live, "alice@example.com")
        ui.wait_status(inst["id"], "online")
        assert ui.post(f"/api/i/{inst['id']}/files/from-path", {"ref": "anything"}).status_code == 403
    finally:
        browser_mode.stop()
