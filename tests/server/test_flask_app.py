"""The shared URL builders (kayako_desktop/flask_app.py) build exactly the URLs werkzeug's own would."""

from __future__ import annotations

from kayako_desktop.flask_app import App
from kayako_desktop.server import create_app
from kayako_desktop.server.clock import FakeClock
from werkzeug.routing import Map, Rule
from werkzeug.routing.converters import IntegerConverter, PathConverter, UUIDConverter

SAMPLE = {IntegerConverter: 7, PathConverter: "a/b c.png", UUIDConverter: "0b7e8a3c-5a7e-4c2e-9d3e-8c0a2d6f1b4e"}


def _values(rule: Rule) -> dict[str, object]:
    return {name: SAMPLE.get(type(conv), "x y&z") for name, conv in rule._converters.items()}


def test_every_url_of_the_chat_server_builds_as_with_werkzeugs_own_rules(tmp_path) -> None:
    apps = [create_app({"CHAT_DATA_DIR": str(tmp_path / str(i)), "CHAT_TICK_SECONDS": 0}, clock=FakeClock())
            for i in range(2)]
    try:
        plain = Map([Rule(r.rule, endpoint=r.endpoint, defaults=r.defaults, methods=r.methods, websocket=r.websocket)
                     for r in apps[0].url_map.iter_rules()])
        expected = plain.bind("chat.example")
        rules = list(apps[0].url_map.iter_rules())
        assert len(rules) > 100
        for app in apps:  # the second app's rules reuse the first one's builders
            adapter = app.url_map.bind("chat.example")
            for rule in rules:
                values = _values(rule)
                for extra in ({}, {"page": 2, "q": "a b"}):  # unknown values go to the query string
                    got = adapter.build(rule.endpoint, {**values, **extra}, method=sorted(rule.methods or {"GET"})[0])
                    want = expected.build(rule.endpoint, {**values, **extra}, method=sorted(rule.methods or {"GET"})[0])
                    assert got == want, rule.rule
    finally:
        for app in apps:
            app.extensions["chat"].close()


def test_rules_differing_only_in_defaults_keep_their_own_builders() -> None:
    app = App(__name__)
    app.add_url_rule("/files/<int:n>", "first", lambda n: "", defaults={"n": 1})
    app.add_url_rule("/files/<int:n>", "second", lambda n: "", defaults={"n": 2})
    app.add_url_rule("/pics/<int(fixed_digits=4):n>", "padded", lambda n: "")
    with app.test_request_context():
        adapter = app.url_map.bind("h")
        assert adapter.build("first", {}) == "/files/1"
        assert adapter.build("second", {}) == "/files/2"
        assert adapter.build("first", {"q": 1}) == "/files/1?q=1"
        assert adapter.build("padded", {"n": 3}) == "/pics/0003"


def test_a_second_app_is_made_without_compiling_its_rules_again(tmp_path) -> None:
    def make(i: int) -> None:
        create_app({"CHAT_DATA_DIR": str(tmp_path / str(i)), "CHAT_TICK_SECONDS": 0},
                   clock=FakeClock()).extensions["chat"].close()

    make(0)
    from kayako_desktop import flask_app
    compiled = len(flask_app._builders)
    make(1)
    assert len(flask_app._builders) == compiled  # every builder of the second app came from the first
