"""The store: migrations, WAL, foreign keys, full-text search (the tests taking ``new_store`` or
``store_copier`` run on SQLite and PostgreSQL; PostgreSQL's own migration tests are in test_postgres.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from watchfloor.errors import UserError
from watchfloor.store.sqlite import _migrations, open_store


def test_new_store_is_migrated_once_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    latest = max(version for version, _ in _migrations())
    assert latest >= 2
    repo = open_store(db)
    assert repo.schema_version == latest
    assert repo.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert repo.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    repo.close()
    again = open_store(db)  # reopening does not re-run migrations (tables would already exist)
    assert again.schema_version == latest
    again.close()


def test_a_version_1_store_is_upgraded_in_place_and_keeps_its_documents(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    first = dict(_migrations())[1]
    conn.executescript(first + "\nPRAGMA user_version=1;")
    conn.execute(
        "INSERT INTO documents(id, text_hash, source, kind, raw_sha256, published_method, status, raw_text, "
        "text, word_count, ingested_at, extractor, extractor_version) VALUES ('d1', 'h', 'a.txt', 'txt', 'r', "
        "'none', 'analysed', 'Some text.', 'Some text.', 2, '2026-01-01', 'x', '1')"
    )
    conn.commit()
    conn.close()
    repo = open_store(db)
    assert repo.schema_version == max(v for v, _ in _migrations())
    assert repo.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert repo.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    repo.close()


def test_mentions_cannot_point_to_missing_documents(new_store: Callable[[str], Path]) -> None:
    repo = open_store(new_store("fk.db"))
    with pytest.raises(sqlite3.IntegrityError):
        repo.conn.execute(
            "INSERT INTO mentions(doc_id, start, end, text, label, link_method, link_score, extractor, "
            "extractor_version) VALUES ('missing', 0, 4, 'ISKP', 'ORG', 'none', 1, 'x', '0')"
        )


def test_search_query_syntax_errors_are_user_errors(new_store: Callable[[str], Path]) -> None:
    repo = open_store(new_store("q.db"))
    with pytest.raises(UserError):
        repo.search("")
    assert repo.search("ISIS-K (Khorasan)") == []  # punctuation is literal, not FTS syntax


def test_folder_as_db_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a folder"):
        open_store(tmp_path)


def test_a_trailing_star_searches_by_prefix(tmp_path: Path) -> None:
    from watchfloor.store.sqlite import _fts_query

    assert _fts_query("Talib*") == '"Talib"*'
    assert _fts_query('"suicide bomb*" OR Haqqani') == '"suicide bomb"* OR "Haqqani"'
    assert _fts_query("a*b NEAR(x) ^y") == '"a*b" "NEAR(x)" "^y"'  # only a trailing star is syntax
    assert _fts_query("OR Taliban AND NOT") == '"Taliban"' and _fts_query("* Taliban **") == '"Taliban"'


def test_prefix_search_finds_documents(demo_db: Path, store_copier: Callable[[Path, str], Path]) -> None:
    repo = open_store(store_copier(demo_db, "demo.db"))
    hits = repo.search("Talib*")
    assert hits and all("Talib" in h["snippet"] for h in hits)
    assert len(repo.search("Talib*", limit=50)) >= len(repo.search("Taliban", limit=50))
