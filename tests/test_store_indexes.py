"""The lookups every reliability grade and every status request make are index searches, not table scans
(query plans, not timings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.store.sqlite import open_store

LOOKUPS = {
    "documents_duplicate_of": "SELECT id, duplicate_of, publisher, url, duplicate_kind FROM documents "
    "WHERE duplicate_of IN (?, ?)",
    "sources_doc": "SELECT doc_id, count(*) FROM sources WHERE doc_id IN (?, ?) GROUP BY doc_id HAVING count(*) > 1",
    "claims_speaker_text": "SELECT c.id, c.text FROM claims c WHERE c.speaker_text=? AND c.speaker_entity_id IS NULL",
    # what `status` counts on every request: documents a reprocess would redo, and undated ones
    "documents_processed": "SELECT count(*) FROM documents WHERE status=? AND coalesce(processed_version, '') != ?",
}
UNDATED = "SELECT count(*) FROM documents WHERE status='analysed' AND published IS NULL"


@pytest.mark.parametrize("index", sorted(LOOKUPS))
def test_grading_lookups_search_an_index(tmp_path: Path, index: str) -> None:
    repo = open_store(tmp_path / "store.db")
    sql = LOOKUPS[index]
    plan = " ".join(str(row[3]) for row in repo.conn.execute("EXPLAIN QUERY PLAN " + sql, ["a"] * sql.count("?")))
    assert f"INDEX {index}" in plan, plan
    assert "SCAN" not in plan, plan


def test_status_counts_read_an_index_not_the_documents(tmp_path: Path) -> None:
    repo = open_store(tmp_path / "store.db")
    plan = " ".join(str(row[3]) for row in repo.conn.execute("EXPLAIN QUERY PLAN " + UNDATED))
    assert "COVERING INDEX" in plan, plan
