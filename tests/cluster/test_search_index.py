"""Chat History's search gives the same conversations on SQLite (FTS5) and on PostgreSQL (tsvector + GIN):
the same texts indexed through each database's SearchIndex — in a SQLite file and in a real PostgreSQL,
each made by the chat schema's migrations — and the same words searched, including what users type that
is no word at all. Snippets quote the matched word on both."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from kayako_desktop.server import schema
from kayako_desktop.server.pg import Connection
from kayako_desktop.server.search_index import INDEXES, SearchIndex

from tests.cluster.conftest import Postgres

# conversation id -> what the server indexes for it: subject, visitor name and email, then each message
CORPUS = {
    1: ["Refund for order 1001", "Ada ada@example.com", "The parcel arrived crushed"],
    2: ["Password reset", "Bert", "I cannot log in after the update"],
    3: ["Shipping to Norway", "Cleo", "Do you deliver parcels to Zürich?"],
    4: ["Ärger mit der Lieferung", "Dörte doerte_k@mail.example", "Straße nicht gefunden, Paket zurück"],
    5: ["Invoice", "Émile", "my_account shows the wrong VAT-number (DE-123)"],
}
SEARCHES = {
    "crushed": {1}, "CRUSHED": {1}, "zurich": {3}, "Zürich": {3}, "zuri": {3}, "parcel": {1, 3},
    "parcels": {3}, "bert": {2}, "log in": {2}, "upd": {2}, "refund 1001": {1}, "1001": {1},
    "example": {1, 4}, "ada@example.com": {1}, "doerte": {4}, "dorte": {4}, "arger": {4}, "straße": {4},
    "zuruck": {4}, "emile": {5}, "account": {5}, "vat number": {5}, "de 123": {5}, "nothing-like-this": set(),
    "'; DROP TABLE posts; --": set(), "a OR": set(), "NEAR(": set(), "reset pass": {2}, "pass reset": set(), "to": {3},
}
NO_WORDS = ['"', "*", ")(", "-", "^", "  ", "…"]


@pytest.fixture
def both(tmp_path: Path, postgres: Postgres) -> Iterator[dict[str, tuple[Any, SearchIndex]]]:
    path = str(tmp_path / "chat.sqlite3")
    schema.upgrade(path)
    lite = sqlite3.connect(path)
    url = postgres.fresh(f"search_{tmp_path.name[-8:].lower()}")
    assert schema.migrate_url(url)[1] == "created"
    pg = psycopg.connect(url, autocommit=True)
    dbs: dict[str, tuple[Any, SearchIndex]] = {"sqlite": (lite, INDEXES["sqlite"]),
                                               "postgresql": (Connection(pg), INDEXES["postgresql"])}
    for db, index in dbs.values():
        for cid, texts in CORPUS.items():
            for text in texts:
                index.add(db, cid, text)
    lite.commit()
    yield dbs
    lite.close()
    pg.close()


def found(db: Any, index: SearchIndex, text: str) -> set[int] | None:
    match = index.match(text)
    if match is None:
        return None
    rows = db.execute(f"SELECT DISTINCT conversation_id FROM ({match.conversations}) AS m", match.params).fetchall()
    return {int(r[0]) for r in rows}


def test_the_same_words_find_the_same_chats_on_sqlite_and_postgresql(both) -> None:
    results = {name: {text: found(db, index, text) for text in SEARCHES} for name, (db, index) in both.items()}
    assert results["sqlite"] == SEARCHES
    assert results["postgresql"] == SEARCHES
    for name, (_db, index) in both.items():
        for text in NO_WORDS:
            assert index.match(text) is None, (name, text)  # nothing to search: the caller shows no hits


def test_snippets_quote_the_matched_words_on_both(both) -> None:
    for name, (db, index) in both.items():
        match = index.match("crushed")
        assert match is not None
        passages = index.snippets(db, match, [1, 2, 3])
        assert list(passages) == [1], name
        assert "arrived crushed" in passages[1].lower(), (name, passages)
        match = index.match("parcel")
        assert match is not None
        passages = index.snippets(db, match, [1, 3])
        assert "parcel" in passages[1].lower() and "zurich" in passages[3].lower().replace("ü", "u"), (name, passages)
