"""Code posts: Pygments HTML, sanitised again with nh3 before it is stored, and the lexer list."""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from pygments import highlight as _highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_all_lexers, get_lexer_by_name, guess_lexer
from pygments.util import ClassNotFound

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import CodePreview, Language
from kayako_desktop.server.errors import ApiError

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
            return str(get_lexer_by_name(alias).aliases[0])
        except ClassNotFound as exc:
            raise ApiError(ErrorCode.FIELD_INVALID, f"Unknown language '{alias}'", parameter="language") from exc
    return _guess(code)


# Pygments' own guess weighs every one of its ~600 lexers equally and often names an exotic one
# ("teratermmacro" for a Python function). Support agents paste everyday languages, so those are scored
# first by telltale patterns; Pygments' guess only decides when none of them matches at all.
_HINTS: list[tuple[str, list[str]]] = [
    ("json", [r"^\s*[\[{]\s*\"[^\"]+\"\s*:", r"^\s*\[\s*[\d\"{\[]"]),
    ("html", [r"<!doctype html", r"<(html|head|body|div|span|p|a|ul|li|table|form|input|script)\b[^>]*>", r"</\w+>"]),
    ("xml", [r"^\s*<\?xml\b"]),
    # Every pattern must stay linear on hostile input (a 50,000-character snippet): no nested quantifiers
    # over the same characters, no unbounded class spanning lines (the first css pattern once took
    # minutes on a line of digits and froze the whole server).
    ("css", [r"^[^{};\n]*\{[^};:\n]*:[^};\n]*;", r"@media\b", r"^\s*[\w-]+[ \t]*:[ \t]*[^;\n]+;[ \t]*$"]),
    ("python", [r"^\s*def \w+\(.*\)\s*(->\s*[\w\[\], ]+)?:\s*$", r"^\s*(from [\w.]+ )?import [\w.]+", r"^\s*class \w+(\(.*\))?:\s*$",
                r"\bself\.", r"\bprint\(", r"^\s*(elif|except|with) .*:\s*$", r"\bNone\b|\bTrue\b|\bFalse\b"]),
    ("javascript", [r"\b(const|let|var) \w+\s*=", r"\bfunction\s*\w*\s*\(", r"=>", r"\bconsole\.log\(", r"\bdocument\.",
                    r"\brequire\(|\bexport (default )?", r"===|!=="]),
    ("typescript", [r"\binterface \w+\s*\{", r":\s*(string|number|boolean)\b", r"\btype \w+\s*="]),
    ("php", [r"<\?php", r"\$\w+\s*=", r"\becho\b", r"->\w+\("]),
    ("sql", [r"(?i)^\s*(select|insert|update|delete|create|alter|drop)\b", r"(?i)\b(from|where|join|group by|order by|values)\b"]),
    ("bash", [r"^#!/bin/(ba)?sh", r"^\s*(sudo |apt(-get)? |cd |ls |echo |export |curl |grep |chmod )", r"\$\{?\w+\}?", r"\|\s*\w+"]),
    ("ruby", [r"^\s*def \w+(\(.*\))?\s*$", r"^\s*end\s*$", r"\bputs\b", r"\bdo \|\w+\|", r"^\s*require ['\"]"]),
    ("java", [r"\bpublic (static )?(class|void|int|String)\b", r"\bSystem\.out\.print", r"\bprivate \w+ \w+;"]),
    ("csharp", [r"\busing System", r"\bnamespace \w+", r"\bConsole\.Write", r"\bpublic (async )?\w+ \w+\(.*\)\s*$"]),
    ("go", [r"^package \w+", r"\bfunc \w+\(", r":=", r"\bfmt\.Print"]),
    ("rust", [r"\bfn \w+\(", r"\blet mut\b", r"\bprintln!\(", r"\bimpl\b", r"->\s*\w+\s*\{"]),
    ("c", [r"#include\s*<\w+\.h>", r"\bint main\(", r"\bprintf\("]),
    ("cpp", [r"#include\s*<(iostream|vector|string|map)>", r"\bstd::", r"\bcout\s*<<"]),
    ("yaml", [r"^\s*[\w-]+:\s*$", r"^\s*- [\w-]+:?", r"^---\s*$"]),
]
_COMPILED = [(alias, [re.compile(p, re.MULTILINE) for p in pats]) for alias, pats in _HINTS]


GUESS_CHARS = 4000  # the language shows in the first lines; guessing never reads more


def _guess(code: str) -> str:
    code = code[:GUESS_CHARS]
    scores = {alias: sum(1 for p in pats if p.search(code)) for alias, pats in _COMPILED}
    best = max(scores.values())
    if best > 0:
        return max(scores, key=lambda a: (scores[a], -[h[0] for h in _HINTS].index(a)))
    try:
        return guess_lexer(code).aliases[0] or "text"
    except ClassNotFound:
        return "text"


def render_code(code: str, alias: str) -> str:
    html = _highlight(code, get_lexer_by_name(alias), _FORMATTER)
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRS, link_rel=None, strip_comments=True)


def guess_language(code: str) -> str:
    return resolve_language(None, code)


def preview_code(code: str, alias: str | None) -> CodePreview:
    """What a code post will look like: the lexer (asked for, or guessed) and its sanitised HTML."""
    lang = resolve_language(alias, code)
    return CodePreview(language=lang, name=get_lexer_by_name(lang).name, guessed=not alias,
                       content_html=render_code(code, lang))
