"""Several processes on one store: creating and migrating it at once, and ingesting the same text at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchfloor.ingest.dedup import NearDuplicateIndex
from watchfloor.models import RawInput
from watchfloor.runner import IngestOptions, IngestReport, _prepare, write_batch
from watchfloor.store.sqlite import _migrations, open_store

ROUNDS = 6
PROCESSES = 6


def _open(path: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        repo = open_store(path)
        repo.close()
        results.put("ok")
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_creating_the_same_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        path = str(tmp_path / f"race-{round_}.db")
        barrier = ctx.Barrier(PROCESSES)
        results = ctx.Queue()
        procs = [ctx.Process(target=_open, args=(path, barrier, results)) for _ in range(PROCESSES)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        outcomes = [results.get(timeout=5) for _ in procs]
        assert outcomes == ["ok"] * PROCESSES, outcomes
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == _migrations()[-1][0]


ARTICLE = (
    "Kabul, 3 May 2026\n\nA suicide bomber attacked a mosque in Kunduz on Friday, killing at least 40 people and "
    "wounding dozens more, officials said. The Islamic State Khorasan Province claimed the attack in a statement "
    "released on its Amaq channel. The Taliban said security forces had arrested two suspects after the blast.\n"
)


def test_the_same_text_ingested_by_two_runs_at_once_is_analysed_once(new_store: Callable[[str], Path]) -> None:
    db = new_store("same.db")
    first, second = open_store(db), open_store(db)
    options = IngestOptions()
    writes = []
    # Both runs prepare (and would analyse) before either stores: the duplicate check must happen again
    # under the write lock. Different bytes (line endings), same text.
    for repo, name, data in (
        (first, "a.txt", ARTICLE.encode()),
        (second, "b.txt", ARTICLE.replace("\n", "\r\n").encode()),
    ):
        prepared = _prepare(RawInput(name, "txt", data), repo, NearDuplicateIndex(0.8), {}, options, IngestReport())
        assert not isinstance(prepared, str) and prepared.write is not None
        assert prepared.write.status == "analysed"
        writes.append(prepared.write)
    write_batch(first, [writes[0]], IngestReport())
    report = IngestReport()
    write_batch(second, [writes[1]], report)
    rows = first.conn.execute("SELECT id, status, duplicate_of FROM documents ORDER BY ingested_at, id").fetchall()
    statuses = sorted((r["status"], r["duplicate_of"]) for r in rows)
    assert statuses == [("analysed", None), ("duplicate", writes[0].doc_id)], statuses
    assert writes[1].doc_id != writes[0].doc_id and writes[1].status == "duplicate"
    # the same bytes at once: one document, two sources
    again = _prepare(RawInput("c.txt", "txt", ARTICLE.encode() + b" "), second, NearDuplicateIndex(0.8), {}, options,
                     IngestReport())  # fmt: skip
    assert not isinstance(again, str) and again.write is not None
    twin = _prepare(RawInput("d.txt", "txt", ARTICLE.encode() + b" "), first, NearDuplicateIndex(0.8), {}, options,
                    IngestReport())  # fmt: skip
    assert not isinstance(twin, str) and twin.write is not None
    write_batch(second, [again.write], IngestReport())
    late = IngestReport()
    write_batch(first, [twin.write], late)
    assert late.already_stored == 1 or twin.write.status == "duplicate"
    count = first.conn.execute("SELECT count(*) FROM documents WHERE status='analysed'").fetchone()[0]
    assert count == 1
    first.close()
    second.close()
