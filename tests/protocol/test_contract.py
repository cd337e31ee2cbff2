"""The wire contract is defined once: the JS copy is generated and fresh, names are never retyped in
web/, and the layers import only what they may."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from kayako_desktop.protocol import codegen
from kayako_desktop.protocol.envelope import MAX_FRAME_BYTES, FrameError, decode, encode
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.names import Command, Event

ROOT = Path(__file__).resolve().parents[2]
WIDGET_BUILD = ROOT / "web/messenger/dist"


def test_generated_js_is_fresh():
    r = subprocess.run([sys.executable, "-m", "kayako_desktop.protocol.codegen", "--check"], cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_check_fails_when_the_js_copy_is_stale(tmp_path, monkeypatch):
    stale = tmp_path / "protocol.js"
    stale.write_text(codegen.render().replace('"message.send"', '"message.post"'), encoding="utf-8")
    monkeypatch.setattr(codegen, "TARGET", stale)
    assert codegen.main(["--check"]) == 1
    assert codegen.main([]) == 0 and codegen.main(["--check"]) == 0


def test_js_copy_carries_every_name_and_code():
    js = (ROOT / "web/shared/protocol.js").read_text(encoding="utf-8")
    for name in [*Command, *Event, *ErrorCode]:
        assert f'"{name.value}"' in js


def test_event_names_are_never_string_literals_elsewhere_in_web():
    names = {e.value for e in Event if "." in e.value} | {c.value for c in Command if "." in c.value}
    offenders = []
    for path in (ROOT / "web").rglob("*.js"):
        if path.name == "protocol.js" and path.parent.name == "shared" or path.is_relative_to(WIDGET_BUILD):
            continue  # the generated copy, and the widget's build made from these sources
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path}: {n}" for n in names if re.search(rf"""['"`]{re.escape(n)}['"`]""", text)]
    assert offenders == []


def test_envelope_round_trip_and_limits():
    frame = decode(encode("message.send", {"conversation_id": 1}, id="c1"))
    assert frame.type == "message.send" and frame.id == "c1" and frame.data == {"conversation_id": 1}
    with pytest.raises(FrameError) as exc:
        decode('{"v":1,"type":"ping","id":"c2","data":{},"pad":"' + "x" * MAX_FRAME_BYTES + '"}')
    assert exc.value.code == ErrorCode.FRAME_TOO_LARGE and exc.value.ref == "c2"
    with pytest.raises(FrameError) as exc:
        decode('{"v":2,"type":"ping","id":"c3"}')
    assert exc.value.code == ErrorCode.FIELD_INVALID and exc.value.ref == "c3"


def _imports(package: Path) -> set[tuple[Path, str]]:
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(path, a.name) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add((path, node.module))
    return found


@pytest.mark.parametrize(("package", "forbidden"), [
    ("app/kayako_desktop/protocol", ("flask", "sqlite3", "webview", "werkzeug", "requests", "kayako_desktop.server", "kayako_desktop.bridge",
                      "kayako_desktop.desktop")),
    ("app/kayako_desktop/server", ("kayako_desktop.bridge", "kayako_desktop.desktop", "webview")),
    ("app/kayako_desktop/bridge", ("kayako_desktop.desktop", "webview")),
])
def test_layering(package, forbidden):
    bad = [f"{p.relative_to(ROOT)} imports {m}" for p, m in _imports(ROOT / package)
           if any(m == f or m.startswith(f + ".") for f in forbidden)]
    assert bad == []


def test_no_print_in_app():
    offenders = [str(p) for p in (ROOT / "app").rglob("*.py")
                 if p.name != "__main__.py" and re.search(r"^\s*print\(", p.read_text(),
                                                                                        re.M)]
    assert offenders == []


def test_every_event_has_a_model_and_emit_refuses_a_payload_of_another():
    from kayako_desktop.protocol.events import EVENT_MODELS, MacrosChanged, TypingChanged
    from kayako_desktop.protocol.names import Event
    from kayako_desktop.server.db import Tx
    from kayako_desktop.server.realtime.audience import Audience

    assert set(EVENT_MODELS) == set(Event) - {Event.ACK}  # an ack answers a command; it is no event
    tx = Tx(None, 0.0)  # type: ignore[arg-type]  # the check comes before any SQL
    with pytest.raises(TypeError, match="macros.changed carries MacrosChanged, not TypingChanged"):
        tx.emit(Event.MACROS_CHANGED, TypingChanged.model_construct(), Audience.agents())
    assert tx.pending == [] and MacrosChanged
