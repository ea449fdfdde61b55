"""A correction recounts only the entity_stats rows of the entities it touches, and they equal a full recount."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_api import copy_store
from watchfloor.store import sqlite_corrections as corrections
from watchfloor.store.sqlite_browse import ensure_entity_stats, mark_entity_stats_fresh, refresh_entity_stats
from watchfloor.workspace import Workspace

Stats = dict[int, tuple[Any, ...]]
TAMPERED = 1_000_000  # added to one untouched row: a full recount would put it back


def table(conn: sqlite3.Connection) -> Stats:
    return {int(r[0]): tuple(r[1:]) for r in conn.execute("SELECT * FROM entity_stats ORDER BY entity_id")}


def full_recount(conn: sqlite3.Connection) -> Stats:
    """What a full refresh would write, computed without writing."""
    conn.execute("SAVEPOINT recount")
    try:
        refresh_entity_stats(conn)
        return table(conn)
    finally:
        conn.execute("ROLLBACK TO recount")
        conn.execute("RELEASE recount")


@pytest.fixture()
def ws(demo_db: Path, tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(copy_store(demo_db, tmp_path / "stats.db")) as ws:
        ensure_entity_stats(ws.repo.conn)
        yield ws


def entity(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT entity_id FROM aliases WHERE norm=lower(?)", (name,)).fetchone()
    assert row is not None, name
    return int(row[0])


def bystander(conn: sqlite3.Connection, *involved: int) -> int:
    """A mentioned entity the correction does not involve; its row is tampered with and then marked fresh."""
    marks = ",".join("?" * len(involved))
    row = conn.execute(
        f"""SELECT s.entity_id FROM entity_stats s WHERE s.entity_id NOT IN ({marks})
            AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id=s.entity_id AND m.doc_id IN
                            (SELECT doc_id FROM mentions WHERE entity_id IN ({marks})))
            ORDER BY s.mentions DESC LIMIT 1""",
        (*involved, *involved),
    ).fetchone()
    assert row is not None
    conn.execute("UPDATE entity_stats SET mentions=mentions+? WHERE entity_id=?", (TAMPERED, row[0]))
    mark_entity_stats_fresh(conn)
    conn.commit()
    return int(row[0])


Correction = Callable[[sqlite3.Connection], tuple[list[int], Callable[[sqlite3.Connection], Any]]]


def _add_alias(conn: sqlite3.Connection) -> tuple[list[int], Callable[[sqlite3.Connection], Any]]:
    iskp = entity(conn, "ISKP")
    row = conn.execute(
        """SELECT m.text, m.entity_id FROM mentions m JOIN entities e ON e.id=m.entity_id
           WHERE e.source='extracted' AND e.label='ORG' ORDER BY m.id LIMIT 1"""
    ).fetchone()
    return [iskp, int(row[1])], lambda c: corrections.add_alias(c, iskp, row[0], "t")


def _remove_alias(conn: sqlite3.Connection) -> tuple[list[int], Callable[[sqlite3.Connection], Any]]:
    iskp = entity(conn, "ISKP")
    return [iskp], lambda c: corrections.remove_alias(c, iskp, "Daesh Khorasan", "t")


def _merge(conn: sqlite3.Connection) -> tuple[list[int], Callable[[sqlite3.Connection], Any]]:
    keep, gone = entity(conn, "Tomasz Wierzbicki"), entity(conn, "Harlan Voss")
    return [keep, gone], lambda c: corrections.merge(c, keep, gone, "t")


def _split(conn: sqlite3.Connection) -> tuple[list[int], Callable[[sqlite3.Connection], Any]]:
    iskp = entity(conn, "ISKP")
    return [iskp], lambda c: corrections.split(c, iskp, "Khorasan faction", ["Khorasan Province"], "t")


def _reject(conn: sqlite3.Connection) -> tuple[list[int], Callable[[sqlite3.Connection], Any]]:
    row = conn.execute("SELECT id, entity_id FROM mentions WHERE entity_id IS NOT NULL ORDER BY id LIMIT 1").fetchone()
    return [int(row[1])], lambda c: corrections.reject(c, "mention", int(row[0]), "t")


KINDS: dict[str, Correction] = {
    "add_alias": _add_alias,
    "remove_alias": _remove_alias,
    "merge": _merge,
    "split": _split,
    "reject": _reject,
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_correction_recounts_only_the_entities_it_touches(ws: Workspace, kind: str) -> None:
    conn = ws.repo.conn
    involved, record = KINDS[kind](conn)
    other = bystander(conn, *involved)
    before = table(conn)
    ws.repo.correct(record)
    after = table(conn)
    assert after[other][0] == before[other][0], "an untouched row was recounted: a full refresh ran"
    expected = full_recount(conn)
    assert expected[other][0] == before[other][0] - TAMPERED
    after[other] = expected[other]
    assert after == expected  # every row the correction changed is recounted exactly
    assert after != before  # and the correction did change counts
    ensure_entity_stats(conn)  # the stats count as fresh: a read does not recount them
    assert table(conn)[other][0] == before[other][0]


def test_a_correction_on_stale_counts_recounts_everything(ws: Workspace) -> None:
    conn = ws.repo.conn
    involved, record = _remove_alias(conn)
    other = bystander(conn, *involved)
    conn.execute("UPDATE meta SET value='stale' WHERE key='entity_stats'")  # e.g. an ingest wrote since
    conn.commit()
    ws.repo.correct(record)
    assert table(conn) == full_recount(conn)
    assert table(conn)[other][0] < TAMPERED


def test_a_new_correction_applies_only_itself_unless_the_store_changed_since(ws: Workspace) -> None:
    conn = ws.repo.conn
    iskp = entity(conn, "ISKP")
    ws.repo.correct(lambda c: corrections.remove_alias(c, iskp, "Daesh Khorasan", "t"))
    unlinked = conn.execute(
        "SELECT id FROM mentions WHERE text='Daesh Khorasan' AND entity_id IS NULL ORDER BY id LIMIT 1"
    ).fetchone()[0]
    relinked = "UPDATE mentions SET entity_id=? WHERE id=?"
    conn.execute(relinked, (iskp, unlinked))  # undone behind the corrections' back (no re-run wrote since)
    linked = "SELECT entity_id FROM mentions WHERE id=?"
    _, applied = _merge(conn)
    ws.repo.correct(applied)
    assert conn.execute(linked, (unlinked,)).fetchone()[0] == iskp  # the earlier correction was not re-run
    conn.execute("UPDATE meta SET value='changed' WHERE key='corrections_applied'")  # as after an ingest run
    ws.repo.correct(lambda c: corrections.add_alias(c, iskp, "Khorasan wing", "t"))
    assert conn.execute(linked, (unlinked,)).fetchone()[0] is None  # every correction was applied again
    conn.execute(relinked, (iskp, unlinked))
    ws.repo.apply_corrections()  # after an ingest run: always all of them
    assert conn.execute(linked, (unlinked,)).fetchone()[0] is None


def forms_table(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute("SELECT entity_id, text, n FROM entity_forms ORDER BY entity_id, text")]


def test_ingest_batches_keep_the_counts_fresh_and_equal_to_a_recount(tmp_path: Path) -> None:
    """Each ingest batch adds its documents to fresh counts (readers need not recount during a run)."""
    from watchfloor.runner import IngestOptions, ingest
    from watchfloor.store.sqlite_browse import entity_stats_fresh
    from watchfloor.workspace import demo_corpus_path

    files = sorted(p for p in demo_corpus_path().glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, part in ((first, files[:6]), (second, files[6:14])):
        folder.mkdir()
        for p in part:
            (folder / p.name).write_bytes(p.read_bytes())
    with Workspace(tmp_path / "grow.db") as ws:
        conn = ws.repo.conn
        ingest([str(first)], ws.repo, IngestOptions(batch_size=3), on_problem=lambda m: None)
        ensure_entity_stats(conn)  # fresh after a read
        before = table(conn)
        ingest([str(second)], ws.repo, IngestOptions(batch_size=3), on_problem=lambda m: None)
        assert entity_stats_fresh(conn), "the batches kept the counts fresh: no read-time recount"
        grown = table(conn)
        assert grown != before, "the second half mentions entities: counts must have grown"
        forms = forms_table(conn)
        assert grown == full_recount(conn)
        conn.execute("SAVEPOINT again")
        refresh_entity_stats(conn)
        assert forms_table(conn) == forms
        conn.execute("ROLLBACK TO again")
        conn.execute("RELEASE again")


def test_a_replaced_document_is_not_added_on_top_of_its_old_counts(demo_db: Path, tmp_path: Path) -> None:
    from watchfloor.reprocess import reprocess

    with Workspace(copy_store(demo_db, tmp_path / "re.db")) as ws:
        conn = ws.repo.conn
        ensure_entity_stats(conn)
        doc_id = str(conn.execute("SELECT id FROM documents WHERE status='analysed' ORDER BY id LIMIT 1").fetchone()[0])
        linked = conn.execute("SELECT count(*) FROM mentions WHERE doc_id=? AND entity_id IS NOT NULL", (doc_id,))
        assert linked.fetchone()[0] > 0, "the document must count towards some entities"
        reprocess(ws.repo, stage="extract", doc_ids=[doc_id], force=True)
        ensure_entity_stats(conn)
        assert table(conn) == full_recount(conn), "the old mentions were not added on top of the new ones"
