"""Co-mentioned actors are counted per document from (document, entity) pairs: the same counts as a
mention-by-mention join, bounded to the entity's most recent documents."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from watchfloor.models import CleanDocument, EntityRecord, MentionRecord, PublishedDate
from watchfloor.store import sqlite_browse
from watchfloor.store.base import DocumentWrite
from watchfloor.store.sqlite import SQLiteRepository, open_store

ENTITIES = [
    EntityRecord("test:ana", "Ana Ruiz", "person", "PERSON"),
    EntityRecord("test:bo", "Bo Chen", "person", "PERSON"),
    EntityRecord("test:front", "Liberation Front", "armed_group", "ORG"),
    EntityRecord("test:council", "Council of Elders", "organisation", "ORG"),
    EntityRecord("test:north", "Northerners", "group", "NORP"),
    EntityRecord("test:town", "Riverton", "place", "GPE"),  # a place: never a co-mentioned actor
]
DOCS = 9


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteRepository]:
    repo = open_store(Path(tmp_path_factory.mktemp("co") / "co.db"))
    rng = random.Random(3)
    with repo.transaction():
        for i in range(DOCS):
            named = (
                [ENTITIES[0], *rng.sample(ENTITIES[1:], rng.randint(1, 4))] if i % 3 else rng.sample(ENTITIES[1:], 3)
            )
            words: list[str] = []
            mentions: list[MentionRecord] = []
            for entity in named * rng.randint(1, 3):  # several mentions of one entity in one document
                start = len(" ".join(words)) + (1 if words else 0)
                words.append(entity.name)
                mentions.append(
                    MentionRecord(start, start + len(entity.name), entity.name, entity.label, entity.key, "test", 1.0)
                )
            text = " ".join(words) + "."
            doc = CleanDocument(
                f"d{i}.txt", "txt", hashlib.sha256(f"{i}{text}".encode()).hexdigest(), text, text, [], None, None,
                None, None, PublishedDate(f"2024-01-{i + 1:02d}", "metadata"),
            )  # fmt: skip
            write = DocumentWrite(
                doc, doc.doc_id, doc.doc_id, "analysed", "en", mentions=mentions, new_entities=ENTITIES
            )
            repo.write_document(write, "test", "1")
    yield repo
    repo.close()


def _naive(repo: SQLiteRepository, entity_id: int, newest: int) -> list[tuple[str, int]]:
    """Shared documents per actor by a mention-by-mention join over the entity's newest documents."""
    docs = [
        r[0]
        for r in repo.conn.execute(
            """SELECT DISTINCT d.id, d.published FROM mentions m JOIN documents d ON d.id=m.doc_id
               WHERE m.entity_id=? ORDER BY d.published DESC LIMIT ?""",
            (entity_id, newest),
        )
    ]
    pairs = repo.conn.execute(
        f"""SELECT e.name, m2.doc_id FROM mentions m1 JOIN mentions m2 ON m1.doc_id=m2.doc_id
            JOIN entities e ON e.id=m2.entity_id WHERE m1.entity_id=? AND m2.entity_id!=? AND
            e.label IN ('PERSON','ORG','NORP') AND m1.doc_id IN ({",".join("?" * len(docs))})""",
        (entity_id, entity_id, *docs),
    ).fetchall()
    counts = Counter(name for name, _doc in set(pairs))
    return sorted(counts.items(), key=lambda x: (-x[1], x[0]))


def _ids(repo: SQLiteRepository) -> list[int]:
    return [int(r[0]) for r in repo.conn.execute("SELECT id FROM entities WHERE key LIKE 'test:%' ORDER BY key")]


def test_co_mentions_match_a_mention_by_mention_count(store: SQLiteRepository) -> None:
    checked = 0
    for entity_id in _ids(store):
        found = [(r["name"], r["documents"]) for r in sqlite_browse.co_mentioned(store.conn, entity_id, 50)]
        assert found == _naive(store, entity_id, DOCS)
        checked += len(found)
    assert checked > 10
    assert all(r["name"] != "Riverton" for i in _ids(store) for r in sqlite_browse.co_mentioned(store.conn, i, 50))


def test_co_mentions_count_only_the_most_recent_documents(
    store: SQLiteRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_browse, "CO_MENTION_DOCS", 2)
    ana = next(i for i in _ids(store) if store.entity(i)["name"] == "Ana Ruiz")
    bounded = [(r["name"], r["documents"]) for r in sqlite_browse.co_mentioned(store.conn, ana, 50)]
    assert bounded == _naive(store, ana, 2) and max(n for _name, n in bounded) <= 2
    assert bounded != _naive(store, ana, DOCS)


def test_the_cli_actor_detail_and_the_entity_page_agree(store: SQLiteRepository) -> None:
    for entity_id in _ids(store):
        cli = [(r["name"], r["documents"]) for r in store.actor_detail(entity_id, 20)["co_mentioned"]]
        page = [
            (r["name"], r["documents"])
            for r in sqlite_browse.entity_overview(store.conn, entity_id, 20)["co_mentioned"]
        ]
        assert cli == page


@pytest.mark.parametrize("walk", [True, False])
def test_recent_documents_are_the_same_whether_walked_or_sorted(
    store: SQLiteRepository, monkeypatch: pytest.MonkeyPatch, walk: bool
) -> None:
    """Walking the store newest first (a frequent actor) and sorting the actor's documents give one answer."""
    monkeypatch.setattr(sqlite_browse, "walk_pays", lambda _conn, _entity, _n: walk)
    for entity_id in _ids(store):
        for n in (1, 3, DOCS):
            expected = [
                r[0]
                for r in store.conn.execute(
                    """SELECT DISTINCT d.id, d.published FROM mentions m JOIN documents d ON d.id=m.doc_id
                       WHERE m.entity_id=? ORDER BY d.published DESC LIMIT ?""",
                    (entity_id, n),
                )
            ]
            assert sqlite_browse.recent_documents(store.conn, entity_id, n) == expected


def test_the_walk_is_chosen_only_when_the_actor_is_dense_enough(
    store: SQLiteRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = next(i for i in _ids(store) if store.entity(i)["name"] == "Ana Ruiz")  # in 6 of the 9 documents
    monkeypatch.setattr(sqlite_browse, "FREQUENT", 1)
    assert sqlite_browse.walk_pays(store.conn, ana, 1)  # 6 x 6 > 1 x 9: a page is a few documents away
    assert not sqlite_browse.walk_pays(store.conn, ana, 5)  # 36 < 5 x 9: sorting her 6 documents is cheaper
