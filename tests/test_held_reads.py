"""Reads held between requests: an actor page's co-mentioned actors until a document mentioning the actor
arrives or a correction rewrites links (documents about others leave the held answer standing), and the
store's counts until any row is added or corrected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ingest_jsonl, invoke_cli
from watchfloor.store import co_mention_cache, sqlite_browse
from watchfloor.store.sqlite import SQLiteRepository
from watchfloor.store.sqlite_corrections import add_alias
from watchfloor.workspace import Workspace

OTHERS = (
    "Al-Shabaab fighters attacked an army base near Mogadishu on Monday, officials in Somalia said.\n"
    "The group said its fighters had held the base for several hours before withdrawing to the south."
)


def _article(text: str, day: int) -> dict[str, str]:
    return {"text": text, "title": f"Report {day}", "source": "Dawn", "published": f"2024-06-{day:02d}",
            "url": f"https://www.dawn.com/news/{day}"}  # fmt: skip


def _shared(ws: Workspace, entity_id: int) -> dict[str, int]:
    return {r["name"]: r["documents"] for r in ws.entity_detail(entity_id)["co_mentioned"]}


def test_co_mentions_are_held_until_a_document_naming_the_actor_or_a_correction_arrives(
    new_store: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    co_mention_cache.forget()
    db = new_store("co.db")
    first = [
        _article("Abdul Ghani Baradar met Sirajuddin Haqqani in Kabul to discuss the ISKP threat.", 1),
        _article("Sirajuddin Haqqani said ISKP fighters were hiding in Kunar province.", 2),
    ]
    (tmp_path / "one").mkdir()
    ingest_jsonl(tmp_path / "one", "co", first, db=db)
    computed: list[int] = []
    counting = sqlite_browse.co_mentioned

    def count(conn: Any, entity_id: int, limit: int = 20) -> list[dict[str, Any]]:
        computed.append(entity_id)
        return counting(conn, entity_id, limit)

    monkeypatch.setattr(sqlite_browse, "co_mentioned", count)
    with Workspace(db) as ws:
        haqqani = int(ws.lookup("Sirajuddin Haqqani")["id"])  # type: ignore[index]
        before = _shared(ws, haqqani)
        assert _shared(ws, haqqani) == before and computed == [haqqani]  # held, not counted again
        page = ws.entity_detail(haqqani)["co_mentioned"]
        page.clear()  # a caller's change must not reach the held answer
        assert _shared(ws, haqqani) == before

    (tmp_path / "two").mkdir()  # a document about others: the held answer still holds
    ingest_jsonl(tmp_path / "two", "co", [_article(OTHERS, 3)], db=db)
    with Workspace(db) as ws:
        assert _shared(ws, haqqani) == before and computed == [haqqani]

    (tmp_path / "three").mkdir()  # a document naming him: counted afresh, the new co-mention shows
    third = [
        _article(
            "Sirajuddin Haqqani and Abdul Ghani Baradar spoke about the TTP at a meeting in Kabul on Tuesday.\n"
            "Both men said the government would not allow the group to use the country against its neighbours.",
            4,
        )
    ]
    ingest_jsonl(tmp_path / "three", "co", third, db=db)
    with Workspace(db) as ws:
        after = _shared(ws, haqqani)
        assert computed == [haqqani, haqqani]
        assert after["Abdul Ghani Baradar"] == before["Abdul Ghani Baradar"] + 1
        ws.repo.correct(lambda conn: add_alias(conn, haqqani, "the Haqqani chief", "test"))
        assert _shared(ws, haqqani) == after and len(computed) == 3  # a correction: counted afresh
    # reprocessing writes his documents again (same counts, new rows): counted afresh, same answer
    assert invoke_cli("reprocess", "--db", str(db), "--force", "--quiet").returncode == 0
    with Workspace(db) as ws:
        assert _shared(ws, haqqani) == after and len(computed) == 4


def test_store_counts_are_held_until_a_row_is_added(
    new_store: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = new_store("counts.db")
    (tmp_path / "one").mkdir()
    ingest_jsonl(tmp_path / "one", "counts", [_article(OTHERS, 3)], db=db)
    counted: list[int] = []
    counting = SQLiteRepository._count_everything

    def count(self: SQLiteRepository) -> dict[str, Any]:
        counted.append(1)
        return counting(self)

    monkeypatch.setattr(SQLiteRepository, "_count_everything", count)
    with Workspace(db) as ws:
        first = ws.status()
        first["documents"] = -1  # a caller's change must not reach the held counts
        again = ws.status()
        assert again["documents"] == 1 and len(counted) == 1
    (tmp_path / "two").mkdir()
    second = _article("Sirajuddin Haqqani said ISKP fighters were hiding in Kunar province.\n" + OTHERS, 4)
    ingest_jsonl(tmp_path / "two", "counts", [second], db=db)
    with Workspace(db) as ws:
        after = ws.status()
    assert after["documents"] == 2 and after["mentions"] > again["mentions"] and len(counted) == 2
