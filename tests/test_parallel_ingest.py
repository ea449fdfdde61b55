"""Ingest on two worker processes: the same store as one process, and a killed worker loses nothing."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import psutil

from tests.conftest import stored_facts
from watchfloor.runner import IngestOptions
from watchfloor.workspace import Workspace, demo_corpus_path


def test_two_workers_store_exactly_what_one_process_stores(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    with Workspace(db) as ws:
        report = ws.ingest([str(demo_corpus_path())], IngestOptions(workers=2))
    assert not report.interrupted and not report.problems, report
    one, two = stored_facts(demo_db), stored_facts(db)
    assert len(two["documents"]) >= 30 and len(two["events"]) > 50 and len(two["claims"]) > 100
    for table in one:
        assert two[table] == one[table], table
    # duplicates in the corpus were decided in input order and point at stored originals
    statuses = {row[1] for row in two["documents"]}
    assert {"analysed", "duplicate"} <= statuses


def test_a_killed_worker_loses_nothing_and_the_run_resumes(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    killed: list[int] = []
    stop = threading.Event()

    # Children from before the run (e.g. the resource tracker a Dask test left in this process) are not the
    # pool's workers.
    before = {c.pid for c in psutil.Process().children()}

    def kill_a_worker_once_busy() -> None:
        while not stop.is_set():
            children = [c for c in psutil.Process().children() if c.pid not in before]
            if children:
                time.sleep(1.0)  # the pool is up and its first tasks are running
                killed.append(children[0].pid)
                os.kill(children[0].pid, signal.SIGKILL)
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_a_worker_once_busy, daemon=True)
    killer.start()
    try:
        with Workspace(db) as ws:
            first = ws.ingest([str(demo_corpus_path())], IngestOptions(workers=2))
    finally:
        stop.set()
        killer.join()
    assert killed, "no worker process to kill"
    assert first.interrupted
    assert any("worker process died" in p and "run the same command again" in p for p in first.problems)
    partial = stored_facts(db)
    assert len(partial["documents"]) < len(stored_facts(demo_db)["documents"])
    with Workspace(db) as ws:
        second = ws.ingest([str(demo_corpus_path())], IngestOptions(workers=2))
    assert not second.interrupted, second
    assert second.already_stored >= len(partial["documents"])
    assert stored_facts(db) == stored_facts(demo_db)  # nothing lost, nothing stored twice
