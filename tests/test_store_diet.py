"""Store diet (migration 010): raw text as a delta, 32-bit MinHash, no redundant index — nothing lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from watchfloor.ingest import dedup
from watchfloor.models import CleanDocument, PublishedDate
from watchfloor.store import rawtext
from watchfloor.store.base import DocumentWrite
from watchfloor.store.sqlite import _migrations, _split_sql, open_store

CLEAN = "Kabul, 12 May\nA suicide bomber struck a mosque in Kandahar.\nAt least 40 people were killed.\n"
RAW = (
    "Subscribe now\nKabul, 12 May\nA suicide bomber struck a mosque in Kandahar.\nPhoto: AFP\n"
    "At least 40 people were killed.\nRelated: more news\n"
)


def test_the_raw_text_is_rebuilt_exactly_from_its_delta() -> None:
    for raw, text in [(RAW, CLEAN), (CLEAN, CLEAN), ("Title\n" + CLEAN, CLEAN), (RAW, "Title\n\n" + CLEAN)]:
        stored, delta = rawtext.for_storage(raw, text)
        row = rawtext.restore({"raw_text": stored, "raw_delta": delta, "text": text})
        assert row["raw_text"] == raw and "raw_delta" not in row
    long_raw = "menu\n" + CLEAN * 50
    stored, delta = rawtext.for_storage(long_raw, CLEAN * 50)
    assert stored == "" and delta is not None and len(delta) < len(long_raw) // 10


def test_a_raw_text_unlike_the_clean_text_is_kept_whole() -> None:
    raw = "Completely different words.\nNothing in common.\n"
    assert rawtext.for_storage(raw, CLEAN) == (raw, None)


lines = st.lists(st.sampled_from(["a\n", "b b\n", "Photo: AFP\n", "\n", "x", "é\r\n", "\u2028", "tail"]), max_size=12)


@settings(max_examples=200, deadline=None)
@given(raw=lines, text=lines)
def test_any_raw_text_comes_back_unchanged(raw: list[str], text: list[str]) -> None:
    raw_s, text_s = "".join(raw), "".join(text)
    stored, delta = rawtext.for_storage(raw_s, text_s)
    assert rawtext.restore({"raw_text": stored, "raw_delta": delta, "text": text_s})["raw_text"] == raw_s


def _old_store(db: Path, version: int = 9) -> sqlite3.Connection:
    """A store as the version before the diet wrote it (migrations up to ``version``)."""
    conn = sqlite3.connect(db, isolation_level=None)
    for number, sql in _migrations():
        if number <= version:
            for statement in _split_sql(sql):
                conn.execute(statement)
    conn.execute(f"PRAGMA user_version={version}")
    return conn


def _insert(conn: sqlite3.Connection, doc_id: str, raw: str, text: str, minhash: bytes | None, **extra: str) -> None:
    values = {
        "id": doc_id, "text_hash": doc_id, "source": f"{doc_id}.txt", "kind": "txt", "raw_sha256": doc_id,
        "published_method": "none", "status": "analysed", "raw_text": raw, "text": text,
        "word_count": len(text.split()), "ingested_at": "2026-01-01", "extractor": "x", "extractor_version": "1",
        "minhash": minhash, **extra,
    }  # fmt: skip
    conn.execute(
        f"INSERT INTO documents({', '.join(values)}) VALUES ({', '.join('?' * len(values))})", list(values.values())
    )


def test_an_old_store_is_upgraded_without_losing_anything(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = _old_store(db)
    old_signature = dedup.minhash(CLEAN)
    wide = old_signature.hashvalues.astype("<u8").tobytes()  # how the store kept signatures before
    assert len(wide) == 1024 and dedup.from_bytes(wide).jaccard(old_signature) == 1.0  # still readable
    _insert(conn, "d1", RAW, CLEAN, wide)
    _insert(conn, "d2", "Other words entirely.\n", CLEAN, None, status="duplicate", duplicate_of="d1")
    conn.execute(
        "INSERT INTO mentions(doc_id, start, end, text, label, link_method, link_score, extractor, "
        "extractor_version) VALUES ('d1', 33, 41, 'Kandahar', 'GPE', 'none', 1, 'x', '1')"
    )
    conn.close()

    repo = open_store(db)
    assert repo.schema_version >= 10
    by_id = {r[0]: r for r in repo.conn.execute("SELECT id, raw_text, raw_delta, minhash FROM documents")}
    assert by_id["d1"][1] == "" and by_id["d1"][2] is not None  # stored as a delta now
    assert by_id["d2"][1] != "" and by_id["d2"][2] is None  # no smaller delta: kept whole
    for doc_id, raw in (("d1", RAW), ("d2", "Other words entirely.\n")):
        document = repo.get_document(doc_id)
        assert document is not None and document["raw_text"] == raw and "raw_delta" not in document
        assert repo.stored_for_reprocess(doc_id)[0]["raw_text"] == raw
    assert len(by_id["d1"][3]) == 512
    assert dedup.from_bytes(by_id["d1"][3]).jaccard(old_signature) == 1.0
    assert list(repo.iter_minhashes()) == [("d1", by_id["d1"][3])]
    indexes = {r[0] for r in repo.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "mentions_doc" not in indexes and "mentions_doc_entity" in indexes
    assert [m["text"] for m in repo.get_document("d1")["mentions"]] == ["Kandahar"]  # type: ignore[index]
    assert "d1" in {h["id"] for h in repo.search("Kandahar")}  # the full-text index is untouched
    repo.close()


def test_a_new_document_is_written_lean_and_read_back_whole(tmp_path: Path) -> None:
    repo = open_store(tmp_path / "new.db")
    doc = CleanDocument(
        "a.txt", "txt", "f" * 64, RAW, CLEAN, [], None, None, None, None, PublishedDate(None, "none", "")
    )
    signature = dedup.minhash(CLEAN)
    with repo.transaction():
        repo.write_document(
            DocumentWrite(doc, doc.doc_id, "h", "analysed", "en", minhash=dedup.to_bytes(signature)), "x", "1"
        )
    raw, delta, minhash = repo.conn.execute("SELECT raw_text, raw_delta, minhash FROM documents").fetchone()
    assert raw == "" and delta is not None and len(minhash) == 512
    stored = repo.get_document(doc.doc_id)
    assert stored is not None and stored["raw_text"] == RAW and stored["text"] == CLEAN
    assert dedup.from_bytes(minhash).jaccard(signature) == 1.0
    repo.close()
