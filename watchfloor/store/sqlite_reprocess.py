"""Store side of `watchfloor reprocess` and of analyst-set publication dates (SQLite)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from watchfloor.models import RemovedSpan
from watchfloor.store.rawtext import restore

DOCUMENTS_REMOVED = "documents_removed"  # meta key: documents deleted so far (caches of claims read it)


def reprocess_candidates(
    conn: sqlite3.Connection, since: str | None, doc_ids: list[str] | None, skip_version: str | None
) -> list[str]:
    """Analysed documents to process: by id, or published on/after ``since``; oldest ingest first."""
    where, params = ["status = 'analysed'"], []  # type: tuple[list[str], list[Any]]
    if doc_ids is not None:
        if not doc_ids:
            return []
        where.append(f"id IN ({','.join('?' * len(doc_ids))})")
        params.extend(doc_ids)
    if since is not None:
        where.append("published >= ?")
        params.append(since)
    if skip_version is not None:
        where.append("coalesce(processed_version, '') != ?")
        params.append(skip_version)
    sql = f"SELECT id FROM documents WHERE {' AND '.join(where)} ORDER BY ingested_at, id"
    return [r[0] for r in conn.execute(sql, params)]


def stored_for_reprocess(conn: sqlite3.Connection, doc_id: str) -> tuple[dict[str, Any], list[RemovedSpan], str | None]:
    """The stored row, its removed spans and the analyst's publication date (if any)."""
    row = conn.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
    removed = [
        RemovedSpan(r[0], r[1], r[2], r[3])
        for r in conn.execute(
            "SELECT start, end, text, reason FROM removed_spans WHERE doc_id=? ORDER BY start", (doc_id,)
        )
    ]
    analyst = conn.execute("SELECT published FROM document_dates WHERE doc_id=?", (doc_id,)).fetchone()
    return restore(dict(row)), removed, analyst[0] if analyst else None


def delete_document_facts(conn: sqlite3.Connection, doc_id: str) -> list[tuple[str, str]]:
    """Delete a document row and (by cascade) its facts; returns its sources to write back.

    Runs inside the caller's transaction with foreign keys deferred, because other documents may
    name it as ``duplicate_of`` and the same id is written again before the commit.
    """
    conn.execute("PRAGMA defer_foreign_keys=ON")
    sources = [(r[0], r[1]) for r in conn.execute("SELECT source, raw_sha256 FROM sources WHERE doc_id=?", (doc_id,))]
    touched = [r[0] for r in conn.execute("SELECT DISTINCT event_id FROM event_reports WHERE doc_id=?", (doc_id,))]
    conn.execute("DELETE FROM documents WHERE id=?", (doc_id,))
    # Facts only ever arrive with higher ids, except here: what is held per store (the claims' stance index)
    # learns from this count that some went away, without counting whole tables.
    conn.execute(
        """INSERT INTO meta(key, value) VALUES (?, '1')
           ON CONFLICT(key) DO UPDATE SET value=CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)""",
        (DOCUMENTS_REMOVED,),
    )
    for event_id in touched:
        conn.execute(
            "DELETE FROM events WHERE id=? AND NOT EXISTS (SELECT 1 FROM event_reports WHERE event_id=?)",
            (event_id, event_id),
        )
    return sources


def restore_sources(conn: sqlite3.Connection, doc_id: str, sources: list[tuple[str, str]]) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO sources(source, raw_sha256, doc_id) VALUES (?,?,?)",
        [(source, sha, doc_id) for source, sha in sources],
    )


def set_published(conn: sqlite3.Connection, doc_id: str, published: str, author: str, note: str | None) -> None:
    """Record an analyst's publication date for a document (kept across re-runs)."""
    conn.execute(
        """INSERT INTO document_dates(doc_id, published, author, note, created_at) VALUES (?,?,?,?,?)
           ON CONFLICT(doc_id) DO UPDATE SET published=excluded.published, author=excluded.author,
               note=excluded.note, created_at=excluded.created_at""",
        (doc_id, published, author, note, datetime.now(UTC).isoformat(timespec="seconds")),
    )


def stale_count(conn: sqlite3.Connection, version: str) -> int:
    """Analysed documents whose facts were extracted by another watchfloor version."""
    return int(
        conn.execute(
            "SELECT count(*) FROM documents WHERE status='analysed' AND coalesce(processed_version, '') != ?",
            (version,),
        ).fetchone()[0]
    )


def undated_count(conn: sqlite3.Connection) -> int:
    return int(
        conn.execute("SELECT count(*) FROM documents WHERE status='analysed' AND published IS NULL").fetchone()[0]
    )
