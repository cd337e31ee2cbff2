"""The UIs' own names are defined once too: intents (bubbling custom events) and store topics live in each
UI's state/names.js, and a copy of one as a string literal anywhere else in web/ fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGISTRIES = [ROOT / "web/agent/state/names.js", ROOT / "web/messenger/state/names.js"]
ENTRY = re.compile(r"""^\s+[A-Z][A-Z0-9_]*:\s*'([^']+)',?\s*$""", re.M)


def registered(registry: Path) -> set[str]:
    return set(ENTRY.findall(registry.read_text(encoding="utf-8")))


def literal_copies(web: Path, names: set[str], registries: list[Path]) -> list[str]:
    found = []
    for path in sorted([*web.rglob("*.js"), *web.rglob("*.html")]):
        if path in registries or path.is_relative_to(web / "messenger" / "dist"):  # the build of these sources
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(web)}: {n}" for n in sorted(names)
                  if re.search(rf"""['"`]{re.escape(n)}['"`]""", text)]
    return found


def test_each_registry_defines_names_once():
    for registry in REGISTRIES:
        values = ENTRY.findall(registry.read_text(encoding="utf-8"))
        assert len(values) >= 2, f"{registry}: no names found (did the entry format change?)"
        assert len(values) == len(set(values)), f"{registry}: a value is registered twice"


def test_intent_and_topic_names_are_never_string_literals_elsewhere_in_web():
    names = set().union(*(registered(r) for r in REGISTRIES))
    assert {"chat-send", "topic:chats", "composer-send"} <= names
    assert literal_copies(ROOT / "web", names, REGISTRIES) == []


def test_the_check_finds_a_retyped_name(tmp_path):
    registry = tmp_path / "state/names.js"
    registry.parent.mkdir()
    registry.write_text("export const Intent = Object.freeze({\n  CHAT_SEND: 'chat-send',\n});\n")
    (tmp_path / "ok.js").write_text("emit(this, Intent.CHAT_SEND);\n// a chat-send in prose is fine\n")
    (tmp_path / "bad.js").write_text("document.addEventListener(`chat-send`, run);\n")
    assert literal_copies(tmp_path, registered(registry), [registry]) == ["bad.js: chat-send"]
