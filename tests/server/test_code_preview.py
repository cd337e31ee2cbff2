"""The Push code window's preview and the limits a client shows before uploading."""

from __future__ import annotations

import re


def test_preview_guesses_the_language_and_matches_the_post(live, open_chat):
    alice, _victor, cid = open_chat
    code = "def greet(name):\n    return f'Hello {name}'\n"
    r = alice.post("/code/preview", {"contents": code})
    assert r.status_code == 200, r.text
    preview = r.json()["data"]
    assert preview["guessed"] is True and preview["language"] == "python" and preview["name"] == "Python"
    post = alice.post(f"/cases/{cid}/reply", {"client_id": "c-1", "kind": "CODE", "contents": code,
                                              "language": preview["language"]}).json()["data"]
    assert post["content_html"] == preview["content_html"]


def test_preview_with_a_chosen_language_and_hostile_code_is_inert(live, open_chat):
    alice, _victor, _cid = open_chat
    code = "</code><script>alert(1)</script><img src=x onerror=alert(2)>"
    preview = alice.post("/code/preview", {"contents": code, "language": "html"}).json()["data"]
    assert preview["guessed"] is False and preview["language"] == "html"
    assert "<script" not in preview["content_html"] and "<img" not in preview["content_html"]
    text = re.sub(r"<[^>]+>", "", preview["content_html"])  # the snippet survives as text
    assert "&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_preview_refuses_unknown_languages_and_empty_code(live, open_chat):
    alice, _victor, _cid = open_chat
    r = alice.post("/code/preview", {"contents": "x = 1", "language": "klingon"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == "Unknown language 'klingon'"
    r = alice.post("/code/preview", {"contents": ""})
    assert r.status_code == 400 and r.json()["errors"][0]["parameter"] == "contents"


def test_limits_name_the_upload_size_for_agents_and_visitors(live, open_chat):
    alice, victor, _cid = open_chat
    for who in (alice, victor):
        limits = who.get("/meta/limits").json()["data"]
        assert limits["max_upload_bytes"] == live.app.config["CHAT_MAX_UPLOAD_BYTES"]
        assert limits["max_text_chars"] == 10_000


HOSTILE = ["0" * 50_000, ("0" * 50 + "\n") * 980, "0 0:0-0.0#0>" * 4_000, "a:\n" * 16_000, "{" + ":" * 49_999,
           "def a(" + ")" * 49_990]


def test_guessing_the_language_of_a_hostile_snippet_takes_no_time():
    """One pattern used to backtrack exponentially: a line of 50 digits froze the whole server (the regex
    engine holds the GIL) for minutes. Each guess now runs in a bounded, linear time; a child process keeps a
    regression from hanging the suite."""
    import json
    import subprocess
    import sys

    script = ("import json, sys, time; from kayako_desktop.server.highlight import preview_code\n"
              "for s in json.load(sys.stdin):\n"
              "    t = time.perf_counter(); preview_code(s, None); print(round(time.perf_counter() - t, 3))\n")
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(HOSTILE), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    times = [float(t) for t in done.stdout.split()]
    assert len(times) == len(HOSTILE) and max(times) < 5, times
