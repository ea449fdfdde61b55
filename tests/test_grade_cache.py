"""Grades of relations and claims are computed once per state of the store and reused until it changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ingest_jsonl
from tests.test_reliability_claims import BBC, DAWN
from watchfloor.store import sqlite_relations, sqlite_reliability
from watchfloor.workspace import Workspace

SPOKESMAN = '"We will keep the border closed until the attacks stop," the interior ministry spokesman said.'


def _alliance(ws: Workspace) -> dict[str, Any]:
    found = [r for r in ws.relations() if r["predicate"] == "allied_with"]
    assert len(found) == 1, found
    return found[0]


def test_grades_are_reused_until_a_new_document_changes_them(
    new_store: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = new_store("graded.db")
    first = [
        {"text": BBC, "title": "Pakistan presses Kabul", "source": "BBC News", "published": "2024-06-04",
         "url": "https://www.bbc.com/news/world-asia-1"},
        {"text": SPOKESMAN, "title": "Border", "source": "Dawn", "published": "2024-06-04",
         "url": "https://www.dawn.com/news/2"},
    ]  # fmt: skip
    (tmp_path / "one").mkdir()
    ingest_jsonl(tmp_path / "one", "graded", first, db=db)
    graded: list[int] = []
    relation_grading = sqlite_relations.attach_relation_grades
    claim_grading = sqlite_reliability._grade_claims

    def count_relations(conn: Any, rows: list[Any], statements: Any) -> None:
        graded.extend(1 for _ in rows)
        relation_grading(conn, rows, statements)

    def count_claims(conn: Any, rows: list[Any]) -> None:
        graded.extend(1 for _ in rows)
        claim_grading(conn, rows)

    monkeypatch.setattr(sqlite_relations, "attach_relation_grades", count_relations)
    monkeypatch.setattr(sqlite_reliability, "_grade_claims", count_claims)
    with Workspace(db) as ws:
        before = _alliance(ws)
        claims = ws.repo.list_claims(limit=20)
        assert before["n_independent"] == 1 and claims
        computed = len(graded)
        again = _alliance(ws)
        claims_again = ws.repo.list_claims(limit=20)
        assert len(graded) == computed  # nothing graded twice while the store is unchanged
        assert (again["grade"], again["admiralty"]) == (before["grade"], before["admiralty"])
        assert [c["grade"] for c in claims_again] == [c["grade"] for c in claims]
        again["admiralty"]["explanation"] = "changed by a caller"  # a caller's edit must not reach the held grade
        assert _alliance(ws)["admiralty"] == before["admiralty"]
    (tmp_path / "two").mkdir()
    second = [{"text": DAWN, "title": "TTP and the Afghan Taliban", "source": "Dawn", "published": "2024-06-05",
               "url": "https://www.dawn.com/news/1"}]  # fmt: skip
    ingest_jsonl(tmp_path / "two", "graded", second, db=db)
    with Workspace(db) as ws:
        after = _alliance(ws)
    assert after["n_independent"] == 2  # the new outlet counts: the held grade was not served
    assert len(graded) > computed
