"""Code posts: Pygments HTML, sanitised again with nh3 before it is stored, and the lexer list."""

from __future__ import annotations

from functools import lru_cache

import nh3
from pygments import highlight as _highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_all_lexers, get_lexer_by_name, guess_lexer
from pygments.util import ClassNotFound

from app.protocol.errors import ErrorCode
from app.protocol.models import Language
from app.server.errors import ApiError

_FORMATTER = HtmlFormatter(nowrap=False, cssclass="highlight", wrapcode=True)
# Pygments emits only these; anything else in the output would be a bug or an attack and is dropped.
_TAGS = {"div", "pre", "code", "span"}
_ATTRS = {"div": {"class"}, "span": {"class"}, "pre": {"class"}, "code": {"class"}}


@lru_cache(maxsize=1)
def languages() -> list[Language]:
    out = []
    for name, aliases, _patterns, _mimes in get_all_lexers():
        if aliases:
            out.append(Language(alias=aliases[0], name=name))
    return sorted(out, key=lambda lang: lang.name.lower())


def resolve_language(alias: str | None, code: str) -> str:
    """The lexer alias to use: the requested one (validated) or a guess from the code."""
    if alias:
        try:
            return get_lexer_by_name(alias).aliases[0]
        except ClassNotFound as exc:
            raise ApiError(ErrorCode.FIELD_INVALID, f"Unknown language '{alias}'", parameter="language") from exc
    try:
        return guess_lexer(code).aliases[0] or "text"
    except ClassNotFound:
        return "text"


def render_code(code: str, alias: str) -> str:
    html = _highlight(code, get_lexer_by_name(alias), _FORMATTER)
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRS, link_rel=None, strip_comments=True)


def guess_language(code: str) -> str:
    return resolve_language(None, code)
