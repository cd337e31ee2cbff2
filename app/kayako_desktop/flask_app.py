"""The Flask class the chat server and the bridge are built on: Flask with URL rules whose builders are made
once per process instead of once per app.

Werkzeug turns every rule into two small Python functions (the URL builders, for `url_for`) by compiling an
AST — 0.7 ms a rule, ~85 ms for the chat server's 114 rules, nine tenths of `create_app`. A process normally
makes one app, but the test suite makes one per test (~1,400 apps a run) and an embedded desktop makes one
per start. The builder's code depends only on the rule's text, its defaults and the map's host/subdomain
mode — the rule object is passed in as an argument when it runs — so rules equal in those share one builder.
`tests/server/test_flask_app.py` builds every URL of the chat server both ways and compares them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.routing import Rule

_Builder = Callable[..., tuple[str, str]]
_builders: dict[tuple[Any, ...], _Builder] = {}


class SharedBuilderRule(Rule):
    def _compile_builder(self, append_unknown: bool = True) -> _Builder:
        host_matching = self.map.host_matching
        key = (self.rule, host_matching, self.host if host_matching else self.subdomain,
               tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items())),
               tuple(sorted((k, type(c).__qualname__) for k, c in self._converters.items())), append_unknown)
        builder = _builders.get(key)
        if builder is None:
            builder = _builders[key] = super()._compile_builder(append_unknown)
        return builder


class App(Flask):
    url_rule_class = SharedBuilderRule
