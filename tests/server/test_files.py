"""Files: two-step upload, posts that reference them, and downloads served safely to the right people."""

from __future__ import annotations

import io
import uuid

import pytest
import requests

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'
HTML = b"<html><body><script>alert(1)</script></body></html>"


def upload(who, name: str, data: bytes, content_type: str) -> requests.Response:
    return who.post("/files", files={"file": (name, io.BytesIO(data), content_type)})




def as_visitor(live, victor, file_id: str, download: bool = False) -> requests.Response:
    """What the widget does: ask for signed links (token in a header), then load the link with no credentials."""
    links = victor.get(f"/files/{file_id}/links")
    assert links.status_code == 200, links.text
    link = links.json()["data"]["download" if download else "view"] or links.json()["data"]["download"]
    return requests.get(live.url + link, timeout=10)


def push(alice, cid: int, kind: str, file_id: str, visibility: str = "PUBLIC") -> requests.Response:
    return alice.post(f"/cases/{cid}/reply", {"client_id": str(uuid.uuid4()), "kind": kind, "file_id": file_id,
                                              "visibility": visibility})


def test_image_is_pushed_and_served_inline_to_the_visitor(live, open_chat):
    alice, victor, cid = open_chat
    r = upload(alice, "screenshot.png", PNG, "image/png")
    assert r.status_code == 201
    meta = r.json()["data"]
    assert meta["is_image"] and meta["content_type"] == "image/png" and meta["size"] == len(PNG)
    post = push(alice, cid, "IMAGE", meta["id"]).json()["data"]
    assert post["kind"] == "IMAGE" and post["attachments"][0]["name"] == "screenshot.png"
    seen = victor.sock.wait("message.created", lambda d: d["post"]["kind"] == "IMAGE")["data"]["post"]
    got = as_visitor(live, victor, seen["attachments"][0]["id"])
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["Content-Disposition"].startswith("inline")
    assert got.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("name", "data", "ctype"), [("logo.svg", SVG, "image/svg+xml"),
                                                     ("page.html", HTML, "text/html"),
                                                     ("fake.png", HTML, "image/png")])
def test_svg_and_html_are_refused_as_images_and_only_ever_attachments(live, open_chat, name, data, ctype):
    alice, victor, cid = open_chat
    meta = upload(alice, name, data, ctype).json()["data"]
    assert meta["is_image"] is False
    refused = push(alice, cid, "IMAGE", meta["id"])
    assert refused.status_code == 415 and refused.json()["errors"][0]["code"] == "TYPE_NOT_ALLOWED"
    assert push(alice, cid, "FILE", meta["id"]).status_code == 201
    got = as_visitor(live, victor, meta["id"])
    assert got.status_code == 200 and got.content == data
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["Content-Type"] == "application/octet-stream"
    assert "sandbox" in got.headers["Content-Security-Policy"]


def test_pdf_file_is_offered_as_a_download_with_its_name(live, open_chat):
    alice, victor, cid = open_chat
    meta = upload(alice, "Invoice 2026 — Nov.pdf", b"%PDF-1.4 fake", "application/pdf").json()["data"]
    push(alice, cid, "FILE", meta["id"])
    got = as_visitor(live, victor, meta["id"], download=True)
    disposition = got.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename*=UTF-8''Invoice%202026%20%E2%80%94%20Nov.pdf" in disposition


@pytest.mark.parametrize(("raw", "clean"), [("../../etc/passwd", "passwd"), ("evil\x00\x07name\r\n.txt", "evilname.txt"),
                                            ("...", "file"), ('a"b.txt', 'a"b.txt')])
def test_filenames_lose_path_parts_and_control_characters(open_chat, raw, clean):
    alice, _, _ = open_chat
    assert upload(alice, raw, b"data", "text/plain").json()["data"]["name"] == clean


def test_windows_full_path_filename_keeps_only_the_name(open_chat):
    alice, _, _ = open_chat
    body = (b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="C:\\\\Users\\\\me\\\\report.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\ndata\r\n--XyZ--\r\n")
    r = alice.post("/files", data=body, headers={"Content-Type": "multipart/form-data; boundary=XyZ"})
    assert r.status_code == 201 and r.json()["data"]["name"] == "report.txt"


def test_downloads_need_the_conversations_visitor_or_an_agent(live, open_chat, make_visitor):
    alice, victor, cid = open_chat
    meta = upload(alice, "private.pdf", b"%PDF secret", "application/pdf").json()["data"]
    url = live.url + meta["url"]
    # Not yet shared: even the chat's visitor cannot fetch it, nor get a link to it.
    assert requests.get(url, headers={"X-Visitor-Token": victor.token}, timeout=10).status_code == 403
    assert victor.get(f"/files/{meta['id']}/links").status_code == 403
    push(alice, cid, "FILE", meta["id"])
    assert requests.get(url, headers={"X-Visitor-Token": victor.token}, timeout=10).status_code == 200
    assert as_visitor(live, victor, meta["id"], download=True).status_code == 200
    assert alice.http.get(url, timeout=10).status_code == 200
    mallory = make_visitor("Mallory")
    assert requests.get(url, headers={"X-Visitor-Token": mallory.token}, timeout=10).status_code == 403
    assert mallory.get(f"/files/{meta['id']}/links").status_code == 403
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers={"X-Session-ID": "expired"}, timeout=10).status_code == 454
    # A token in the URL opens nothing any more (it would land in access logs and browser history).
    assert requests.get(url, params={"visitor_token": victor.token}, timeout=10).status_code == 401
    alice.delete("/session")
    assert alice.http.get(url, timeout=10).status_code == 454


def test_a_file_in_a_staff_only_post_is_not_shared_with_the_visitor(live, open_chat):
    alice, victor, cid = open_chat
    meta = upload(alice, "notes.txt", b"internal", "text/plain").json()["data"]
    assert push(alice, cid, "FILE", meta["id"], visibility="STAFF").status_code == 201
    assert requests.get(live.url + meta["url"], headers={"X-Visitor-Token": victor.token}, timeout=10).status_code == 403
    assert victor.get(f"/files/{meta['id']}/links").status_code == 403


def test_signed_links_open_one_file_for_one_visitor_for_an_hour(live, open_chat, make_visitor):
    alice, victor, cid = open_chat
    image = upload(alice, "lamp.png", PNG, "image/png").json()["data"]
    other = upload(alice, "other.pdf", b"%PDF other", "application/pdf").json()["data"]
    push(alice, cid, "IMAGE", image["id"])
    push(alice, cid, "FILE", other["id"])
    links = victor.get(f"/files/{image['id']}/links").json()["data"]
    assert victor.token not in str(links) and links["view"] and links["download"] != links["view"]
    assert requests.get(live.url + links["view"], timeout=10).content == PNG  # no credentials needed
    assert requests.get(live.url + links["download"], timeout=10).headers["Content-Disposition"].startswith("attachment")
    # A link is for its file, its visitor and its kind: changed in any way it opens nothing.
    for tampered in (links["view"].replace(image["id"], other["id"]),
                     links["view"].replace("v=", "v=1").replace("v=1", "v=99", 1),
                     links["view"] + "&download=1", links["view"].replace("sig=", "sig=0")):
        assert requests.get(live.url + tampered, timeout=10).status_code in (403, 404), tampered
    pdf = victor.get(f"/files/{other['id']}/links").json()["data"]
    assert pdf["view"] is None  # not an image: only ever a download
    live.advance(3601)
    expired = requests.get(live.url + links["view"], timeout=10)
    assert expired.status_code == 403 and "expired" in expired.json()["errors"][0]["message"]
    fresh = victor.get(f"/files/{image['id']}/links").json()["data"]
    assert requests.get(live.url + fresh["view"], timeout=10).status_code == 200


@pytest.mark.parametrize("server_config", [{"CHAT_MAX_UPLOAD_BYTES": 2 * 1024 * 1024}])
def test_upload_limit_is_configurable_and_named(live, open_chat):
    alice, _, _ = open_chat
    assert upload(alice, "ok.bin", b"x" * (2 * 1024 * 1024), "application/octet-stream").status_code == 201
    r = upload(alice, "big.bin", b"x" * (2 * 1024 * 1024 + 1), "application/octet-stream")
    assert r.status_code == 413
    assert r.json()["errors"][0] == {"code": "FILE_TOO_LARGE", "message": "Files are limited to 2 MB",
                                     "parameter": "file", "more_info": f"{live.url}/api/v1/errors/FILE_TOO_LARGE"}
    with live.svc.db.read() as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 1
    assert len([p for p in live.svc.files_dir.rglob("*") if p.is_file()]) == 1
