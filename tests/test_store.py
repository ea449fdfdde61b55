"""The SQLite store: migrations, WAL, foreign keys, full-text index kept in sync."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from watchfloor.errors import UserError
from watchfloor.store.sqlite import open_store


def test_new_store_is_migrated_once_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    repo = open_store(db)
    assert repo.schema_version == 1
    assert repo.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert repo.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    repo.close()
    again = open_store(db)  # reopening does not re-run migrations (tables would already exist)
    assert again.schema_version == 1
    again.close()


def test_mentions_cannot_point_to_missing_documents(tmp_path: Path) -> None:
    repo = open_store(tmp_path / "fk.db")
    with pytest.raises(sqlite3.IntegrityError):
        repo.conn.execute(
            "INSERT INTO mentions(doc_id, start, end, text, label, link_method, link_score, extractor, "
            "extractor_version) VALUES ('missing', 0, 4, 'ISKP', 'ORG', 'none', 1, 'x', '0')"
        )


def test_search_query_syntax_errors_are_user_errors(tmp_path: Path) -> None:
    repo = open_store(tmp_path / "q.db")
    with pytest.raises(UserError):
        repo.search("")
    assert repo.search("ISIS-K (Khorasan)") == []  # punctuation is literal, not FTS syntax


def test_folder_as_db_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a folder"):
        open_store(tmp_path)
