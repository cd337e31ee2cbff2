"""Chat History's full-text index behind one seam, with the same results on both databases:

- `Fts5Index` — SQLite FTS5 (the table `search_fts`, tokenizer unicode61 with diacritics removed): the
  embedded server and today's team server. Subjects and names are indexed as they are written; posts in
  batches (`catch_up`): an FTS5 insert in each message's commit wrote 7 of its 17 pages (FTS5 writes a new
  segment per transaction), a batch of 500 posts writes a few dozen. The ticker catches up every second, and
  every search first (`behind`), so a search always finds the newest messages. `meta.search_indexed_through`
  is the last post the index holds (posts are never edited or deleted one by one, and SQLite gives them ids
  in commit order: everything up to it is indexed, nothing after it).
- `PostgresIndex` — PostgreSQL full text: `search_index.document`, a `tsvector` generated from the text
  with the 'simple' configuration (words as written, lower-cased, no stemming, like unicode61) and a GIN
  index (migration 0001's PostgreSQL script). PostgreSQL's parser reads "ada@example.com" as one token
  and does not fold diacritics, so texts are cut into words here first, as unicode61 cuts them (letters and
  digits; anything else separates), and folded (NFKD, marks dropped): "Zürich" is stored and searched as
  "zurich". Its snippets therefore show those words, lower-case, without punctuation.

A search is every word the user typed (anything else, quotes and operators included, is never syntax),
the last one as a prefix (search as you type). Statements use `?` parameters, the style of every
statement in this package; a PostgreSQL connection takes them as `%s`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kayako_desktop.server.db import set_meta

if TYPE_CHECKING:
    from kayako_desktop.server.db import Reader

SNIPPET_WORDS = 16


@dataclass(frozen=True)
class Match:
    """A parsed search: `conversations` is a subquery of the matching conversations' ids, taking `params`."""

    conversations: str
    params: tuple[str, ...]


class SearchIndex(Protocol):
    dialect: str

    def add(self, db: Reader, conversation_id: int, text: str) -> None:
        """Index text (a subject, a name) as part of the conversation; inside its write transaction."""

    def add_post(self, db: Reader, conversation_id: int, text: str) -> None:
        """A new post's text: indexed in its transaction, or left to `catch_up`."""

    def behind(self, db: Reader) -> bool:
        """Whether posts are written that the index does not hold yet (`catch_up` before searching)."""

    def catch_up(self, db: Reader, limit: int = ...) -> int:
        """Index up to `limit` posts the index does not hold yet, inside a write transaction; how many it read."""

    def match(self, text: str) -> Match | None:
        """The user's words as a search, or None when they hold no word at all."""

    def snippets(self, db: Reader, match: Match, conversation_ids: list[int]) -> dict[int, str]:
        """A passage around the matched words, per conversation, in one query (ids without one are left out)."""


def fold(text: str) -> str:
    """Lower-case, diacritics dropped: what FTS5's unicode61 tokenizer (remove_diacritics 2) compares."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """Folded words, cut where unicode61 cuts: runs of letters and digits ("_" separates, as "-" and "@" do)."""
    return re.findall(r"[^\W_]+", fold(text))


MARK = "search_indexed_through"  # meta key (migration 0003): the last post Fts5Index holds
INDEXED_POSTS = "kind != 'SYSTEM' AND trim(contents) != ''"  # the posts Chat History finds (SQL condition)
CATCH_UP_BATCH = 500


def _marks(values: list[int]) -> str:
    return ",".join("?" * len(values))


class Fts5Index:
    dialect = "sqlite"

    def add(self, db: Reader, conversation_id: int, text: str) -> None:
        db.execute("INSERT INTO search_fts (text, conversation_id) VALUES (?, ?)", (text, conversation_id))

    def add_post(self, db: Reader, conversation_id: int, text: str) -> None:
        pass  # catch_up indexes it with the posts around it

    def behind(self, db: Reader) -> bool:
        row = db.execute("SELECT (SELECT MAX(id) FROM posts) > COALESCE((SELECT CAST(value AS INTEGER) FROM meta "
                         "WHERE key = ?), 0)", (MARK,)).fetchone()
        return bool(row[0])

    def catch_up(self, db: Reader, limit: int = CATCH_UP_BATCH) -> int:
        row = db.execute("SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?", (MARK,)).fetchone()
        mark = int(row[0]) if row else 0
        last, count = db.execute("SELECT MAX(id), COUNT(*) FROM (SELECT id FROM posts WHERE id > ? ORDER BY id "
                                 "LIMIT ?) AS batch", (mark, limit)).fetchone()
        if count:
            db.execute("INSERT INTO search_fts (text, conversation_id) SELECT contents, conversation_id FROM posts "
                       f"WHERE id > ? AND id <= ? AND {INDEXED_POSTS}", (mark, last))
            set_meta(db, MARK, str(last))
        return int(count)

    def match(self, text: str) -> Match | None:
        found = words(text)
        if not found:
            return None
        quoted = [f'"{w}"' for w in found]  # a phrase of one word each: no FTS5 syntax can get through
        quoted[-1] += "*"
        return Match("SELECT conversation_id FROM search_fts WHERE search_fts MATCH ?", (" ".join(quoted),))

    def snippets(self, db: Reader, match: Match, conversation_ids: list[int]) -> dict[int, str]:
        if not conversation_ids:
            return {}
        rows = db.execute(
            f"SELECT conversation_id, snippet(search_fts, 0, '', '', '…', {SNIPPET_WORDS}) FROM search_fts "
            f"WHERE search_fts MATCH ? AND conversation_id IN ({_marks(conversation_ids)}) ORDER BY rowid",
            (*match.params, *conversation_ids),
        ).fetchall()
        found: dict[int, str] = {}
        for cid, passage in rows:
            found.setdefault(int(cid), str(passage))
        return found


class PostgresIndex:
    dialect = "postgresql"
    HEADLINE = (f'StartSel="", StopSel="", MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, '
                'ShortWord=0, MaxFragments=1, FragmentDelimiter="…"')

    def add(self, db: Reader, conversation_id: int, text: str) -> None:
        db.execute("INSERT INTO search_index (conversation_id, text) VALUES (?, ?)",
                   (conversation_id, " ".join(words(text))))

    def add_post(self, db: Reader, conversation_id: int, text: str) -> None:
        self.add(db, conversation_id, text)  # a GIN index takes it cheaply (its pending list): nothing to batch

    def behind(self, db: Reader) -> bool:
        return False

    def catch_up(self, db: Reader, limit: int = CATCH_UP_BATCH) -> int:
        return 0

    def match(self, text: str) -> Match | None:
        found = words(text)
        if not found:
            return None
        terms = [f"'{w}'" for w in found]  # letters and digits only: each is one lexeme, never tsquery syntax
        terms[-1] += ":*"
        return Match("SELECT conversation_id FROM search_index WHERE document @@ to_tsquery('simple', ?)",
                     (" & ".join(terms),))

    def snippets(self, db: Reader, match: Match, conversation_ids: list[int]) -> dict[int, str]:
        if not conversation_ids:
            return {}
        rows = db.execute(
            "SELECT DISTINCT ON (conversation_id) conversation_id, "
            "ts_headline('simple', text, to_tsquery('simple', ?), ?) FROM search_index "
            f"WHERE document @@ to_tsquery('simple', ?) AND conversation_id IN ({_marks(conversation_ids)}) "
            "ORDER BY conversation_id, id",
            (match.params[0], self.HEADLINE, match.params[0], *conversation_ids),
        ).fetchall()
        return {int(cid): str(passage) for cid, passage in rows}


INDEXES: dict[str, SearchIndex] = {"sqlite": Fts5Index(), "postgresql": PostgresIndex()}


def active(db: object) -> SearchIndex:
    """The index of the database `db` (a transaction or a read connection) belongs to."""
    return INDEXES[getattr(db, "dialect", "sqlite")]
